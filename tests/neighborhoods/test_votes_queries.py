"""Query budgets of the consent votes' pages and the staff's question queue: the same count
with three times the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from neighborhoods.votes import services
from notices.models import Guide, GuideQuestion
from tests import factories as f

from .vote_helpers import building_with, open_vote, voter_of

pytestmark = pytest.mark.django_db


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def vote_with(places, huyun, flats, number):
    """A vote of `flats` households, two thirds of them voted (online or on paper)."""
    vote = open_vote(
        building_with(places["gjxc"], [50 + n for n in range(flats)], number=number), by=huyun
    )
    for n, entry in enumerate(vote.roll.select_related("household")[: flats * 2 // 3]):
        if n % 2:
            services.ballot_cast(
                vote=vote, user=voter_of(entry.household, f"v{number}{n}"), choice="agree"
            )
        else:
            services.ballot_record_paper(
                vote=vote, household=entry.household, choice="disagree", reference=f"P{n}", by=huyun
            )
    return vote


def test_the_vote_page_costs_the_same_for_a_bigger_building(client, places, huyun):
    """/services/votes/<id>/ as a voter: session, user, their resident record, the vote, the
    roll check, their ballot, the tally (roll and ballots: two queries). 6 and 18 flats."""
    small, big = vote_with(places, huyun, 6, "20号"), vote_with(places, huyun, 18, "21号")
    client.force_login(voter_of(small.roll.last().household, "me-small"))
    few = count(client, reverse("neighborhoods:vote-detail", args=[small.pk]))
    client.force_login(voter_of(big.roll.last().household, "me-big"))
    many = count(client, reverse("neighborhoods:vote-detail", args=[big.pk]))
    assert few == many <= 12


def test_the_roll_page_costs_the_same_for_a_bigger_building(client, places, huyun):
    """/staff/votes/<id>/: the vote, the tally, the ballots with who cast or recorded them
    (one query), the roll with its households (one), the paper form's households, the access
    record (two)."""
    small, big = vote_with(places, huyun, 6, "20号"), vote_with(places, huyun, 18, "21号")
    client.force_login(huyun)
    few = count(client, reverse("neighborhoods:vote-manage", args=[small.pk]))
    many = count(client, reverse("neighborhoods:vote-manage", args=[big.pk]))
    assert few == many <= 16


def test_the_vote_list_costs_the_same_with_more_votes(client, places, huyun):
    client.force_login(huyun)
    url = reverse("neighborhoods:vote-list")
    for n in range(2):
        open_vote(building_with(places["gjxc"], [50], number=f"{30 + n}号"), by=huyun)
    few = count(client, url)
    for n in range(2, 6):
        open_vote(building_with(places["gjxc"], [50], number=f"{30 + n}号"), by=huyun)
    assert count(client, url) == few <= 8


def ask(guide, neighbourhood, n, start=0):
    for i in range(start, start + n):
        asker = f.UserFactory(username=f"asker{i}")
        GuideQuestion.objects.create(
            guide=guide, asker=asker, text=f"问题{i}：电梯怎么装？", neighbourhood=neighbourhood
        )


@pytest.mark.parametrize("persona", ["huyun", "admin"])
def test_the_question_queue_costs_the_same_with_more_questions(
    request, client, places, huyun, persona
):
    """/staff/questions/: session, user, worker; one query for the questions with their guide,
    asker and neighbourhood. 3 and 9 questions."""
    user = huyun if persona == "huyun" else f.UserFactory(username="root", is_superuser=True)
    client.force_login(user)
    guide = Guide.objects.create(
        district=places["district"], title="加装电梯", body="…", published=True
    )
    url = reverse("notices:question-queue")
    ask(guide, places["gjxc"], 3)
    few = count(client, url)
    ask(guide, places["gjxc"], 6, start=3)
    assert count(client, url) == few <= 8
