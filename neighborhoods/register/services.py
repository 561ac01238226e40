"""The register's work on several rows: an account asking to be linked (上云); zones changing
hands (分片包干); the upkeep of the register (below).

Zones: buildings move, workers leave; open needs follow.

Who answers for a household is derived from Building.zone → Zone.worker. Overdue visits
and the daily watch are computed from the zone at query time, so they follow by themselves.
Only open needs store an owner: the functions below hand them over, writing a "handed over"
line in each timeline, so history keeps who did what.
"""

import datetime

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from portal.exceptions import Refused

from ..models import (
    Building,
    CommunityWorker,
    Household,
    LinkRequest,
    Need,
    NeedAction,
    RegisterChange,
    Resident,
    Zone,
)


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


# --- Register upkeep (户籍台账维护): households and residents, every change recorded --------
#
# Two staff may keep the same household at once (the zone's worker and the director, say).
# Every function below locks the household row first (select_for_update), so their changes
# are serialised; and each takes `seen`, the household's latest change when the form was
# shown (RegisterChange id, `household_version`): a form filled in before a colleague's
# change is refused instead of silently overwriting it (a lost update) or adding the same
# person twice.

HOUSEHOLD_FIELDS = ("building", "room", "staircase", "floor_area", "phone", "notes")
RESIDENT_FIELDS = ("name", "gender", "birth_date", "relation", "phone")


def household_version(household):
    """The household's latest change (0 for none): the version a form is filled in against."""
    latest = RegisterChange.objects.filter(household=household).order_by("-pk").first()
    return latest.pk if latest else 0


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def _diff(obj, fields, names):
    """{field: [old, new]} for the fields of `fields` that differ from `obj`'s values."""
    return {
        name: [_as_text(getattr(obj, name)), _as_text(fields[name])]
        for name in names
        if name in fields and getattr(obj, name) != fields[name]
    }


def _lock(household, seen):
    """The household, locked; Refused when a colleague changed it since the form was shown."""
    locked = Household.objects.select_for_update().get(pk=household.pk)
    if seen is not None and household_version(locked) != seen:
        raise Refused(
            _(
                "A colleague changed this household a moment ago, so nothing was saved. "
                "Check the page as it is now and make your change again."
            )
        )
    return locked


def _record(*, household, kind, by, resident=None, changes=None, at=None):
    return RegisterChange.objects.create(
        household=household,
        resident=resident,
        kind=kind,
        by=by,
        changes=changes or {},
        **({"at": at} if at else {}),
    )


def _tag_names(tags):
    return ", ".join(sorted(tag.name for tag in tags))


@transaction.atomic
def household_create(*, fields, by):
    """A new flat in the register. `fields`: building, room, staircase, floor_area, phone, notes."""
    if Household.objects.filter(building=fields["building"], room=fields["room"]).exists():
        raise Refused(_("This flat is already in the register."))
    household = Household.objects.create(**{k: fields[k] for k in HOUSEHOLD_FIELDS if k in fields})
    changes = {k: ["", _as_text(fields[k])] for k in HOUSEHOLD_FIELDS if fields.get(k)}
    _record(household=household, kind=RegisterChange.Kind.CREATED, by=by, changes=changes)
    return household


@transaction.atomic
def household_update(*, household, fields, by, seen):
    locked = _lock(household, seen)
    changes = _diff(locked, fields, HOUSEHOLD_FIELDS)
    if not changes:
        return locked
    if "building" in changes or "room" in changes:
        taken = Household.objects.filter(
            building=fields.get("building", locked.building), room=fields.get("room", locked.room)
        ).exclude(pk=locked.pk)
        if taken.exists():
            raise Refused(_("This flat is already in the register."))
    for name in changes:
        setattr(locked, name, fields[name])
    locked.save(update_fields=list(changes))
    _record(household=locked, kind=RegisterChange.Kind.EDITED, by=by, changes=changes)
    return locked


def _check_not_twice(household, fields):
    twin = household.residents.present().filter(
        name=fields["name"], birth_date=fields.get("birth_date")
    )
    if twin.exists():
        raise Refused(
            _("%(name)s is already registered in this household.") % {"name": fields["name"]}
        )


