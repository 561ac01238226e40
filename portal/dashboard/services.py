"""The figures of /dashboard/, computed from the source rows every time (no counters).

Every function here is one grouped SQL query (or a fixed handful), whatever the number of
neighbourhoods, households or events: the dashboard's query count does not grow with data.
The help page (/dashboard/help/) says the same rules in plain Chinese; keep them in step.

上云率 (registration rate)
    present residents aged 14 or over whose register record is linked to an account
    ÷ present residents aged 14 or over (a resident whose birth date is unknown counts).
    Children under 14 are left out of both sides: they do not get accounts of their own
    (the law treats their personal data as sensitive; a parent's account stands for them),
    so counting them would put a ceiling below 100 % on every neighbourhood with families.
    Moved-out and deceased residents never count. The same rule for every level: building,
    zone, neighbourhood, subdistrict, district (:func:`registration_rates`).

互动指数 (interaction index, 0–100) — see :func:`interaction_index`.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, F, Max, Q, Sum
from django.utils import timezone

from neighborhoods.care import coverage
from neighborhoods.models import (
    Building,
    Centre,
    CommunityWorker,
    Household,
    Need,
    Neighbourhood,
    Resident,
    RosterWorker,
    SignUp,
    StarRating,
    Subdistrict,
    WatchAlert,
    WorkerHonour,
    Zone,
    birth_date_for_age,
)
from notices.models import GuideQuestion, NoticeRead, Suggestion, Support

ACCOUNT_MIN_AGE = 14
WINDOW_DAYS = 30
PRESENT = Resident.Status.PRESENT

# Where each level of place is, seen from a resident.
LEVELS = {
    "building": "household__building_id",
    "zone": "household__building__zone_id",
    "neighbourhood": "household__building__neighbourhood_id",
    "subdistrict": "household__building__neighbourhood__subdistrict_id",
    "district": "household__building__neighbourhood__subdistrict__district_id",
}

COLLEGE_OR_ABOVE = [
    CommunityWorker.Education.COLLEGE,
    CommunityWorker.Education.BACHELOR,
    CommunityWorker.Education.MASTER,
]


class Median(Aggregate):
    """PostgreSQL's median of an interval (or number)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def percent(part, whole, places=0):
    if not whole:
        return 0
    value = 100 * part / whole
    return round(value, places) if places else round(value)


# --- 上云率 --------------------------------------------------------------------------------


@dataclass
class Rate:
    key: object
    counted: int = 0
    linked: int = 0

    @property
    def percent(self):
        """Two decimals, as the report writes it (84.25 %)."""
        return percent(self.linked, self.counted, places=2)


def counted_residents(today=None):
    """The residents 上云率 counts: present, and aged 14 or over (or of unknown age)."""
    today = today or timezone.localdate()
    adult = birth_date_for_age(ACCOUNT_MIN_AGE, today)
    return Resident.objects.filter(status=PRESENT).filter(
        Q(birth_date__isnull=True) | Q(birth_date__lte=adult)
    )


def registration_rates(level, *, neighbourhood=None, today=None):
    """上云率 per building, zone, neighbourhood, subdistrict or district: {key: Rate}.

    One grouped query. `neighbourhood` limits the rows to one neighbourhood.
    """
    path = LEVELS[level]
    residents = counted_residents(today)
    if neighbourhood is not None:
        residents = residents.filter(household__building__neighbourhood=neighbourhood)
    rows = (
        residents.order_by()
        .values(path)
        .annotate(counted=Count("pk"), linked=Count("pk", filter=Q(user__isnull=False)))
    )
    return {row[path]: Rate(row[path], row["counted"], row["linked"]) for row in rows}


# --- 互动指数 ------------------------------------------------------------------------------

