"""The community map (社区地图): a plan of one neighbourhood drawn by the server.

Each building is a grid of its flats, floors × units, read from the room number
("302" → floor 3, unit 02), coloured by one layer. The plan is drawn MAP_BUILDINGS_PER_PAGE
buildings at a time, with an index of every zone and building (each linking to its page),
so that a page is the same size in a neighbourhood of 500 flats or of 1,700: two queries,
the buildings and the page's households with the chosen layer's flag computed in the
database (one EXISTS subquery).
"""

import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import BUILDING_ORDER, Building, Household, Need, Resident, WatchAlert
from ..models.register import visited_this_year_q
from ..models.watch import watch_today

MAP_BUILDINGS_PER_PAGE = 24  # about 430 flats: a whole small neighbourhood on one page
ROOM = re.compile(r"^(\d{1,2}?)(\d{2})$")


@dataclass(frozen=True)
class Layer:
    key: str
    label: str
    # state → (legend text, symbol shown in the cell: meaning never rests on colour alone)
    states: dict


LAYERS = {
    layer.key: layer
    for layer in [
        Layer(
            "visited",
            _("Visited this year"),
            {"yes": (_("visited this year"), "✓"), "no": (_("not visited this year"), "○")},
        ),
        Layer(
            "care",
            _("Care flags"),
            {
                "alone": (_("elderly living alone"), "独"),
                "elderly": (_("elderly-only household"), "老"),
                "none": (_("no care flag"), ""),
            },
        ),
        Layer(
            "needs", _("Open needs"), {"yes": (_("open need"), "!"), "no": (_("no open need"), "")}
        ),
        Layer(
            "alerts",
            _("Watch alerts today"),
            {"yes": (_("watch alert open or raised today"), "!"), "no": (_("no watch alert"), "")},
        ),
        Layer(
            "linked",
            _("Linked to an account (上云)"),
            {"yes": (_("linked (上云)"), "☁"), "no": (_("not linked"), "")},
        ),
    ]
}
DEFAULT_LAYER = "visited"


def layer_flag(key, now):
    """The expression that gives each household its state for a layer."""
    if key == "care":
        return None  # read from Household.care
    if key == "visited":
        return visited_this_year_q(now)
    if key == "needs":
        subquery = Need.objects.open().filter(household=OuterRef("pk"))
    elif key == "alerts":
        subquery = WatchAlert.objects.filter(
            Q(closed_at__isnull=True) | Q(watch_check__date=watch_today(now)),
            watch_check__enrolment__household=OuterRef("pk"),
        )
    else:  # linked
        subquery = Resident.objects.present().filter(household=OuterRef("pk"), user__isnull=False)
    return Exists(subquery)


@dataclass
class Cell:
    pk: int
    room: str
    state: str
    label: str
    symbol: str


@dataclass
class BuildingPlan:
    building: Building
    floors: list = field(default_factory=list)  # [(floor, [Cell | None per unit])], top first
    units: list = field(default_factory=list)
    others: list = field(default_factory=list)  # rooms that do not read as floor + unit
    counts: dict = field(default_factory=dict)
    rows_html: str = ""  # the floors' <tr>s and the others' <li>s (CellWriter)
    others_html: str = ""


@dataclass
class ZonePlan:
    zone: object  # Zone or None
    buildings: list  # BuildingPlan, or in the index (Building, page number)
    here: bool = False  # in the index: some of its buildings are drawn on this page

    @property
    def anchor(self):
        return f"zone-{self.zone.pk if self.zone else 'none'}"


@dataclass
class MapPage:
    zones: list  # ZonePlan of this page's buildings
    index: list  # ZonePlan of every building, each with the number of its page
    page: object  # the Paginator page of buildings

    @property
    def households(self):
        """The households drawn on this page (for the access log)."""
        return [
            cell.pk
            for zone in self.zones
            for plan in zone.buildings
            for cell in [*plan.others, *(c for _, row in plan.floors for c in row if c)]
        ]


def split_room(room):
    match = ROOM.match(room.strip().removesuffix("室"))
    return (int(match[1]), match[2]) if match else None


def _by_zone(items, zone_of):
    """ZonePlans in the order zones were made (第一片区, 第二片区… do not sort as text),
    then the buildings in no zone."""
    zones = {}
    for item in items:
        zone = zone_of(item)
        zones.setdefault(zone.pk if zone else None, ZonePlan(zone, [])).buildings.append(item)
    return sorted(zones.values(), key=lambda z: (z.zone is None, z.zone.pk if z.zone else 0))