@transaction.atomic
def resident_add(*, household, fields, tags=(), by, seen, kind=RegisterChange.Kind.CREATED):
    """A new person in the household: a member added, a newborn (born), a new arrival
    (moved_in). Care flags are recomputed by Resident.save."""
    locked = _lock(household, seen)
    _check_not_twice(locked, fields)
    values = {k: fields[k] for k in RESIDENT_FIELDS if fields.get(k) is not None}
    resident = Resident(household=locked, **values)
    if kind != RegisterChange.Kind.CREATED:
        resident.status_changed_on = fields.get("on") or fields.get("birth_date")
    resident.save()
    resident.tags.set(tags)
    changes = {k: ["", _as_text(v)] for k, v in values.items() if v not in ("", None)}
    if tags:
        changes["tags"] = ["", _tag_names(tags)]
    _record(household=locked, resident=resident, kind=kind, by=by, changes=changes)
    return resident


@transaction.atomic
def resident_update(*, resident, fields, tags, by, seen):
    """Edit a resident; a change of tags alone is recorded as tags_changed."""
    _lock(resident.household, seen)
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    changes = _diff(resident, fields, RESIDENT_FIELDS)
    before = list(resident.tags.all())
    if changes:
        for name in changes:
            setattr(resident, name, fields[name])
        resident.save(update_fields=list(changes))  # recomputes the care flags
    tags_changed = {t.pk for t in before} != {t.pk for t in tags}
    if tags_changed:
        resident.tags.set(tags)
        changes["tags"] = [_tag_names(before), _tag_names(tags)]
    if changes:
        kind = (
            RegisterChange.Kind.EDITED
            if set(changes) - {"tags"}
            else RegisterChange.Kind.TAGS_CHANGED
        )
        _record(household=resident.household, resident=resident, kind=kind, by=by, changes=changes)
    return resident


def _status_change(resident, status, on):
    return {
        "status": [resident.get_status_display(), str(Resident.Status(status).label)],
        "status_changed_on": [_as_text(resident.status_changed_on), _as_text(on)],
    }


def _lock_present(resident, seen):
    _lock(resident.household, seen)
    locked = Resident.objects.select_for_update().get(pk=resident.pk)
    if locked.status != Resident.Status.PRESENT:
        raise Refused(
            _("%(name)s is no longer registered here (%(status)s); nothing was changed.")
            % {"name": locked.name, "status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def resident_move_out(*, resident, on, by, seen):
    locked = _lock_present(resident, seen)
    changes = _status_change(locked, Resident.Status.MOVED_OUT, on)
    locked.move_out(on=on)
    _record(
        household=locked.household,
        resident=locked,
        kind=RegisterChange.Kind.MOVED_OUT,
        by=by,
        changes=changes,
    )
    return locked


@transaction.atomic
def resident_record_death(*, resident, on, by, seen):
    locked = _lock_present(resident, seen)
    if locked.birth_date and on < locked.birth_date:
        raise Refused(_("The date of death cannot be before the date of birth."))
    changes = _status_change(locked, Resident.Status.DECEASED, on)
    locked.record_death(on=on)
    _record(
        household=locked.household,
        resident=locked,
        kind=RegisterChange.Kind.DIED,
        by=by,
        changes=changes,
    )
    return locked


@transaction.atomic
def resident_move_in(*, household, resident, on, by, seen):
    """A present resident of another household of the same neighbourhood moves here: a
    moved_out line in the old household's history, a moved_in line in this one's."""
    # Both households locked, in id order, so that two moves in opposite directions at
    # once cannot deadlock.
    source = resident.household
    for pk in sorted({source.pk, household.pk}):
        Household.objects.select_for_update().get(pk=pk)
    target = _lock(household, seen)
    locked = (
        Resident.objects.select_for_update()
        .select_related("household__building")
        .get(pk=resident.pk)
    )
    if locked.status != Resident.Status.PRESENT or locked.household_id == target.pk:
        raise Refused(_("%(name)s cannot move here; nothing was changed.") % {"name": locked.name})
    if locked.household.building.neighbourhood_id != target.building.neighbourhood_id:
        raise Refused(_("Only a resident of this neighbourhood can move in from another flat."))
    old = locked.household
    locked.move_to(target, on=on)  # recomputes the care flags of both households
    _record(
        household=old,
        resident=locked,
        kind=RegisterChange.Kind.MOVED_OUT,
        by=by,
        changes={"household": [str(old), str(target)]},
    )
    _record(
        household=target,
        resident=locked,
        kind=RegisterChange.Kind.MOVED_IN,
        by=by,
        changes={"household": [str(old), str(target)]},
    )
    return locked
