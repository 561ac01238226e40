"""Helpers of the consent-vote tests: a building with flats of given floor areas, a vote."""

import datetime
from decimal import Decimal

from django.utils import timezone

from neighborhoods.models import Building
from neighborhoods.votes.services import vote_open
from tests import factories as f


def building_with(neighbourhood, areas, *, number="9号", staircases=None):
    """A building of `neighbourhood` with one flat per floor area (rooms 101, 102, …)."""
    building = Building.objects.create(neighbourhood=neighbourhood, number=number)
    for n, area in enumerate(areas):
        f.HouseholdFactory(
            building=building,
            room=str(101 + n),
            floor_area=Decimal(str(area)),
            staircase=staircases[n] if staircases else "",
        )
    return building


def open_vote(building, *, by, days=7, staircase="", guide=None):
    return vote_open(
        building=building,
        staircase=staircase,
        question="是否同意加装电梯？",
        details="",
        deadline=timezone.now() + datetime.timedelta(days=days),
        guide=guide,
        by=by,
    )


def voter_of(household, username, *, age=50):
    """An account linked (上云) to an adult resident of `household`."""
    user = f.UserFactory(username=username)
    f.ResidentFactory(household=household, user=user, birth_date=f.born_years_ago(age))
    return user
