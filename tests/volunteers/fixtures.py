"""Volunteers' test objects: a centre with its staff, volunteers, an opportunity, shifts."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from neighborhoods.models import CentreStaff
from tests import factories as f
from tests.neighborhoods.centre_factories import CentreFactory
from volunteers.models import Opportunity, ServiceRecord, Shift, VolunteerProfile

ROOMS = itertools.count(1101)


def make_volunteer(neighbourhood, username, name="凌建梅", centre=None, room=None):
    user = f.linked_resident(neighbourhood, username, room or str(next(ROOMS)), name)
    VolunteerProfile.objects.create(
        user=user, status="approved", neighbourhood=neighbourhood, centre=centre
    )
    return user


def make_shift(opportunity, *, days=3, needed=3, starts=14, ends=17, **fields):
    return Shift.objects.create(
        opportunity=opportunity,
        date=timezone.localdate() + datetime.timedelta(days=days),
        starts=datetime.time(starts),
        ends=datetime.time(ends),
        place="二楼活动室",
        places_needed=needed,
        **fields,
    )


def verified(user, hours, *, date=None, status="verified", centre=None):
    return ServiceRecord.objects.create(
        volunteer=user,
        centre=centre,
        date=date or timezone.localdate(),
        description="楼组巡查",
        claimed_hours=Decimal(hours),
        hours=Decimal(hours) if status == "verified" else None,
        status=status,
    )


@pytest.fixture
def wenhua(places):
    return CentreFactory(subdistrict=places["gjxc"].subdistrict, name="文化佳园睦邻中心")


@pytest.fixture
def centre_staff(wenhua):
    user = f.UserFactory(username="centre", first_name="陆佳琪")
    CentreStaff.objects.create(centre=wenhua, user=user, position="项目社工")
    return user


@pytest.fixture
def volunteer(places, wenhua):
    return make_volunteer(places["gjxc"], "volunteer", centre=wenhua, room="501")


@pytest.fixture
def opportunity(wenhua):
    return Opportunity.objects.create(title="活动秩序维护", centre=wenhua)


@pytest.fixture
def shift(opportunity):
    return make_shift(opportunity)
