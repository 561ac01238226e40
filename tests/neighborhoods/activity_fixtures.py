"""Factories and fixtures for activities (imported by the test_activities* modules).

- fuxin: 阜新路社区睦邻中心 (四平路街道, the subdistrict of 公交新村), staffed by `centre`
- other_centre_staff: staff of 定海桥睦邻中心 (another centre, 定海路街道)
"""

import datetime

import factory
import pytest
from django.utils import timezone

from neighborhoods import models as nb
from tests import factories as f

from .centre_factories import CentreFactory


def in_days(days, hour=14):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_default_timezone()
    )


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.Activity

    title = factory.Sequence(lambda n: f"活动{n}")
    category = nb.Activity.Category.CULTURE
    starts_at = factory.LazyFunction(lambda: in_days(3))
    ends_at = factory.LazyAttribute(lambda a: a.starts_at + datetime.timedelta(hours=2))
    place = "多功能厅"
    capacity = 20
    created_by = factory.SubFactory(f.UserFactory)


@pytest.fixture
def fuxin(places):
    return CentreFactory(subdistrict=places["gjxc"].subdistrict, name="阜新路社区睦邻中心")


@pytest.fixture
def centre_staff(fuxin):
    user = f.UserFactory(username="centre", first_name="陆佳琪")
    nb.CentreStaff.objects.create(centre=fuxin, user=user, position="项目社工")
    return user


@pytest.fixture
def other_centre(places):
    return CentreFactory(subdistrict=places["dhg"].subdistrict, name="定海桥睦邻中心")


@pytest.fixture
def other_centre_staff(other_centre):
    user = f.UserFactory(username="othercentre", first_name="钱敏")
    nb.CentreStaff.objects.create(centre=other_centre, user=user, position="社工")
    return user


@pytest.fixture
def activity(fuxin, centre_staff):
    """A centre activity open to anyone signed in, 20 places, in three days."""
    return ActivityFactory(centre=fuxin, title="家庭急救小课堂", created_by=centre_staff)


@pytest.fixture
def gjxc_activity(places, huyun):
    """A committee activity of 公交新村 for its own residents."""
    return ActivityFactory(
        neighbourhood=places["gjxc"],
        title="楼组长议事会",
        audience=nb.Activity.Audience.NEIGHBOURHOOD,
        for_neighbourhood=places["gjxc"],
        created_by=huyun,
    )


def residents_of(neighbourhood, count, prefix="r", **resident):
    """`count` accounts linked to residents of new flats in the neighbourhood."""
    return [
        f.linked_resident(
            neighbourhood, f"{prefix}{i}", room=f"{prefix}{900 + i}", name=f"居民{i}", **resident
        )
        for i in range(count)
    ]
