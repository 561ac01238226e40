"""Building consent votes (业主表决): 加装电梯 and other decisions on a building's common parts.

A vote covers one building, or one staircase unit (门洞) of it. When staff open it, the
households in it are written down with their floor areas (the roll, VoteRollEntry): the
figures are counted against that roll, so a floor area corrected in the register later, or a
flat added, does not move the thresholds under a vote already running.

Who votes for a household: the register records who lives in a flat, not who owns it (产权
人), so the rule is that any present resident of the household aged 18 or over (or whose
date of birth is not recorded) and linked to an account (上云) casts the household's vote;
one vote per household (a database constraint), the latest choice counting, until the
deadline. The committee checks ownership on the paper roll, and records paper forms.

The result follows PRC Civil Code art. 278 (改建、重建建筑物及其附属设施): owners holding at
least two thirds of the floor area and at least two thirds of the households take part, and
of those taking part at least three quarters by area and three quarters by headcount agree.
"以上" includes the number itself (Civil Code art. 1259), so every threshold is inclusive.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.scopes import NeighbourhoodScopedQuerySet

from .places import Building
from .register import Household

VOTER_AGE = 18


class ConsentVoteQuerySet(NeighbourhoodScopedQuerySet):
    neighbourhood_path = "building__neighbourhood_id"

    def open(self, now=None):
        return self.filter(deadline__gt=now or timezone.now())

    def closed(self, now=None):
        return self.filter(deadline__lte=now or timezone.now())

    def for_household(self, household):
        return self.filter(roll__household=household)


class ConsentVote(models.Model):
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="consent_votes", verbose_name=_("building")
    )
    staircase = models.CharField(
        _("staircase unit (门洞)"),
        max_length=10,
        blank=True,
        help_text=_("Leave empty for the whole building."),
    )
    question = models.CharField(_("question"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    guide = models.ForeignKey(
        "notices.Guide",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consent_votes",
        verbose_name=_("guide"),
    )
    deadline = models.DateTimeField(_("deadline"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)

    objects = ConsentVoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent vote")
        verbose_name_plural = _("consent votes")
        ordering = ["-deadline", "-pk"]

    def __str__(self):
        return f"{self.place_label} · {self.question}"

    @property
    def place_label(self):
        if self.staircase:
            return _("%(building)s, staircase %(unit)s") % {
                "building": self.building,
                "unit": self.staircase,
            }
        return str(self.building)

    @property
    def neighbourhood_id(self):
        return self.building.neighbourhood_id

    def is_open(self, now=None):
        return (now or timezone.now()) < self.deadline


class VoteRollEntry(models.Model):
    """One household of the vote, with its floor area as it was when the vote opened."""

    vote = models.ForeignKey(
        ConsentVote, on_delete=models.CASCADE, related_name="roll", verbose_name=_("vote")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    floor_area = models.DecimalField(_("floor area (m²)"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("household on a vote's roll")
        verbose_name_plural = _("households on a vote's roll")
        constraints = [
            models.UniqueConstraint(fields=["vote", "household"], name="unique_vote_roll_entry"),
            models.CheckConstraint(condition=Q(floor_area__gt=0), name="vote_roll_area_positive"),
        ]

    def __str__(self):
        return str(self.household)


class Ballot(models.Model):
    """A household's vote: cast online by one of its residents, or recorded by staff from
    a paper form (who recorded it, and the form's reference)."""

    class Choice(models.TextChoices):
        AGREE = "agree", _("Agree")
        DISAGREE = "disagree", _("Disagree")
        ABSTAIN = "abstain", _("Abstain")

    vote = models.ForeignKey(
        ConsentVote, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("vote")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cast online by"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paper form recorded by"),
    )
    paper_reference = models.CharField(_("paper form reference"), max_length=50, blank=True)
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)
    changes = models.PositiveSmallIntegerField(_("times changed"), default=0)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            # One vote per household: the second submission updates it, never adds one.
            models.UniqueConstraint(fields=["vote", "household"], name="one_ballot_per_household"),
            # A paper form names who recorded it and its reference.
            models.CheckConstraint(
                condition=Q(recorded_by__isnull=True, paper_reference="")
                | (Q(recorded_by__isnull=False) & ~Q(paper_reference="")),
                name="paper_ballot_has_reference",
            ),
        ]

    def __str__(self):
        return f"{self.household} · {self.get_choice_display()}"

    @property
    def on_paper(self):
        return bool(self.paper_reference)
