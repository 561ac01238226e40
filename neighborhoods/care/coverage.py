"""Coverage (进百家门): the share of households visited this calendar year.

Each function is one grouped query: households are grouped by worker, zone or
neighbourhood and counted twice (all, and those whose last visit is in this year:
Household.last_visit, kept by each visit).
"""

from dataclasses import dataclass

from django.db.models import Count

from ..models import Household
from ..models.register import visited_this_year_q


@dataclass
class Coverage:
    key: object
    label: str
    total: int
    visited: int
    worker: str = ""
    worker_id: int | None = None

    @property
    def percent(self):
        return round(100 * self.visited / self.total) if self.total else 0


def _grouped(households, key, label, worker=None, worker_id=None):
    columns = [key, label, *([worker] if worker else []), *([worker_id] if worker_id else [])]
    rows = (
        households.order_by()
        .values(*columns)
        .annotate(total=Count("pk"), visited=Count("pk", filter=visited_this_year_q()))
        .order_by(label)
    )
    return [
        Coverage(
            r[key], r[label] or "", r["total"], r["visited"], r.get(worker) or "", r.get(worker_id)
        )
        for r in rows
    ]


def by_neighbourhood(households=None):
    households = Household.objects.all() if households is None else households
    return _grouped(households, "building__neighbourhood_id", "building__neighbourhood__name")


def by_zone(households=None):
    households = Household.objects.all() if households is None else households
    return _grouped(
        households,
        "building__zone_id",
        "building__zone__name",
        worker="building__zone__worker__user__first_name",
        worker_id="building__zone__worker_id",
    )


def summed(rows, key=None, label=""):
    """One Coverage adding up rows (say, a neighbourhood's zones, or the zones I hold)."""
    return Coverage(key, label, sum(r.total for r in rows), sum(r.visited for r in rows))


def for_staff_home(worker, households):
    """The staff home's three views of one neighbourhood from one grouped query: my zones'
    total, the neighbourhood's, and each zone's (with the households in no zone)."""
    zones = by_zone(households)
    neighbourhood = worker.neighbourhood
    return {
        "coverage": summed([z for z in zones if z.worker_id == worker.pk]),
        "neighbourhood_coverage": [summed(zones, neighbourhood.pk, neighbourhood.name)]
        if zones
        else [],
        "zone_coverage": zones,
    }


def by_worker(households=None):
    """Per worker through the zones they hold (分片包干); households of no zone have key None."""
    households = Household.objects.all() if households is None else households
    return _grouped(
        households, "building__zone__worker_id", "building__zone__worker__user__first_name"
    )


def total(households):
    """One Coverage for a whole queryset of households."""
    counts = households.order_by().aggregate(
        total=Count("pk", distinct=True),
        visited=Count("pk", distinct=True, filter=visited_this_year_q()),
    )
    return Coverage(None, "", counts["total"], counts["visited"])


def for_worker(worker):
    """My coverage this year: the households of the zones I hold."""
    return total(Household.objects.filter(building__zone__worker=worker))
