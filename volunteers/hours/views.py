"""My volunteer record; records outside a shift; the staff's verification queue; export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from neighborhoods.models import WatchAssignment
from portal.exceptions import Refused
from portal.idempotency import post_once
from portal.permissions import any_staff_required, volunteer_required

from ..models import Certificate, Recognition, ServiceRecord, ShiftSignup, VolunteerNotice
from ..permissions import (
    get_record_for_user,
    get_record_queue_for_user,
    get_year_export_for_user,
)
from ..recognitions.forms import YearForm
from ..shifts.services import profile_of, waitlist_place
from . import services
from .forms import RecordDecisionForm, RecordForm

MY_RECORDS = 10  # the newest; the totals count them all


@require_safe
@login_required
def my_record(request):
    """/volunteers/me/: my shifts, records, hours, tier, recognitions, certificate."""
    user, now = request.user, timezone.now()
    year = timezone.localdate().year
    total = services.verified_hours(user)
    tier, next_tier, needed = services.tier_standing(total)
    signups = list(
        ShiftSignup.objects.active()
        .filter(volunteer=user)
        .select_related("shift__opportunity__centre", "shift__opportunity__neighbourhood")
        .order_by("shift__date", "shift__starts")
    )
    coming = [s for s in signups if not s.shift.is_over(now)]
    for signup in coming:
        signup.place_in_queue = waitlist_place(signup)
    context = {
        "profile": profile_of(user),
        "coming": coming,
        "records": ServiceRecord.objects.filter(volunteer=user)[:MY_RECORDS],
        "year": year,
        "year_hours": services.verified_hours(user, year),
        "total_hours": total,
        "tier": tier,
        "next_tier": next_tier,
        "needed": needed,
        "recognitions": Recognition.objects.filter(volunteer=user),
        "certificates": Certificate.objects.filter(volunteer=user, revoked=False),
        "notices": VolunteerNotice.objects.filter(user=user)[:10],
        "watch_households": WatchAssignment.objects.filter(
            volunteer=user, enrolment__active=True
        ).count(),
    }
    return render(request, "volunteers/my_record.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@volunteer_required
@post_once
def record_create(request):
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_submit(volunteer=request.user, **form.cleaned_data)
        except Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Recorded. Staff will verify your hours."))
        return redirect("volunteers:me")
    status = 400 if form.is_bound else 200
    return render(request, "volunteers/record_form.html", {"form": form}, status=status)


@require_safe
@any_staff_required
def record_queue(request):
    records = get_record_queue_for_user(request.user, audit=request)
    context = {"records": records, "form": RecordDecisionForm(), "year_form": YearForm()}
    return render(request, "volunteers/record_queue.html", context)


@require_POST
@any_staff_required
def record_decide(request, pk):
    record = get_record_for_user(request.user, pk)
    form = RecordDecisionForm(request.POST)
    if not form.is_valid():
        records = get_record_queue_for_user(request.user, audit=request)
        context = {"records": records, "form": form, "failed": record, "year_form": YearForm()}
        return render(request, "volunteers/record_queue.html", context, status=400)
    data = form.cleaned_data
    try:
        if data["action"] == "verify":
            services.record_verify(record=record, by=request.user)
        elif data["action"] == "adjust":
            services.record_adjust(
                record=record, by=request.user, hours=data["hours"], reason=data["reason"]
            )
        else:
            services.record_reject(record=record, by=request.user, reason=data["reason"])
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("%(name)s: decided.") % {"name": record.volunteer.get_full_name()}
        )
    return redirect("volunteers:record-queue")


@require_safe
@any_staff_required
def hours_export(request):
    """The year's verified hours per volunteer (xlsx) for the municipal volunteer system."""
    year = YearForm(request.GET or None).chosen()
    body = get_year_export_for_user(request.user, year, audit=request)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="volunteer-hours-{year}.xlsx"'
    return response
