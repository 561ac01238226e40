"""The worker's side: deliver one Delivery on its channel, exactly once.

A delivery is a small state machine (see portal.models.Delivery):

1. claim: in a short transaction, lock the row with SELECT … FOR UPDATE SKIP LOCKED (a
   second worker skips it), check it is due, apply quiet hours and the rate limits (under an
   advisory lock on the recipient, so two workers count each other's claims), then mark it
   `sending` and commit;
2. send through the gateway with the delivery's idempotency key, outside any transaction;
3. record: `sent` with the provider's id, or back to `pending` with a later attempt
   (backoff), or `failed` after the last one. Every attempt is a DeliveryAttempt row.

A worker that dies between 2 and 3 leaves the row `sending`. After STALE_AFTER seconds
`requeue_due()` hands it to a worker again, which resends only through a gateway that
honours the idempotency key (the provider drops the copy); through any other it marks the
row `unknown`: a person is never sent the same message twice on one channel.
"""

import datetime
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import gateways

logger = logging.getLogger("portal.messaging")

DEFAULTS = {
    "QUIET_HOURS": ("21:30", "08:00"),  # local time (settings.TIME_ZONE, Asia/Shanghai)
    "RETRY_DELAYS": (60, 300, 1800, 7200),  # seconds before attempts 2, 3, 4, 5
    "STALE_AFTER": 600,  # seconds a claimed, unrecorded send is left alone
    "RECIPIENT_PER_HOUR": 10,  # sends to one person on one channel in an hour
    "KIND_PER_DAY": 5,  # sends of one kind to one person on one channel in a day
}
_ADVISORY_NAMESPACE = 7011  # pg_advisory_xact_lock(namespace, user id): the rate limit's lock


def conf(name):
    return getattr(settings, "MESSAGING", {}).get(name, DEFAULTS[name])


def _hm(text):
    hours, minutes = text.split(":")
    return datetime.time(int(hours), int(minutes))


def quiet_until(now):
    """The end of quiet hours if `now` is inside them (aware datetime), else None."""
    start, end = (_hm(t) for t in conf("QUIET_HOURS"))
    local = timezone.localtime(now)
    t = local.time()
    inside = (t >= start or t < end) if start > end else (start <= t < end)
    if not inside:
        return None
    day = local.date() if t < end else local.date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, end), local.tzinfo)


def text_for(delivery):
    """What the channel carries: subject, text and the absolute link of the message."""
    message = delivery.message
    link = f"{settings.SITE_URL.rstrip('/')}{message.url}" if message.url else ""
    if delivery.channel == "sms":
        text = f"{message.subject}：{message.body}" if message.body else message.subject
        text = text if len(text) <= 180 else text[:179] + "…"
        return message.subject, (f"{text} {link}" if link else text), link
    if delivery.channel == "email":
        text = message.body + (f"\n\n{link}" if link else "")
        return message.subject, text, link
    return message.subject, message.body or message.subject, link


def _attempt(delivery, status, provider_id="", error=""):
    from portal.models import DeliveryAttempt

    DeliveryAttempt.objects.create(
        delivery=delivery,
        channel=delivery.channel,
        status=status,
        provider_id=provider_id,
        error=error[:2000],
    )


def _over_limit(delivery, now):
    """Why the rate limits stop this delivery, or ""; call holding the recipient's lock."""
    from portal.models import Delivery
    from portal.models import Message as M

    from .kinds import get_kind

    message = delivery.message
    counted = Delivery.objects.filter(
        message__recipient_id=message.recipient_id,
        channel=delivery.channel,
        status__in=[Delivery.Status.SENDING, Delivery.Status.SENT, Delivery.Status.UNKNOWN],
    ).exclude(pk=delivery.pk)
    if counted.filter(claimed_at__gte=now - datetime.timedelta(hours=1)).count() >= conf(
        "RECIPIENT_PER_HOUR"
    ):
        return "recipient limit"
    try:
        per_kind = get_kind(message.kind).rate_limit or conf("KIND_PER_DAY")
    except LookupError:
        per_kind = conf("KIND_PER_DAY")
    same_kind = counted.filter(
        message__kind=message.kind, claimed_at__gte=now - datetime.timedelta(days=1)
    )
    if same_kind.count() >= per_kind:
        return f"limit for {M._meta.get_field('kind').verbose_name}: {message.kind}"
    return ""


def _lock_recipient(user_id):
    if connection.vendor != "postgresql":
        return  # SQLite (a first `make run` without DATABASE_URL) writes one at a time
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_ADVISORY_NAMESPACE, user_id])


def _still_reaches(delivery):
    """Whether the delivery's SMS number or email address is still its recipient's own,
    verified one (portal.messaging.service.address_for)."""
    from portal.models import User

    from .service import address_for

    if delivery.channel not in ("sms", "email"):
        return True
    recipient = User.objects.filter(pk=delivery.message.recipient_id).first()
    return recipient is not None and address_for(delivery.channel, recipient) == delivery.address


