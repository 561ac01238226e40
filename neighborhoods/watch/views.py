"""Daily-watch pages (日看窗帘夜看灯): the board, one alert, enrolment on a household page."""

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.models import AccessLog
from portal.permissions import staff_required

from ..models import WatchEnrolment, watch_today
from ..permissions import (
    get_alert_for_user,
    get_enrolment_for_user,
    get_household_for_user,
)
from .forms import AlertCloseForm, WatchEnrolForm, WatchMarkForm
from .services import (
    WatchNotOpen,
    board_rows,
    open_alerts,
    watch_alert_close,
    watch_candidates,
    watch_enrol,
    watch_mark,
    watch_unenrol,
)


def _board_url(whole, enrolment_pk=None):
    url = reverse("neighborhoods:watch-board") + ("?all=1" if whole else "")
    return url + (f"#watch-{enrolment_pk}" if enrolment_pk else "")


@require_safe
@staff_required
def watch_board(request):
    now = timezone.now()
    whole = request.GET.get("all") == "1" or not request.user.worker
    context = {
        "now": now,
        "today": watch_today(now),
        "whole": whole,
        "rows": board_rows(request.user, now=now, whole_neighbourhood=whole),
        "alerts": open_alerts(request.user),
        "candidates": list(watch_candidates(request.user, whole_neighbourhood=whole)[:20]),
    }
    return render(request, "neighborhoods/watch_board.html", context)


@require_POST
@staff_required
def watch_mark_view(request, pk):
    enrolment = get_enrolment_for_user(request.user, pk)
    whole = request.POST.get("all") == "1"
    form = WatchMarkForm(request.POST)
    if not form.is_valid():
        # The buttons send fixed values: anything else is not a tap on the board.
        return HttpResponseBadRequest(_("Unknown check or status."))
    if not enrolment.active:
        messages.error(request, _("This household is no longer on the daily watch."))
        return redirect(_board_url(whole))
    try:
        check = watch_mark(enrolment=enrolment, by=request.user, **form.cleaned_data)
    except WatchNotOpen as refusal:
        messages.error(request, str(refusal))
        return redirect(_board_url(whole, enrolment.pk))
    if check.status == check.Status.NOT_SEEN:
        messages.warning(
            request,
            _("%(household)s: alert opened. Phone or visit now.")
            % {"household": enrolment.household},
        )
    else:
        messages.success(request, _("%(household)s: seen.") % {"household": enrolment.household})
    return redirect(_board_url(whole, enrolment.pk))


@require_http_methods(["GET", "POST"])
@staff_required
def alert_detail(request, pk):
    alert = get_alert_for_user(request.user, pk)
    household = alert.watch_check.enrolment.household
    form = AlertCloseForm(request.POST or None)
    if request.method == "POST" and alert.is_open and form.is_valid():
        if watch_alert_close(alert=alert, by=request.user, **form.cleaned_data) is None:
            # A colleague closed it between the page and the tap: their record stands.
            messages.info(request, _("This alert was already closed."))
            return redirect("neighborhoods:alert-detail", pk=alert.pk)
        messages.success(request, _("Alert closed. Thank you."))
        return redirect("neighborhoods:watch-board")
    if request.method == "POST" and not alert.is_open:
        messages.info(request, _("This alert was already closed."))
        return redirect("neighborhoods:alert-detail", pk=alert.pk)
    AccessLog.objects.create(user=request.user, household=household, path=request.path)
    context = {
        "alert": alert,
        "household": household,
        "members": household.residents.present(),
        "form": form,
        "now": timezone.now(),
    }
    return render(
        request, "neighborhoods/alert_detail.html", context, status=400 if form.errors else 200
    )


@require_POST
@staff_required
def watch_enrol_view(request, pk):
    household = get_household_for_user(request.user, pk)
    form = WatchEnrolForm(request.POST)
    if not form.is_valid():
        context = {"household": household, "form": form}
        return render(request, "neighborhoods/watch_enrol.html", context, status=400)
    watch_enrol(household=household, by=request.user, **form.cleaned_data)
    messages.success(request, _("On the daily watch from now."))
    return redirect(reverse("neighborhoods:household-detail", args=[household.pk]) + "#watch")


@require_POST
@staff_required
def watch_unenrol_view(request, pk):
    household = get_household_for_user(request.user, pk)
    enrolment = WatchEnrolment.objects.filter(household=household, active=True).first()
    if enrolment:
        watch_unenrol(enrolment=enrolment)
        messages.success(request, _("Taken off the daily watch. The history is kept."))
    return redirect(reverse("neighborhoods:household-detail", args=[household.pk]) + "#watch")
