"""Guides (办事指南) under /services/: published pages, residents' questions, staff answers."""

import pytest

from notices.models import Guide, GuideQuestion


def ask_url(guide):
    return f"/services/guides/{guide.pk}/ask/"


def answer_url(question):
    return f"/services/questions/{question.pk}/answer/"


def test_it_lists_published_guides_for_everyone(client, places, guide, gjxc_guide):
    Guide.objects.create(district=places["district"], title="草稿指南", body="x", published=False)
    page = client.get("/services/").content.decode()
    assert "加装电梯" in page and "文明养宠" in page
    assert "草稿指南" not in page


def test_it_lists_my_neighbourhoods_guides_and_the_districts(login, places, resident, guide):
    Guide.objects.create(
        district=places["district"],
        neighbourhood=places["dhg"],
        title="定海港路停车",
        body="x",
        published=True,
    )
    page = login(resident).get("/services/").content.decode()
    assert "加装电梯" in page and "定海港路停车" not in page


def test_it_answers_post_on_services_with_405(client, places):
    assert client.post("/services/").status_code == 405


@pytest.mark.parametrize("factor", [1, 3])
def test_it_lists_guides_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, places, factor
):
    """One query for the guides with their neighbourhood joined, however many there are; the
    page also shows the aids catalogue (items, points, unit counts, units held back: 4) and a
    visitor's choice of neighbourhood for the facilities near it (1)."""
    for n in range(3 * factor):
        Guide.objects.create(
            district=places["district"],
            neighbourhood=places["gjxc"],
            title=f"指南{n}",
            body="x",
            published=True,
        )
    with django_assert_max_num_queries(7):
        response = client.get("/services/")
    assert response.content.decode().count("/services/guides/") == 3 * factor


def test_it_shows_a_guide_with_its_body_sanitised(client, guide):
    page = client.get(f"/services/guides/{guide.pk}/").content.decode()
    assert "第一步：征询本门栋业主意见。" in page
    assert "<script>alert(1)</script>" not in page
    assert "alert(1)" not in page


def test_it_hides_a_draft_from_everyone_but_admins(client, login, resident, huyun, admin, guide):
    guide.published = False
    guide.save(update_fields=["published"])
    url = f"/services/guides/{guide.pk}/"
    assert client.get(url).status_code == 404
    assert login(resident).get(url).status_code == 404
    assert login(huyun).get(url).status_code == 404
    assert login(admin).get(url).status_code == 200


def test_it_answers_post_on_a_guide_page_with_405(client, guide):
    assert client.post(f"/services/guides/{guide.pk}/").status_code == 405


# Asking


def test_it_sends_anonymous_askers_to_sign_in(client, guide):
    response = client.post(ask_url(guide), {"text": "加装电梯需要多少户同意？"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    page = client.get(f"/services/guides/{guide.pk}/").content.decode()
    assert "/accounts/login/?next=" in page


@pytest.mark.parametrize("who", ["resident", "stranger"])
def test_it_shows_an_askers_question_to_them_as_waiting(client, login, request, guide, who):
    asker = request.getfixturevalue(who)
    response = login(asker).post(ask_url(guide), {"text": "加装电梯需要多少户同意？"})
    assert response.status_code == 302
    question = GuideQuestion.objects.get()
    assert question.asker == asker and not question.is_answered
    own = login(asker).get(f"/services/guides/{guide.pk}/").content.decode()
    assert "加装电梯需要多少户同意" in own
    client.logout()
    assert (
        "加装电梯需要多少户同意" not in client.get(f"/services/guides/{guide.pk}/").content.decode()
    )


def test_it_keeps_a_too_short_question_in_the_box(login, resident, guide):
    response = login(resident).post(ask_url(guide), {"text": "问"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "问</textarea>" in page and 'class="error"' in page
    assert not GuideQuestion.objects.exists()


def test_it_answers_get_on_ask_with_405(login, resident, guide):
    assert login(resident).get(ask_url(guide)).status_code == 405


# Answering


@pytest.fixture
def question(guide, resident):
    """Asked by a resident of 公交新村: its staff answer it (a district-wide guide)."""
    return GuideQuestion.objects.create(
        guide=guide,
        asker=resident,
        text="需要多少户同意？",
        neighbourhood=resident.home_neighbourhood,
    )


def test_it_publishes_a_staff_answer_as_faq(client, login, huyun, question):
    page = login(huyun).get(f"/services/guides/{question.guide_id}/").content.decode()
    assert answer_url(question) in page
    response = login(huyun).post(
        answer_url(question), {"answer": "需经本门栋三分之二以上业主同意。"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answered_by == huyun and question.is_answered
    client.logout()
    page = client.get(f"/services/guides/{question.guide_id}/").content.decode()
    assert "需要多少户同意" in page and "三分之二以上业主同意" in page


def test_it_keeps_an_empty_answer_out(login, huyun, question):
    response = login(huyun).post(answer_url(question), {"answer": ""})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    question.refresh_from_db()
    assert not question.is_answered


def test_it_guards_the_answer_url(client, login, resident, stranger, question):
    anonymous = client.post(answer_url(question), {"answer": "x"})
    assert anonymous.status_code == 302 and anonymous.url.startswith("/accounts/login/")
    assert login(resident).post(answer_url(question), {"answer": "x"}).status_code == 403
    assert login(stranger).post(answer_url(question), {"answer": "x"}).status_code == 403
    assert login(resident).get(answer_url(question)).status_code == 405


def test_it_lets_only_the_guides_own_staff_answer(login, yangying, admin, gjxc_guide, resident):
    question = GuideQuestion.objects.create(guide=gjxc_guide, asker=resident, text="能养几只狗？")
    assert login(yangying).post(answer_url(question), {"answer": "x"}).status_code == 404
    page = login(yangying).get(f"/services/guides/{gjxc_guide.pk}/").content.decode()
    assert answer_url(question) not in page
    assert (
        login(admin).post(answer_url(question), {"answer": "每户限养一只犬。"}).status_code == 302
    )


def test_on_a_district_guide_each_neighbourhood_s_staff_answer_their_own_residents(
    login, yangying, question, places, stranger
):
    """A 公交新村 resident's question is not 定海港路's staff's to answer (nor to see); a
    question asked from 定海港路 is."""
    assert login(yangying).post(answer_url(question), {"answer": "x"}).status_code == 404
    theirs = GuideQuestion.objects.create(
        guide=question.guide, asker=stranger, text="定海港路能装吗？", neighbourhood=places["dhg"]
    )
    response = login(yangying).post(answer_url(theirs), {"answer": "可以，先征询意见。"})
    assert response.status_code == 302


def test_it_hides_other_neighbourhoods_waiting_questions_on_a_district_guide(
    login, yangying, huyun, admin, question
):
    """Finding 7: 定海港路's staff saw (and could answer) 公交新村 residents' questions."""
    page = login(yangying).get(f"/services/guides/{question.guide_id}/").content.decode()
    assert "需要多少户同意" not in page
    assert answer_url(question) not in page
    assert login(yangying).post(answer_url(question), {"answer": "x"}).status_code == 404
    assert (
        answer_url(question)
        in login(huyun).get(f"/services/guides/{question.guide_id}/").content.decode()
    )
    assert (
        answer_url(question)
        in login(admin).get(f"/services/guides/{question.guide_id}/").content.decode()
    )
