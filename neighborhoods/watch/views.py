"""Daily-watch pages (日看窗帘夜看灯): the board, one alert, enrolment on a household page."""

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.exceptions import Refused
from portal.params import object_id
from portal.permissions import staff_required, volunteer_required

from ..family.services import family_told_of_alert
from ..models import WatchAlert, WatchEnrolment, watch_today
from ..models.watch import not_open_message
from ..permissions import (
    get_alert_for_user,
    get_assigned_enrolment_for_volunteer,
    get_enrolment_for_user,
    get_household_for_user,
    get_volunteer_watch_for_user,
    get_watch_assignments_for_user,
    get_watch_board_for_user,
)
from ..register.forms import NeighbourhoodChoiceForm, neighbourhood_choice_for
from .forms import (
    AlertCloseForm,
    AlertStepForm,
    WatchAssignForm,
    WatchEnrolForm,
    WatchMarkForm,
    WatchStopForm,
)
from .rows import BoardWriter
from .services import (
    WatchNotOpen,
    watch_alert_close,
    watch_alert_step_add,
    watch_assign,
    watch_enrol,
    watch_mark,
    watch_resume,
    watch_unenrol,
)


def _board_url(whole, enrolment_pk=None, todo=False, refused=None):
    """The board again, at the row just tapped; `refused`: the check that could not be marked
    (the row then says why, where the tap was, not only at the top of a long page)."""
    parts = [("all=1", whole), ("todo=1", todo)]
    if refused and enrolment_pk:
        parts += [(f"refused={refused}", True), (f"row={enrolment_pk}", True)]
    query = "&".join(part for part, on in parts if on)
    url = reverse("neighborhoods:watch-board") + (f"?{query}" if query else "")
    return url + (f"#watch-{enrolment_pk}" if enrolment_pk else "")


def _mark_refusal(rows, params):
    """Put the refusal of a tap (?refused=day&row=<enrolment>) on that row's cell."""
    row_pk, kind = object_id(params.get("row")), params.get("refused")
    for row in rows:
        if row.enrolment.pk == row_pk:
            for cell in row.cells:
                if cell.kind == kind:
                    cell.refusal = not_open_message(kind, row.household.building.neighbourhood)


@require_safe
@staff_required
def watch_board(request):
    now, user = timezone.now(), request.user
    whole = request.GET.get("all") == "1" or not user.worker
    # A district admin's board spans every neighbourhood: they may narrow it to one.
    form = NeighbourhoodChoiceForm(request.GET or None, user=user, empty_label=_("Whole district"))
    neighbourhood = form.chosen() if user.is_district_admin else None
    context = {
        "now": now,
        "today": watch_today(now),
        "whole": whole,
        "many_neighbourhoods": user.is_district_admin and neighbourhood is None,
        "neighbourhood_form": form if user.is_district_admin else None,
        "neighbourhood": neighbourhood,
        **get_watch_board_for_user(
            user, now=now, whole_neighbourhood=whole, neighbourhood=neighbourhood, audit=request
        ),  # rows, alerts, candidates
    }
    # "还需查看 N 户": only the households whose check of now is still to do.
    to_check = [row for row in context["rows"] if row.still_to_check]
    context.update(todo=request.GET.get("todo") == "1", rows_total=len(context["rows"]))
    context["to_check_count"] = len(to_check)
    _mark_refusal(context["rows"], request.GET)
    if context["todo"]:
        context["rows"] = to_check
    context["rows_html"] = BoardWriter(
        request,
        today=context["today"],
        whole=whole,
        todo=context["todo"],
        many_neighbourhoods=context["many_neighbourhoods"],
    ).rows(context["rows"])
    return render(request, "neighborhoods/watch_board.html", context)


