"""Yearly recognitions (年度表彰) from a ranked list, and service certificates."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from portal.exceptions import Refused

from ..hours.services import tier_for, year_totals
from ..models import Certificate, Recognition, ServiceRecord, StarTier, VolunteerProfile


def ranking(user, year, limit=100):
    """The volunteers whose verified records this user holds, ranked by verified hours in
    `year` (then shifts attended), with their recognitions of the year and the star tier their
    cumulative verified hours (to the end of that year) reach. Five queries."""
    totals = year_totals(ServiceRecord.objects.held_by(user), year)[:limit]
    users = get_user_model().objects.in_bulk([t["volunteer"] for t in totals])
    cumulative = dict(
        ServiceRecord.objects.verified()
        .filter(volunteer__in=users, date__year__lte=year)
        .values("volunteer")
        .annotate(total=Sum("hours"))
        .values_list("volunteer", "total")
    )
    awards = {}
    for award in Recognition.objects.filter(volunteer__in=users, year=year):
        awards.setdefault(award.volunteer_id, []).append(award)
    tiers = list(StarTier.objects.order_by("min_hours"))
    rows = []
    for rank, total in enumerate(totals, start=1):
        rows.append(
            {
                "rank": rank,
                "volunteer": users[total["volunteer"]],
                "hours": total["hours"],
                "shifts": total["shifts"],
                "tier": tier_for(cumulative.get(total["volunteer"], 0), tiers),
                "awards": awards.get(total["volunteer"], []),
            }
        )
    return rows


def recognition_award(*, volunteer, year, title, by, citation=""):
    """Record an award; the hours of the year are written down as they stand now."""
    profile = VolunteerProfile.objects.filter(user=volunteer).first()
    hours = ServiceRecord.objects.filter(volunteer=volunteer).in_year(year).total_hours()
    if hours <= 0:
        raise Refused(_("This volunteer has no verified hours in %(year)d.") % {"year": year})
    try:
        with transaction.atomic():
            return Recognition.objects.create(
                volunteer=volunteer,
                year=year,
                title=title,
                citation=citation,
                hours=hours,
                awarded_by=by,
                centre=profile.centre if profile else None,
                neighbourhood=profile.neighbourhood if profile else None,
            )
    except IntegrityError:
        raise Refused(_("This award was already recorded for this volunteer.")) from None


def certificate_issue(*, volunteer, year):
    """The volunteer's certificate of `year` (made once; the same code every time after)."""
    profile = VolunteerProfile.objects.approved().filter(user=volunteer).first()
    if profile is None:
        raise Refused(_("Only approved volunteers have a certificate."))
    try:
        with transaction.atomic():
            certificate, _created = Certificate.objects.get_or_create(
                volunteer=volunteer,
                year=year,
                defaults={"centre": profile.centre, "neighbourhood": profile.neighbourhood},
            )
    except IntegrityError:  # two taps at once: the other one made it
        certificate = Certificate.objects.get(volunteer=volunteer, year=year)
    return certificate


def certificate_facts(certificate):
    """What the printed certificate says: verified hours of its year, in total up to the
    end of that year, the tier those reach, and the year's awards."""
    records = ServiceRecord.objects.filter(volunteer=certificate.volunteer).verified()
    year_hours = records.in_year(certificate.year).total_hours()
    total = records.filter(date__year__lte=certificate.year).total_hours()
    tiers = list(StarTier.objects.order_by("min_hours"))
    return {
        "year_hours": year_hours,
        "total_hours": total or Decimal("0"),
        "tier": tier_for(total, tiers),
        "awards": list(
            Recognition.objects.filter(volunteer=certificate.volunteer, year=certificate.year)
        ),
    }
