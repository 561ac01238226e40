"""The kinds of message the neighbourhoods app sends (portal.messaging), registered once in
NeighborhoodsConfig.ready(). Templates: neighborhoods/messages/<kind>.txt (first line the
subject), rendered in each recipient's language from JSON-safe context (pks and strings)."""

from django.utils.translation import gettext_lazy as _

from portal.messaging import Kind, register_kind

WATCH_ALERT_OPENED = "watch_alert_opened"
WATCH_ALERT_CLOSED = "watch_alert_closed"
NEED_STATUS_CHANGED = "need_status_changed"
NEED_URGENT = "need_urgent"


def register():
    register_kind(
        Kind(
            name=WATCH_ALERT_OPENED,
            label=_("Daily watch: an alert about your family member"),
            template="neighborhoods/messages/watch_alert_opened.txt",
        )
    )
    register_kind(
        Kind(
            name=WATCH_ALERT_CLOSED,
            label=_("Daily watch: the alert is closed, with what was found"),
            template="neighborhoods/messages/watch_alert_closed.txt",
        )
    )
    register_kind(
        Kind(
            name=NEED_STATUS_CHANGED,
            label=_("Your request to the committee: each step"),
            template="neighborhoods/messages/need_status_changed.txt",
        )
    )
    register_kind(
        Kind(
            name=NEED_URGENT,
            label=_("An urgent need reported by a resident"),
            template="neighborhoods/messages/need_urgent.txt",
            staff_alert=True,  # cannot be switched off: someone may have fallen at home
        )
    )
