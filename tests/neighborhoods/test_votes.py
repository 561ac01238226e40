"""Building consent votes through HTTP: opening one, voting and changing a vote until the
deadline, paper forms, privacy of individual votes, the guide's link and /me/."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from neighborhoods.models import Ballot, ConsentVote
from notices.models import Guide
from portal.models import AccessLog
from tests import factories as f

from .vote_helpers import building_with, open_vote, voter_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(places, huyun):
    return building_with(places["gjxc"], [60, 55.5, 70, 48.25, 90, 62])


@pytest.fixture
def vote(building, huyun):
    return open_vote(building, by=huyun)


@pytest.fixture
def voter(building):
    return voter_of(building.households.get(room="101"), "voter101")


def detail(vote):
    return reverse("neighborhoods:vote-detail", args=[vote.pk])


def ballot_url(vote):
    return reverse("neighborhoods:vote-ballot", args=[vote.pk])


# --- Opening a vote ------------------------------------------------------------------


def test_it_opens_a_vote_with_the_register_s_households_on_its_roll(login, huyun, building):
    deadline = (timezone.localtime() + datetime.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    response = login(huyun).post(
        reverse("neighborhoods:vote-create"),
        {"building": building.pk, "question": "是否同意加装电梯？", "deadline": deadline},
    )
    vote = ConsentVote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("neighborhoods:vote-manage", args=[vote.pk])
    assert vote.roll.count() == 6 and vote.opened_by == huyun
    assert sorted(str(e.floor_area) for e in vote.roll.all())[0] == "48.25"


def test_it_refuses_a_vote_when_a_flat_has_no_floor_area_and_keeps_the_form(login, huyun, building):
    f.HouseholdFactory(building=building, room="601")  # no floor area
    deadline = (timezone.localtime() + datetime.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    response = login(huyun).post(
        reverse("neighborhoods:vote-create"),
        {"building": building.pk, "question": "加装电梯征询", "deadline": deadline},
    )
    assert response.status_code == 400
    assert "601" in response.content.decode()
    assert response.context["form"]["question"].value() == "加装电梯征询"
    assert not ConsentVote.objects.exists()


def test_it_refuses_a_deadline_in_the_past_and_a_bad_date(login, huyun, building):
    client = login(huyun)
    url = reverse("neighborhoods:vote-create")
    past = client.post(url, {"building": building.pk, "question": "Q", "deadline": "2020-01-01"})
    assert past.status_code == 400 and past.context["form"].has_error("deadline", "past")
    bad = client.post(url, {"building": building.pk, "question": "Q", "deadline": "明天"})
    assert bad.status_code == 400 and bad.context["form"].has_error("deadline", "invalid")
    assert not ConsentVote.objects.exists()


def test_staff_of_another_neighbourhood_cannot_open_a_vote_for_this_building(
    login, yangying, building
):
    deadline = (timezone.localtime() + datetime.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    response = login(yangying).post(
        reverse("neighborhoods:vote-create"),
        {"building": building.pk, "question": "Q", "deadline": deadline},
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("building", "invalid_choice")


def test_a_vote_of_one_staircase_has_only_its_households(places, huyun):
    building = building_with(places["gjxc"], [50, 50, 60, 60], staircases=["1", "1", "2", "2"])
    vote = open_vote(building, by=huyun, staircase="2")
    assert sorted(e.household.room for e in vote.roll.select_related("household")) == [
        "103",
        "104",
    ]
    assert vote.place_label == "9号 2单元"


# --- Voting online ---------------------------------------------------------------------


def test_a_resident_votes_and_changes_the_vote_until_the_deadline(login, vote, voter):
    client = login(voter)
    page = client.get(detail(vote))
    assert page.status_code == 200 and "提交我家的投票" in page.content.decode()
    assert client.post(ballot_url(vote), {"choice": "disagree"}).status_code == 302
    assert client.post(ballot_url(vote), {"choice": "agree"}).status_code == 302
    ballot = Ballot.objects.get()
    assert (ballot.choice, ballot.cast_by, ballot.changes) == ("agree", voter, 1)
    page = client.get(detail(vote))
    assert page.context["tally"].agree == 1 and page.context["ballot"] == ballot


def test_it_refuses_a_vote_after_the_deadline_and_keeps_the_last_one(login, vote, voter):
    client = login(voter)
    client.post(ballot_url(vote), {"choice": "agree"})
    with time_machine.travel(vote.deadline + datetime.timedelta(seconds=1), tick=False):
        response = client.post(ballot_url(vote), {"choice": "disagree"}, follow=True)
        assert "不能再投票或改票" in response.content.decode()
        assert "提交我家的投票" not in response.content.decode()
    assert Ballot.objects.get().choice == "agree"


def test_it_refuses_a_vote_at_the_deadline_itself(login, vote, voter):
    with time_machine.travel(vote.deadline, tick=False):
        login(voter).post(ballot_url(vote), {"choice": "agree"})
    assert not Ballot.objects.exists()


def test_one_vote_per_household_whoever_of_it_votes(login, client, vote, voter, building):
    spouse = voter_of(building.households.get(room="101"), "spouse101")
    login(voter).post(ballot_url(vote), {"choice": "agree"})
    client.force_login(spouse)
    client.post(ballot_url(vote), {"choice": "abstain"})
    assert Ballot.objects.count() == 1
    assert Ballot.objects.get().choice == "abstain"


def test_a_minor_of_the_household_cannot_vote(login, vote, building):
    child = voter_of(building.households.get(room="102"), "child102", age=15)
    response = login(child).post(ballot_url(vote), {"choice": "agree"}, follow=True)
    assert "年满18周岁" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_bad_choice_is_a_form_error(login, vote, voter):
    response = login(voter).post(ballot_url(vote), {"choice": "maybe"})
    assert response.status_code == 400
    assert response.context["form"].has_error("choice")


def test_a_resident_of_another_building_cannot_see_the_vote(login, vote, resident):
    assert login(resident).get(detail(vote)).status_code == 404
    assert login(resident).post(ballot_url(vote), {"choice": "agree"}).status_code == 404


# --- Privacy: residents see totals, staff the roll ----------------------------------------


def test_residents_see_totals_not_who_voted_how(login, client, vote, voter, building, huyun):
    neighbour = voter_of(building.households.get(room="105"), "neighbour105")
    login(voter).post(ballot_url(vote), {"choice": "disagree"})
    client.force_login(neighbour)
    page = client.get(detail(vote)).content.decode()
    assert "不同意 1 户" in page  # the totals
    assert "101" not in page  # not which flat voted how
    assert client.get(reverse("neighborhoods:vote-manage", args=[vote.pk])).status_code == 403


def test_staff_see_the_roll_and_each_view_is_recorded(login, vote, voter, huyun):
    login(voter).post(ballot_url(vote), {"choice": "disagree"})
    response = login(huyun).get(reverse("neighborhoods:vote-manage", args=[vote.pk]))
    assert response.status_code == 200
    roll = {e.household.room: e.ballot for e in response.context["roll"]}
    assert roll["101"].choice == "disagree" and roll["102"] is None
    log = AccessLog.objects.get(action=AccessLog.Action.VOTE_ROLL)
    assert log.user == huyun and log.households.count() == 6


def test_staff_of_another_neighbourhood_do_not_see_the_roll(login, vote, yangying):
    assert (
        login(yangying).get(reverse("neighborhoods:vote-manage", args=[vote.pk])).status_code == 404
    )
    assert login(yangying).get(detail(vote)).status_code == 404


# --- Paper forms ---------------------------------------------------------------------------


def test_staff_record_a_paper_form_with_its_reference(login, vote, building, huyun):
    household = building.households.get(room="103")
    response = login(huyun).post(
        reverse("neighborhoods:vote-paper", args=[vote.pk]),
        {"household": household.pk, "choice": "agree", "reference": "9号-103-01"},
    )
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert (ballot.household, ballot.recorded_by, ballot.paper_reference) == (
        household,
        huyun,
        "9号-103-01",
    )
    assert ballot.cast_by is None


def test_a_paper_form_without_reference_is_refused_and_the_form_kept(login, vote, building, huyun):
    household = building.households.get(room="103")
    response = login(huyun).post(
        reverse("neighborhoods:vote-paper", args=[vote.pk]),
        {"household": household.pk, "choice": "agree", "reference": ""},
    )
    assert response.status_code == 400
    assert response.context["paper_form"].has_error("reference", "required")
    assert response.context["paper_form"]["choice"].value() == "agree"
    assert not Ballot.objects.exists()


def test_a_paper_form_for_a_household_off_the_roll_is_a_form_error(login, vote, huyun, resident):
    household = resident.resident_record.household
    response = login(huyun).post(
        reverse("neighborhoods:vote-paper", args=[vote.pk]),
        {"household": household.pk, "choice": "agree", "reference": "X-1"},
    )
    assert response.status_code == 400
    assert response.context["paper_form"].has_error("household", "invalid_choice")


def test_a_paper_form_after_the_deadline_is_refused(login, vote, building, huyun):
    household = building.households.get(room="103")
    with time_machine.travel(vote.deadline + datetime.timedelta(minutes=1), tick=False):
        login(huyun).post(
            reverse("neighborhoods:vote-paper", args=[vote.pk]),
            {"household": household.pk, "choice": "agree", "reference": "9号-103-01"},
        )
    assert not Ballot.objects.exists()


# --- Links: the guide, /me/, home, the staff's list -------------------------------------------


def test_the_guide_links_to_my_building_s_open_vote(login, places, building, huyun, voter):
    guide = Guide.objects.create(
        district=places["district"], title="加装电梯怎么办", body="…", published=True
    )
    vote = open_vote(building, by=huyun, guide=guide)
    page = login(voter).get(reverse("notices:guide-detail", args=[guide.pk])).content.decode()
    assert detail(vote) in page
    assert (
        reverse("notices:guide-detail", args=[guide.pk])
        in login(voter).get(detail(vote)).content.decode()
    )


def test_me_and_home_list_my_household_s_vote(login, vote, voter):
    client = login(voter)
    me = client.get(reverse("portal:me"))
    assert list(me.context["my_votes"]) == [vote]
    assert "您家尚未投票" in me.content.decode()
    client.post(ballot_url(vote), {"choice": "agree"})
    assert "您家已投票" in client.get(reverse("portal:home")).content.decode()


def test_the_staff_list_shows_only_my_neighbourhood_s_votes(login, vote, huyun, yangying):
    assert list(login(huyun).get(reverse("neighborhoods:vote-list")).context["votes"]) == [vote]
    assert list(login(yangying).get(reverse("neighborhoods:vote-list")).context["votes"]) == []


def test_the_household_form_keeps_the_staircase(login, huyun, building):
    household = building.households.get(room="101")
    response = login(huyun).post(
        reverse("neighborhoods:household-edit", args=[household.pk]),
        {
            "building": building.pk,
            "room": "101",
            "staircase": "2单元",
            "floor_area": "60",
            "seen": 0,
        },
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.staircase == "2"
