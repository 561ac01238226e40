"""Demo messages (portal.messaging), built by `manage.py seed_demo`: 李梅 (`resident`) and
凌建梅 (`volunteer`) have unread messages in /me/inbox/ of the kinds residents get. (Staff
get theirs from the demo itself: the daily watch's open alerts message the zone's worker.)

Sent through send() like any other message, so their deliveries are queued too.
"""

from django.urls import reverse
from django.utils import timezone

from portal.messaging import send
from portal.models import Message, User

from ..models import SignUp


def build(*, stdout, rng, today):
    people = {u.username: u for u in User.objects.filter(username__in=["resident", "volunteer"])}
    if (
        not people
        or Message.objects.filter(recipient__in=people.values())
        .exclude(kind="watch_alert_opened")
        .exists()
    ):
        stdout.write("Messages: already there (or no demo residents), kept them.")
        return
    count = 0
    for user in people.values():
        home = user.home_neighbourhood
        if home is not None:
            count += len(
                send(
                    "link_approved",
                    [user],
                    {"neighbourhood": home.name, "reason": ""},
                    url=reverse("portal:me"),
                    dedupe_key="demo:link",
                )
            )
        count += len(
            send(
                "need_status_changed",
                [user],
                {
                    "category": "住房维修",
                    "status": "resolved",
                    "status_label": "已解决",
                    "referred_to": "",
                    "resolution": "物业已更换3楼楼道的声控灯，晚上回家不用摸黑了。",
                },
                url=reverse("neighborhoods:my-need-list"),
                dedupe_key="demo:need",
            )
        )
        signup = (
            SignUp.objects.filter(user=user, status=SignUp.Status.CONFIRMED)
            .filter(activity__starts_at__gte=timezone.now())
            .select_related("activity")
            .first()
        )
        if signup is not None:
            activity = signup.activity
            count += len(
                send(
                    "activity_reminder",
                    [user],
                    {
                        "title": activity.title,
                        "when": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"),
                        "place": activity.place,
                    },
                    url=reverse("neighborhoods:activity-detail", args=[activity.pk]),
                    dedupe_key=f"demo:reminder:{signup.pk}",
                )
            )
    stdout.write(f"Messages: {count} unread for the demo residents.")
