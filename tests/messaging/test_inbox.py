"""/me/inbox/: the list, one message, mark read, the header's count, the preferences page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.messaging import Kind, register_kind, send
from portal.models import Message, MessagePreference

pytestmark = pytest.mark.django_db
register_kind(Kind(name="test_note", label="Test note", template="messaging/plain.txt"))


def note(person, n=0, url="/me/"):
    (message,) = send("test_note", [person], {"subject": f"消息{n}", "text": "正文"}, url=url)
    return message


def test_inbox_lists_my_messages_with_links_and_the_header_count(client, resident, stranger):
    mine = [note(resident, n) for n in range(3)]
    note(stranger, 9)
    client.force_login(resident)
    page = client.get("/me/inbox/").content.decode()
    assert "消息0" in page and "消息2" in page and "消息9" not in page
    assert f'href="/me/inbox/{mine[0].pk}/"' in page
    assert 'href="/me/"' in page
    assert 'class="badge unread-count"' in page and ">3</span>" in page


def test_opening_a_message_marks_it_read_and_another_persons_is_404(client, resident, stranger):
    message = note(resident)
    theirs = note(stranger)
    client.force_login(resident)
    page = client.get(f"/me/inbox/{message.pk}/").content.decode()
    assert "正文" in page
    message.refresh_from_db()
    assert message.read_at is not None
    resident.refresh_from_db()
    assert resident.unread_messages == 0
    assert client.get(f"/me/inbox/{theirs.pk}/").status_code == 404
    # Marking another person's message read changes nothing.
    client.post("/me/inbox/read/", {"message": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_and_mark_all_read(client, resident):
    first, second, third = (note(resident, n) for n in range(3))
    client.force_login(resident)
    response = client.post(
        "/me/inbox/read/", {"message": [first.pk, "x"], "next": "/me/inbox/?page=1"}
    )
    assert response.status_code == 302 and response["Location"] == "/me/inbox/?page=1"
    resident.refresh_from_db()
    assert resident.unread_messages == 2
    assert client.post("/me/inbox/read-all/").status_code == 302
    assert not Message.objects.filter(recipient=resident, read_at__isnull=True).exists()
    resident.refresh_from_db()
    assert resident.unread_messages == 0
    assert 'class="badge unread-count"' not in client.get("/me/inbox/").content.decode()


def test_inbox_query_count_holds_as_messages_grow(client, resident):
    client.force_login(resident)
    note(resident, 0)
    client.get("/me/inbox/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/me/inbox/").status_code == 200
    for n in range(30):
        note(resident, n)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/me/inbox/?page=2").status_code == 200
    assert len(many) == len(few) <= 6


def test_the_header_count_costs_no_query(client, resident):
    client.force_login(resident)
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    for n in range(3):
        note(resident, n)
    with CaptureQueriesContext(connection) as after:
        page = client.get("/").content.decode()
    assert ">3</span>" in page
    assert len(after) == len(before)


def test_preferences_page_saves_choices_but_staff_alerts_stay_on(client, huyun, resident):
    client.force_login(resident)
    page = client.get("/me/inbox/settings/").content.decode()
    assert "Test note" in page
    assert 'name="watch_alert_opened__' not in page  # a staff alert is not offered to residents
    response = client.post(
        "/me/inbox/settings/", {"test_note__sms": "on", "link_approved__email": "on"}
    )
    assert response.status_code == 302
    pref = MessagePreference.objects.get(user=resident, kind="test_note")
    assert (pref.sms, pref.wechat, pref.email) == (True, False, False)
    # Staff: the watch alert is shown locked on; a forged POST cannot switch it off.
    client.force_login(huyun)
    page = client.get("/me/inbox/settings/").content.decode()
    assert 'name="watch_alert_opened__sms"' in page and "disabled" in page
    client.post("/me/inbox/settings/", {})
    assert not MessagePreference.objects.filter(user=huyun, kind="watch_alert_opened").exists()


def test_following_notice_categories(client, resident):
    client.force_login(resident)
    assert client.get("/notices/follow/").status_code == 200
    client.post("/notices/follow/", {"categories": ["water", "safety"]})
    assert sorted(resident.notice_follows.values_list("category", flat=True)) == [
        "safety",
        "water",
    ]
    response = client.post("/notices/follow/", {"categories": ["bogus"]})
    assert response.status_code == 200 and "bogus" in response.content.decode()
    client.post("/notices/follow/", {})
    assert not resident.notice_follows.exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/me/inbox/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