# Points per event of the last 30 days. Taking part in person weighs most; a read least.
WEIGHTS = {
    "reads": 1,  # a notice opened by a linked resident (NoticeRead)
    "signups": 2,  # an activity sign-up made (not cancelled)
    "attended": 3,  # an activity attended (checked in)
    "suggestions": 3,  # a suggestion in the discussion hall (not hidden)
    "supports": 1,  # a support (附议) of a suggestion
    "questions": 2,  # a question on a guide
    "needs_reported": 2,  # a need reported by the resident themselves
    "needs_resolved": 2,  # a need of the neighbourhood resolved by its staff
}


def _via_account(prefix):
    """The neighbourhood of the account's present resident record."""
    return {
        "path": f"{prefix}resident_record__household__building__neighbourhood_id",
        "filter": Q(**{f"{prefix}resident_record__status": PRESENT}),
    }


def _event_sources(since):
    signups = SignUp.objects.exclude(status=SignUp.Status.CANCELLED)
    on_register = {
        "path": "resident__household__building__neighbourhood_id",
        "filter": Q(resident__status=PRESENT),
    }
    of_household = {"path": "household__building__neighbourhood_id", "filter": Q()}
    return {
        "reads": (NoticeRead.objects.filter(read_at__gte=since), _via_account("user__")),
        "signups": (signups.filter(created__gte=since), on_register),
        "attended": (
            SignUp.objects.filter(attended=True, checked_in_at__gte=since),
            on_register,
        ),
        "suggestions": (
            Suggestion.objects.filter(created__gte=since, hidden=False),
            _via_account("author__"),
        ),
        "supports": (Support.objects.filter(created__gte=since), _via_account("user__")),
        "questions": (
            GuideQuestion.objects.filter(created__gte=since),
            _via_account("asker__"),
        ),
        "needs_reported": (
            Need.objects.filter(created__gte=since, raised_via=Need.Via.RESIDENT),
            of_household,
        ),
        "needs_resolved": (
            Need.objects.filter(closed__gte=since, status=Need.Status.RESOLVED),
            of_household,
        ),
    }


@dataclass
class Interaction:
    key: object
    counts: dict = field(default_factory=dict)
    households: int = 0  # linked households: at least one present resident with an account
    points: int = 0
    index: int = 0
    rank: int = 0

    @property
    def per_household(self):
        return self.points / self.households if self.households else 0.0

    @property
    def breakdown(self):
        """(event name, count, points each, points) for the page's table."""
        return [(name, n, WEIGHTS[name], WEIGHTS[name] * n) for name, n in self.counts.items()]


def interaction_index(now=None):
    """互动指数 per neighbourhood (0–100), ranked: {neighbourhood id: Interaction}.

    Over the last 30 days, for each neighbourhood:

        points = 1 × notices read + 2 × activity sign-ups + 3 × activities attended
               + 3 × suggestions + 1 × supports (附议) + 2 × questions on guides
               + 2 × needs reported by residents + 2 × needs resolved

        per household = points ÷ linked households (households with at least one present
                        resident linked to an account)

        互动指数 = 100 × per household ÷ the best neighbourhood's per household, rounded

    so the most active neighbourhood of the district scores 100 and the others a share of
    it; a neighbourhood with no linked household scores 0. Events are placed by the
    resident's present household (reads, suggestions, supports and questions through the
    account's register record; sign-ups through the register person; needs through their
    household). Nine grouped queries, however many neighbourhoods.
    """
    now = now or timezone.now()
    since = now - datetime.timedelta(days=WINDOW_DAYS)
    figures = {}

    def row(key):
        return figures.setdefault(key, Interaction(key, counts=dict.fromkeys(WEIGHTS, 0)))

    households = (
        Household.objects.filter(residents__status=PRESENT, residents__user__isnull=False)
        .order_by()
        .values("building__neighbourhood_id")
        .annotate(n=Count("pk", distinct=True))
    )
    for entry in households:
        row(entry["building__neighbourhood_id"]).households = entry["n"]
    for name, (events, where) in _event_sources(since).items():
        path = where["path"]
        grouped = events.filter(where["filter"]).order_by().values(path).annotate(n=Count("pk"))
        for entry in grouped:
            if entry[path] is not None:
                row(entry[path]).counts[name] = entry["n"]
    for figure in figures.values():
        figure.points = sum(WEIGHTS[name] * n for name, n in figure.counts.items())
    best = max((f.per_household for f in figures.values()), default=0)
    ranked = sorted(figures.values(), key=lambda f: -f.per_household)
    for position, figure in enumerate(ranked, start=1):
        figure.index = round(100 * figure.per_household / best) if best else 0
        figure.rank = position
    return figures


