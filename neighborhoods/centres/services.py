"""The centres' figures: the rating year, the advisors of a centre, the 1510 picture."""

from dataclasses import dataclass, field

from django.db.models import Max, Q

from ..models import (
    SERVICE_PROJECTS_MINIMUM,
    WALK_MINUTES_LIMIT,
    Advisor,
    Centre,
    Neighbourhood,
    StarRating,
    WalkingDistance,
)


def rating_year():
    """The latest year the district rated centres in (None before the first rating)."""
    return StarRating.objects.aggregate(year=Max("year"))["year"]


def centre_advisors(centre):
    """Advisors of the centre's neighbourhoods or of its projects, each once."""
    return (
        Advisor.objects.filter(Q(neighbourhoods__centres=centre) | Q(projects__centre=centre))
        .distinct()
        .order_by("field", "name")
    )


@dataclass
class NeighbourhoodCoverage:
    neighbourhood: Neighbourhood
    walks: list = field(default_factory=list)  # WalkingDistance rows, nearest first

    @property
    def nearest(self):
        return self.walks[0] if self.walks else None

    @property
    def within_walk(self):
        """Centres within the 15-minute walk."""
        return [walk for walk in self.walks if walk.minutes <= WALK_MINUTES_LIMIT]

    @property
    def meets_1510(self):
        """A centre within 15 minutes that runs at least 10 service projects this year."""
        return any(
            walk.centre.service_projects >= SERVICE_PROJECTS_MINIMUM for walk in self.within_walk
        )


@dataclass
class Coverage:
    year: int
    neighbourhoods: list  # NeighbourhoodCoverage, the ones without a centre in reach first
    centres: list  # Centre annotated with service_projects, fewest first

    @property
    def reached(self):
        return sum(1 for row in self.neighbourhoods if row.within_walk)

    @property
    def meeting_1510(self):
        return sum(1 for row in self.neighbourhoods if row.meets_1510)

    @property
    def short_centres(self):
        return [c for c in self.centres if c.service_projects < SERVICE_PROJECTS_MINIMUM]


def coverage_1510(year):
    """Which neighbourhoods have a centre within a 15-minute walk, which centres fall short
    of 10 service projects in `year`. Three queries, whatever the district's size."""
    centres = list(
        Centre.objects.with_service_project_count(year)
        .select_related("subdistrict")
        .order_by("service_projects", "name")
    )
    by_id = {centre.pk: centre for centre in centres}
    rows = {
        n.pk: NeighbourhoodCoverage(n)
        for n in Neighbourhood.objects.with_places().order_by("subdistrict__name", "name")
    }
    for walk in WalkingDistance.objects.order_by("minutes", "centre__name"):
        walk.centre = by_id[walk.centre_id]  # the annotated centre, no query per row
        rows[walk.neighbourhood_id].walks.append(walk)
    ordered = sorted(rows.values(), key=lambda row: (bool(row.within_walk), row.meets_1510))
    return Coverage(year=year, neighbourhoods=ordered, centres=centres)
