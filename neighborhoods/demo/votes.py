"""Demo consent votes (加装电梯) in 公交新村: an open one in 1号 (the `resident` account's
building; about half of its households have voted, her own not yet) and a closed one in 2号
that passed. Both are linked to the 加装电梯 guide (notices/demo/topics.py, built before)."""

import datetime
import math

from django.contrib.auth import get_user_model
from django.utils import timezone

from notices.models import Guide

from ..models import Ballot, Building, ConsentVote, Resident, VoteRollEntry
from ..votes.services import vote_tally
from . import register as demo

NEIGHBOURHOOD = "公交新村居民区"
GUIDE_TITLE = "加装电梯怎么办"
OPEN_BUILDING, CLOSED_BUILDING = "1号", "2号"
OPEN_QUESTION = "是否同意1号楼加装电梯（费用按楼层分摊，一楼不分摊）？"
CLOSED_QUESTION = "是否同意2号楼加装电梯及费用分摊方案？"
DETAILS = (
    "方案：在楼栋北侧加装一部电梯，平层入户。设计图纸在居委会公示，可随时查看。\n"
    "费用：约68万元，申请政府补贴后按楼层分摊，一楼不分摊。"
)
KEEP_UNVOTED = ("302",)  # the `resident` account (李梅) votes herself in the demo


def build(*, stdout, rng, today):
    if ConsentVote.objects.filter(building__neighbourhood__name=NEIGHBOURHOOD).exists():
        return
    buildings = {
        b.number: b
        for b in Building.objects.select_related("neighbourhood").filter(
            neighbourhood__name=NEIGHBOURHOOD, number__in=[OPEN_BUILDING, CLOSED_BUILDING]
        )
    }
    staff = get_user_model().objects.get(username="huyun")
    guide = Guide.objects.filter(title=GUIDE_TITLE, district__name=demo.DISTRICT).first()
    now = timezone.now()
    # Deadlines at 18:00, as a committee would set them.
    evening = timezone.localtime(now).replace(hour=18, minute=0, second=0, microsecond=0)
    opened = _vote(
        buildings[OPEN_BUILDING], OPEN_QUESTION, guide, staff,
        opened_at=now - datetime.timedelta(days=10), deadline=evening + datetime.timedelta(days=20),
    )  # fmt: skip
    _ballots(rng, opened, staff, share=0.5, agree=0.8, at=now - datetime.timedelta(days=2))
    closed = _vote(
        buildings[CLOSED_BUILDING], CLOSED_QUESTION, guide, staff,
        opened_at=now - datetime.timedelta(days=75), deadline=evening - datetime.timedelta(days=45),
    )  # fmt: skip
    _ballots(rng, closed, staff, share=0.9, agree=0.85, at=now - datetime.timedelta(days=50))
    _make_pass(closed)
    stdout.write(
        f"Votes: 加装电梯 in {NEIGHBOURHOOD} {OPEN_BUILDING} (open, "
        f"{opened.ballots.count()} of {opened.roll.count()} voted) and {CLOSED_BUILDING} "
        "(closed, passed)."
    )


def _vote(building, question, guide, staff, *, opened_at, deadline):
    # A district built before floor areas were in the register: give these flats theirs.
    for household in building.households.filter(floor_area__isnull=True):
        household.floor_area = demo.floor_area(building, household.room)
        household.save(update_fields=["floor_area"])
    vote = ConsentVote.objects.create(
        building=building,
        question=question,
        details=DETAILS,
        guide=guide,
        deadline=deadline,
        opened_by=staff,
        opened_at=opened_at,
    )
    VoteRollEntry.objects.bulk_create(
        VoteRollEntry(vote=vote, household=h, floor_area=h.floor_area)
        for h in building.households.order_by("pk")
    )
    return vote


def _ballots(rng, vote, staff, *, share, agree, at):
    """`share` of the roll votes, `agree` of them for; online where someone is linked,
    else a paper form recorded by the director."""
    entries = [
        e for e in vote.roll.select_related("household") if e.household.room not in KEEP_UNVOTED
    ]
    voters = rng.sample(entries, math.ceil(share * len(entries)))
    linked = dict(
        Resident.objects.present()
        .filter(household__in=[e.household for e in voters], user__isnull=False)
        .values_list("household_id", "user_id")
    )
    ballots = []
    for n, entry in enumerate(voters):
        roll = rng.random()
        choice = (
            Ballot.Choice.AGREE
            if roll < agree
            else Ballot.Choice.DISAGREE
            if roll < agree + (1 - agree) * 0.7
            else Ballot.Choice.ABSTAIN
        )
        who = (
            {"cast_by_id": linked[entry.household_id]}
            if entry.household_id in linked
            else {
                "recorded_by": staff,
                "paper_reference": f"{vote.building.number}-{entry.household.room}-{n + 1:02d}",
            }
        )
        ballots.append(
            Ballot(vote=vote, household=entry.household, choice=choice, cast_at=at, **who)
        )
    Ballot.objects.bulk_create(ballots)


def _make_pass(vote):
    """The closed demo vote passed: turn the disagreeing households to agree, one at a time,
    until all four figures are met (deterministic: in the order of the roll)."""
    for ballot in vote.ballots.exclude(choice=Ballot.Choice.AGREE).order_by("household_id"):
        if vote_tally(vote).passed:
            return
        ballot.choice = Ballot.Choice.AGREE
        ballot.save(update_fields=["choice"])