# --- Care, needs, watch, activities, centres ------------------------------------------------


def visit_coverage():
    """进百家门 per neighbourhood this year: {neighbourhood id: Coverage}."""
    return {c.key: c for c in coverage.by_neighbourhood(Household.objects.all())}


def overdue_care_visits(now=None):
    """Households with a care flag whose visit is overdue, per neighbourhood."""
    care = [Household.Care.ELDERLY_ALONE, Household.Care.ELDERLY_ONLY]
    overdue = Household.objects.filter(care__in=care).overdue(now)
    rows = overdue.order_by().values("building__neighbourhood_id").annotate(n=Count("pk"))
    return {r["building__neighbourhood_id"]: r["n"] for r in rows}


NEED_AGES = [(7, "0–7"), (30, "8–30"), (90, "31–90"), (None, "90+")]


def open_needs(*, neighbourhood=None, now=None):
    """Open needs (open or in progress): per neighbourhood, by age band and by category.

    Two grouped queries. Returns {"by_neighbourhood": {id: n}, "by_age": [(label, n)],
    "by_category": [(label, n)]}; `neighbourhood` limits the bands to one neighbourhood.
    """
    now = now or timezone.now()
    needs = Need.objects.filter(status__in=[Need.Status.OPEN, Need.Status.IN_PROGRESS])
    if neighbourhood is not None:
        needs = needs.filter(neighbourhood=neighbourhood)
    bands, lower = {}, None
    for days, _label in NEED_AGES:
        since = now - datetime.timedelta(days=days) if days else None
        q = Q()
        if since:
            q &= Q(created__gte=since)
        if lower:
            q &= Q(created__lt=lower)
        bands[f"band_{len(bands)}"] = Count("pk", filter=q)
        lower = since
    rows = list(
        needs.order_by()
        .values("household__building__neighbourhood_id", "category")
        .annotate(total=Count("pk"), **bands)
    )
    by_neighbourhood, by_category = {}, {}
    by_age = [0] * len(NEED_AGES)
    for r in rows:
        key = r["household__building__neighbourhood_id"]
        by_neighbourhood[key] = by_neighbourhood.get(key, 0) + r["total"]
        by_category[r["category"]] = by_category.get(r["category"], 0) + r["total"]
        for i in range(len(NEED_AGES)):
            by_age[i] += r[f"band_{i}"]
    labels = dict(Need.Category.choices)
    return {
        "by_neighbourhood": by_neighbourhood,
        "by_age": [(label, by_age[i]) for i, (_days, label) in enumerate(NEED_AGES)],
        "by_category": [
            (labels[c], by_category[c]) for c in Need.Category.values if by_category.get(c)
        ],
    }


@dataclass
class Resolved:
    resolved: int = 0
    within_30: int = 0

    @property
    def percent(self):
        return percent(self.within_30, self.resolved)


def needs_resolved_within_30_days(year=None):
    """Needs resolved this year, and how many of them within 30 days of being raised."""
    year = year or timezone.localdate().year
    quick = Q(closed__lte=F("created") + datetime.timedelta(days=30))
    rows = (
        Need.objects.filter(status=Need.Status.RESOLVED, closed__year=year)
        .order_by()
        .values("household__building__neighbourhood_id")
        .annotate(resolved=Count("pk"), within_30=Count("pk", filter=quick))
    )
    return {
        r["household__building__neighbourhood_id"]: Resolved(r["resolved"], r["within_30"])
        for r in rows
    }


