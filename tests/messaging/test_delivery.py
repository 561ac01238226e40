"""The worker: exactly once per channel (two workers, a crash), quiet hours, limits, retries."""

import datetime
import threading
import time
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from portal.messaging import Kind, register_kind, send
from portal.messaging import delivery as worker
from portal.messaging.gateways import GatewayError, OutboxSMSBackend, outbox
from portal.messaging.tasks import enqueue_deliveries
from portal.messaging.testing import run_worker
from portal.models import Delivery, DeliveryAttempt
from tests import factories as f
from tests.concurrency import run_concurrently

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
register_kind(Kind(name="test_note", label="Test note", template="messaging/plain.txt"))
register_kind(Kind(name="test_other", label="Other note", template="messaging/plain.txt"))
DAYTIME = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _clean_outbox():
    outbox.clear()
    yield
    outbox.clear()


def _note(person, kind="test_note", urgent=False, text="t"):
    (message,) = send(kind, [person], {"subject": "s", "text": text}, urgent=urgent)
    return message


class SlowSMS(OutboxSMSBackend):
    """The outbox, slow enough that a second worker comes while the first is sending."""

    def send(self, to, text, **kw):
        time.sleep(0.3)
        return super().send(to, text, **kw)


class RefusingSMS(OutboxSMSBackend):
    def send(self, to, text, **kw):
        raise GatewayError("isv.BUSINESS_LIMIT_CONTROL")


def _gateways(sms):
    return {
        "GATEWAYS": {
            "sms": {"BACKEND": sms},
            "wechat": {"BACKEND": "portal.messaging.gateways.OutboxWeChatBackend"},
            "email": {"BACKEND": "portal.messaging.gateways.DjangoEmailBackend"},
        }
    }


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_once():
    person = f.UserFactory(phone="13800138010", phone_verified=True)
    with (
        time_machine.travel(DAYTIME, tick=True),
        override_settings(MESSAGING=_gateways(f"{__name__}.SlowSMS")),
    ):
        message = _note(person)
        delivery = message.deliveries.get()
        enqueue_deliveries([delivery.pk])  # a second task for the same delivery (a requeue)
        # Two real worker loops, each on its own connection, each taking a task at once.
        outcome = run_concurrently(lambda i: run_worker(f"worker-{i}"), 2)
        assert outcome.errors == []
        # And two bare deliveries at once, for good measure.
        outcome = run_concurrently(lambda i: worker.deliver(delivery.pk), 2)
        assert outcome.errors == []
    assert len(outbox.for_channel("sms")) == 1
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.attempts == 1
    assert DeliveryAttempt.objects.filter(delivery=delivery).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_send_while_it_is_in_flight():
    person = f.UserFactory(phone="13800138011", phone_verified=True)
    started = threading.Event()

    class Watched(SlowSMS):
        def send(self, to, text, **kw):
            started.set()
            return super().send(to, text, **kw)

    with (
        time_machine.travel(DAYTIME, tick=True),
        override_settings(MESSAGING=_gateways(f"{__name__}.SlowSMS")),
    ):
        delivery = _note(person).deliveries.get()

        def go(i):
            if i == 1:
                started.wait(5)  # the first is sending: the row says so, the second leaves it
            return worker.deliver(delivery.pk)

        import portal.messaging.gateways as gw

        original = gw.import_string
        gw.import_string = lambda path: Watched if path.endswith("SlowSMS") else original(path)
        try:
            outcome = run_concurrently(go, 2)
        finally:
            gw.import_string = original
    assert outcome.errors == []
    assert sorted(outcome.values) == ["in flight", "sent"]
    assert len(outbox.for_channel("sms")) == 1


class Crash(BaseException):
    """The worker process dies (between the provider's answer and writing it down)."""


