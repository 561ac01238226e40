"""Import the register from a committee's spreadsheet, and export it as the standard 台账.

Import, in two steps that never trust the browser with data:

1. `upload_store` keeps the uploaded file in private storage under a random token, with
   who uploaded it, for which neighbourhood and when. The token expires after an hour.
2. `import_preview` reads it again and plans what would change (nothing is written);
   `import_confirm` takes the neighbourhood's row lock, reads the file once more, plans
   against the register as it is now, writes the plan in one transaction and consumes the
   token, so that a confirm sent twice imports once.

A row is matched to a present resident by building + room + name + date of birth: a file
imported twice changes nothing the second time. Buildings are not created: a building the
neighbourhood does not have is a row error (a typo in 楼号 would otherwise make a new
building, and buildings carry zones and the workers who answer for them).
An empty cell leaves the register's value as it is (an old spreadsheet without phone
numbers does not wipe them); 备注 becomes the staff notes of a household the import creates.
"""

import datetime
import json
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import Refused
from portal.files import private_storage

from ..models import Building, Household, Neighbourhood, RegisterChange, Resident
from .parsing import normalise_building, normalise_room, read_sheet

UPLOAD_DIR = "register-imports"
UPLOAD_LIFETIME = datetime.timedelta(hours=1)
RESIDENT_FIELDS = ("gender", "relation", "phone")


# --- The upload, kept server-side between preview and confirm ---------------------------


@dataclass
class Upload:
    token: str
    user_id: int
    neighbourhood_id: int
    filename: str
    created: datetime.datetime

    @property
    def data_name(self):
        return f"{UPLOAD_DIR}/{self.token}.data"

    @property
    def meta_name(self):
        return f"{UPLOAD_DIR}/{self.token}.json"

    def read(self):
        with private_storage().open(self.data_name, "rb") as data:
            return data.read()

    def discard(self):
        for name in (self.data_name, self.meta_name):
            private_storage().delete(name)


def upload_store(*, user, neighbourhood, upload):
    """Keep `upload` for `user` and `neighbourhood`; the user's expired uploads go."""
    upload_prune(user=user)
    token = secrets.token_urlsafe(24)
    stored = Upload(token, user.pk, neighbourhood.pk, upload.name, timezone.now())
    meta = {
        "user": stored.user_id,
        "neighbourhood": stored.neighbourhood_id,
        "filename": stored.filename,
        "created": stored.created.isoformat(),
    }
    storage = private_storage()
    storage.save(stored.data_name, ContentFile(upload.read()))
    storage.save(stored.meta_name, ContentFile(json.dumps(meta).encode()))
    return stored


def upload_for_user(user, token):
    """The upload `token` of `user`, if it exists and has not expired; else None."""
    if not token.replace("-", "").replace("_", "").isalnum() or len(token) > 64:
        return None
    name = f"{UPLOAD_DIR}/{token}.json"
    try:
        with private_storage().open(name, "rb") as meta_file:
            meta = json.loads(meta_file.read())
    except (FileNotFoundError, ValueError):
        return None
    upload = Upload(
        token,
        meta["user"],
        meta["neighbourhood"],
        meta["filename"],
        datetime.datetime.fromisoformat(meta["created"]),
    )
    if upload.user_id != user.pk or timezone.now() - upload.created > UPLOAD_LIFETIME:
        return None
    return upload


def upload_prune(*, user):
    """Delete this user's uploads older than UPLOAD_LIFETIME (a preview left unconfirmed)."""
    storage = private_storage()
    if not storage.exists(UPLOAD_DIR):
        return
    for name in storage.listdir(UPLOAD_DIR)[1]:
        if not name.endswith(".json"):
            continue
        token = name.removesuffix(".json")
        try:
            with storage.open(f"{UPLOAD_DIR}/{name}", "rb") as meta_file:
                meta = json.loads(meta_file.read())
        except (FileNotFoundError, ValueError):
            continue
        created = datetime.datetime.fromisoformat(meta["created"])
        if meta["user"] == user.pk and timezone.now() - created > UPLOAD_LIFETIME:
            Upload(token, user.pk, meta["neighbourhood"], "", created).discard()


# --- Planning: what the file would change ------------------------------------------------


@dataclass
class Planned:
    row: object  # parsing.Row
    building: Building
    household: Household | None  # None: a household the import creates
    resident: Resident | None  # None: a resident the import creates
    changes: dict = field(default_factory=dict)  # field → new value (updated residents)


@dataclass
class Plan:
    neighbourhood: Neighbourhood
    new: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (row number, message), in row order
    unknown_columns: list = field(default_factory=list)
    not_kept_columns: list = field(default_factory=list)

    @property
    def new_households(self):
        return len({(p.building.pk, p.row.room) for p in self.new if p.household is None})

    @property
    def error_rows(self):
        """Rows in error (a row may have several errors)."""
        return len({number for number, _message in self.errors})

    @property
    def has_changes(self):
        return bool(self.new or self.updated)


