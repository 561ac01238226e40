"""Factories and fixtures for home visits and needs (imported by the visits tests)."""

import factory
import pytest
from django.utils import timezone

from neighborhoods import models as nb
from tests import factories as f


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.Visit

    household = factory.SubFactory(f.HouseholdFactory)
    staff = factory.SubFactory(f.UserFactory)
    when = factory.LazyFunction(timezone.now)
    kind = nb.Visit.Kind.ROUTINE
    met = "周阿婆"
    notes = "身体还好"


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.Need

    household = factory.SubFactory(f.HouseholdFactory)
    category = nb.Need.Category.HOUSING
    urgency = nb.Need.Urgency.NORMAL
    description = "厨房水管漏水"
    raised_via = nb.Need.Via.STAFF


@pytest.fixture
def zone2(places, huyun):
    """A second zone of 公交新村 held by another worker, 王芳, with building 2号."""
    user = f.UserFactory(username="wangfang", first_name="王芳")
    worker = f.WorkerFactory(user=user, neighbourhood=places["gjxc"], position="社区工作者")
    zone = f.ZoneFactory(neighbourhood=places["gjxc"], name="二片", worker=worker)
    f.BuildingFactory(neighbourhood=places["gjxc"], number="2号", zone=zone)
    return zone


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded photos go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
