"""One vote per household under real concurrency (threads, each on its own connection).

Rows are committed (transaction=True) so that every connection sees them. The household's
roll entry is locked before its ballot is read, so concurrent submissions for one household
happen one after the other: one ballot row, changed by the later ones, never an error.
"""

import pytest

from neighborhoods.models import Ballot
from neighborhoods.votes import services
from tests.concurrency import clients_of, run_concurrently

from .vote_helpers import building_with, open_vote, voter_of

pytestmark = pytest.mark.django_db(transaction=True)

CHOICES = ["agree", "disagree", "abstain"]


@pytest.fixture
def vote(places, huyun):
    return open_vote(building_with(places["gjxc"], [50, 60, 70]), by=huyun)


def test_residents_of_one_household_voting_at_once_make_one_ballot(vote):
    household = vote.roll.get(household__room="101").household
    people = [voter_of(household, f"member{i}") for i in range(6)]

    outcome = run_concurrently(
        lambda i: services.ballot_cast(vote=vote, user=people[i], choice=CHOICES[i % 3]), 6
    )

    assert outcome.errors == []
    ballot = Ballot.objects.get(vote=vote)
    assert ballot.changes == 5  # one row, written once and changed five times
    assert ballot.cast_by in people


def test_taps_of_one_browser_at_once_make_one_ballot(vote):
    household = vote.roll.get(household__room="102").household
    voter = voter_of(household, "tapper")
    url = f"/services/votes/{vote.pk}/ballot/"
    clients = clients_of(voter, 8)

    outcome = run_concurrently(
        lambda i: clients[i].post(url, {"choice": CHOICES[i % 2]}).status_code, 8
    )

    assert outcome.errors == []
    assert outcome.values == [302] * 8
    assert Ballot.objects.filter(vote=vote, household=household).count() == 1


def test_a_paper_form_and_an_online_vote_at_once_make_one_ballot(vote, huyun):
    household = vote.roll.get(household__room="103").household
    voter = voter_of(household, "online103")

    def submit(i):
        if i % 2:
            return services.ballot_cast(vote=vote, user=voter, choice="agree")
        return services.ballot_record_paper(
            vote=vote, household=household, choice="disagree", reference=f"P-{i}", by=huyun
        )

    outcome = run_concurrently(submit, 6)

    assert outcome.errors == []
    assert Ballot.objects.filter(vote=vote, household=household).count() == 1
