"""Opportunities and shifts: the list, one shift with sign-up, attendance after it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.exceptions import Refused

from ..applications.services import application_refusal
from ..models import Opportunity, ShiftSignup
from ..permissions import (
    can_run_shift,
    get_my_signup,
    get_run_shift_for_user,
    get_shift_for_user,
    get_signup_for_runner,
)
from . import services
from .forms import AttendanceForm


@require_safe
def opportunity_list(request):
    user = request.user
    context = {
        "opportunities": services.open_opportunities(),
        "profile": services.profile_of(user),
        "can_apply": user.is_authenticated
        and user.resident is not None
        and application_refusal(user) is None,
    }
    return render(request, "volunteers/opportunity_list.html", context)


@require_safe
def opportunity_detail(request, pk):
    opportunity = get_object_or_404(
        Opportunity.objects.select_related("centre", "neighbourhood"), pk=pk
    )
    shifts = opportunity.shifts.upcoming().filter(cancelled=False).with_counts()
    context = {
        "opportunity": opportunity,
        "shifts": shifts,
        "profile": services.profile_of(request.user),
    }
    return render(request, "volunteers/opportunity_detail.html", context)


@require_safe
def shift_detail(request, pk):
    shift = get_shift_for_user(request.user, pk)
    now = timezone.now()
    signup = get_my_signup(request.user, shift)
    context = {
        "shift": shift,
        "signup": signup,
        "waitlist_place": services.waitlist_place(signup) if signup else None,
        "refusal": services.signup_refusal(shift, request.user, now),
        "started": shift.has_started(now),
        "can_run": can_run_shift(request.user, shift),
        "places_left": max(0, shift.places_needed - shift.confirmed_count),
    }
    return render(request, "volunteers/shift_detail.html", context)


@require_POST
@login_required
def shift_signup(request, pk):
    shift = get_shift_for_user(request.user, pk)
    try:
        signup = services.shift_signup(shift=shift, volunteer=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(shift)
    if signup.status == ShiftSignup.Status.CONFIRMED:
        messages.success(request, _("You are signed up for this shift. Thank you!"))
    else:
        messages.info(
            request,
            _("The shift is full: you are on the waiting list (number %(place)d).")
            % {"place": services.waitlist_place(signup)},
        )
    return redirect(shift)


@require_POST
@login_required
def shift_cancel(request, pk):
    shift = get_shift_for_user(request.user, pk)
    signup = get_my_signup(request.user, shift)
    if signup is None:
        messages.info(request, _("You are not signed up for this shift."))
        return redirect(shift)
    try:
        services.shift_cancel(signup=signup, by=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(shift)
    messages.success(request, _("Your sign-up is cancelled. Thank you for telling us."))
    return redirect(shift)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def shift_attendance(request, pk):
    """The leader's or staff's list after the shift: attended or no-show, one tap each."""
    shift, signups = get_run_shift_for_user(request.user, pk, audit=request)
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(_("Unknown sign-up or attendance."))
        signup = get_signup_for_runner(request.user, shift, form.cleaned_data["signup"])
        try:
            services.attendance_mark(
                signup=signup, attendance=form.cleaned_data["attendance"], by=request.user
            )
        except Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, _("%(name)s: recorded.") % {"name": signup.volunteer.get_full_name()}
            )
        return redirect("volunteers:shift-attendance", pk=shift.pk)
    context = {"shift": shift, "signups": signups, "started": shift.has_started()}
    return render(request, "volunteers/shift_attendance.html", context)
