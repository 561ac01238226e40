"""The neighbourhood app's kinds of message, and who is told of each (portal.messaging).

Registered in NeighborhoodsConfig.ready(); each kind's text is a template under
neighborhoods/templates/neighborhoods/messages/ (first line the subject).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.messaging import Kind, register_kind, send

T = "neighborhoods/messages/{}.txt"
KINDS = [
    Kind("link_approved", _("Account linked to your household"), T.format("link_approved")),
    Kind("link_rejected", _("Link request not approved"), T.format("link_rejected")),
    Kind("need_status_changed", _("A request of your household moves on"), T.format("need_status")),
    Kind("activity_promoted", _("A place came free at an activity"), T.format("activity_promoted")),
    Kind("activity_reminder", _("Activity reminder"), T.format("activity_reminder")),
    Kind("activity_cancelled", _("Activity cancelled"), T.format("activity_cancelled")),
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


def tell_need_status(need):
    """The household's accounts (and whoever reported it) hear each step of a need."""
    recipients = household_accounts(need.household)
    if need.raised_by_id and need.raised_by.resident is not None:
        recipients.append(need.raised_by)
    send(
        "need_status_changed",
        recipients=recipients,
        context={
            "category": need.get_category_display(),
            "status": need.status,
            "status_label": need.get_status_display(),
            "referred_to": need.referred_to,
            "resolution": need.resolution,
        },
        url=reverse("neighborhoods:my-need-list"),
        dedupe_key=f"need:{need.pk}:{need.status}",
    )


def tell_signup(signup, kind, dedupe_key):
    if not signup.user_id:
        return
    activity = signup.activity
    send(
        kind,
        recipients=[signup.user],
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