@dataclass
class Alerts:
    opened: int = 0
    still_open: int = 0
    median_to_close: datetime.timedelta | None = None

    @property
    def median_minutes(self):
        if self.median_to_close is None:
            return None
        return round(self.median_to_close.total_seconds() / 60)


def watch_alerts(now=None):
    """Daily-watch alerts opened in the last 30 days, still open, median time to close."""
    now = now or timezone.now()
    path = "watch_check__enrolment__household__building__neighbourhood_id"
    alerts = WatchAlert.objects.filter(
        opened_at__gte=now - datetime.timedelta(days=WINDOW_DAYS)
    ).order_by()
    rows = alerts.values(path).annotate(
        opened=Count("pk"), still_open=Count("pk", filter=Q(closed_at__isnull=True))
    )
    medians = medians_to_close(alerts, path)
    return {r[path]: Alerts(r["opened"], r["still_open"], medians.get(r[path])) for r in rows}


def medians_to_close(alerts, path=None):
    """The median time from opening to closing of the closed `alerts`, per value of `path`
    (or, without `path`, the one median under the key None).

    PostgreSQL computes it (PERCENTILE_CONT); SQLite, the `make run` try-out database, has
    no such aggregate, so there the closed alerts' durations are fetched and the same median
    taken in Python (30 days of alerts: a few thousand rows at most)."""
    closed = alerts.filter(closed_at__isnull=False).order_by()
    if connection.vendor == "postgresql":
        duration = Median(F("closed_at") - F("opened_at"))
        if path is None:
            return {None: closed.aggregate(m=duration)["m"]}
        return {r[path]: r["m"] for r in closed.values(path).annotate(m=duration)}
    times = defaultdict(list)
    fields = (path, "closed_at", "opened_at") if path else ("closed_at", "opened_at")
    for values in closed.values_list(*fields):
        key = values[0] if path else None
        times[key].append(values[-2] - values[-1])
    return {key: statistics.median(durations) for key, durations in times.items()}


@dataclass
class Attendance:
    checked: int = 0  # confirmed sign-ups of past activities whose attendance was taken
    came: int = 0

    @property
    def percent(self):
        return percent(self.came, self.checked)


def activity_attendance(year=None):
    """This year's activities: of the sign-ups whose attendance was taken, how many came."""
    year = year or timezone.localdate().year
    path = "resident__household__building__neighbourhood_id"
    rows = (
        SignUp.objects.filter(attended__isnull=False, activity__starts_at__year=year)
        .order_by()
        .values(path)
        .annotate(checked=Count("pk"), came=Count("pk", filter=Q(attended=True)))
    )
    return {r[path]: Attendance(r["checked"], r["came"]) for r in rows}


def centre_ratings(subdistrict=None):
    """Each centre with its latest star rating (year, stars), best first."""
    latest = StarRating.objects.order_by().values("centre_id").annotate(year=Max("year"))
    years = {r["centre_id"]: r["year"] for r in latest}
    centres = Centre.objects.select_related("subdistrict").order_by("name")
    if subdistrict is not None:
        centres = centres.filter(subdistrict=subdistrict)
    ratings = {
        (r.centre_id, r.year): r.stars
        for r in StarRating.objects.filter(centre__in=centres, year__in=set(years.values()))
    }
    rows = [
        {
            "centre": c,
            "year": years.get(c.pk),
            "stars": ratings.get((c.pk, years.get(c.pk))),
        }
        for c in centres
    ]
    return sorted(rows, key=lambda r: -(r["stars"] or 0))


# --- Workforce -----------------------------------------------------------------------------


@dataclass
class Workforce:
    key: object = None
    count: int = 0
    birth_year_sum: int = 0
    with_birth_year: int = 0
    college: int = 0
    certified: int = 0
    year: int = 0

    def add(self, other):
        self.count += other.count
        self.birth_year_sum += other.birth_year_sum
        self.with_birth_year += other.with_birth_year
        self.college += other.college
        self.certified += other.certified

    @property
    def average_age(self):
        if not self.with_birth_year:
            return None
        return round(self.year - self.birth_year_sum / self.with_birth_year, 1)

    @property
    def college_percent(self):
        return percent(self.college, self.count)

    @property
    def certified_percent(self):
        return percent(self.certified, self.count)


