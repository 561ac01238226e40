"""The messaging API others build on: send(), kinds, the inbox, the SMS gateway's outbox."""

import datetime
import zoneinfo

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail

from portal.messaging import Kind, inbox_for, mark_all_read, mark_read, register_kind, send
from portal.messaging.gateways import outbox, sms_gateway
from portal.messaging.testing import run_worker
from portal.models import Delivery, DeliveryAttempt, Message, MessagePreference
from tests import factories as f

NOTE = register_kind(Kind(name="test_note", label="Test note", template="messaging/plain.txt"))
ALERT = register_kind(
    Kind(name="test_alert", label="Test alert", template="messaging/plain.txt", staff_alert=True)
)


# Daytime in Shanghai: outside quiet hours (21:30–08:00), when non-urgent SMS wait.
DAYTIME = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _clean_outbox():
    outbox.clear()
    with time_machine.travel(DAYTIME, tick=False):
        yield
    outbox.clear()


def _person(**kw):
    """Someone whose number and address are proved (only those are used; see
    test_unverified_numbers_and_addresses_are_sent_nothing)."""
    return f.UserFactory(phone_verified="phone" in kw, email_verified="email" in kw, **kw)


@pytest.mark.django_db
def test_send_writes_inbox_and_deliveries_per_channel_the_person_has():
    phone_only = _person(phone="13800138001")
    both = _person(phone="13800138002", email="both@example.com")
    nothing = _person()
    messages = send(
        "test_note",
        recipients=[phone_only, both, nothing],
        context={"subject": "标题", "text": "正文"},
        url="/me/",
    )
    assert len(messages) == 3
    assert Message.objects.filter(subject="标题", body="正文").count() == 3
    channels = sorted(Delivery.objects.values_list("message__recipient__username", "channel"))
    assert channels == sorted(
        [(phone_only.username, "sms"), (both.username, "sms"), (both.username, "email")]
    )
    for user in (phone_only, both, nothing):
        user.refresh_from_db()
        assert user.unread_messages == 1

    run_worker()

    assert sorted(item.to for item in outbox.for_channel("sms")) == ["13800138001", "13800138002"]
    assert "标题：正文 http://testserver/me/" in outbox.for_channel("sms")[0].text
    assert [m.to for m in mail.outbox] == [["both@example.com"]]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    attempt = DeliveryAttempt.objects.filter(channel="sms").first()
    assert attempt.status == "sent" and attempt.provider_id.startswith("outbox-")


@pytest.mark.django_db
def test_dedupe_key_writes_one_message_per_person():
    person = _person(phone="13800138003")
    ctx = {"subject": "s", "text": "t"}
    assert len(send("test_note", [person], ctx, dedupe_key="x:1")) == 1
    assert send("test_note", [person], ctx, dedupe_key="x:1") == []
    assert Message.objects.filter(recipient=person).count() == 1
    assert Delivery.objects.count() == 1
    person.refresh_from_db()
    assert person.unread_messages == 1


@pytest.mark.django_db
def test_preferences_turn_channels_off_but_not_for_staff_alerts():
    person = _person(phone="13800138004", email="p@example.com")
    MessagePreference.objects.create(user=person, kind="test_note", sms=False, email=True)
    MessagePreference.objects.create(user=person, kind="test_alert", sms=False, email=False)
    send("test_note", [person], {"subject": "a", "text": ""})
    send("test_alert", [person], {"subject": "b", "text": ""})
    got = sorted(Delivery.objects.values_list("message__kind", "channel"))
    assert got == [("test_alert", "email"), ("test_alert", "sms"), ("test_note", "email")]


@pytest.mark.django_db
def test_inbox_rows_and_mark_read():
    person = _person()
    for n in range(3):
        send("test_note", [person], {"subject": f"m{n}", "text": ""})
    rows = list(inbox_for(person))
    assert [m.subject for m in rows] == ["m2", "m1", "m0"]
    person.refresh_from_db()
    assert mark_read(person, [rows[0].pk]) == 1
    assert mark_read(person, [rows[0].pk]) == 0
    person.refresh_from_db()
    assert person.unread_messages == 2
    assert mark_all_read(person) == 2
    person.refresh_from_db()
    assert person.unread_messages == 0


