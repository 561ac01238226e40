"""Activities (活动): the public list and page with sign-up, calendars, and the staff's side
(a centre's workspace /centres/<id>/manage/, a committee's /staff/activities/, and each
activity's sign-ups, check-in, sign-in sheet and CSV)."""

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.exceptions import Refused
from portal.files import private_file_response
from portal.pagecache import visitor_page
from portal.permissions import staff_required
from portal.redirects import next_url

from ..models import Activity, Centre, Neighbourhood, SignUp
from ..permissions import (
    get_activity_for_user,
    get_managed_activity_for_user,
    get_managed_centre_for_user,
    get_managed_signup_for_user,
)
from ..register.forms import neighbourhood_choice_for
from . import calendar, services
from .forms import (
    ActivityFilterForm,
    ActivityForm,
    BehalfSearchForm,
    BehalfSignupForm,
    CheckinForm,
)

ACTIVITIES_PER_PAGE = 20
WORKSPACE_PAST_DAYS = 60
# Empty rows at the foot of the sign-in sheet, for people who come without signing up.
SHEET_BLANK_ROWS = 5


# --- Public: list, page, sign-up, cancel ------------------------------------------------


@require_safe
@visitor_page
def activity_list(request):
    now = timezone.now()
    form = ActivityFilterForm(request.GET or None)
    activities = Activity.objects.published().upcoming(now).for_list()
    if form.is_bound and form.is_valid():
        activities = form.filter(activities, now)
    page = Paginator(activities, ACTIVITIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "nav_section": "activities"}
    return render(request, "neighborhoods/activity_list.html", context)


@require_safe
def activity_detail(request, pk):
    activity = get_activity_for_user(request.user, pk)
    now = timezone.now()
    signup = services.signup_of(activity, request.user)
    refusal = None
    if signup is None and request.user.is_authenticated:
        refusal = services.signup_refusal(activity, services.person_of(request.user), now)
    context = {
        "activity": activity,
        "signup": signup,
        "waitlist_place": services.waitlist_place(signup) if signup else None,
        "can_cancel": signup is not None and signup.can_cancel(now),
        "refusal": refusal,
        "is_open": activity.is_open(now),
        "can_manage": Activity.objects.managed_by(request.user).filter(pk=pk).exists(),
        "nav_section": "activities",
    }
    return render(request, "neighborhoods/activity_detail.html", context)


