"""Building consent votes (业主表决): opening one, casting and recording ballots, the tally.

The rule (PRC Civil Code art. 278, 改建、重建建筑物及其附属设施) and who votes for a household
are described in neighborhoods/models/votes.py. The arithmetic here is exact: floor areas are
Decimals, shares are Fractions, and every threshold is compared as a Fraction, inclusive
("三分之二以上" includes two thirds itself).

One vote per household under concurrency: casting or recording a ballot first locks the
household's roll entry (SELECT … FOR UPDATE), so two submissions for one household (two
residents of the flat tapping at once, or a paper form entered while a resident votes online)
happen one after the other, the second changing the first's ballot; the unique constraint
on (vote, household) holds even if a caller forgets the lock.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.exceptions import Refused

from ..models import VOTER_AGE, Ballot, ConsentVote, Household, VoteRollEntry, age_on

PARTICIPATION = Fraction(2, 3)
AGREEMENT = Fraction(3, 4)
CENT = Decimal("0.01")


# --- The tally ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One of the four figures: `part` of `whole` against `threshold` (inclusive)."""

    key: str
    label: str
    part: object  # int (households) or Decimal (m²)
    whole: object
    threshold: Fraction
    needed: str  # what is still needed, in plain words; "" when met

    @property
    def share(self):
        return Fraction(self.part) / Fraction(self.whole) if self.whole else Fraction(0)

    @property
    def met(self):
        return bool(self.whole) and self.share >= self.threshold

    @property
    def percent(self):
        """The share in per cent, rounded down to one decimal (never shown above the truth)."""
        return Decimal(math.floor(self.share * 1000)) / 10

    @property
    def threshold_percent(self):
        return Decimal(math.ceil(self.threshold * 1000)) / 10

    @property
    def threshold_label(self):
        return {Fraction(2, 3): "2/3", Fraction(3, 4): "3/4"}[self.threshold]


def _area_up(value):
    """A Fraction of m², rounded up to the cent: what is still needed, never understated."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        CENT, rounding=ROUND_CEILING
    )


def _households_needed(part, whole, threshold):
    """The smallest n with (part + n) / whole >= threshold, the whole fixed."""
    return max(0, math.ceil(threshold * whole) - part)


@dataclass(frozen=True)
class Tally:
    households: int
    area: Decimal
    voted: int
    voted_area: Decimal
    agree: int
    agree_area: Decimal
    disagree: int
    abstain: int

    @property
    def participation_households(self):
        short = _households_needed(self.voted, self.households, PARTICIPATION)
        needed = (
            ngettext(
                "%(n)s more household must take part.",
                "%(n)s more households must take part.",
                short,
            )
            % {"n": short}
            if short
            else ""
        )
        return Figure(
            "participation_households",
            _("Households taking part"),
            self.voted,
            self.households,
            PARTICIPATION,
            needed,
        )

    @property
    def participation_area(self):
        short = PARTICIPATION * Fraction(self.area) - Fraction(self.voted_area)
        needed = (
            _("%(area)s m² more must take part.") % {"area": _area_up(short)} if short > 0 else ""
        )
        return Figure(
            "participation_area",
            _("Floor area taking part"),
            self.voted_area,
            self.area,
            PARTICIPATION,
            needed,
        )

    @property
    def agreement_households(self):
        if not self.voted:
            needed = _("No household has voted yet.")
        else:
            short = _households_needed(self.agree, self.voted, AGREEMENT)
            needed = (
                ngettext(
                    "Of the %(voted)s households that took part, %(n)s more must agree.",
                    "Of the %(voted)s households that took part, %(n)s more must agree.",
                    short,
                )
                % {"voted": self.voted, "n": short}
                if short
                else ""
            )
        return Figure(
            "agreement_households",
            _("Households agreeing, of those taking part"),
            self.agree,
            self.voted,
            AGREEMENT,
            needed,
        )

    @property
    def agreement_area(self):
        if not self.voted:
            needed = _("No household has voted yet.")
        else:
            short = AGREEMENT * Fraction(self.voted_area) - Fraction(self.agree_area)
            needed = (
                _("Of the floor area that took part, %(area)s m² more must agree.")
                % {"area": _area_up(short)}
                if short > 0
                else ""
            )
        return Figure(
            "agreement_area",
            _("Floor area agreeing, of that taking part"),
            self.agree_area,
            self.voted_area,
            AGREEMENT,
            needed,
        )

    @property
    def figures(self):
        return [
            self.participation_households,
            self.participation_area,
            self.agreement_households,
            self.agreement_area,
        ]

    @property
    def passed(self):
        """Art. 278: all four thresholds met, each inclusive."""
        return all(figure.met for figure in self.figures)


def tally_from(roll, ballots):
    """The tally of `roll` (household id → floor area) and `ballots` (household id →
    choice). Ballots of households not on the roll are ignored."""
    counted = {pk: choice for pk, choice in ballots.items() if pk in roll}
    agreeing = [pk for pk, choice in counted.items() if choice == Ballot.Choice.AGREE]
    choices = list(counted.values())
    return Tally(
        households=len(roll),
        area=sum(roll.values(), Decimal(0)),
        voted=len(counted),
        voted_area=sum((roll[pk] for pk in counted), Decimal(0)),
        agree=len(agreeing),
        agree_area=sum((roll[pk] for pk in agreeing), Decimal(0)),
        disagree=choices.count(Ballot.Choice.DISAGREE),
        abstain=choices.count(Ballot.Choice.ABSTAIN),
    )


def vote_tally(vote):
    """The live tally of one vote, in two queries whatever the size of the building."""
    roll = dict(vote.roll.values_list("household_id", "floor_area"))
    ballots = dict(vote.ballots.values_list("household_id", "choice"))
    return tally_from(roll, ballots)


# --- Who votes ---------------------------------------------------------------------------


def voting_household(user, vote, today=None):
    """The household `user` votes for in `vote`, or None: a present resident, linked to the
    account, aged 18 or over (or of unknown age), whose household is on the vote's roll."""
    resident = user.resident if user.is_authenticated else None
    if resident is None:
        return None
    if resident.birth_date and age_on(resident.birth_date, today or timezone.localdate()) < (
        VOTER_AGE
    ):
        return None
    if not vote.roll.filter(household_id=resident.household_id).exists():
        return None
    return resident.household