def claim(delivery_id, now=None):
    """Step 1. Returns (delivery, gateway) to send, or (None, outcome) if nothing to send."""
    from portal.models import Delivery

    S = Delivery.Status
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("message")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None, "locked"  # another worker holds it right now
        if delivery.status in (S.SENT, S.FAILED, S.LIMITED, S.UNKNOWN):
            return None, delivery.status
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return None, "not due"
        try:
            gateway = gateways.gateway(delivery.channel)
        except gateways.GatewayError as error:
            delivery.status, delivery.last_error = S.FAILED, str(error)
            delivery.save(update_fields=["status", "last_error"])
            _attempt(delivery, S.FAILED, error=str(error))
            return None, S.FAILED
        if delivery.status != S.SENDING and not _still_reaches(delivery):
            # Between send() and now (quiet hours defer an SMS for up to ten hours) the
            # number or address may have passed to its verified owner: not theirs to read.
            reason = "address no longer verified by the recipient; not sent"
            delivery.status, delivery.last_error = S.FAILED, reason
            delivery.save(update_fields=["status", "last_error"])
            _attempt(delivery, S.FAILED, error=reason)
            return None, S.FAILED
        if delivery.status == S.SENDING:
            stale = now - datetime.timedelta(seconds=conf("STALE_AFTER"))
            if delivery.claimed_at and delivery.claimed_at > stale:
                return None, "in flight"  # a worker is sending it (or only just died)
            if not gateway.idempotent:
                delivery.status = S.UNKNOWN
                delivery.last_error = "worker stopped between send and record; not resent"
                delivery.save(update_fields=["status", "last_error"])
                _attempt(delivery, S.UNKNOWN, error=delivery.last_error)
                return None, S.UNKNOWN
            # else: resend with the same idempotency key; the provider drops a copy.
        elif delivery.channel == "sms" and not delivery.message.urgent:
            until = quiet_until(now)
            if until is not None:
                delivery.status, delivery.next_attempt_at = S.DEFERRED, until
                delivery.save(update_fields=["status", "next_attempt_at"])
                _schedule(delivery.pk, until)  # the task row commits with this change
                return None, S.DEFERRED
        if delivery.status != S.SENDING:
            _lock_recipient(delivery.message.recipient_id)
            reason = _over_limit(delivery, now)
            if reason:
                delivery.status, delivery.last_error = S.LIMITED, reason
                delivery.save(update_fields=["status", "last_error"])
                _attempt(delivery, S.LIMITED, error=reason)
                return None, S.LIMITED
        delivery.status = S.SENDING
        delivery.attempts += 1
        delivery.claimed_at = now
        delivery.save(update_fields=["status", "attempts", "claimed_at"])
    return delivery, gateway


def record_sent(delivery, provider_id):
    """Step 3 after a send the provider accepted."""
    from portal.models import Delivery

    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.SENT,
            provider_id=provider_id[:100],
            sent_at=timezone.now(),
            last_error="",
            next_attempt_at=None,
        )
        _attempt(delivery, Delivery.Status.SENT, provider_id=provider_id[:100])


def record_failed(delivery, error, now=None):
    """Step 3 after a refused send: retry later (backoff) or, after the last try, failed."""
    from portal.models import Delivery

    now = now or timezone.now()
    delays = conf("RETRY_DELAYS")
    with transaction.atomic():
        if delivery.attempts > len(delays):
            status, at = Delivery.Status.FAILED, None
        else:
            status = Delivery.Status.PENDING
            at = now + datetime.timedelta(seconds=delays[delivery.attempts - 1])
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=status, next_attempt_at=at, last_error=str(error)[:2000]
        )
        _attempt(delivery, Delivery.Status.FAILED, error=str(error))
        if at is not None:
            _schedule(delivery.pk, at)
    return status


def deliver(delivery_id):
    """Claim, send, record one delivery. Returns its outcome (a status or a reason)."""
    delivery, gateway = claim(delivery_id)
    if delivery is None:
        return gateway
    subject, text, link = text_for(delivery)
    try:
        provider_id = gateway.send(
            delivery.address,
            text,
            subject=subject,
            url=link,
            idempotency_key=delivery.idempotency_key,
        )
    except gateways.GatewayError as error:
        logger.warning("delivery %s failed: %s", delivery.pk, error)
        return record_failed(delivery, error)
    record_sent(delivery, provider_id or "")
    return "sent"


def _schedule(delivery_id, run_after=None):
    from .tasks import enqueue_deliveries

    enqueue_deliveries([delivery_id], run_after=run_after)


def requeue_due(now=None):
    """Hand the queue every delivery that is due but has no task: deferred, retried, or left
    `sending` by a worker that died. Safe to run at any time (a claimed row is skipped)."""
    from django.db.models import Q

    from portal.models import Delivery

    S = Delivery.Status
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=conf("STALE_AFTER"))
    due = Delivery.objects.filter(
        Q(status__in=[S.PENDING, S.DEFERRED], next_attempt_at__lte=now)
        | Q(status=S.PENDING, next_attempt_at__isnull=True, created_at__lte=stale)
        | Q(status=S.SENDING, claimed_at__lte=stale)
    ).values_list("pk", flat=True)
    ids = list(due[:1000])
    if ids:
        _schedule_many(ids)
    return ids


def _schedule_many(ids):
    from .tasks import enqueue_deliveries

    enqueue_deliveries(ids)
