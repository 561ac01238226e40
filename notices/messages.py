"""The notices app's kinds of message, and who is told of each (portal.messaging).

Registered in NoticesConfig.ready(); texts under notices/templates/notices/messages/.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.messaging import Kind, register_kind, send

T = "notices/messages/{}.txt"
KINDS = [
    Kind("question_answered", _("Your question is answered"), T.format("question_answered")),
    Kind("topic_outcome", _("Outcome of a discussion you took part in"), T.format("topic_outcome")),
    Kind(
        "notice_published",
        _("New notice in a category you follow"),
        T.format("notice_published"),
        # A new notice is worth the inbox and email; texting every follower is too much.
        default_channels=("inbox", "wechat", "email"),
    ),
]


def register():
    for kind in KINDS:
        register_kind(kind)


def tell_question_answered(question):
    if not question.asker_id:
        return
    send(
        "question_answered",
        recipients=[question.asker],
        context={"guide": question.guide.title, "question": question.text[:80]},
        url=reverse("notices:guide-detail", args=[question.guide_id]),
        dedupe_key=f"question:{question.pk}",
    )


def topic_participants(topic):
    """Every account that suggested or supported on the topic, whatever channel it has."""
    from django.db.models import Q

    from portal.models import User

    return list(
        User.objects.filter(is_active=True)
        .filter(Q(suggestions__topic=topic) | Q(supports__suggestion__topic=topic))
        .distinct()
    )


def tell_topic_outcome(topic):
    send(
        "topic_outcome",
        recipients=topic_participants(topic),
        context={
            "neighbourhood": topic.neighbourhood.name,
            "title": topic.title,
            "outcome": topic.outcome,
        },
        url=reverse("notices:topic-detail", args=[topic.pk]),
        dedupe_key=f"topic:{topic.pk}",
    )


def notice_followers(notice):
    """Accounts following the notice's category who live in its area (present residents)."""
    from portal.models import User

    return list(
        User.objects.filter(
            is_active=True,
            notice_follows__category=notice.category,
            resident_record__status="present",
            resident_record__household__building__neighbourhood__in=notice.scope_neighbourhoods(),
        ).distinct()
    )


def tell_notice_followers(notice, now=None):
    """Tell the category's followers of a published notice, once (Notice.followers_told_at).

    Called when a notice is saved published, and by the `tell_notice_followers` job for
    notices whose publish time has come since.
    """
    from .models import Notice

    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Notice.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=notice.pk, followers_told_at__isnull=True)
            .first()
        )
        if locked is None or not locked.is_published(now):
            return 0
        told = send(
            "notice_published",
            recipients=notice_followers(locked),
            context={
                "title": locked.title,
                "category": locked.get_category_display(),
                "scope": str(locked.scope),
            },
            url=locked.get_absolute_url(),
            dedupe_key=f"notice:{locked.pk}",
        )
        Notice.objects.filter(pk=locked.pk).update(followers_told_at=now)
    return len(told)


def tell_due_notice_followers(now=None):
    """The job: notices published in the last two days whose followers were not told."""
    import datetime

    from .models import Notice

    now = now or timezone.now()
    due = Notice.objects.filter(
        followers_told_at__isnull=True,
        publish_at__lte=now,
        publish_at__gte=now - datetime.timedelta(days=2),
    ).order_by()
    return sum(tell_notice_followers(notice, now) for notice in due)
