"""send(): one Message per recipient (the inbox), one Delivery per outside channel wanted."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.template.loader import get_template
from django.utils import timezone, translation

from . import gateways
from .kinds import get_kind


def render(kind, context, language):
    """(subject, body) of a kind's template in `language`: first line, then the rest."""
    from django.template import Context

    template = get_template(kind.template).template  # the engine's own Template
    with translation.override(language or settings.LANGUAGE_CODE):
        text = template.render(Context(context, autoescape=False))
    lines = text.strip().splitlines()
    subject = lines[0].strip() if lines else str(kind.label)
    body = "\n".join(lines[1:]).strip()
    return subject[:200], body


def wanted_channels(kind, user, preference):
    """The outside channels one person gets for a kind: defaults, less what they turned off."""
    channels = kind.outside_channels
    if kind.staff_alert or preference is None:
        return channels
    return tuple(c for c in channels if preference.wants(c))


def address_for(channel, user):
    """Where a channel reaches the person, or "" if it does not.

    Only numbers and addresses the person has proved are used: anyone can type someone
    else's mobile number or email at sign-up, and its owner must not be sent another
    person's messages (their household's needs, activities). An unverified number gets only
    its verification code (portal/signin/sms.py, not a message), an unverified address only
    its verification link.
    """
    from portal.signin.services import verified_email

    if channel == "sms":
        return user.phone if user.phone and user.phone_verified else ""
    if channel == "email":
        return verified_email(user)
    if channel == "wechat":
        for account in user.socialaccount_set.all():
            if account.provider == "weixin":
                return account.uid
        return ""
    return ""


def send(kind, recipients, context=None, url="", urgent=False, dedupe_key=""):
    """Tell each recipient something: returns the Messages written (not the de-duplicated).

    Call it inside the request's transaction: the messages, their deliveries and the queue's
    tasks commit (or roll back) with the change they tell of; the worker delivers them after.
    The same (kind, recipient, dedupe_key) is written once, even by two requests at once.
    """
    from portal.models import Delivery, Message, MessagePreference, User

    kind = get_kind(kind) if isinstance(kind, str) else kind
    context = dict(context or {})
    people = {}
    for person in recipients:
        if person is not None and person.pk is not None and person.is_active:
            people[person.pk] = person
    if not people:
        return []
    ids = list(people)
    with transaction.atomic():
        if dedupe_key:
            already = set(
                Message.objects.filter(
                    kind=kind.name, dedupe_key=dedupe_key, recipient_id__in=ids
                ).values_list("recipient_id", flat=True)
            )
            ids = [pk for pk in ids if pk not in already]
        if not ids:
            return []
        users = (
            User.objects.filter(pk__in=ids)
            .prefetch_related(
                "socialaccount_set",
                Prefetch(
                    "emailaddress_set",
                    queryset=EmailAddress.objects.filter(verified=True),
                    to_attr="verified_emails",
                ),
            )
            .only("pk", "phone", "phone_verified", "email", "language", "is_active")
        )
        preferences = {
            p.user_id: p for p in MessagePreference.objects.filter(user_id__in=ids, kind=kind.name)
        }
        enabled = {c for c in kind.outside_channels if gateways.channel_enabled(c)}
        written, deliveries = [], []
        for user in users:
            subject, body = render(kind, {**context, "recipient": people[user.pk]}, user.language)
            message = Message(
                recipient_id=user.pk,
                kind=kind.name,
                subject=subject,
                body=body,
                url=url,
                urgent=urgent,
                staff_alert=kind.staff_alert,
                dedupe_key=dedupe_key,
            )
            try:
                with transaction.atomic():
                    message.save()
            except IntegrityError:
                continue  # the same event for the same person, written by another request
            written.append(message)
            for channel in wanted_channels(kind, user, preferences.get(user.pk)):
                address = address_for(channel, user)
                if channel in enabled and address:
                    deliveries.append(Delivery(message=message, channel=channel, address=address))
        if not written:
            return []
        User.objects.filter(pk__in=[m.recipient_id for m in written]).update(
            unread_messages=F("unread_messages") + 1
        )
        Delivery.objects.bulk_create(deliveries)
        if deliveries:
            from .tasks import enqueue_deliveries

            enqueue_deliveries([d.pk for d in deliveries])
    return written


# -- the inbox ---------------------------------------------------------------------------------


def inbox_for(user):
    """The person's messages, newest first (a queryset to paginate)."""
    from portal.models import Message

    return Message.objects.filter(recipient=user).only(
        "pk", "kind", "subject", "body", "url", "urgent", "created_at", "read_at"
    )


def unread_count(user):
    """Unread messages: kept on the user row, so it costs no query of its own."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return user.unread_messages


def mark_read(user, message_ids):
    """Mark some of the person's messages read; returns how many changed."""
    from portal.models import Message, User

    with transaction.atomic():
        changed = Message.objects.filter(
            recipient=user, pk__in=list(message_ids), read_at__isnull=True
        ).update(read_at=timezone.now())
        if changed:
            _lower_unread(User, user, changed)
    return changed


def mark_all_read(user):
    from portal.models import Message, User

    with transaction.atomic():
        changed = Message.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if changed:
            _lower_unread(User, user, changed)
    return changed


def _lower_unread(User, user, changed):  # noqa: N803 - the model class
    from django.db.models.functions import Greatest

    User.objects.filter(pk=user.pk).update(
        unread_messages=Greatest(F("unread_messages") - changed, 0)
    )
    user.unread_messages = max(user.unread_messages - changed, 0)


# -- preferences -------------------------------------------------------------------------------


def preferences_for(user):
    from portal.models import MessagePreference

    return {p.kind: p for p in MessagePreference.objects.filter(user=user)}


def save_preferences(user, choices):
    """choices: {kind name: {channel: wanted}}; staff alerts are never written."""
    from portal.models import MessagePreference

    from .kinds import get_kind

    with transaction.atomic():
        for kind_name, channels in choices.items():
            if get_kind(kind_name).staff_alert:
                continue
            MessagePreference.objects.update_or_create(
                user=user, kind=kind_name, defaults=dict(channels)
            )
