"""The register's work on several rows: an account asking to be linked (上云); zones changing
hands (分片包干): buildings move, workers leave, open needs follow.

Who answers for a household is derived from Building.zone → Zone.worker. Overdue visits
and the daily watch are computed from the zone at query time, so they follow by themselves.
Only open needs store an owner: the functions below hand them over, writing a "handed over"
line in each timeline, so history keeps who did what.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.exceptions import Refused

from ..models import Building, CommunityWorker, LinkRequest, Need, NeedAction, Zone


def link_request_create(*, user, neighbourhood, building, room, name):
    """Ask to be linked (上云); Refused when the account is linked or already waiting.

    The partial unique constraint `one_pending_link_request` is what keeps it to one open
    request per account: two taps that pass the check together both reach the INSERT, and
    the loser's IntegrityError is rolled back in its own savepoint and answered as a refusal.
    """
    already = Refused(_("Your household link is already on record."))
    if user.resident or user.link_requests.pending().exists():
        raise already
    try:
        with transaction.atomic():
            return LinkRequest.objects.create(
                user=user,
                neighbourhood=neighbourhood,
                building=building.strip(),
                room=room.strip(),
                name=name.strip(),
            )
    except IntegrityError:
        raise already from None


def _hand_over_needs(needs, *, to_user, by, from_users):
    """Open needs owned by one of `from_users` (or by no one) go to `to_user`.

    A need a colleague deliberately took in hand stays with that colleague.
    """
    moved = 0
    open_needs = needs.open().select_for_update(of=("self",)).select_related("owner")
    for need in open_needs:
        if need.owner_id == getattr(to_user, "pk", None):
            continue
        if need.owner_id is not None and need.owner_id not in from_users:
            continue
        previous = need.owner
        need.owner = to_user
        need.save(update_fields=["owner"])
        NeedAction.objects.create(
            need=need,
            actor=by,
            kind=NeedAction.Kind.REASSIGNED,
            note=_("%(old)s → %(new)s")
            % {"old": previous or _("no one"), "new": to_user or _("no one")},
        )
        moved += 1
    return moved


@transaction.atomic
def zone_reassign(*, buildings, zone, by):
    """Move buildings to another zone (or none); their open needs follow to its worker."""
    moved = 0
    for building in (
        Building.objects.select_for_update(of=("self",))
        .filter(pk__in=[b.pk for b in buildings])
        .select_related("zone__worker")
    ):
        previous_holder = Zone.holder_of(building.zone)
        building.zone = zone
        building.save(update_fields=["zone"])
        moved += _hand_over_needs(
            Need.objects.filter(household__building=building),
            to_user=Zone.holder_of(zone),
            by=by,
            from_users={previous_holder.pk} if previous_holder else set(),
        )
    return moved


@transaction.atomic
def zone_set_worker(*, zone, worker, by):
    """Give a zone to another worker (or none); its open needs follow."""
    zone = Zone.objects.select_for_update(of=("self",)).select_related("worker").get(pk=zone.pk)
    previous_holder = Zone.holder_of(zone)
    zone.worker = worker
    zone.save(update_fields=["worker"])
    return _hand_over_needs(
        Need.objects.filter(household__building__zone=zone),
        to_user=Zone.holder_of(zone),
        by=by,
        from_users={previous_holder.pk} if previous_holder else set(),
    )


@transaction.atomic
def worker_leave(*, worker, by, successor=None):
    """A worker leaves: their zones go to the successor (or no one), and every open need
    they owned goes to whoever now holds its household's zone."""
    worker = CommunityWorker.objects.select_for_update().get(pk=worker.pk)
    moved = 0
    for zone in worker.zones.all():
        moved += zone_set_worker(zone=zone, worker=successor, by=by)
    worker.active = False
    worker.save(update_fields=["active"])
    # Needs of households outside the worker's zones that they had taken in hand.
    leftovers = (
        Need.objects.open()
        .filter(owner=worker.user)
        .select_related("household__building__zone__worker__user")
    )
    for need in leftovers:
        moved += _hand_over_needs(
            Need.objects.filter(pk=need.pk),
            to_user=need.household.holder,
            by=by,
            from_users={worker.user_id},
        )
    return moved
