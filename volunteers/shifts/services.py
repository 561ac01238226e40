"""Shifts and sign-ups, with the guarantees of activity sign-ups.

Every change that can add or free a confirmed place (sign-up, cancellation) first locks the
shift's row with SELECT … FOR UPDATE, so changes to one shift happen one after another and
each counts what the previous ones committed: never more confirmed than places needed, and
the waiting list moves in order. The partial unique constraint keeps one active sign-up per
volunteer and shift. Attendance after the shift proposes a service record (hours/services.py).
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.exceptions import Refused

from ..models import ServiceRecord, Shift, ShiftSignup, VolunteerNotice, VolunteerProfile
from ..notify import notice_create


def signup_refusal(shift, user, now):
    if not user.is_authenticated or not user.is_volunteer:
        return _("Only approved volunteers can sign up for shifts. Apply on the volunteers page.")
    if shift.cancelled:
        return _("This shift has been called off.")
    if shift.has_started(now):
        return _("This shift has already started; sign-up is closed.")
    return None


def _locked(shift):
    return Shift.objects.select_for_update().get(pk=shift.pk)


def shift_signup(*, shift, volunteer, now=None):
    """Confirmed while places are left, else on the waiting list. Raises Refused."""
    now = now or timezone.now()
    refusal = signup_refusal(shift, volunteer, now)
    if refusal:
        raise Refused(refusal)
    try:
        with transaction.atomic():
            shift = _locked(shift)
            refusal = signup_refusal(shift, volunteer, now)
            if refusal:
                raise Refused(refusal)
            confirmed = shift.signups.confirmed().count()
            last = shift.signups.aggregate(last=Max("position"))["last"] or 0
            return ShiftSignup.objects.create(
                shift=shift,
                volunteer=volunteer,
                status=(
                    ShiftSignup.Status.WAITLISTED
                    if confirmed >= shift.places_needed
                    else ShiftSignup.Status.CONFIRMED
                ),
                position=last + 1,
                created=now,
            )
    except IntegrityError:
        raise Refused(_("You are already signed up for this shift.")) from None


def waitlist_place(signup):
    if signup.status != ShiftSignup.Status.WAITLISTED:
        return None
    return signup.shift.signups.waitlisted().filter(position__lt=signup.position).count() + 1


def shift_cancel(*, signup, by, now=None):
    """Cancel a sign-up before the shift starts; a freed place goes to the first waiting.
    Returns the promoted sign-up, if any."""
    now = now or timezone.now()
    with transaction.atomic():
        shift = _locked(signup.shift)
        signup = ShiftSignup.objects.select_for_update().get(pk=signup.pk)
        if not signup.is_active:
            raise Refused(_("This sign-up was already cancelled."))
        if shift.has_started(now):
            raise Refused(_("This shift has started; tell its leader if you cannot come."))
        was_confirmed = signup.status == ShiftSignup.Status.CONFIRMED
        signup.status, signup.cancelled_at = ShiftSignup.Status.CANCELLED, now
        signup.save(update_fields=["status", "cancelled_at"])
        promoted = _fill_places(shift, now) if was_confirmed else []
    return promoted[0] if promoted else None


def _fill_places(shift, now):
    """Move the first waiting up while places are free. The caller holds the lock."""
    if shift.cancelled or shift.has_started(now):
        return []
    free = shift.places_needed - shift.signups.confirmed().count()
    promoted = list(shift.signups.waitlisted().select_related("volunteer")[: max(0, free)])
    for signup in promoted:
        signup.status, signup.promoted_at = ShiftSignup.Status.CONFIRMED, now
        signup.save(update_fields=["status", "promoted_at"])
        signup.shift = shift
        tell_shift_promoted(signup)
    return promoted


def _when(shift):
    return f"{date_format(shift.date, 'SHORT_DATE_FORMAT')} {shift.starts:%H:%M}–{shift.ends:%H:%M}"


def tell_shift_promoted(signup):
    """A place came free: the volunteer is confirmed now. The switch point for messages."""
    shift = signup.shift
    notice_create(
        signup.volunteer,
        VolunteerNotice.Kind.SHIFT_PROMOTED,
        gettext_noop("A place came free: you are confirmed for “%(shift)s”, %(when)s, %(place)s."),
        {"shift": shift.opportunity.title, "when": _when(shift), "place": shift.place},
        reverse("volunteers:shift-detail", args=[shift.pk]),
    )


def tell_shift_reminder(signup):
    """The day before: a reminder of tomorrow's shift. The switch point for messages."""
    shift = signup.shift
    notice_create(
        signup.volunteer,
        VolunteerNotice.Kind.SHIFT_REMINDER,
        gettext_noop(
            "Tomorrow: “%(shift)s”, %(when)s, %(place)s. If you cannot come, please cancel."
        ),
        {"shift": shift.opportunity.title, "when": _when(shift), "place": shift.place},
        reverse("volunteers:shift-detail", args=[shift.pk]),
    )