def test_sms_gateway_outbox_for_direct_use():
    provider_id = sms_gateway().send(to="13800138000", text="您的验证码是 123456")
    assert provider_id
    assert [(item.to, item.text) for item in outbox] == [("13800138000", "您的验证码是 123456")]
    outbox.clear()
    assert len(outbox) == 0


def test_unknown_kind_is_an_error():
    with pytest.raises(LookupError):
        send("no_such_kind", recipients=[])


@pytest.mark.django_db
def test_a_weixin_linked_account_gets_wechat_deliveries_to_its_openid():
    from allauth.socialaccount.models import SocialAccount

    person = _person()
    SocialAccount.objects.create(user=person, provider="weixin", uid="o6_bmjrPTlm6_2sgVt7hMZOPfL2M")
    send("test_note", [person], {"subject": "标题", "text": "正文"}, url="/me/inbox/")
    run_worker()
    (item,) = outbox.for_channel("wechat")
    assert item.to == "o6_bmjrPTlm6_2sgVt7hMZOPfL2M" and item.subject == "标题"
    assert item.url == "http://testserver/me/inbox/"


def test_sign_up_codes_go_straight_through_the_sms_gateway(rf):
    from portal.adapters import AccountAdapter

    AccountAdapter(rf.get("/")).send_verification_code_sms(None, "13800138099", "482913")
    (item,) = outbox.for_channel("sms")
    assert item.to == "13800138099" and "482913" in item.text


@pytest.mark.django_db
def test_unverified_numbers_and_addresses_are_sent_nothing():
    """Anyone can type someone else's number or email at sign-up: until its code or link
    is used it is not the account's, so no message goes to it (the inbox still has it)."""
    claimed = f.UserFactory(phone="13800138031", email="not-mine@example.com")
    EmailAddress.objects.create(user=claimed, email=claimed.email, verified=False, primary=True)
    proved = _person(phone="13800138032", email="mine@example.com")
    send("test_note", recipients=[claimed, proved], context={"subject": "标题", "text": "正文"})
    send("test_alert", recipients=[claimed], context={"subject": "告警", "text": "正文"})
    run_worker()
    assert [item.to for item in outbox.for_channel("sms")] == ["13800138032"]
    assert [m.to for m in mail.outbox] == [["mine@example.com"]]
    assert not Delivery.objects.filter(message__recipient=claimed).exists()
    assert Message.objects.filter(recipient=claimed).count() == 2  # the inbox has them


@pytest.mark.django_db
def test_a_number_given_up_before_delivery_is_not_texted():
    """Queued while the number was the account's, then changed to a new (not yet proved)
    number before the worker sends it (quiet hours can hold an SMS ten hours): the old
    number is someone else's by then, the new one unproved, so nothing is sent."""
    from portal.signin.services import set_phone

    holder = _person(phone="13800138033")
    send("test_note", recipients=[holder], context={"subject": "标题", "text": "正文"})
    set_phone(holder, "13800138099", verified=False)
    run_worker()
    assert outbox.for_channel("sms") == []
    delivery = Delivery.objects.get(message__recipient=holder)
    assert delivery.status == "failed" and "no longer verified" in delivery.last_error


@pytest.mark.django_db
def test_a_verified_number_still_gets_its_messages_after_the_account_adds_an_email():
    person = _person(phone="13800138034")
    EmailAddress.objects.create(user=person, email="later@example.com", verified=False)
    send("test_note", recipients=[person], context={"subject": "标题", "text": "正文"})
    run_worker()
    assert [item.to for item in outbox.for_channel("sms")] == ["13800138034"]
    assert mail.outbox == []
