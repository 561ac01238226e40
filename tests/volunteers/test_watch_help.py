"""Volunteers helping the daily watch: only their assigned households, with the name, the
room and the check — no phone numbers, ages or notes; their marks on the staff board."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from neighborhoods.models import WatchAssignment, WatchCheck
from neighborhoods.watch.services import watch_assign
from portal.exceptions import Refused
from tests import factories as f
from tests.neighborhoods.watch_helpers import enrol

from .fixtures import make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def watched(gjxc_household):
    return enrol(gjxc_household, contact_name="周建华", contact_phone="13900002222")


@pytest.fixture
def other_watched(places):
    household = f.HouseholdFactory(building=places["gjxc"].buildings.first(), room="909")
    f.ResidentFactory(household=household, name="钱阿婆", birth_date=f.born_years_ago(88))
    return enrol(household)


@pytest.fixture
def helper(places, watched, huyun):
    user = make_volunteer(places["gjxc"], "helper", "凌建梅")
    WatchAssignment.objects.create(enrolment=watched, volunteer=user, assigned_by=huyun)
    return user


def at_nine():
    return time_machine.travel(timezone.localtime().replace(hour=9, minute=30), tick=False)


def test_a_volunteer_sees_only_assigned_households_without_phones_or_ages(
    client, helper, watched, other_watched
):
    client.force_login(helper)
    with at_nine():
        page = client.get(reverse("neighborhoods:volunteer-watch")).content.decode()
    household = watched.household
    assert str(household) in page
    for member in household.residents.present():
        assert member.name in page
    assert "钱阿婆" not in page and "909" not in page
    assert "13900002222" not in page and "0002222" not in page and "周建华" not in page
    assert "岁" not in page and "years" not in page


def test_a_volunteer_marks_and_the_board_shows_who(client, helper, watched, huyun):
    client.force_login(helper)
    with at_nine():
        response = client.post(
            reverse("neighborhoods:volunteer-watch-mark", args=[watched.pk]),
            {"kind": "day", "status": "seen"},
        )
        assert response.status_code == 302
        check = WatchCheck.objects.get(enrolment=watched)
        assert (check.status, check.by) == ("seen", helper)
        client.force_login(huyun)
        board = client.get(reverse("neighborhoods:watch-board") + "?all=1").content.decode()
    assert "凌建梅" in board


def test_not_seen_by_a_volunteer_opens_an_alert(client, helper, watched):
    client.force_login(helper)
    with at_nine():
        client.post(
            reverse("neighborhoods:volunteer-watch-mark", args=[watched.pk]),
            {"kind": "day", "status": "not_seen"},
        )
    assert WatchCheck.objects.get(enrolment=watched).alert.is_open


def test_a_volunteer_cannot_mark_a_household_not_assigned(client, helper, other_watched):
    client.force_login(helper)
    with at_nine():
        response = client.post(
            reverse("neighborhoods:volunteer-watch-mark", args=[other_watched.pk]),
            {"kind": "day", "status": "seen"},
        )
    assert response.status_code == 404
    assert not WatchCheck.objects.exists()


def test_staff_assign_only_volunteers_of_the_neighbourhood(client, huyun, places, watched):
    here = make_volunteer(places["gjxc"], "here", "钱志远")
    elsewhere = make_volunteer(places["dhg"], "there", "孙立")
    with pytest.raises(Refused):
        watch_assign(enrolment=watched, volunteer=elsewhere, by=huyun)
    client.force_login(huyun)
    url = reverse("neighborhoods:watch-volunteers")
    response = client.post(url, {"enrolment": watched.pk, "volunteer": here.pk})
    assert response.status_code == 302
    assert WatchAssignment.objects.filter(enrolment=watched, volunteer=here).exists()
    # Someone from another neighbourhood is not even a choice: a form error, not a 500.
    response = client.post(url, {"enrolment": watched.pk, "volunteer": elsewhere.pk})
    assert response.status_code == 400


def test_a_district_admin_assigns_in_one_neighbourhood_at_a_time(client, admin, places, watched):
    """The district's 29,000 watched households and 5,000 volunteers as choices made a
    1.5 MB page: an admin chooses the neighbourhood, whose households are the choices."""
    here = make_volunteer(places["gjxc"], "here", "钱志远")
    dhg_household = f.HouseholdFactory(building=f.BuildingFactory(neighbourhood=places["dhg"]))
    there = enrol(dhg_household)
    client.force_login(admin)
    url = reverse("neighborhoods:watch-volunteers")
    page = client.get(url, {"neighbourhood": places["gjxc"].pk})
    assert set(page.context["form"].fields["enrolment"].queryset) == {watched}
    page = client.get(url, {"neighbourhood": places["dhg"].pk})
    assert set(page.context["form"].fields["enrolment"].queryset) == {there}
    chosen = f"{url}?neighbourhood={places['gjxc'].pk}"
    response = client.post(chosen, {"enrolment": watched.pk, "volunteer": here.pk})
    assert response.status_code == 302 and response["Location"] == chosen
    assert WatchAssignment.objects.filter(enrolment=watched, volunteer=here).exists()