def import_plan(*, neighbourhood, filename, data, today=None):
    """What importing `data` into `neighbourhood` would do; writes nothing.

    Three queries whatever the size of the file: the buildings, the households and the
    present residents of the neighbourhood, matched in memory.
    """
    sheet = read_sheet(filename, data, today)
    plan = Plan(
        neighbourhood,
        errors=list(sheet.errors),
        unknown_columns=sheet.unknown_columns,
        not_kept_columns=sheet.not_kept_columns,
    )
    buildings = defaultdict(list)
    for building in Building.objects.filter(neighbourhood=neighbourhood):
        buildings[normalise_building(building.number)].append(building)
    households = {
        (h.building_id, normalise_room(h.room)): h
        for h in Household.objects.filter(building__neighbourhood=neighbourhood)
    }
    residents = {
        (r.household_id, r.name, r.birth_date): r
        for r in Resident.objects.present().filter(household__building__neighbourhood=neighbourhood)
    }
    seen = {}
    for row in sheet.rows:
        building, error = _building_for(row, buildings)
        if error:
            plan.errors.append((row.number, error))
            continue
        key = (building.pk, row.room, row.name, row.birth_date)
        if key in seen:
            message = _(
                "Row %(row)s: the same person as row %(first)s "
                "(building, room, name and date of birth)."
            )
            plan.errors.append((row.number, message % {"row": row.number, "first": seen[key]}))
            continue
        seen[key] = row.number
        household = households.get((building.pk, row.room))
        resident = residents.get((household.pk, row.name, row.birth_date)) if household else None
        planned = Planned(row, building, household, resident)
        if resident is None:
            plan.new.append(planned)
            continue
        planned.changes = {
            name: getattr(row, name)
            for name in RESIDENT_FIELDS
            if getattr(row, name) and getattr(row, name) != getattr(resident, name)
        }
        (plan.updated if planned.changes else plan.unchanged).append(planned)
    plan.errors.sort(key=lambda error: error[0])
    return plan


def _building_for(row, buildings):
    candidates = buildings.get(row.building, [])
    if row.compound:
        candidates = [b for b in candidates if b.compound == row.compound]
    values = {"row": row.number, "value": row.building_label}
    if not candidates:
        return None, _(
            "Row %(row)s: building '%(value)s' is not a building of this neighbourhood."
        ) % values
    if len(candidates) > 1:
        return None, _(
            "Row %(row)s: building '%(value)s' is in more than one compound; add a 小区 column."
        ) % values
    return candidates[0], None


def import_preview(*, upload):
    neighbourhood = Neighbourhood.objects.get(pk=upload.neighbourhood_id)
    return import_plan(neighbourhood=neighbourhood, filename=upload.filename, data=upload.read())


# --- Writing: the confirmed import --------------------------------------------------------


@transaction.atomic
def import_confirm(*, upload, by):
    """Import the upload; Refused if it was imported already (a second tap, another tab).

    The neighbourhood's row lock serialises imports into one neighbourhood: two confirms of
    one token (or two staff importing overlapping files) run one after the other, and the
    second finds the token consumed (or plans against what the first wrote).
    """
    neighbourhood = Neighbourhood.objects.select_for_update().get(pk=upload.neighbourhood_id)
    if upload_for_user(by, upload.token) is None:
        raise Refused(_("This file has already been imported (or its preview expired)."))
    plan = import_plan(neighbourhood=neighbourhood, filename=upload.filename, data=upload.read())
    import_apply(plan, by=by)
    # Last, inside the transaction: a failure above keeps the file for another try.
    upload.discard()
    return plan


def import_apply(plan, *, by=None, today=None):
    """Write `plan`: households and residents in bulk, each change in the households'
    history (one RegisterChange per resident added or updated, as the register's own forms
    write), then each touched household's care flag recomputed once (not once per resident,
    as Resident.save() would)."""
    created = {}
    for planned in plan.new:
        key = (planned.building.pk, planned.row.room)
        if planned.household is None and key not in created:
            created[key] = Household(
                building=planned.building, room=planned.row.room, notes=planned.row.notes
            )
    Household.objects.bulk_create(created.values())
    new_residents = []
    for planned in plan.new:
        household = planned.household or created[(planned.building.pk, planned.row.room)]
        resident = Resident(
            household=household,
            name=planned.row.name,
            gender=planned.row.gender,
            birth_date=planned.row.birth_date,
            relation=planned.row.relation,
            phone=planned.row.phone,
        )
        new_residents.append(resident)
    Resident.objects.bulk_create(new_residents, batch_size=1000)
    history = [
        RegisterChange(
            household=resident.household,
            resident=resident,
            by=by,
            kind=RegisterChange.Kind.CREATED,
            changes={"name": ["", resident.name]},
        )
        for resident in new_residents
    ]
    for planned in plan.updated:
        history.append(
            RegisterChange(
                household_id=planned.resident.household_id,
                resident=planned.resident,
                by=by,
                kind=RegisterChange.Kind.EDITED,
                changes={
                    name: [str(getattr(planned.resident, name) or ""), str(value or "")]
                    for name, value in planned.changes.items()
                },
            )
        )
        for name, value in planned.changes.items():
            setattr(planned.resident, name, value)
    Resident.objects.bulk_update(
        [p.resident for p in plan.updated], RESIDENT_FIELDS, batch_size=1000
    )
    RegisterChange.objects.bulk_create(history, batch_size=1000)
    touched = {r.household_id for r in new_residents} | {
        p.resident.household_id for p in plan.updated
    }
    households_refresh_care(touched, today)


def households_refresh_care(household_ids, today=None):
    """Household.refresh_care() for many households, in three queries."""
    today = today or timezone.localdate()
    members = defaultdict(list)
    for resident in (
        Resident.objects.present()
        .filter(household_id__in=household_ids)
        .only("household_id", "birth_date")
    ):
        members[resident.household_id].append(resident)
    changed = []
    for household in Household.objects.filter(pk__in=household_ids):
        people = members[household.pk]
        births = [r.birth_date for r in people if r.birth_date]
        care, eldest = household.care_for(people, today), min(births) if births else None
        if (care, eldest) != (household.care, household.eldest_birth_date):
            household.care, household.eldest_birth_date = care, eldest
            changed.append(household)
    Household.objects.bulk_update(changed, ["care", "eldest_birth_date"], batch_size=1000)