@pytest.mark.django_db
def test_crash_between_send_and_record_is_not_sent_twice(monkeypatch):
    person = f.UserFactory(
        phone="13800138012", phone_verified=True, email="p12@example.com", email_verified=True
    )
    with time_machine.travel(DAYTIME, tick=False) as clock:
        message = _note(person)

        def crash(*args, **kwargs):
            raise Crash

        monkeypatch.setattr(worker, "record_sent", crash)
        for d in message.deliveries.all():
            with pytest.raises(Crash):
                worker.deliver(d.pk)
        monkeypatch.undo()
        assert set(message.deliveries.values_list("status", flat=True)) == {"sending"}
        assert len(outbox.for_channel("sms")) == 1 and len(mail.outbox) == 1

        # Another worker right away leaves them alone: someone may be sending them.
        run_worker()
        assert worker.requeue_due() == []
        # After STALE_AFTER the sweep hands them out again.
        clock.shift(datetime.timedelta(minutes=11))
        assert len(worker.requeue_due()) == 2
        run_worker()

    sms = message.deliveries.get(channel="sms")
    email = message.deliveries.get(channel="email")
    # The outbox honours the idempotency key (as the provider would): resent, dropped.
    assert sms.status == "sent" and sms.provider_id == outbox.for_channel("sms")[0].provider_id
    assert len(outbox.for_channel("sms")) == 1
    # Email has no such key: marked unknown, never sent again.
    assert email.status == "unknown"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_quiet_hours_hold_non_urgent_sms_until_eight():
    person = f.UserFactory(
        phone="13800138013", phone_verified=True, email="p13@example.com", email_verified=True
    )
    night = datetime.datetime(2026, 3, 2, 22, 15, tzinfo=SHANGHAI)
    with time_machine.travel(night, tick=False) as clock:
        calm = _note(person)
        urgent = _note(person, kind="test_other", urgent=True)
        run_worker()
        sms = calm.deliveries.get(channel="sms")
        assert sms.status == "deferred"
        assert sms.next_attempt_at == datetime.datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)
        assert calm.deliveries.get(channel="email").status == "sent"  # email is not held
        assert urgent.deliveries.get(channel="sms").status == "sent"
        assert [i.text.startswith("s") for i in outbox.for_channel("sms")] == [True]
        clock.move_to(datetime.datetime(2026, 3, 3, 7, 59, tzinfo=SHANGHAI))
        run_worker()
        assert Delivery.objects.get(pk=sms.pk).status == "deferred"
        clock.move_to(datetime.datetime(2026, 3, 3, 8, 0, 30, tzinfo=SHANGHAI))
        run_worker()
    assert Delivery.objects.get(pk=sms.pk).status == "sent"
    assert len(outbox.for_channel("sms")) == 2


def test_quiet_until_edges():
    at = datetime.datetime
    assert worker.quiet_until(at(2026, 3, 2, 21, 29, tzinfo=SHANGHAI)) is None
    assert worker.quiet_until(at(2026, 3, 2, 21, 30, tzinfo=SHANGHAI)) == at(
        2026, 3, 3, 8, 0, tzinfo=SHANGHAI
    )
    assert worker.quiet_until(at(2026, 3, 3, 3, 0, tzinfo=SHANGHAI)) == at(
        2026, 3, 3, 8, 0, tzinfo=SHANGHAI
    )
    assert worker.quiet_until(at(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)) is None


@pytest.mark.django_db
def test_rate_limit_per_kind_and_per_recipient():
    person = f.UserFactory(phone="13800138014", phone_verified=True)
    with time_machine.travel(DAYTIME, tick=False), override_settings(
        MESSAGING={**_gateways("portal.messaging.gateways.OutboxSMSBackend"),
                   "KIND_PER_DAY": 2, "RECIPIENT_PER_HOUR": 3}
    ):  # fmt: skip
        for n in range(4):
            _note(person, text=f"note {n}")
        for n in range(2):
            _note(person, kind="test_other", text=f"other {n}")
        run_worker()
    statuses = dict(Delivery.objects.order_by("pk").values_list("message__body", "status"))
    assert statuses == {
        "note 0": "sent",
        "note 1": "sent",
        "note 2": "limited",  # the kind's 2 a day
        "note 3": "limited",
        "other 0": "sent",
        "other 1": "limited",  # the person's 3 an hour
    }
    assert len(outbox.for_channel("sms")) == 3
    # The inbox still has every one.
    assert person.messages.count() == 6


@pytest.mark.django_db
def test_refused_send_is_retried_with_backoff_then_failed():
    person = f.UserFactory(phone="13800138015", phone_verified=True)
    with (
        time_machine.travel(DAYTIME, tick=False) as clock,
        override_settings(MESSAGING=_gateways(f"{__name__}.RefusingSMS")),
    ):
        delivery = _note(person).deliveries.get()
        run_worker()
        delivery.refresh_from_db()
        assert delivery.status == "pending" and delivery.attempts == 1
        assert delivery.next_attempt_at == DAYTIME + datetime.timedelta(seconds=60)
        assert "BUSINESS_LIMIT_CONTROL" in delivery.last_error
        waits = []
        for _ in range(4):
            clock.move_to(delivery.next_attempt_at + datetime.timedelta(seconds=1))
            run_worker()
            before = delivery.next_attempt_at
            delivery.refresh_from_db()
            if delivery.next_attempt_at:
                waits.append((delivery.next_attempt_at - before).total_seconds())
    assert delivery.status == "failed" and delivery.attempts == 5
    assert waits == [301, 1801, 7201]
    attempts = list(delivery.attempt_log.values_list("channel", "status"))
    assert attempts == [("sms", "failed")] * 5
