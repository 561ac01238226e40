"""Family members (家属): grants of an account to one household, and what a grant shows.

Rules, in one place:
- A resident adds family members of their own household; staff of the neighbourhood may
  add one on an elder's behalf, recording how the elder agreed (FamilyGrant.consent).
- A grant names the kinds of message it receives (building notices, the elder's activity
  reminders, daily-watch alerts opened and closed). Its holder sees only those, only of
  that household, and only from the day of the grant.
- The resident, staff, or the family member themself can revoke it; every reader asks for
  active grants, so a revoked grant stops at once.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import Refused
from portal.messaging import send

from .. import messages as message_kinds
from ..models import FamilyGrant, Resident, SignUp, WatchAlert

FAMILY_PAGE_ITEMS = 5


@transaction.atomic
def family_grant_add(
    *,
    household,
    member,
    by,
    via,
    relation="",
    building_notices=True,
    activity_reminders=True,
    watch_alerts=True,
    consent="",
):
    """Grant `member` the chosen messages about `household`; adding again updates the grant."""
    if via == FamilyGrant.Via.STAFF and not consent:
        raise Refused(_("Record how the elder agreed before adding a family member."))
    if Resident.objects.present().filter(household=household, user=member).exists():
        raise Refused(_("This account belongs to someone who lives in the household."))
    kinds = {
        "building_notices": building_notices,
        "activity_reminders": activity_reminders,
        "watch_alerts": watch_alerts,
    }
    grant = (
        FamilyGrant.objects.active()
        .select_for_update()
        .filter(household=household, member=member)
        .first()
    )
    if grant is not None:
        for name, value in kinds.items():
            setattr(grant, name, value)
        grant.relation = relation or grant.relation
        grant.save(update_fields=[*kinds, "relation"])
        return grant
    try:
        with transaction.atomic():  # two adds at once: the partial unique index decides
            return FamilyGrant.objects.create(
                household=household,
                member=member,
                relation=relation,
                via=via,
                granted_by=by,
                consent=consent,
                **kinds,
            )
    except IntegrityError:
        raise Refused(_("This family member was just added.")) from None


@transaction.atomic
def family_grant_revoke(*, grant, by, now=None):
    """Revoke at once: from now the grant shows nothing and receives nothing."""
    locked = FamilyGrant.objects.select_for_update().get(pk=grant.pk)
    if not locked.is_active:
        raise Refused(_("This family member was already removed."))
    locked.revoked_at, locked.revoked_by = now or timezone.now(), by
    locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


def household_family(household):
    """The active grants of a household, for its resident's page and its staff page."""
    return list(
        FamilyGrant.objects.active()
        .filter(household=household)
        .select_related("member", "granted_by")
        .order_by("created", "pk")
    )


def family_recipients(household, kind):
    """The accounts to tell about `household` for `kind` (a FamilyGrant.Kind): active
    grants that chose it, now. One query."""
    grants = FamilyGrant.objects.wanting(kind).filter(household=household, member__is_active=True)
    return [grant.member for grant in grants.select_related("member").order_by("pk")]


def family_recipients_in_neighbourhood(neighbourhood_id, kind):
    """The accounts following any household of a neighbourhood for `kind` (its notices to
    family members who chose building notices). One query."""
    grants = (
        FamilyGrant.objects.wanting(kind)
        .filter(household__building__neighbourhood_id=neighbourhood_id, member__is_active=True)
        .select_related("member")
        .order_by("pk")
    )
    return list({grant.member_id: grant.member for grant in grants}.values())


def followed_households(user, now=None):
    """What a family member sees on /me/family/: each active grant with what it was granted,
    since the day of the grant (building notices reach them as messages). Three queries,
    whatever the number of grants, alerts and sign-ups."""
    now = now or timezone.now()
    grants = list(
        FamilyGrant.objects.for_member(user)
        .select_related("household__building__neighbourhood", "granted_by")
        .order_by("created", "pk")
    )
    if not grants:
        return []
    ids = [g.household_id for g in grants]
    alerts = (
        WatchAlert.objects.filter(
            watch_check__enrolment__household_id__in=ids,
            opened_at__gte=min(g.created for g in grants),
        )
        .select_related("watch_check__enrolment")
        .order_by("-opened_at")
    )
    signups = (
        SignUp.objects.filter(resident__household_id__in=ids, activity__starts_at__gte=now)
        .exclude(status=SignUp.Status.CANCELLED)
        .select_related("activity", "resident")
        .order_by("activity__starts_at")
    )
    for grant in grants:
        household_id = grant.household_id
        grant.shown_alerts = (
            [
                a
                for a in alerts
                if a.watch_check.enrolment.household_id == household_id
                and a.opened_at >= grant.created
            ][:FAMILY_PAGE_ITEMS]
            if grant.watch_alerts
            else []
        )
        grant.shown_signups = (
            [s for s in signups if s.resident.household_id == household_id][:FAMILY_PAGE_ITEMS]
            if grant.activity_reminders
            else []
        )
    return grants


# --- Telling the family (portal.messaging) -----------------------------------------------


def _alert_household(alert):
    return alert.watch_check.enrolment.household


def family_tell_alert_opened(alert, *, at):
    """An alert opened (or opened again): each family member who chose watch alerts is told
    at once, in their own language. Once per opening (the dedupe key holds the time)."""
    household = _alert_household(alert)
    check = alert.watch_check
    return send(
        message_kinds.FAMILY_WATCH_ALERT_OPENED,
        recipients=family_recipients(household, FamilyGrant.Kind.WATCH_ALERTS),
        context={
            "household": str(household),
            "check": check.kind,
            "time": timezone.localtime(at).strftime("%m-%d %H:%M"),
            "alert": alert.pk,
        },
        url="/me/family/",
        urgent=True,  # an elder not seen: not held back by quiet hours
        dedupe_key=f"watch_alert:{alert.pk}:opened:{at.isoformat()}",
    )


def family_tell_alert_closed(alert):
    """The alert is closed: the family is told the outcome (never staff's notes)."""
    household = _alert_household(alert)
    return send(
        message_kinds.FAMILY_WATCH_ALERT_CLOSED,
        recipients=family_recipients(household, FamilyGrant.Kind.WATCH_ALERTS),
        context={
            "household": str(household),
            "outcome": alert.outcome,
            "time": timezone.localtime(alert.closed_at).strftime("%m-%d %H:%M"),
            "alert": alert.pk,
        },
        url="/me/family/",
        urgent=True,  # the family waits for this one, whatever the hour
        dedupe_key=f"watch_alert:{alert.pk}:closed:{alert.closed_at.isoformat()}",
    )


def family_told_of_alert(alert):
    """Who in the family was told about this alert, when, and on which channels: read off
    the Message and Delivery records, for the alert page. Two queries."""
    from portal.models import Message

    return list(
        Message.objects.filter(
            kind__in=[
                message_kinds.FAMILY_WATCH_ALERT_OPENED,
                message_kinds.FAMILY_WATCH_ALERT_CLOSED,
            ],
            dedupe_key__startswith=f"watch_alert:{alert.pk}:",
        )
        .select_related("recipient")
        .prefetch_related("deliveries")
        .order_by("created_at", "pk")
    )