@require_POST
@login_required
def activity_signup(request, pk):
    activity = get_activity_for_user(request.user, pk)
    try:
        signup = services.signup_create(activity=activity, user=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(activity)
    if signup.status == SignUp.Status.CONFIRMED:
        messages.success(request, _("You are signed up. See you there!"))
    else:
        messages.info(
            request,
            _("The activity is full: you are on the waiting list (number %(place)d).")
            % {"place": services.waitlist_place(signup)},
        )
    return redirect(activity)


@require_POST
@login_required
def activity_cancel(request, pk):
    """Cancel my own sign-up (before the cancellation deadline)."""
    activity = get_activity_for_user(request.user, pk)
    signup = services.signup_of(activity, request.user)
    if signup is None:
        messages.info(request, _("You are not signed up for this activity."))
        return redirect(activity)
    try:
        services.signup_cancel(signup=signup, by=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Your sign-up is cancelled. Thank you for telling us."))
    return redirect(next_url(request, activity))


@require_safe
def activity_photo(request, pk):
    return private_file_response(get_activity_for_user(request.user, pk).photo)


@require_safe
def activity_photo_thumb(request, pk):
    activity = get_activity_for_user(request.user, pk)
    return private_file_response(activity.thumbnail or activity.photo)


# --- Calendars --------------------------------------------------------------------------


@require_safe
def activity_calendar(request, pk):
    activity = get_activity_for_user(request.user, pk)
    feed = calendar.calendar_for([activity], activity.title)
    return calendar.ics_response(feed, f"activity-{activity.pk}.ics")


@require_safe
def centre_calendar(request, pk):
    centre = get_object_or_404(Centre, pk=pk)
    feed = calendar.calendar_for(calendar.feed_activities(centre=centre), centre.name)
    return calendar.ics_response(feed, f"centre-{centre.pk}.ics")


@require_safe
def neighbourhood_calendar(request, pk):
    neighbourhood = get_object_or_404(Neighbourhood, pk=pk)
    activities = calendar.feed_activities(neighbourhood=neighbourhood)
    feed = calendar.calendar_for(activities, neighbourhood.name)
    return calendar.ics_response(feed, f"neighbourhood-{neighbourhood.pk}.ics")


# --- Workspaces: a centre's, a committee's ----------------------------------------------


def _workspace_activities(**host):
    since = timezone.now() - datetime.timedelta(days=WORKSPACE_PAST_DAYS)
    return list(
        Activity.objects.filter(ends_at__gte=since, **host)
        .for_list()
        .with_attendance()
        .order_by("-starts_at")
    )


@require_safe
@login_required
def centre_manage(request, pk):
    centre = get_managed_centre_for_user(request.user, pk)
    context = {
        "centre": centre,
        "activities": _workspace_activities(centre=centre),
        "create_url": reverse("neighborhoods:centre-activity-create", args=[centre.pk]),
        "calendar_url": reverse("neighborhoods:centre-calendar", args=[centre.pk]),
    }
    return render(request, "neighborhoods/activity_workspace.html", context)


@require_safe
@staff_required
def staff_activity_list(request):
    """The committee's activities. A district admin sees one neighbourhood's at a time (the
    first by default): the district's 1,500 of the last weeks, with their sign-ups counted,
    took most of a second."""
    worker = request.user.worker
    choice, chosen = neighbourhood_choice_for(request)
    neighbourhood = worker.neighbourhood if worker else chosen
    context = {
        "neighbourhood": neighbourhood,
        "neighbourhood_form": choice,
        "activities": _workspace_activities(neighbourhood=neighbourhood),
        "create_url": reverse("neighborhoods:staff-activity-create") if worker else None,
        "calendar_url": reverse(
            "neighborhoods:neighbourhood-calendar", args=[worker.neighbourhood_id]
        )
        if worker
        else None,
        "nav_section": "staff",
    }
    return render(request, "neighborhoods/activity_workspace.html", context)


def _activity_form_page(request, form, *, host, back, activity=None):
    status = 400 if form.is_bound else 200
    context = {"form": form, "host": host, "back": back, "activity": activity}
    return render(request, "neighborhoods/activity_form.html", context, status=status)


def _create(request, *, centre=None, neighbourhood=None, back):
    form = ActivityForm(
        request.POST or None, request.FILES or None, centre=centre, neighbourhood=neighbourhood
    )
    if request.method == "POST" and form.is_valid():
        activity = services.activity_create(
            created_by=request.user,
            centre=centre,
            neighbourhood=neighbourhood,
            photo=form.cleaned_data["photo"],
            **form.activity_fields(),
        )
        messages.success(request, _("Activity published. Residents can now sign up."))
        return redirect("neighborhoods:activity-manage", activity.pk)
    return _activity_form_page(request, form, host=centre or neighbourhood, back=back)


@require_http_methods(["GET", "POST"])
@login_required
def centre_activity_create(request, pk):
    centre = get_managed_centre_for_user(request.user, pk)
    return _create(request, centre=centre, back=reverse("neighborhoods:centre-manage", args=[pk]))


@require_http_methods(["GET", "POST"])
@staff_required
def staff_activity_create(request):
    if request.user.worker is None:
        messages.info(request, _("District admins add a committee's activities in Django admin."))
        return redirect("neighborhoods:staff-activity-list")
    back = reverse("neighborhoods:staff-activity-list")
    return _create(request, neighbourhood=request.user.worker.neighbourhood, back=back)


def _workspace_url(activity):
    if activity.centre_id:
        return reverse("neighborhoods:centre-manage", args=[activity.centre_id])
    return reverse("neighborhoods:staff-activity-list")


@require_http_methods(["GET", "POST"])
@login_required
def activity_edit(request, pk):
    activity = get_managed_activity_for_user(request.user, pk)
    back = reverse("neighborhoods:activity-manage", args=[pk])
    if activity.is_cancelled:
        messages.info(request, _("This activity has been cancelled and can no longer be changed."))
        return redirect(back)
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        instance=activity,
        centre=activity.centre,
        neighbourhood=activity.neighbourhood,
    )
    if request.method == "POST" and form.is_valid():
        fields = form.activity_fields()
        activity.refresh_from_db()  # the form wrote its values on the instance; start clean
        try:
            services.activity_update(
                activity=activity, by=request.user, photo=form.cleaned_data["photo"], **fields
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Changes saved. Calendars that subscribed will update."))
            return redirect(back)
    return _activity_form_page(request, form, host=activity.host, back=back, activity=activity)


@require_http_methods(["GET", "POST"])
@login_required
def activity_call_off(request, pk):
    """Cancel the whole activity: everyone signed up is told."""
    activity = get_managed_activity_for_user(request.user, pk)
    if request.method == "POST":
        try:
            told = services.activity_cancel(activity=activity, by=request.user)
        except Refused as refusal:
            messages.info(request, str(refusal))
        else:
            messages.success(
                request,
                _("Activity cancelled. %(count)d people signed up are told on their page.")
                % {"count": told},
            )
        return redirect("neighborhoods:activity-manage", pk)
    people = activity.signups.active().count()
    return render(
        request, "neighborhoods/activity_call_off.html", {"activity": activity, "people": people}
    )


# --- One activity's sign-ups: list, on behalf, check-in, sheet, CSV ---------------------


def _manage_page(request, activity, *, search_form=None, status=200):
    signups = list(activity.signups.for_people_list().order_by("position", "pk"))
    search_form = search_form or BehalfSearchForm(request.GET or None)
    found = None
    if search_form.is_bound and search_form.is_valid() and search_form.cleaned_data["q"]:
        found = services.behalf_search(request.user, activity, search_form.cleaned_data["q"])
    context = {
        "activity": activity,
        "confirmed": [s for s in signups if s.status == SignUp.Status.CONFIRMED],
        "waitlisted": [s for s in signups if s.status == SignUp.Status.WAITLISTED],
        "cancelled": [s for s in signups if s.status == SignUp.Status.CANCELLED],
        "attended": sum(1 for s in signups if s.attended and s.status == SignUp.Status.CONFIRMED),
        "no_show": sum(
            1 for s in signups if s.attended is False and s.status == SignUp.Status.CONFIRMED
        ),
        "search_form": search_form,
        "found": found,
        "workspace_url": _workspace_url(activity),
        "now": timezone.now(),
    }
    return render(request, "neighborhoods/activity_manage.html", context, status=status)


@require_safe
@login_required
def activity_manage(request, pk):
    return _manage_page(request, get_managed_activity_for_user(request.user, pk))


@require_POST
@login_required
def activity_signup_behalf(request, pk):
    """Staff sign up a resident of their register who has no phone (recorded as made by them)."""
    activity = get_managed_activity_for_user(request.user, pk)
    form = BehalfSignupForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a resident from the search first."))
        return redirect("neighborhoods:activity-manage", pk)
    candidates = services.behalf_candidates(request.user, activity)
    resident = candidates.filter(pk=form.cleaned_data["resident"]).first()
    if resident is None:
        raise Http404
    try:
        signup = services.signup_create(
            activity=activity, user=resident.user, resident=resident, made_by=request.user
        )
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        text = (
            _("%(name)s is signed up.")
            if signup.status == SignUp.Status.CONFIRMED
            else _("The activity is full: %(name)s is on the waiting list.")
        )
        messages.success(request, text % {"name": resident.name})
    return redirect("neighborhoods:activity-manage", pk)


@require_POST
@login_required
def activity_signup_withdraw(request, pk, signup_pk):
    """Staff cancel someone's sign-up (they phoned in ill); the waiting list moves up."""
    activity = get_managed_activity_for_user(request.user, pk)
    signup = get_managed_signup_for_user(request.user, activity, signup_pk)
    try:
        promoted = services.signup_cancel(signup=signup, by=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Sign-up of %(name)s cancelled.") % {"name": signup.name})
        if promoted:
            messages.info(
                request,
                _("%(name)s moved up from the waiting list and is told.") % {"name": promoted.name},
            )
    return redirect("neighborhoods:activity-manage", pk)


def _checkin_page(request, activity, *, error_for=None, status=200):
    signups = activity.signups.confirmed().for_people_list().order_by("position", "pk")
    context = {
        "activity": activity,
        "signups": signups,
        "error_for": error_for,
        "counts": {
            "confirmed": len(signups),
            "came": sum(1 for s in signups if s.attended),
            "absent": sum(1 for s in signups if s.attended is False),
        },
    }
    return render(request, "neighborhoods/activity_checkin.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def activity_checkin(request, pk):
    """A phone-friendly list: one tap per person (came / did not come), one POST per row."""
    activity = get_managed_activity_for_user(request.user, pk)
    if request.method == "GET":
        return _checkin_page(request, activity)
    form = CheckinForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That did not work: please tap the person's button again."))
        return _checkin_page(request, activity, status=400)
    signup = get_managed_signup_for_user(request.user, activity, form.cleaned_data["signup"])
    try:
        services.checkin_mark(signup=signup, attended=form.attended_value(), by=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
    url = reverse("neighborhoods:activity-checkin", args=[pk])
    return redirect(f"{url}#signup-{signup.pk}")


@require_safe
@login_required
def activity_sheet(request, pk):
    """签到表: an A4 sign-in sheet with names, masked phones and an empty signature column."""
    activity = get_managed_activity_for_user(request.user, pk)
    signups = activity.signups.confirmed().for_people_list().order_by("position", "pk")
    context = {"activity": activity, "signups": signups, "blank_rows": range(SHEET_BLANK_ROWS)}
    return render(request, "neighborhoods/activity_sheet.html", context)


def _csv_cell(value):
    # A cell starting with = + - @ would be run as a formula by spreadsheet programs.
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_safe
@login_required
def activity_signups_csv(request, pk):
    activity = get_managed_activity_for_user(request.user, pk)
    signups = activity.signups.for_people_list().order_by("position", "pk")
    # UTF-8 with a byte-order mark, so that Excel on Windows reads the Chinese names.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}-signups.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [_("No."), _("Name"), _("Room"), _("Mobile"), _("Status"), _("Signed up at"),
         _("Signed up by"), _("Attended")]
    )  # fmt: skip
    attended = {True: _("Came"), False: _("Did not come"), None: ""}
    for number, signup in enumerate(signups, start=1):
        row = [
            number,
            signup.name,
            signup.room,
            signup.masked_phone,
            signup.get_status_display(),
            timezone.localtime(signup.created).strftime("%Y-%m-%d %H:%M"),
            signup.made_by or "",
            attended[signup.attended],
        ]
        writer.writerow([_csv_cell(cell) for cell in row])
    return response
