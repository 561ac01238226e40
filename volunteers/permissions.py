"""Who may see and do what with volunteers' rows: access helpers (404 when not visible).

The rule of scope is one: a row is held by a centre or a neighbourhood (its opportunity's,
or the volunteer's profile's); the centre's staff, the neighbourhood's committee staff and
district admins run it (models/scoping.py). Applications and records name a resident and
their skills and availability, so the helpers that hand them to staff record the access.
"""

from django.shortcuts import get_object_or_404

from portal.audit import Action, record_access

from .models import ServiceRecord, Shift, ShiftSignup, VolunteerProfile


def _household_ids(users):
    from neighborhoods.models import Resident

    return list(Resident.objects.filter(user__in=users).values_list("household_id", flat=True))


def get_shift_for_user(user, pk):
    """Shifts are public to read (like activities); 404 for an unknown id."""
    return get_object_or_404(
        Shift.objects.select_related(
            "opportunity__centre", "opportunity__neighbourhood", "leader"
        ).with_counts(),
        pk=pk,
    )


def can_run_shift(user, shift):
    """The shift's leader, the staff who hold its opportunity, district admins."""
    if not user.is_authenticated:
        return False
    if shift.leader_id == user.pk:
        return True
    return Shift.objects.held_by(user).filter(pk=shift.pk).exists()


def get_run_shift_for_user(user, pk, *, audit):
    """A shift whose attendance this user records, with its sign-ups; else 404."""
    shift = get_shift_for_user(user, pk)
    if not can_run_shift(user, shift):
        raise_404()
    signups = list(
        shift.signups.active().select_related("volunteer", "record").order_by("position")
    )
    record_access(
        audit,
        action=Action.VOLUNTEERS,
        households=_household_ids([s.volunteer_id for s in signups]),
    )
    return shift, signups


def raise_404():
    from django.http import Http404

    raise Http404


def get_application_for_user(user, pk, *, audit):
    profile = get_object_or_404(
        VolunteerProfile.objects.held_by(user).select_related(
            "user", "centre", "neighbourhood", "decided_by"
        ),
        pk=pk,
    )
    record_access(audit, action=Action.VOLUNTEERS, households=_household_ids([profile.user_id]))
    return profile


def get_applications_for_user(user, *, audit):
    """Pending applications this user decides, oldest first."""
    pending = list(
        VolunteerProfile.objects.held_by(user)
        .pending()
        .select_related("user", "centre", "neighbourhood")
        .order_by("applied_at", "pk")
    )
    record_access(
        audit, action=Action.VOLUNTEERS, households=_household_ids([p.user_id for p in pending])
    )
    return pending


def get_record_for_user(user, pk):
    return get_object_or_404(
        ServiceRecord.objects.held_by(user).select_related("volunteer", "signup__shift"), pk=pk
    )


def get_record_queue_for_user(user, *, audit, limit=100):
    """Records waiting for verification that this user decides, oldest first."""
    records = list(
        ServiceRecord.objects.held_by(user)
        .pending()
        .select_related("volunteer", "signup__shift__opportunity", "centre", "neighbourhood")
        .order_by("date", "pk")[:limit]
    )
    record_access(
        audit,
        action=Action.VOLUNTEERS,
        households=_household_ids({r.volunteer_id for r in records}),
    )
    return records


def get_my_signup(user, shift):
    if not user.is_authenticated:
        return None
    return shift.signups.active().filter(volunteer=user).first()


def get_signup_for_runner(user, shift, pk):
    return get_object_or_404(
        ShiftSignup.objects.active().select_related("volunteer"), shift=shift, pk=pk
    )


def get_year_export_for_user(user, year, *, audit):
    """The year's verified hours per volunteer the user's centre or neighbourhood holds, as
    an xlsx file (body); every volunteer's household in it is recorded."""
    from .hours.services import year_export_xlsx

    body, _rows, users = year_export_xlsx(ServiceRecord.objects.held_by(user), year)
    record_access(audit, action=Action.VOLUNTEERS, households=_household_ids(users))
    return body


def get_ranking_for_user(user, year, *, audit):
    """The recognitions' ranked list (verified hours in the year, shifts attended) of the
    volunteers the user runs; every volunteer's household in it is recorded."""
    from .recognitions.services import ranking

    rows = ranking(user, year)
    record_access(
        audit,
        action=Action.VOLUNTEERS,
        households=_household_ids([row["volunteer"].pk for row in rows]),
    )
    return rows