# --- Opening a vote ----------------------------------------------------------------------


def vote_households(building, staircase=""):
    households = Household.objects.filter(building=building)
    return households.filter(staircase=staircase) if staircase else households


@transaction.atomic
def vote_open(*, building, staircase, question, details, deadline, guide, by, now=None):
    """Open a vote for `building` (or one staircase of it): the roll is written from the
    register as it is now. Refused when there is no household, or one lacks a floor area
    (the area figures could not be counted)."""
    now = now or timezone.now()
    if deadline <= now:
        raise Refused(_("The deadline must be in the future."))
    households = list(vote_households(building, staircase).order_by("pk"))
    if not households:
        if staircase:
            raise Refused(
                _("The register has no household in staircase %(unit)s of %(building)s.")
                % {"unit": staircase, "building": building}
            )
        raise Refused(_("The register has no household in %(building)s.") % {"building": building})
    missing = [str(h.room) for h in households if h.floor_area is None]
    if missing:
        raise Refused(
            _(
                "The register has no floor area for rooms %(rooms)s: add it on each household's "
                "page first, so that the vote can be weighed by floor area."
            )
            % {"rooms": "、".join(missing)}
        )
    vote = ConsentVote.objects.create(
        building=building,
        staircase=staircase,
        question=question,
        details=details,
        deadline=deadline,
        guide=guide,
        opened_by=by,
        opened_at=now,
    )
    VoteRollEntry.objects.bulk_create(
        [VoteRollEntry(vote=vote, household=h, floor_area=h.floor_area) for h in households]
    )
    return vote


# --- Ballots -----------------------------------------------------------------------------


def _lock_roll_entry(vote, household):
    entry = (
        VoteRollEntry.objects.select_for_update()
        .filter(vote=vote, household=household)
        .select_related("vote")
        .first()
    )
    if entry is None:
        raise Refused(_("This household is not on the vote's roll."))
    return entry


def _write_ballot(*, vote, household, choice, now, **who):
    """Lock the household's roll entry, check the deadline, then add or change its ballot."""
    entry = _lock_roll_entry(vote, household)
    if not entry.vote.is_open(now):
        raise Refused(
            _("The vote closed on %(deadline)s; it can no longer be changed.")
            % {"deadline": timezone.localtime(entry.vote.deadline).strftime("%Y-%m-%d %H:%M")}
        )
    ballot = Ballot.objects.filter(vote=vote, household=household).first()
    fields = {"choice": choice, "cast_at": now, "cast_by": None, "recorded_by": None}
    fields |= {"paper_reference": ""} | who
    if ballot is None:
        return Ballot.objects.create(vote=vote, household=household, **fields)
    for name, value in fields.items():
        setattr(ballot, name, value)
    ballot.changes += 1
    ballot.save(update_fields=[*fields, "changes"])
    return ballot


@transaction.atomic
def ballot_cast(*, vote, user, choice, now=None):
    """A resident votes online for their household; a second vote changes the first."""
    household = voting_household(user, vote)
    if household is None:
        raise Refused(
            _(
                "Only a resident aged 18 or over of a household on this vote's roll, linked "
                "to the household (上云), can vote online."
            )
        )
    return _write_ballot(
        vote=vote, household=household, choice=choice, now=now or timezone.now(), cast_by=user
    )


@transaction.atomic
def ballot_record_paper(*, vote, household, choice, reference, by, now=None):
    """Staff enter a household's paper form (who recorded it, the form's reference)."""
    return _write_ballot(
        vote=vote,
        household=household,
        choice=choice,
        now=now or timezone.now(),
        recorded_by=by,
        paper_reference=reference,
    )


# --- For other pages -----------------------------------------------------------------------


def household_votes(household, *, closed_since_days=30, now=None):
    """The votes of one household for /me/ and home: open ones, and those closed lately."""
    if household is None:
        return ConsentVote.objects.none()
    now = now or timezone.now()
    since = now - datetime.timedelta(days=closed_since_days)
    voted = Ballot.objects.filter(vote=OuterRef("pk"), household=household)
    return (
        ConsentVote.objects.for_household(household)
        .filter(deadline__gt=since)
        .annotate(voted=Exists(voted))
        .select_related("building")
        .order_by("deadline")
    )


def votes_for_guide(user, guide, now=None):
    """Open votes linked to a guide that `user` may see: their household's, or (staff) their
    neighbourhood's."""
    votes = guide.consent_votes.open(now).select_related("building")
    household = user.resident.household if user.is_authenticated and user.resident else None
    staff = ConsentVote.objects.visible_to(user)
    if household is not None:
        return (votes.filter(pk__in=staff) | votes.for_household(household)).distinct()
    return votes.filter(pk__in=staff)
