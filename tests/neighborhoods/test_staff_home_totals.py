"""The staff home's short lists say how many there are in all ("showing 15 of 18"): the
first rows and the total come from one query each (portal.queries.first_and_total)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from neighborhoods.models import Household
from tests import factories as f
from tests.neighborhoods.watch_helpers import sh, watched_households

HOME = reverse("neighborhoods:staff-home")
pytestmark = pytest.mark.django_db


def test_overdue_visits_show_the_15_most_overdue_and_the_count_of_all(login, huyun, places):
    building = places["gjxc"].buildings.get(number="1号")
    long_ago = timezone.now() - datetime.timedelta(days=400)
    for n in range(18):
        household = f.HouseholdFactory(building=building, room=f"{n + 101}")
        Household.objects.filter(pk=household.pk).update(created=long_ago)
    response = login(huyun).get(HOME, HTTP_ACCEPT_LANGUAGE="en")
    assert len(response.context["overdue"]) == 15
    assert response.context["overdue_count"] == 18
    assert "Showing the 15 most overdue of 18." in response.content.decode()


@time_machine.travel(sh(2026, 12, 1, 10, 0), tick=False)
def test_the_daily_watch_shows_10_unchecked_rows_and_the_count_of_all(login, huyun, places):
    building = places["gjxc"].buildings.get(number="1号")
    watched_households(building, 12)
    response = login(huyun).get(HOME)
    assert len(response.context["watch_unchecked"]) == 10
    assert response.context["watch_unchecked_count"] == 12