@require_POST
@staff_required
def watch_mark_view(request, pk):
    enrolment = get_enrolment_for_user(request.user, pk)
    whole, todo = request.POST.get("all") == "1", request.POST.get("todo") == "1"
    form = WatchMarkForm(request.POST)
    if not form.is_valid():
        # The buttons send fixed values: anything else is not a tap on the board.
        return HttpResponseBadRequest(_("Unknown check or status."))
    if not enrolment.active:
        messages.error(request, _("This household is no longer on the daily watch."))
        return redirect(_board_url(whole))
    try:
        check = watch_mark(enrolment=enrolment, by=request.user, **form.cleaned_data)
    except WatchNotOpen:
        kind = form.cleaned_data["kind"]
        return redirect(_board_url(whole, enrolment.pk, todo, refused=kind))
    if check.status == check.Status.NOT_SEEN:
        messages.warning(
            request,
            _("%(household)s: alert opened. Phone or visit now.")
            % {"household": enrolment.household},
        )
    else:
        messages.success(request, _("%(household)s: seen.") % {"household": enrolment.household})
    return redirect(_board_url(whole, enrolment.pk, todo))


def _alert_page(request, alert, *, step_form=None, close_form=None, unsaved="", status=200):
    """The alert page: who to call, the steps so far, and the step and close forms.

    `unsaved` is what someone typed that could not be saved (the alert was closed
    meanwhile): shown back to them, never dropped silently.
    """
    household = alert.watch_check.enrolment.household
    context = {
        "alert": alert,
        "household": household,
        "members": household.residents.present(),
        "steps": alert.steps.select_related("by"),
        "step_form": step_form or AlertStepForm(),
        "close_form": close_form or AlertCloseForm(),
        "unsaved": unsaved,
        "now": timezone.now(),
        "family_told": family_told_of_alert(alert),  # from the Message and Delivery records
    }
    return render(request, "neighborhoods/alert_detail.html", context, status=status)


def _alert_closed_meanwhile(request, alert, refusal, typed):
    """Someone closed it between the page and the tap: their record stands, and what
    this person typed is shown back to them, not dropped silently."""
    alert.refresh_from_db()
    messages.warning(request, str(refusal))
    return _alert_page(request, alert, unsaved=typed, status=409)


def _typed(data, *fields):
    """What was typed in a form that cannot be saved, as one line to show back."""
    labels = dict(WatchAlert.Outcome.choices)
    values = [labels.get(data.get(f, ""), data.get(f, "")).strip() for f in fields]
    return " · ".join(v for v in values if v)


@require_safe
@staff_required
def alert_detail(request, pk):
    return _alert_page(request, get_alert_for_user(request.user, pk, audit=request))


@require_POST
@staff_required
def alert_step_create(request, pk):
    alert = get_alert_for_user(request.user, pk, audit=request)
    form = AlertStepForm(request.POST)
    try:
        if not alert.is_open:
            raise Refused(_("This alert was already closed; the step was not recorded."))
        if not form.is_valid():
            return _alert_page(request, alert, step_form=form, status=400)
        step = watch_alert_step_add(alert=alert, by=request.user, **form.cleaned_data)
    except Refused as refusal:
        return _alert_closed_meanwhile(request, alert, refusal, _typed(request.POST, "note"))
    messages.success(
        request,
        _("Recorded: %(step)s, %(time)s.")
        % {"step": step.get_kind_display(), "time": localtime(step.at).strftime("%H:%M")},
    )
    return redirect(reverse("neighborhoods:alert-detail", args=[alert.pk]) + "#timeline")


@require_POST
@staff_required
def alert_close(request, pk):
    """Idempotent: closing a closed alert changes nothing and says who closed it."""
    alert = get_alert_for_user(request.user, pk, audit=request)
    form = AlertCloseForm(request.POST)
    try:
        if not alert.is_open:
            raise Refused(_("This alert was already closed."))
        if not form.is_valid():
            return _alert_page(request, alert, close_form=form, status=400)
        watch_alert_close(alert=alert, by=request.user, **form.cleaned_data)
    except Refused as refusal:
        alert.refresh_from_db()
        if alert.is_open:  # no step on record yet
            form.add_error(None, str(refusal))
            return _alert_page(request, alert, close_form=form, status=400)
        typed = _typed(request.POST, "outcome", "note")
        return _alert_closed_meanwhile(request, alert, refusal, typed)
    messages.success(request, _("Alert closed. Thank you."))
    return redirect("neighborhoods:watch-board")


@require_POST
@staff_required
def watch_enrol_view(request, pk):
    household = get_household_for_user(request.user, pk, audit=None)  # address only
    form = WatchEnrolForm(request.POST)
    if not form.is_valid():
        context = {"household": household, "form": form}
        return render(request, "neighborhoods/watch_enrol.html", context, status=400)
    watch_enrol(household=household, by=request.user, **form.cleaned_data)
    messages.success(request, _("On the daily watch from now."))
    return redirect(reverse("neighborhoods:household-detail", args=[household.pk]) + "#watch")


