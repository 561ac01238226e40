"""Work that touches several rows or models at once. Keyword-only, one transaction each.

Sections: visits and needs; zones changing hands. (Other parts of the app add their own
section below.)
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Building, CommunityWorker, Need, NeedAction, Visit, VisitAddendum, Zone

# --- Visits and needs -------------------------------------------------------------------


def zone_holder(household):
    """The account that answers for a household: the active worker of its building's zone."""
    zone = household.building.zone
    worker = zone.worker if zone else None
    return worker.user if worker and worker.active else None


@transaction.atomic
def need_raise(
    *,
    household,
    by,
    via,
    category,
    description,
    urgency=Need.Urgency.NORMAL,
    photo=None,
    visit=None,
):
    """Record a need; its owner is whoever holds the household's zone (分片包干)."""
    need = Need.objects.create(
        household=household,
        category=category,
        urgency=urgency,
        description=description,
        owner=zone_holder(household),
        raised_by=by,
        raised_via=via,
        photo=photo or "",
        visit=visit,
    )
    NeedAction.objects.create(need=need, actor=by, kind=NeedAction.Kind.RAISED)
    return need


@transaction.atomic
def visit_log(*, household, staff, when, kind, met, notes, needs=()):
    """A home visit and the needs raised during it, all or nothing."""
    visit = Visit.objects.create(
        household=household, staff=staff, when=when, kind=kind, met=met, notes=notes
    )
    for need in needs:
        need_raise(household=household, by=staff, via=Need.Via.VISIT, visit=visit, **need)
    return visit


def visit_correct(*, visit, when, kind, met, notes):
    visit.when, visit.kind, visit.met, visit.notes = when, kind, met, notes
    visit.save(update_fields=["when", "kind", "met", "notes", "updated"])
    return visit


def visit_add_addendum(*, visit, author, text):
    return VisitAddendum.objects.create(visit=visit, author=author, text=text)


def _locked_need(need):
    return Need.objects.select_for_update().get(pk=need.pk)


@transaction.atomic
def need_take(*, need, by):
    """The one taking it in hand becomes its owner, and it is in progress."""
    need = _locked_need(need)
    if not need.is_open:
        raise ValueError("need is closed")
    need.owner, need.status = by, Need.Status.IN_PROGRESS
    need.save(update_fields=["owner", "status"])
    NeedAction.objects.create(need=need, actor=by, kind=NeedAction.Kind.TAKEN)
    return need


def need_add_note(*, need, by, note):
    return NeedAction.objects.create(need=need, actor=by, kind=NeedAction.Kind.NOTE, note=note)


@transaction.atomic
def need_resolve(*, need, by, resolution):
    need = _locked_need(need)
    if not need.is_open:
        raise ValueError("need is closed")
    need.status, need.resolution, need.closed = Need.Status.RESOLVED, resolution, timezone.now()
    need.save(update_fields=["status", "resolution", "closed"])
    NeedAction.objects.create(need=need, actor=by, kind=NeedAction.Kind.RESOLVED, note=resolution)
    return need


@transaction.atomic
def need_refer(*, need, by, referred_to, note=""):
    need = _locked_need(need)
    if not need.is_open:
        raise ValueError("need is closed")
    need.status, need.referred_to, need.closed = Need.Status.REFERRED, referred_to, timezone.now()
    need.save(update_fields=["status", "referred_to", "closed"])
    NeedAction.objects.create(
        need=need, actor=by, kind=NeedAction.Kind.REFERRED, note=f"{referred_to}\n{note}".strip()
    )
    return need


# --- Zones changing hands ---------------------------------------------------------------
#
# Who answers for a household is derived from Building.zone → Zone.worker. Overdue visits
# and the daily watch are computed from the zone at query time, so they follow by
# themselves. Only open needs store an owner: the functions below hand them over, writing a
# "handed over" line in each timeline, so history keeps who did what.


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


def _worker_user(zone):
    worker = zone.worker if zone else None
    return worker.user if worker and worker.active else None


@transaction.atomic
def zone_reassign(*, buildings, zone, by):
    """Move buildings to another zone (or none); their open needs follow to its worker."""
    moved = 0
    for building in (
        Building.objects.select_for_update(of=("self",))
        .filter(pk__in=[b.pk for b in buildings])
        .select_related("zone__worker")
    ):
        previous_holder = _worker_user(building.zone)
        building.zone = zone
        building.save(update_fields=["zone"])
        moved += _hand_over_needs(
            Need.objects.filter(household__building=building),
            to_user=_worker_user(zone),
            by=by,
            from_users={previous_holder.pk} if previous_holder else set(),
        )
    return moved


@transaction.atomic
def zone_set_worker(*, zone, worker, by):
    """Give a zone to another worker (or none); its open needs follow."""
    zone = Zone.objects.select_for_update(of=("self",)).select_related("worker").get(pk=zone.pk)
    previous_holder = _worker_user(zone)
    zone.worker = worker
    zone.save(update_fields=["worker"])
    return _hand_over_needs(
        Need.objects.filter(household__building__zone=zone),
        to_user=_worker_user(zone),
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
            to_user=zone_holder(need.household),
            by=by,
            from_users={worker.user_id},
        )
    return moved
