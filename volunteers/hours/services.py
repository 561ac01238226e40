"""Service records: submitted or proposed, verified, adjusted with a reason, or rejected.
Only verified hours count: for the totals, the star tier, recognitions and the export."""

import io
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.exceptions import Refused

from ..models import ServiceRecord, StarTier, VolunteerNotice, VolunteerProfile
from ..notify import notice_create


def record_submit(*, volunteer, date, hours, description, now=None):
    """A record of service outside a shift, for the staff of the volunteer's centre or
    neighbourhood to verify."""
    profile = VolunteerProfile.objects.approved().filter(user=volunteer).first()
    if profile is None:
        raise Refused(_("Only approved volunteers can record service."))
    return ServiceRecord.objects.create(
        volunteer=volunteer,
        centre=profile.centre,
        neighbourhood=profile.neighbourhood,
        date=date,
        claimed_hours=hours,
        description=description,
        created=now or timezone.now(),
    )


def _decide(record, by, now, *, status, hours=None, reason=""):
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != ServiceRecord.Status.PENDING:
        raise Refused(_("This record was already decided."))
    record.status, record.hours, record.reason = status, hours, reason
    record.decided_by, record.decided_at = by, now or timezone.now()
    record.save(update_fields=["status", "hours", "reason", "decided_by", "decided_at"])
    return record


@transaction.atomic
def record_verify(*, record, by, now=None):
    record = _decide(
        record, by, now, status=ServiceRecord.Status.VERIFIED, hours=record.claimed_hours
    )
    tell_record_verified(record)
    return record


@transaction.atomic
def record_adjust(*, record, by, hours, reason, now=None):
    """Verify with other hours than proposed; the reason is told to the volunteer."""
    if not reason.strip():
        raise Refused(_("Please give the reason for the change of hours."))
    record = _decide(
        record, by, now, status=ServiceRecord.Status.VERIFIED, hours=hours, reason=reason.strip()
    )
    tell_record_adjusted(record)
    return record


@transaction.atomic
def record_reject(*, record, by, reason, now=None):
    if not reason.strip():
        raise Refused(_("Please give the reason for rejecting the record."))
    record = _decide(record, by, now, status=ServiceRecord.Status.REJECTED, reason=reason.strip())
    tell_record_rejected(record)
    return record


def _facts(record):
    return {"date": f"{record.date:%Y-%m-%d}", "what": record.description}


def tell_record_verified(record):
    notice_create(
        record.volunteer,
        VolunteerNotice.Kind.RECORD_VERIFIED,
        gettext_noop("%(hours)s hours verified: %(what)s on %(date)s."),
        {**_facts(record), "hours": _hours(record.hours)},
        reverse("volunteers:me"),
    )


def tell_record_adjusted(record):
    notice_create(
        record.volunteer,
        VolunteerNotice.Kind.RECORD_ADJUSTED,
        gettext_noop(
            "%(what)s on %(date)s: verified as %(hours)s hours instead of %(claimed)s (%(reason)s)."
        ),
        {
            **_facts(record),
            "hours": _hours(record.hours),
            "claimed": _hours(record.claimed_hours),
            "reason": record.reason,
        },
        reverse("volunteers:me"),
    )


def tell_record_rejected(record):
    notice_create(
        record.volunteer,
        VolunteerNotice.Kind.RECORD_REJECTED,
        gettext_noop("%(what)s on %(date)s was not verified: %(reason)s"),
        {**_facts(record), "reason": record.reason},
        reverse("volunteers:me"),
    )


def _hours(value):
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


# --- Totals and tiers ------------------------------------------------------------------


def verified_hours(user, year=None):
    records = ServiceRecord.objects.filter(volunteer=user)
    if year is not None:
        records = records.in_year(year)
    return records.total_hours()


def tier_standing(total):
    """(tier reached or None, next tier or None, hours still needed for it)."""
    tiers = list(StarTier.objects.order_by("min_hours"))
    reached = [t for t in tiers if total >= t.min_hours]
    ahead = [t for t in tiers if total < t.min_hours]
    tier = reached[-1] if reached else None
    following = ahead[0] if ahead else None
    needed = Decimal(following.min_hours) - total if following else None
    return tier, following, needed


def tier_for(total, tiers):
    """The tier of `total` hours among `tiers` (ascending), without a query."""
    reached = [t for t in tiers if total >= t.min_hours]
    return reached[-1] if reached else None


# --- The year's hours per volunteer (ranking, export) --------------------------------


def year_totals(records, year):
    """Verified hours and attended shifts per volunteer in `year`, most hours first."""
    return list(
        records.verified()
        .in_year(year)
        .values("volunteer")
        .annotate(hours=Sum("hours"), shifts=Count("signup"), records=Count("pk"))
        .order_by("-hours", "volunteer")
    )


def year_export_xlsx(records, year):
    """The year's verified hours per volunteer, as an xlsx for the municipal volunteer
    system (上海志愿者网): name, mobile number, centre or neighbourhood, hours, shifts."""
    from django.contrib.auth import get_user_model
    from openpyxl import Workbook

    totals = year_totals(records, year)
    users = get_user_model().objects.in_bulk([t["volunteer"] for t in totals])
    profiles = {
        p.user_id: p
        for p in VolunteerProfile.objects.filter(user__in=users).select_related(
            "centre", "neighbourhood"
        )
    }
    book = Workbook()
    sheet = book.active
    sheet.title = str(year)
    sheet.append(
        [
            _("Name"),
            _("Mobile number"),
            _("Centre or neighbourhood"),
            _("Verified hours"),
            _("Shifts attended"),
            _("Records"),
        ]  # fmt: skip
    )
    for total in totals:
        user, profile = users[total["volunteer"]], profiles.get(total["volunteer"])
        sheet.append(
            [
                user.get_full_name() or user.get_username(),
                getattr(user, "phone", "") or "",
                str(profile.place) if profile and profile.place else "",
                float(total["hours"]),
                total["shifts"],
                total["records"],
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), len(totals), list(users)