def _watch_section(household):
    return redirect(reverse("neighborhoods:household-detail", args=[household.pk]) + "#watch")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def watch_unenrol_view(request, pk):
    """Taking someone off the watch asks why first (入住养老机构, 去世, 家人同住, 其他)."""
    household = get_household_for_user(request.user, pk, audit=None)  # address only
    enrolment = WatchEnrolment.objects.filter(household=household, active=True).first()
    if enrolment is None:
        messages.info(request, _("This household is not on the daily watch."))
        return _watch_section(household)
    form = WatchStopForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            watch_unenrol(enrolment=enrolment, by=request.user, **form.cleaned_data)
        except Refused as refusal:
            messages.info(request, str(refusal))
            return _watch_section(household)
        messages.success(
            request, _("Taken off the daily watch. The history is kept; undo within 24 hours.")
        )
        return _watch_section(household)
    context = {"household": household, "enrolment": enrolment, "form": form}
    status = 400 if form.errors else 200
    return render(request, "neighborhoods/watch_stop.html", context, status=status)


@require_POST
@staff_required
def watch_resume_view(request, pk):
    household = get_household_for_user(request.user, pk, audit=None)  # redirects only
    enrolment = WatchEnrolment.objects.filter(household=household).first()
    if enrolment is None:
        messages.info(request, _("This household is not on the daily watch."))
        return _watch_section(household)
    try:
        watch_resume(enrolment=enrolment, by=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return _watch_section(household)
    messages.success(request, _("Back on the daily watch, with the same emergency contact."))
    return _watch_section(household)


# --- Volunteers helping the watch ------------------------------------------------------


@require_safe
@volunteer_required
def volunteer_watch(request):
    """A volunteer's phone page: their assigned households, curtains and lights."""
    now = timezone.now()
    rows = get_volunteer_watch_for_user(request.user, now=now, audit=request)
    context = {"rows": rows, "today": watch_today(now)}
    return render(request, "neighborhoods/volunteer_watch.html", context)


@require_POST
@volunteer_required
def volunteer_watch_mark(request, pk):
    enrolment = get_assigned_enrolment_for_volunteer(request.user, pk)
    form = WatchMarkForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown check or status."))
    try:
        check = watch_mark(enrolment=enrolment, by=request.user, **form.cleaned_data)
    except WatchNotOpen as refusal:
        messages.error(request, str(refusal))
        return redirect(reverse("neighborhoods:volunteer-watch") + f"#watch-{enrolment.pk}")
    if check.status == check.Status.NOT_SEEN:
        messages.warning(
            request, _("Thank you. The residents' committee is alerted and will follow up now.")
        )
    else:
        messages.success(request, _("Thank you: marked as seen."))
    return redirect(reverse("neighborhoods:volunteer-watch") + f"#watch-{enrolment.pk}")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def watch_volunteers(request):
    """Which volunteer helps with which watched household; give one more. A district
    admin sees one neighbourhood at a time (29,000 watched households and 5,000 volunteers
    as choices made a 1.5 MB page)."""
    choice, neighbourhood = neighbourhood_choice_for(request)
    form = WatchAssignForm(request.POST or None, user=request.user, neighbourhood=neighbourhood)
    if request.method == "POST" and form.is_valid():
        try:
            watch_assign(by=request.user, **form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The volunteer can mark this household now."))
            return redirect(request.get_full_path())
    assignments = get_watch_assignments_for_user(request.user)
    if neighbourhood is not None:
        in_it = {"enrolment__household__building__neighbourhood": neighbourhood}
        assignments = assignments.filter(**in_it)
    context = {"form": form, "assignments": assignments, "neighbourhood_form": choice}
    return render(
        request, "neighborhoods/watch_volunteers.html", context, status=400 if form.errors else 200
    )


@require_POST
@staff_required
def watch_volunteer_remove(request, pk):
    assignment = get_object_or_404(get_watch_assignments_for_user(request.user), pk=pk)
    assignment.delete()
    messages.success(request, _("Removed."))
    return redirect("neighborhoods:watch-volunteers")
