"""The demo's consent votes: an open 加装电梯 vote in 公交新村 1号 with about half its
households voted (the `resident` account's not yet), a closed one in 2号 that passed, both
linked to the 加装电梯 guide, whose rule is Civil Code art. 278's."""

import pytest
from django.urls import reverse

from neighborhoods.models import ConsentVote, Household
from neighborhoods.votes.services import vote_tally
from notices.models import Guide
from portal.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]


def test_every_demo_household_has_a_floor_area():
    assert not Household.objects.filter(floor_area__isnull=True).exists()


def test_the_open_vote_has_about_half_of_its_households_voted():
    vote = ConsentVote.objects.open().get(building__neighbourhood__name="公交新村居民区")
    tally = vote_tally(vote)
    assert vote.building.number == "1号"
    assert tally.households // 2 <= tally.voted <= (tally.households + 1) // 2 + 1
    assert not tally.passed  # still open, short of two thirds


def test_the_closed_vote_passed():
    vote = ConsentVote.objects.closed().get(building__neighbourhood__name="公交新村居民区")
    assert vote_tally(vote).passed


def test_the_lift_guide_states_article_278_and_links_the_votes(client):
    guide = Guide.objects.get(title="加装电梯怎么办")
    assert "四分之三以上" in guide.body and "且人数三分之二以上的业主同意" not in guide.body
    assert guide.consent_votes.count() == 2
    client.force_login(User.objects.get(username="resident"))
    page = client.get(reverse("notices:guide-detail", args=[guide.pk])).content.decode()
    vote = guide.consent_votes.open().get()
    assert reverse("neighborhoods:vote-detail", args=[vote.pk]) in page
    # 李梅's household has not voted yet: she can, in the demo.
    response = client.get(reverse("neighborhoods:vote-detail", args=[vote.pk]))
    assert response.context["ballot"] is None and response.context["form"] is not None


def test_the_director_has_the_demo_s_waiting_question_in_her_queue(client):
    client.force_login(User.objects.get(username="huyun"))
    questions = client.get(reverse("notices:question-queue")).context["questions"]
    assert [q.text for q in questions] == ["我家楼道比较窄，还能装电梯吗？"]