def workforce(today=None):
    """Workers per subdistrict and district-wide: ({subdistrict id: Workforce}, Workforce).

    Counts the active CommunityWorker profiles (workers with an account) and the roster
    lines (workers without one): two grouped queries. Age is this year minus birth year,
    averaged over those whose birth year is known; education and certificate shares are of
    every worker (an unknown education is not counted as college or above).
    """
    year = (today or timezone.localdate()).year
    sums = {
        "count": Count("pk"),
        "birth_year_sum": Sum("birth_year"),
        "with_birth_year": Count("birth_year"),
        "college": Count("pk", filter=Q(education__in=COLLEGE_OR_ABOVE)),
        "certified": Count("pk", filter=Q(social_work_certificate=True)),
    }
    profiles = (
        CommunityWorker.objects.filter(active=True)
        .order_by()
        .values(key=F("neighbourhood__subdistrict_id"))
        .annotate(**sums)
    )
    roster = RosterWorker.objects.order_by().values(key=F("subdistrict_id")).annotate(**sums)
    per_subdistrict, district = {}, Workforce(year=year)
    for r in [*profiles, *roster]:
        part = Workforce(
            key=r["key"],
            count=r["count"],
            birth_year_sum=r["birth_year_sum"] or 0,
            with_birth_year=r["with_birth_year"],
            college=r["college"],
            certified=r["certified"],
        )
        per_subdistrict.setdefault(r["key"], Workforce(key=r["key"], year=year)).add(part)
        district.add(part)
    return per_subdistrict, district


def honours(neighbourhood=None):
    found = WorkerHonour.objects.select_related("worker__user", "worker__neighbourhood")
    if neighbourhood is not None:
        found = found.filter(worker__neighbourhood=neighbourhood)
    return list(found.order_by("-year", "title", "worker__user__first_name"))


# --- Pages -----------------------------------------------------------------------------------


@dataclass
class NeighbourhoodRow:
    neighbourhood: Neighbourhood
    rate: Rate
    interaction: Interaction
    coverage: object
    overdue: int
    open_needs: int
    resolved: Resolved
    alerts: Alerts
    attendance: Attendance