def neighbourhood_plan(neighbourhood, layer, *, page=None, now=None):
    """One page of the neighbourhood's plan (`page`: its number, from the query string;
    garbage or out of range gives the first or the last)."""
    now = now or timezone.now()
    layer_key = layer.key
    buildings = list(
        Building.objects.filter(neighbourhood=neighbourhood)
        .select_related("zone__worker__user")
        .order_by("zone__name", *BUILDING_ORDER)
    )
    # Zones in their order first, so that a page holds neighbouring buildings of one zone.
    buildings = [b for zone in _by_zone(buildings, lambda b: b.zone) for b in zone.buildings]
    current = Paginator(buildings, MAP_BUILDINGS_PER_PAGE).get_page(page)
    index = _by_zone(
        [(b, n // MAP_BUILDINGS_PER_PAGE + 1) for n, b in enumerate(buildings)],
        lambda item: item[0].zone,
    )
    for zone in index:
        zone.here = any(number == current.number for _b, number in zone.buildings)
    households = Household.objects.filter(building__in=[b.pk for b in current]).order_by()
    flag = layer_flag(layer_key, now)
    if flag is not None:
        households = households.annotate(flag=flag)
    rows = households.values(
        "pk", "building_id", "room", "care", *(["flag"] if flag is not None else [])
    )
    by_building = {}
    for row in rows:
        flagged = "yes" if row.get("flag") else "no"
        state = (row["care"] or "none") if flag is None else flagged
        label, symbol = layer.states[state]
        cell = Cell(row["pk"], row["room"], state, label, symbol)
        by_building.setdefault(row["building_id"], []).append(cell)

    writer = CellWriter(layer_key)
    plans = []
    for building in current:
        plan = _building_plan(building, by_building.get(building.pk, []))
        plan.rows_html, plan.others_html = writer.rows(plan), writer.others(plan)
        plans.append(plan)
    return MapPage(zones=_by_zone(plans, lambda p: p.building.zone), index=index, page=current)


def _building_plan(building, cells):
    plan = BuildingPlan(building)
    grid = {}
    for cell in cells:
        plan.counts[cell.state] = plan.counts.get(cell.state, 0) + 1
        place = split_room(cell.room)
        if place is None:
            plan.others.append(cell)
        else:
            grid[place] = cell
    plan.units = sorted({unit for _, unit in grid})
    top = max([building.floors or 0, *(floor for floor, _ in grid)])
    plan.floors = (
        [(floor, [grid.get((floor, unit)) for unit in plan.units]) for floor in range(top, 0, -1)]
        if plan.units
        else []
    )
    plan.others.sort(key=lambda c: c.room)
    return plan


class CellWriter:
    """A plan's cells as HTML, written here rather than by the template engine: a
    neighbourhood of 1,700 flats is 3,000 cells, and a `{% url %}` and three variables per
    cell made the template 2/3 of the page's time. The same markup the template had."""

    def __init__(self, layer_key):
        self.layer_key = layer_key
        marker = 987654321
        self.href = reverse("neighborhoods:household-detail", args=[marker]).replace(
            str(marker), "{}"
        )
        self.empty = format_html(
            '<span class="map-cell map-empty" title="{}"></span>', _("no household registered")
        )

    def cell(self, cell):
        return (
            f'<a class="map-cell map-{self.layer_key}-{cell.state}" href="'
            f'{self.href.format(cell.pk)}"><span class="map-room">{escape(cell.room)}</span>'
            f'<span class="map-mark" aria-hidden="true">{escape(cell.symbol)}</span>'
            f'<span class="visually-hidden">{escape(cell.label)}</span></a>'
        )

    def rows(self, plan):
        """The grid's <tr>s, top floor first."""
        floor_label = gettext("%(floor)s/F")
        return mark_safe(  # noqa: S308 (every value above is escaped)
            "".join(
                f'<tr><th scope="row">{escape(floor_label % {"floor": floor})}</th>'
                + "".join(f"<td>{self.cell(c) if c else self.empty}</td>" for c in cells)
                + "</tr>"
                for floor, cells in plan.floors
            )
        )

    def others(self, plan):
        """The rooms that do not read as floor + unit, as <li>s."""
        return mark_safe(  # noqa: S308 (every value above is escaped)
            "".join(f"<li>{self.cell(c)}</li>" for c in plan.others)
        )
