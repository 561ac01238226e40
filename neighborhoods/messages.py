"""The neighbourhood app's kinds of message, and who is told of each (portal.messaging).

Registered in NeighborhoodsConfig.ready(); each kind's text is a template under
neighborhoods/templates/neighborhoods/messages/ (first line the subject).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.messaging import Kind, register_kind, send

T = "neighborhoods/messages/{}.txt"

# The follow-through's kinds (neighborhoods/family, care): the family told of a daily-watch
# alert (a kind of its own, which family members may route as they like; the staff's is a
# staff alert), each step of a need in plain words, an urgent need to the staff.
FAMILY_WATCH_ALERT_OPENED = "family_watch_alert_opened"
FAMILY_WATCH_ALERT_CLOSED = "family_watch_alert_closed"
NEED_STATUS_CHANGED = "need_status_changed"
NEED_URGENT = "need_urgent"

KINDS = [
    Kind("link_approved", _("Account linked to your household"), T.format("link_approved")),
    Kind("link_rejected", _("Link request not approved"), T.format("link_rejected")),
    Kind(
        NEED_STATUS_CHANGED,
        _("A request of your household moves on"),
        T.format("need_status_changed"),
    ),
    Kind(
        NEED_URGENT,
        _("An urgent need reported by a resident"),
        T.format("need_urgent"),
        staff_alert=True,  # cannot be switched off: someone may have fallen at home
    ),
    Kind(
        FAMILY_WATCH_ALERT_OPENED,
        _("Daily watch: an alert about your family member"),
        T.format("family_watch_alert_opened"),
    ),
    Kind(
        FAMILY_WATCH_ALERT_CLOSED,
        _("Daily watch: the alert is closed, with what was found"),
        T.format("family_watch_alert_closed"),
    ),
    Kind("activity_promoted", _("A place came free at an activity"), T.format("activity_promoted")),
    Kind("activity_reminder", _("Activity reminder"), T.format("activity_reminder")),
    Kind("activity_cancelled", _("Activity cancelled"), T.format("activity_cancelled")),
    # Rehab-aid rental (neighborhoods/rental/services.py _notice): each step of a loan.
    Kind("loan_approved", _("Rehab aid: request approved"), "portal/messages/said.txt"),
    Kind("loan_waiting", _("Rehab aid: on the waiting list"), "portal/messages/said.txt"),
    Kind("loan_rejected", _("Rehab aid: request not approved"), "portal/messages/said.txt"),
    Kind("loan_lent", _("Rehab aid: lent to you"), "portal/messages/said.txt"),
    Kind("loan_due", _("Rehab aid: due back soon"), "portal/messages/said.txt"),
    Kind("loan_turn", _("Rehab aid: your turn on the waiting list"), "portal/messages/said.txt"),
    Kind(
        "watch_alert_opened",
        _("Daily watch: an alert opened (staff)"),
        T.format("watch_alert_opened"),
        staff_alert=True,
    ),
]


def register():
    for kind in KINDS:
        register_kind(kind)


def tell_link_decided(link_request):
    approved = link_request.status == link_request.Status.APPROVED
    send(
        "link_approved" if approved else "link_rejected",
        recipients=[link_request.user],
        context={
            "neighbourhood": link_request.neighbourhood.name,
            "reason": link_request.reason,
        },
        url=reverse("portal:me"),
        dedupe_key=f"link:{link_request.pk}",
    )


def household_accounts(household):
    """Accounts linked to the household's present residents."""
    from portal.models import User

    return list(
        User.objects.filter(
            is_active=True,
            resident_record__household=household,
            resident_record__status="present",
        ).distinct()
    )


# The elder's family members who chose "activity reminders" hear these too (家属): also
# when staff signed up an elder who has no phone, and so no account to tell.
FAMILY_SIGNUP_KINDS = ("activity_reminder", "activity_cancelled")


def tell_signup(signup, kind, dedupe_key):
    recipients = [signup.user] if signup.user_id else []
    if kind in FAMILY_SIGNUP_KINDS and signup.resident_id:
        from .family.services import family_recipients
        from .models import FamilyGrant

        household = signup.resident.household
        recipients += family_recipients(household, FamilyGrant.Kind.ACTIVITY_REMINDERS)
    if not recipients:
        return
    activity = signup.activity
    send(
        kind,
        recipients=recipients,
        context={
            "title": activity.title,
            "when": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"),
            "place": activity.place,
        },
        url=reverse("neighborhoods:activity-detail", args=[activity.pk]),
        dedupe_key=dedupe_key,
    )


def tell_watch_alert_opened(alert, now):
    """The zone's worker (else the neighbourhood's active workers) hear of it at once."""
    from neighborhoods.models import CommunityWorker, Zone

    household = alert.watch_check.enrolment.household
    building = household.building
    holder = Zone.holder_of(building.zone) if building.zone_id else None
    recipients = (
        [holder]
        if holder
        else [
            w.user
            for w in CommunityWorker.objects.filter(
                neighbourhood_id=building.neighbourhood_id, active=True
            ).select_related("user")
        ]
    )
    send(
        "watch_alert_opened",
        recipients=recipients,
        context={
            "household": str(household),
            "kind": alert.watch_check.get_kind_display(),
            "date": alert.watch_check.date.isoformat(),
        },
        url=reverse("neighborhoods:alert-detail", args=[alert.pk]),
        urgent=True,
        dedupe_key=f"watch_alert:{alert.pk}:{now.isoformat()}",  # each opening
    )
