"""Suggestions and support (附议) in the discussion hall: who may post, once each, moderation."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from notices.hall.services import suggestion_support
from notices.models import Reply, Suggestion, Support
from tests import factories as f
from tests.concurrency import run_concurrently
from tests.notices.topic_fixtures import png_upload


def suggest_url(topic):
    return f"/topics/{topic.pk}/suggest/"


def support_url(suggestion):
    return f"/topics/suggestions/{suggestion.pk}/support/"


# Posting a suggestion


def test_it_sends_anonymous_visitors_to_sign_in_before_suggesting(client, topic):
    response = client.post(suggest_url(topic), {"text": "多种些花草树木"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not Suggestion.objects.exists()


def test_it_takes_a_suggestion_with_a_photo_from_a_resident(login, resident, topic):
    response = login(resident).post(
        suggest_url(topic), {"text": "花园里放几张长椅，老人可以歇脚。", "photo": png_upload()}
    )
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302
    assert response.url == f"/topics/{topic.pk}/#suggestion-{suggestion.pk}"
    assert suggestion.author == resident
    assert suggestion.text == "花园里放几张长椅，老人可以歇脚。"
    assert suggestion.photo.name.startswith("suggestions/")
    assert suggestion.thumbnail.name.endswith("-thumb.jpg")
    page = login(resident).get(f"/topics/{topic.pk}/").content.decode()
    assert "花园里放几张长椅" in page
    assert suggestion.thumbnail_url in page and "/media/" not in page


@pytest.mark.parametrize("who", ["stranger", "dhg_resident", "yangying", "huyun", "admin"])
def test_it_refuses_suggestions_from_anyone_but_linked_residents(request, login, topic, who):
    user = request.getfixturevalue(who)
    response = login(user).post(suggest_url(topic), {"text": "我也想提个建议"})
    assert response.status_code == 403
    assert not Suggestion.objects.exists()


def test_it_answers_get_on_the_suggest_url_with_405(login, resident, topic):
    assert login(resident).get(suggest_url(topic)).status_code == 405


def test_it_keeps_the_typed_text_when_the_photo_is_not_an_image(login, resident, topic):
    fake = png_upload(name="photo.jpg")
    fake.file.seek(0)
    fake.file.write(b"%PDF-1.4 not an image at all")
    fake.file.truncate()
    fake.file.seek(0)
    response = login(resident).post(suggest_url(topic), {"text": "建议增加照明灯", "photo": fake})
    page = response.content.decode()
    assert response.status_code == 400
    assert "建议增加照明灯" in page
    assert 'class="error"' in page
    assert not Suggestion.objects.exists()


def test_it_asks_for_more_than_a_couple_of_characters(login, resident, topic):
    response = login(resident).post(suggest_url(topic), {"text": "好"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "5" in page and 'class="error"' in page
    assert "好</textarea>" in page
    assert not Suggestion.objects.exists()


def test_it_takes_no_suggestion_after_the_deadline(login, resident, topic):
    topic.deadline = timezone.localdate() - datetime.timedelta(days=1)
    topic.save(update_fields=["deadline"])
    response = login(resident).post(suggest_url(topic), {"text": "迟到的建议也想说说"}, follow=True)
    assert not Suggestion.objects.exists()
    assert "这个议题已停止征集建议" in response.content.decode()


def test_it_takes_no_suggestion_on_a_closed_topic(login, resident, topic):
    topic.status = topic.Status.CLOSED
    topic.save(update_fields=["status"])
    login(resident).post(suggest_url(topic), {"text": "关闭后的建议"})
    assert not Suggestion.objects.exists()


# Support (附议)


def test_it_counts_a_residents_support_once(login, resident, suggestion):
    client = login(resident)
    first = client.post(support_url(suggestion))
    second = client.post(support_url(suggestion))
    assert first.status_code == second.status_code == 302
    assert Support.objects.filter(suggestion=suggestion, user=resident).count() == 1
    page = client.get(f"/topics/{suggestion.topic_id}/").content.decode()
    assert "<strong>1</strong>" in page


def test_it_does_not_let_an_author_support_their_own_suggestion(login, neighbour, suggestion):
    login(neighbour).post(support_url(suggestion))
    assert not Support.objects.exists()


def test_it_sends_anonymous_supporters_to_sign_in(client, suggestion):
    response = client.post(support_url(suggestion))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not Support.objects.exists()


@pytest.mark.parametrize("who", ["stranger", "dhg_resident", "yangying", "huyun", "admin"])
def test_it_refuses_support_from_anyone_but_linked_residents(request, login, suggestion, who):
    response = login(request.getfixturevalue(who)).post(support_url(suggestion))
    assert response.status_code == 403
    assert not Support.objects.exists()


def test_it_answers_get_on_the_support_url_with_405(login, resident, suggestion):
    assert login(resident).get(support_url(suggestion)).status_code == 405


def test_it_takes_no_support_after_the_deadline(login, resident, suggestion):
    topic = suggestion.topic
    topic.deadline = timezone.localdate() - datetime.timedelta(days=1)
    topic.save(update_fields=["deadline"])
    login(resident).post(support_url(suggestion))
    assert not Support.objects.exists()


def test_it_orders_suggestions_by_support(login, resident, places, topic, neighbour, suggestion):
    other = Suggestion.objects.create(topic=topic, author=resident, text="在花园里设一个读书角")
    for n in range(2):
        user = f.linked_resident(places["gjxc"], f"fan{n}", f"50{n}", f"粉丝{n}")
        Support.objects.create(suggestion=other, user=user)
    page = login(neighbour).get(f"/topics/{topic.pk}/").content.decode()
    assert page.index("读书角") < page.index("月季")


@pytest.mark.django_db(transaction=True)
def test_it_counts_concurrent_support_once(places, huyun, resident, suggestion):
    """Two requests at the same moment: the unique constraint lets exactly one through."""

    def tap(_):
        return suggestion_support(suggestion=suggestion, user=resident)

    outcome = run_concurrently(tap, 4)
    assert outcome.errors == []
    assert sorted(outcome.values) == [False, False, False, True]
    assert Support.objects.filter(suggestion=suggestion).count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_counts_concurrent_support_posts_once(places, huyun, resident, suggestion):
    """The same through HTTP: two signed-in browsers of one resident post at once."""
    clients = [Client() for _ in range(3)]
    for client in clients:
        client.force_login(resident)
    outcome = run_concurrently(lambda i: clients[i].post(support_url(suggestion)), 3)
    assert outcome.errors == []
    assert [response.status_code for response in outcome.values] == [302, 302, 302]
    assert Support.objects.filter(suggestion=suggestion).count() == 1


# Moderation: hide with a reason, reply


def hide_url(suggestion):
    return f"/topics/suggestions/{suggestion.pk}/hide/"


def test_it_hides_a_suggestion_from_everyone_but_its_author(
    client, login, huyun, resident, neighbour, suggestion
):
    response = login(huyun).post(hide_url(suggestion), {"reason": "含有人身攻击"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.hidden and suggestion.hidden_reason == "含有人身攻击"
    assert suggestion.hidden_by == huyun
    detail = f"/topics/{suggestion.topic_id}/"
    client.logout()
    assert "月季" not in client.get(detail).content.decode()
    assert "月季" not in login(resident).get(detail).content.decode()
    own = login(neighbour).get(detail).content.decode()
    assert "月季" in own and "含有人身攻击" in own
    staff = login(huyun).get(detail).content.decode()
    assert "月季" in staff and "含有人身攻击" in staff


def test_it_refuses_support_for_a_hidden_suggestion(login, resident, suggestion, huyun):
    suggestion.hide(by=huyun, reason="广告")
    assert login(resident).post(support_url(suggestion)).status_code == 404
    assert not Support.objects.exists()


def test_it_requires_a_reason_to_hide(login, huyun, suggestion):
    response = login(huyun).post(hide_url(suggestion), {"reason": ""})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    suggestion.refresh_from_db()
    assert not suggestion.hidden


def test_it_shows_a_hidden_suggestion_again(login, huyun, suggestion):
    suggestion.hide(by=huyun, reason="误判")
    login(huyun).post(f"/topics/suggestions/{suggestion.pk}/unhide/")
    suggestion.refresh_from_db()
    assert not suggestion.hidden and suggestion.hidden_reason == ""


@pytest.mark.parametrize("action", ["hide", "unhide", "reply"])
def test_it_guards_moderation_urls(client, login, resident, yangying, admin, suggestion, action):
    url = f"/topics/suggestions/{suggestion.pk}/{action}/"
    data = {"reason": "广告", "text": "谢谢建议"}
    anonymous = client.post(url, data)
    assert anonymous.status_code == 302 and anonymous.url.startswith("/accounts/login/")
    assert login(resident).post(url, data).status_code == 403
    assert login(yangying).post(url, data).status_code == 404
    assert login(admin).get(url).status_code == 405
    assert login(admin).post(url, data).status_code == 302


def test_it_shows_a_staff_reply_under_the_suggestion(client, login, huyun, suggestion):
    response = login(huyun).post(
        f"/topics/suggestions/{suggestion.pk}/reply/", {"text": "好主意，设计方案里会考虑长椅。"}
    )
    assert response.status_code == 302
    reply = Reply.objects.get()
    assert reply.author == huyun and reply.suggestion == suggestion
    client.logout()
    assert "设计方案里会考虑长椅" in client.get(f"/topics/{suggestion.topic_id}/").content.decode()


def test_it_keeps_an_empty_reply_out(login, huyun, suggestion):
    response = login(huyun).post(f"/topics/suggestions/{suggestion.pk}/reply/", {"text": "  "})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not Reply.objects.exists()
