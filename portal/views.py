import sys

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import Error, connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from neighborhoods.activities.services import home_activities, my_activities_context
from neighborhoods.models import District, LinkRequest
from neighborhoods.register.forms import LinkRequestForm
from neighborhoods.register.services import link_request_create
from neighborhoods.rental.services import my_loans_context
from neighborhoods.votes.services import household_votes
from notices.board.services import notices_for_home
from notices.guides.services import my_questions
from notices.hall.services import home_topics_context
from notices.models.notice import user_neighbourhood_ids

from .context_processors import LARGE_TEXT_COOKIE, large_text_enabled
from .exceptions import Refused
from .forms import NameForm
from .idempotency import post_once
from .middleware import database_unavailable_response, is_database_unavailable
from .pagecache import fragment, visitor_page
from .permissions import former_resident
from .redirects import next_url


@visitor_page
def home(request):
    neighbourhood = request.user.home_neighbourhood if request.user.is_authenticated else None
    district = District.objects.first() if neighbourhood is None else None
    resident = request.user.resident if request.user.is_authenticated else None
    context = {
        "neighbourhood": neighbourhood,
        "district": district,
        "home_cards": home_cards(request.user, neighbourhood, district),
        "my_votes": household_votes(resident.household if resident else None),
    }
    return render(request, "portal/home.html", context)


def home_cards(user, neighbourhood, district):
    """The home page's notices, activities and topics. What a resident (or anyone who is
    neither committee staff nor a district admin) is shown there depends only on their
    neighbourhoods: the piece comes from the shared cache (portal.pagecache.fragment).
    Staff see unpublished notices they may edit: theirs is made for them."""

    def render_cards():
        context = {
            "home_notices": notices_for_home(user, neighbourhood),
            "home_activities": home_activities(neighbourhood),
            **home_topics_context(user, neighbourhood, district),
        }
        return render_to_string("includes/home_cards.html", context)

    if user.is_authenticated and not user.worker and not user.is_district_admin:
        parts = [
            getattr(neighbourhood, "pk", None),
            getattr(district, "pk", None),
            *sorted(user_neighbourhood_ids(user)),
        ]
        return fragment("home-cards", parts, render_cards)
    return render_cards()


@login_required
def me(request, link_form=None, name_form=None):
    resident = request.user.resident
    link_request = (
        None if resident else request.user.link_requests.select_related("neighbourhood").first()
    )
    if link_form is None and not resident:
        link_form = LinkRequestForm()
    context = {
        "resident": resident,
        "former": None if resident else former_resident(request.user),
        "household": resident.household if resident else None,
        "members": resident.household.residents.present() if resident else [],
        "link_request": link_request,
        "link_form": link_form,
        "name_form": name_form or NameForm(initial={"first_name": request.user.first_name}),
        "pending": link_request and link_request.status == LinkRequest.Status.PENDING,
        "centre_memberships": request.user.centre_memberships.select_related("centre"),
        **my_activities_context(request.user),  # my activity sign-ups and their changes
        **my_loans_context(request.user),  # my rehab-aid requests and loans, with due dates
        "my_votes": household_votes(resident.household if resident else None),
        "my_questions": my_questions(request.user),
    }
    return render(
        request,
        "portal/me.html",
        context,
        status=400 if (link_form and link_form.errors) or (name_form and name_form.errors) else 200,
    )


@require_POST
@login_required
def name_change(request):
    form = NameForm(request.POST)
    if not form.is_valid():
        return me(request, name_form=form)
    request.user.first_name, request.user.last_name = form.cleaned_data["first_name"], ""
    request.user.save(update_fields=["first_name", "last_name"])
    messages.success(request, _("Your name is saved."))
    return redirect("portal:me")


@require_POST
@login_required
@post_once
def link_request_new(request):
    form = LinkRequestForm(request.POST)
    if not form.is_valid():
        return me(request, link_form=form)
    try:
        link_request_create(user=request.user, **form.cleaned_data)
    except Refused as refusal:
        messages.info(request, str(refusal))
        return redirect("portal:me")
    messages.success(
        request,
        _("Thank you. The residents' committee will check your details and link your account."),
    )
    return redirect("portal:me")


@require_POST
def text_size(request):
    """Switch large text on or off: kept in a cookie, and on the account when signed in."""
    enable = not large_text_enabled(request)
    response = HttpResponseRedirect(next_url(request, "portal:home", referer=True))
    if request.user.is_authenticated:
        request.user.large_text = enable
        request.user.save(update_fields=["large_text"])
    if enable:
        response.set_cookie(
            LARGE_TEXT_COOKIE,
            "1",
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
    return response


@never_cache
@require_safe
def healthz(request):
    """For the load balancer: plain text, 503 for as long as the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error:
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request):
    """handler500: the 503 page when the database was away, else Django's 500 page.

    Errors raised by views reach portal.middleware; this catches the ones raised by a
    middleware (saving the session, say). Django calls it while handling the exception.
    """
    exception = sys.exc_info()[1]
    if is_database_unavailable(exception):
        return database_unavailable_response(request, exception)
    return defaults.server_error(request)


def permission_denied(request, exception=None):
    """handler403: Django's 403 page, and one line in the security log."""
    from . import security_log

    security_log.event("permission.refused", request)
    return defaults.permission_denied(request, exception)
