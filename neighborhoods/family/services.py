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


def followed_households(user, now=None):
    """What a family member sees on /me/family/: each active grant with what it was granted,
    since the day of the grant (building notices reach them as messages). Three queries,
    whatever the number of grants, alerts and sign-ups."""
    now = now or timezone.now()
    grants = list(
        FamilyGrant.objects.for_member(user)
        .select_related("household__building__neighbourhood")
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
