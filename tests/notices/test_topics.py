"""Discussion-hall topics: list, open, read, close with an outcome (emailed once), home card."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from notices.hall.services import topic_close
from notices.models import Reply, Suggestion, Support, Topic
from portal.exceptions import Refused
from portal.messaging.testing import run_worker
from portal.models import Message
from tests import factories as f
from tests.notices.topic_fixtures import make_topic, png_upload

TODAY = timezone.localdate


# /topics/


def test_it_lists_open_topics_first_then_closed_ones_with_their_outcome(client, places, huyun):
    closed = make_topic(places["gjxc"], huyun, title="楼道堆物怎么清理", status=Topic.Status.CLOSED)
    closed.outcome, closed.outcome_published_at = "每月第一个周六集中清理。", timezone.now()
    closed.save()
    make_topic(places["gjxc"], huyun, title="红屋顶花园怎么设计")
    page = client.get("/topics/").content.decode()
    assert page.index("红屋顶花园怎么设计") < page.index("楼道堆物怎么清理")
    assert "每月第一个周六集中清理" in page


def test_it_lists_a_past_deadline_topic_after_open_ones(client, places, huyun):
    make_topic(places["gjxc"], huyun, title="过期的议题", deadline=TODAY() - datetime.timedelta(1))
    make_topic(places["gjxc"], huyun, title="进行中的议题")
    page = client.get("/topics/").content.decode()
    assert page.index("进行中的议题") < page.index("过期的议题")


def test_it_shows_a_resident_their_neighbourhoods_topics_and_all_on_request(
    login, places, huyun, yangying, resident
):
    make_topic(places["gjxc"], huyun, title="公交新村的议题")
    make_topic(places["dhg"], yangying, title="定海港路的议题")
    client = login(resident)
    mine = client.get("/topics/").content.decode()
    assert "公交新村的议题" in mine and "定海港路的议题" not in mine
    everything = client.get("/topics/?all=1").content.decode()
    assert "公交新村的议题" in everything and "定海港路的议题" in everything


def test_it_shows_a_visitor_every_neighbourhoods_topics(client, places, huyun, yangying):
    make_topic(places["gjxc"], huyun, title="公交新村的议题")
    make_topic(places["dhg"], yangying, title="定海港路的议题")
    page = client.get("/topics/").content.decode()
    assert "公交新村的议题" in page and "定海港路的议题" in page


def test_it_answers_post_on_the_topic_list_with_405(client, places):
    assert client.post("/topics/").status_code == 405


@pytest.mark.parametrize("factor", [1, 3])
def test_it_lists_topics_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, places, huyun, factor
):
    """The list annotates suggestion counts in SQL: queries do not grow with topics."""
    author = f.linked_resident(places["gjxc"], "author", "601", "作者")
    for n in range(4 * factor):
        topic = make_topic(places["gjxc"], huyun, title=f"议题{n}")
        Suggestion.objects.create(topic=topic, author=author, text="建议内容比较长")
    with django_assert_max_num_queries(4):  # paginator count + one page of topics
        response = client.get("/topics/")
    assert response.content.decode().count('class="topic-title"') == 4 * factor


# /topics/new/


def test_it_sends_anonymous_visitors_to_sign_in_to_open_a_topic(client, places):
    response = client.get("/topics/new/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["resident", "stranger", "dhg_resident"])
def test_it_lets_only_staff_open_a_topic(request, login, who):
    assert login(request.getfixturevalue(who)).get("/topics/new/").status_code == 403


def test_it_opens_a_topic_for_the_staff_members_own_neighbourhood(login, places, huyun):
    deadline = TODAY() + datetime.timedelta(days=10)
    response = login(huyun).post(
        "/topics/new/",
        {
            "title": "如何设计一个更让人满意的花园",
            "background": "红屋顶花园即将改造。",
            "deadline": deadline.isoformat(),
            "neighbourhood": places["dhg"].pk,  # ignored: staff open for their own
            "images": [png_upload("a.png"), png_upload("b.png", color="red")],
        },
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and response.url == f"/topics/{topic.pk}/"
    assert topic.neighbourhood == places["gjxc"] and topic.opened_by == huyun
    assert topic.deadline == deadline and topic.is_accepting
    assert [bool(i.thumbnail) for i in topic.images.all()] == [True, True]


def test_it_lets_an_admin_choose_the_neighbourhood(login, places, admin):
    response = login(admin).post(
        "/topics/new/",
        {
            "title": "定海港路的议题",
            "deadline": (TODAY() + datetime.timedelta(days=3)).isoformat(),
            "neighbourhood": places["dhg"].pk,
        },
    )
    assert response.status_code == 302
    assert Topic.objects.get().neighbourhood == places["dhg"]


def test_it_refuses_a_past_deadline_and_keeps_what_was_typed(login, huyun):
    response = login(huyun).post(
        "/topics/new/",
        {"title": "楼道灯坏了怎么办", "deadline": (TODAY() - datetime.timedelta(1)).isoformat()},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="楼道灯坏了怎么办"' in page and 'class="error"' in page
    assert not Topic.objects.exists()


def test_it_refuses_a_file_that_is_not_an_image(login, huyun):
    fake = png_upload("x.png")
    fake.file.seek(0)
    fake.file.write(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    fake.file.truncate()
    fake.file.seek(0)
    response = login(huyun).post(
        "/topics/new/",
        {"title": "花园", "deadline": TODAY().isoformat(), "images": [fake]},
    )
    assert response.status_code == 400
    assert not Topic.objects.exists()


def test_it_answers_put_on_topic_new_with_405(login, huyun):
    assert login(huyun).put("/topics/new/").status_code == 405


# /topics/<id>/


def test_it_tells_visitors_who_can_take_part(client, topic):
    page = client.get(f"/topics/{topic.pk}/").content.decode()
    assert "公交新村居民区" in page
    assert 'href="/me/"' in page
    assert 'action="/topics/' not in page  # no suggestion form


@pytest.mark.parametrize("who", ["stranger", "dhg_resident", "yangying"])
def test_it_lets_others_read_but_not_post(request, login, topic, suggestion, who):
    page = login(request.getfixturevalue(who)).get(f"/topics/{topic.pk}/").content.decode()
    assert "月季" in page
    assert f"/topics/{topic.pk}/suggest/" not in page
    assert "/support/" not in page
    assert 'href="/me/"' in page


def test_it_gives_a_linked_resident_the_suggestion_form_and_support_button(
    login, resident, topic, suggestion
):
    page = login(resident).get(f"/topics/{topic.pk}/").content.decode()
    assert f'action="/topics/{topic.pk}/suggest/"' in page
    assert f'action="/topics/suggestions/{suggestion.pk}/support/"' in page


def test_it_gives_staff_the_moderation_forms_only_in_their_neighbourhood(
    login, huyun, yangying, topic, suggestion
):
    own = login(huyun).get(f"/topics/{topic.pk}/").content.decode()
    assert f"/topics/suggestions/{suggestion.pk}/hide/" in own
    assert f"/topics/{topic.pk}/close/" in own
    other = login(yangying).get(f"/topics/{topic.pk}/").content.decode()
    assert "/hide/" not in other and "/close/" not in other


def test_it_answers_404_for_a_missing_topic(client, places):
    assert client.get("/topics/999999/").status_code == 404


def test_it_answers_post_on_a_topic_page_with_405(login, resident, topic):
    assert login(resident).post(f"/topics/{topic.pk}/").status_code == 405


def _grow(topic, places, n):
    """n suggestions, each with n supports and a staff reply."""
    supporters = [
        f.linked_resident(places["gjxc"], f"s{n}-{i}", f"{n}-{i}", f"邻居{i}") for i in range(n)
    ]
    for i in range(n):
        s = Suggestion.objects.create(topic=topic, author=supporters[i], text=f"建议{i}号内容")
        Support.objects.bulk_create(
            Support(suggestion=s, user=u) for u in supporters if u != supporters[i]
        )
        Reply.objects.create(suggestion=s, author=topic.opened_by, text=f"回复{i}")


@pytest.mark.parametrize("who", ["anonymous", "resident", "huyun"])
def test_it_shows_a_topic_in_a_fixed_number_of_queries(
    request, client, login, django_assert_num_queries, places, topic, who
):
    """/topics/<id>/: counts annotated in SQL, replies prefetched, "did I support" an EXISTS
    in the same query, so the count is the same with 3 and with 9 suggestions."""
    if who != "anonymous":
        client = login(request.getfixturevalue(who))
    counts = []
    for n in (3, 9):
        Suggestion.objects.filter(topic=topic).delete()
        _grow(topic, places, n)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/topics/{topic.pk}/")
        assert response.status_code == 200
        assert response.content.decode().count('class="card suggestion') == n
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 10


# Closing with an outcome


def close_url(topic):
    return f"/topics/{topic.pk}/close/"


def test_it_guards_the_close_page(client, login, resident, yangying, topic):
    anonymous = client.get(close_url(topic))
    assert anonymous.status_code == 302 and anonymous.url.startswith("/accounts/login/")
    assert login(resident).get(close_url(topic)).status_code == 403
    assert login(yangying).get(close_url(topic)).status_code == 404
    assert login(yangying).post(close_url(topic), {"outcome": "x"}).status_code == 404
    assert login(yangying).put(close_url(topic)).status_code == 405


def test_it_closes_a_topic_publishes_the_outcome_and_tells_participants_once(
    login, django_capture_on_commit_callbacks, places, huyun, resident, neighbour, topic, suggestion
):
    f.prove_email(resident, "limei@example.com")
    Support.objects.create(suggestion=suggestion, user=resident)
    bystander = f.linked_resident(places["gjxc"], "bystander", "701", "旁观者", "by@example.com")
    client = login(huyun)
    assert client.get(close_url(topic)).status_code == 200
    outcome = "采纳月季和长椅的建议，九月动工，居民志愿者参与日常养护。"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(close_url(topic), {"outcome": outcome})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.status == Topic.Status.CLOSED and topic.outcome == outcome
    assert topic.outcome_published_at is not None
    run_worker()  # the message queue's worker sends the emails
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["limei@example.com", "wangfang@example.com"]
    assert bystander.email not in recipients
    assert all(outcome in message.body for message in mail.outbox)
    assert all(f"/topics/{topic.pk}/" in message.body for message in mail.outbox)
    # A second POST (double click, back button) publishes and emails nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(close_url(topic), {"outcome": "另一个结果"})
    run_worker()
    topic.refresh_from_db()
    assert topic.outcome == outcome and len(mail.outbox) == 2
    with pytest.raises(Refused), django_capture_on_commit_callbacks(execute=True):
        topic_close(topic=topic, by=huyun, outcome="again")
    run_worker()
    assert len(mail.outbox) == 2
    # Everyone who took part has it in their inbox, email or not.
    assert sorted(
        Message.objects.filter(kind="topic_outcome").values_list("recipient__username", flat=True)
    ) == sorted([resident.username, neighbour.username])


def test_it_shows_the_outcome_on_the_topic_page(client, huyun, topic):
    topic_close(topic=topic, by=huyun, outcome="九月动工。")
    page = client.get(f"/topics/{topic.pk}/").content.decode()
    assert "九月动工" in page
    assert "这个议题已停止征集建议和附议" in page


def test_it_requires_an_outcome_to_close(login, huyun, topic):
    response = login(huyun).post(close_url(topic), {"outcome": ""})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == Topic.Status.OPEN


# Home page card


def test_it_shows_my_neighbourhoods_open_topics_on_the_home_page(
    login, places, yangying, resident, topic
):
    make_topic(places["dhg"], yangying, title="定海港路的议题")
    page = login(resident).get("/").content.decode()
    assert topic.title in page and "定海港路的议题" not in page


def test_it_shows_visitors_the_districts_open_topics(client, places, huyun, yangying, topic):
    make_topic(places["dhg"], yangying, title="定海港路的议题")
    make_topic(places["gjxc"], huyun, title="已截止", deadline=TODAY() - datetime.timedelta(1))
    page = client.get("/").content.decode()
    assert topic.title in page and "定海港路的议题" in page and "已截止" not in page


def test_it_links_the_hall_and_services_in_the_navigation(client, places):
    page = client.get("/").content.decode()
    assert 'href="/topics/"' in page and 'href="/services/"' in page


def test_it_keeps_the_home_page_topic_card_to_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, places, huyun
):
    """The home card's topics come in one query with their suggestion counts annotated."""
    for n in range(6):
        make_topic(places["gjxc"], huyun, title=f"议题{n}")
    f.UserFactory()
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200
