"""The staff's queue of guides' questions waiting for an answer (/staff/questions/), the block
on /staff/, and the asker's answer on /me/.

Scope: committee staff answer the questions on their neighbourhood's own guides, and those
asked from their neighbourhood on the district's guides; never another neighbourhood's.
District admins answer every question.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from notices.models import Guide, GuideQuestion
from tests import factories as f

pytestmark = pytest.mark.django_db

QUEUE = reverse("notices:question-queue")


@pytest.fixture
def guide(places):
    return Guide.objects.create(
        district=places["district"], title="加装电梯怎么办", body="…", published=True
    )


def question(guide, neighbourhood, text, *, hours_ago=0, asker=None):
    q = GuideQuestion.objects.create(
        guide=guide,
        asker=asker or f.UserFactory(),
        text=text,
        neighbourhood=neighbourhood,
    )
    GuideQuestion.objects.filter(pk=q.pk).update(
        created=timezone.now() - datetime.timedelta(hours=hours_ago)
    )
    return q


def test_staff_see_their_neighbourhood_s_questions_oldest_first(login, huyun, places, guide):
    newer = question(guide, places["gjxc"], "楼道窄能装吗？", hours_ago=1)
    older = question(guide, places["gjxc"], "一楼要出钱吗？", hours_ago=30)
    question(guide, places["dhg"], "定海港路的问题", hours_ago=50)
    response = login(huyun).get(QUEUE)
    assert list(response.context["questions"]) == [older, newer]
    assert "定海港路的问题" not in response.content.decode()


def test_staff_do_not_see_another_neighbourhood_s_questions_on_a_district_guide(
    login, yangying, places, guide
):
    asked = question(guide, places["gjxc"], "公交新村的问题")
    client = login(yangying)
    assert list(client.get(QUEUE).context["questions"]) == []
    assert (
        "公交新村的问题"
        not in client.get(reverse("notices:guide-detail", args=[guide.pk])).content.decode()
    )
    answer = client.post(
        reverse("notices:guide-question-answer", args=[asked.pk]), {"answer": "可以。"}
    )
    assert answer.status_code == 404


def test_staff_answer_their_own_neighbourhood_s_guide_whoever_asks(login, huyun, places):
    own = Guide.objects.create(
        district=places["district"], neighbourhood=places["gjxc"], title="红屋顶花园认领", body="…"
    )
    asked = question(own, None, "花箱怎么认领？")
    assert list(login(huyun).get(QUEUE).context["questions"]) == [asked]


def test_admins_see_every_question(client, places, guide):
    gjxc = question(guide, places["gjxc"], "公交新村的问题", hours_ago=2)
    nowhere = question(guide, None, "没有上云的人问的", hours_ago=1)
    client.force_login(f.UserFactory(username="root", is_superuser=True))
    assert list(client.get(QUEUE).context["questions"]) == [gjxc, nowhere]


def test_answering_from_the_queue_comes_back_to_it_and_shows_on_me(
    login, client, huyun, places, guide, resident
):
    asked = question(guide, places["gjxc"], "一楼要出钱吗？", asker=resident)
    response = login(huyun).post(
        reverse("notices:guide-question-answer", args=[asked.pk]),
        {"answer": "一楼一般不分摊。", "next": QUEUE},
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert list(client.get(QUEUE).context["questions"]) == []
    client.force_login(resident)
    me = client.get(reverse("portal:me")).content.decode()
    assert "一楼一般不分摊。" in me and "一楼要出钱吗？" in me


def test_an_empty_answer_from_the_queue_keeps_the_question_waiting(login, huyun, places, guide):
    asked = question(guide, places["gjxc"], "一楼要出钱吗？")
    response = login(huyun).post(
        reverse("notices:guide-question-answer", args=[asked.pk]), {"answer": "", "next": QUEUE}
    )
    assert response.status_code == 400
    asked.refresh_from_db()
    assert not asked.is_answered


def test_a_question_is_filed_under_the_asker_s_neighbourhood(login, resident, places, guide):
    login(resident).post(
        reverse("notices:guide-question-create", args=[guide.pk]),
        {"text": "我家楼道比较窄，还能装电梯吗？"},
    )
    assert GuideQuestion.objects.get().neighbourhood == places["gjxc"]


def test_the_staff_home_shows_the_oldest_waiting_questions(login, huyun, places, guide):
    for n in range(5):
        question(guide, places["gjxc"], f"问题{n}", hours_ago=10 - n)
    response = login(huyun).get(reverse("neighborhoods:staff-home"))
    assert response.context["waiting_questions_count"] == 5
    assert [q.text for q in response.context["waiting_questions"]] == ["问题0", "问题1", "问题2"]
    assert QUEUE in response.content.decode()