def neighbourhood_rows(neighbourhoods, *, now=None):
    """One row of figures per neighbourhood, ranked by 互动指数 then 上云率."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rates = registration_rates("neighbourhood", today=today)
    interaction = interaction_index(now)
    visits = visit_coverage()
    overdue = overdue_care_visits(now)
    needs = open_needs(now=now)["by_neighbourhood"]
    resolved = needs_resolved_within_30_days(today.year)
    alerts = watch_alerts(now)
    attendance = activity_attendance(today.year)
    rows = [
        NeighbourhoodRow(
            neighbourhood=n,
            rate=rates.get(n.pk, Rate(n.pk)),
            interaction=interaction.get(n.pk, Interaction(n.pk)),
            coverage=visits.get(n.pk, coverage.Coverage(n.pk, n.name, 0, 0)),
            overdue=overdue.get(n.pk, 0),
            open_needs=needs.get(n.pk, 0),
            resolved=resolved.get(n.pk, Resolved()),
            alerts=alerts.get(n.pk, Alerts()),
            attendance=attendance.get(n.pk, Attendance()),
        )
        for n in neighbourhoods
    ]
    rows.sort(key=lambda r: (-r.interaction.index, -r.rate.percent, r.neighbourhood.name))
    return rows


def district_figures(now=None):
    """Everything on the admins' page: district, subdistricts, neighbourhoods ranked."""
    now = now or timezone.now()
    # Each row's neighbourhood and its subdistrict only: they are kept in the cache and read
    # back (unpickled) by every request of the page.
    neighbourhoods = Neighbourhood.objects.select_related("subdistrict").order_by(
        "subdistrict__name", "name"
    )
    rows = neighbourhood_rows(neighbourhoods, now=now)
    subdistricts = list(Subdistrict.objects.select_related("district").order_by("name"))
    sub_rates = registration_rates("subdistrict", today=timezone.localdate(now))
    staff_by_sub, district_staff = workforce(timezone.localdate(now))
    total = Rate(None)
    for rate in sub_rates.values():
        total.counted += rate.counted
        total.linked += rate.linked
    by_rate = sorted(rows, key=lambda r: (-r.rate.percent, r.neighbourhood.name))
    subdistrict_rows = [
        {
            "subdistrict": s,
            "rate": sub_rates.get(s.pk, Rate(s.pk)),
            "workforce": staff_by_sub.get(s.pk, Workforce(key=s.pk)),
            "open_needs": sum(r.open_needs for r in rows if r.neighbourhood.subdistrict_id == s.pk),
        }
        for s in subdistricts
    ]
    # Subdistricts with neither residents on the register nor workers have nothing to show.
    subdistrict_rows = [s for s in subdistrict_rows if s["rate"].counted or s["workforce"].count]
    households = sum(r.coverage.total for r in rows)
    visited = sum(r.coverage.visited for r in rows)
    return {
        "rows": rows,
        "by_rate": by_rate,
        "subdistricts": subdistrict_rows,
        "total_rate": total,
        "coverage": coverage.Coverage(None, "", households, visited),
        "overdue": sum(r.overdue for r in rows),
        "needs": open_needs(now=now),
        "resolved": _sum_resolved(rows),
        "alerts": _sum_alerts(rows, now),
        "workforce": district_staff,
        "centres": centre_ratings(),
        "honours": honours(),
        "window_days": WINDOW_DAYS,
        "as_of": now,
    }


def _sum_resolved(rows):
    total = Resolved()
    for r in rows:
        total.resolved += r.resolved.resolved
        total.within_30 += r.resolved.within_30
    return total


def _sum_alerts(rows, now):
    """District totals; the district median is its own query (medians do not add up)."""
    since = now - datetime.timedelta(days=WINDOW_DAYS)
    median = medians_to_close(WatchAlert.objects.filter(opened_at__gte=since)).get(None)
    return Alerts(
        sum(r.alerts.opened for r in rows), sum(r.alerts.still_open for r in rows), median
    )


def neighbourhood_figures(neighbourhood, now=None, *, rows=None):
    """Everything on one neighbourhood's page, with its buildings and zones.

    Its row and rank come from the district's ranked rows: `rows`, the district figures'
    rows computed at the same `now` (refresh_dashboards computes them once for every
    neighbourhood), or computed here.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if rows is None:
        rows = neighbourhood_rows(Neighbourhood.objects.select_related("subdistrict"), now=now)
    row = next(r for r in rows if r.neighbourhood.pk == neighbourhood.pk)
    by_building = registration_rates("building", neighbourhood=neighbourhood, today=today)
    by_zone = registration_rates("zone", neighbourhood=neighbourhood, today=today)
    buildings = Building.objects.filter(neighbourhood=neighbourhood).select_related("zone")
    zones = (
        Zone.objects.filter(neighbourhood=neighbourhood)
        .select_related("worker__user")
        .order_by("pk")
    )
    staff = CommunityWorker.objects.filter(neighbourhood=neighbourhood, active=True)
    return {
        "neighbourhood": neighbourhood,
        "row": row,
        "rank_count": len(rows),
        "buildings": [(b, by_building.get(b.pk, Rate(b.pk))) for b in buildings],
        "zones": [(z, by_zone.get(z.pk, Rate(z.pk))) for z in zones],
        "needs": open_needs(neighbourhood=neighbourhood, now=now),
        "workers": staff.count(),
        "honours": honours(neighbourhood),
        "window_days": WINDOW_DAYS,
        "as_of": now,
    }
