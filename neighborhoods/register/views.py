from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from portal.exceptions import Refused
from portal.permissions import staff_required

from ..activities.services import household_activities_context
from ..care import coverage
from ..models import Household, LinkRequest, Need
from ..permissions import (
    get_household_for_user,
    get_household_page_for_user,
    get_link_request_for_user,
)
from ..watch.services import watch_home_context, watch_household_context
from .forms import HouseholdFilterForm, LinkDecisionForm

STAFF_HOME_OVERDUE = 15


@require_safe
@staff_required
def staff_home(request):
    """In order of importance: the watch (alerts, unchecked rows), overdue visits, my needs."""
    worker, user = request.user.worker, request.user
    mine = Household.objects.none()
    if worker:
        mine = Household.objects.filter(building__zone__worker=worker)
    overdue = mine.overdue().select_related("building")
    needs = Need.objects.visible_to(user).open().for_list().by_urgency()
    context = {
        "worker": worker,
        "zones": worker.zones.all() if worker else [],
        "pending_links": LinkRequest.objects.visible_to(user).pending().count(),
        "overdue": overdue[:STAFF_HOME_OVERDUE],
        "overdue_count": overdue.count(),
        "my_needs": needs.filter(owner=user)[:10],
        "unowned_needs": needs.filter(owner__isnull=True)[:10],
        "coverage": coverage.for_worker(worker) if worker else None,
        "neighbourhood_coverage": coverage.by_neighbourhood(Household.objects.visible_to(user)),
        "zone_coverage": coverage.by_zone(Household.objects.visible_to(user)) if worker else [],
        **watch_home_context(user),  # daily watch: open alerts, unchecked rows
    }
    return render(request, "neighborhoods/staff_home.html", context)


@require_safe
@staff_required
def household_list(request):
    form = HouseholdFilterForm(request.GET or None, user=request.user)
    households = Household.objects.visible_to(request.user)
    if form.is_bound and form.is_valid():
        households = form.filter(households)
    page = get_household_page_for_user(
        request.user, households.for_list(), request.GET.get("page"), audit=request
    )
    return render(
        request,
        "neighborhoods/household_list.html",
        {
            "form": form,
            "page": page,
            "coverage": coverage.total(Household.objects.visible_to(request.user)),
        },
    )


@require_safe
@staff_required
def household_detail(request, pk):
    household = get_household_for_user(request.user, pk, audit=request)
    context = {
        "household": household,
        "members": household.residents.present(),
        "former": household.residents.exclude(status="present"),
        **watch_household_context(household, user=request.user),  # daily-watch section
        **household_activities_context(household),  # activity sign-ups
        # Visits (走访) and needs: newest first; the open needs, most urgent first.
        "visits": household.visits.select_related("staff").prefetch_related("addenda")[:10],
        "visit_count": household.visits.count(),
        "open_needs": household.needs.open().select_related("owner").by_urgency(),
        "closed_needs": household.needs.exclude(status__in=Need.OPEN_STATUSES)[:10],
    }
    return render(request, "neighborhoods/household_detail.html", context)


@require_safe
@staff_required
def link_request_list(request):
    requests = (
        LinkRequest.objects.visible_to(request.user)
        .pending()
        .select_related("user", "neighbourhood")
        .order_by("created")
    )
    return render(request, "neighborhoods/link_request_list.html", {"link_requests": requests})


@require_http_methods(["GET", "POST"])
@staff_required
def link_request_decide(request, pk):
    link_request = get_link_request_for_user(request.user, pk)
    if link_request.status != LinkRequest.Status.PENDING:
        messages.info(request, link_request.already_decided())
        return redirect("neighborhoods:link-request-list")
    form = LinkDecisionForm(request.POST or None, link_request=link_request)
    if request.method == "POST" and form.is_valid():
        try:
            _decide(link_request, form.cleaned_data, by=request.user)
        except Refused as refusal:  # a colleague decided first, or the resident is taken
            messages.warning(request, str(refusal))
        else:
            messages.success(request, _decided_message(link_request))
        return redirect("neighborhoods:link-request-list")
    status = 400 if form.errors else 200
    return render(
        request,
        "neighborhoods/link_request_decide.html",
        {"link_request": link_request, "form": form},
        status=status,
    )


def _decide(link_request, data, *, by):
    if data["decision"] == "approve":
        link_request.approve(by=by, resident=data["resident"])
    else:
        link_request.reject(by=by, reason=data["reason"])


def _decided_message(link_request):
    if link_request.status == LinkRequest.Status.APPROVED:
        return _("Linked. The resident now sees their household.")
    return _("Request rejected; the resident sees your reason.")