# --- Attendance (after the shift): proposes a service record --------------------------


def attendance_mark(*, signup, attendance, by, now=None):
    """Record attended or no-show for a confirmed sign-up, once the shift has started.

    Attended proposes a service record with the shift's hours (waiting for verification);
    a no-show is recorded and withdraws a proposal not yet decided.
    """
    now = now or timezone.now()
    with transaction.atomic():
        signup = (
            ShiftSignup.objects.select_for_update()
            .select_related("shift__opportunity")
            .get(pk=signup.pk)
        )
        shift = signup.shift
        if signup.status != ShiftSignup.Status.CONFIRMED:
            raise Refused(_("Only confirmed sign-ups can be marked."))
        if not shift.has_started(now):
            raise Refused(_("Attendance can be recorded once the shift has started."))
        record = ServiceRecord.objects.filter(signup=signup).first()
        if record is not None and record.status != ServiceRecord.Status.PENDING:
            raise Refused(_("The hours of this sign-up were already decided."))
        signup.attendance, signup.attendance_by, signup.attendance_at = attendance, by, now
        signup.save(update_fields=["attendance", "attendance_by", "attendance_at"])
        if attendance == ShiftSignup.Attendance.ATTENDED and record is None:
            ServiceRecord.objects.create(
                volunteer=signup.volunteer,
                signup=signup,
                centre=shift.opportunity.centre,
                neighbourhood=shift.opportunity.neighbourhood,
                date=shift.date,
                description=shift.opportunity.title,
                claimed_hours=shift.hours,
                created=now,
            )
        elif attendance == ShiftSignup.Attendance.NO_SHOW and record is not None:
            record.delete()
    return signup


# --- Reminders (manage.py send_shift_reminders, from run_jobs) -------------------------


def reminders_due(today):
    """Confirmed sign-ups of tomorrow's shifts not yet reminded."""
    return ShiftSignup.objects.filter(
        status=ShiftSignup.Status.CONFIRMED,
        reminded_at__isnull=True,
        shift__cancelled=False,
        shift__date=today + datetime.timedelta(days=1),
    ).select_related("shift__opportunity", "volunteer")


def reminder_send(signup, now):
    """Once: the conditional UPDATE claims the reminder before it is told."""
    with transaction.atomic():
        claimed = ShiftSignup.objects.filter(pk=signup.pk, reminded_at__isnull=True).update(
            reminded_at=now
        )
        if claimed:
            tell_shift_reminder(signup)
    return bool(claimed)


# --- Reading -------------------------------------------------------------------------


def open_opportunities(today=None):
    """Active opportunities, each with its coming shifts (three queries in all)."""
    from django.db.models import Prefetch

    from ..models import Opportunity

    today = today or timezone.localdate()
    shifts = Shift.objects.upcoming(today).filter(cancelled=False).with_counts()
    return list(
        Opportunity.objects.active()
        .select_related("centre", "neighbourhood")
        .prefetch_related(Prefetch("shifts", queryset=shifts, to_attr="coming_shifts"))
    )


def profile_of(user):
    if not user.is_authenticated:
        return None
    return (
        VolunteerProfile.objects.filter(user=user).select_related("centre", "neighbourhood").first()
    )
