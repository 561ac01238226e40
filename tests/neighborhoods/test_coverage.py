"""Coverage (进百家门), care levels and overdue households, and the staff home that shows them."""

import datetime

import pytest
from django.utils import timezone

from neighborhoods.care import coverage
from neighborhoods.models import CareLevel, Household
from tests import factories as f

from .visit_factories import NeedFactory, VisitFactory


def _household(building, *ages, room=None):
    household = f.HouseholdFactory(building=building, **({"room": room} if room else {}))
    for age in ages:
        f.ResidentFactory(household=household, birth_date=f.born_years_ago(age))
    household.refresh_from_db()
    return household


@pytest.fixture
def building(huyun, places):
    return places["gjxc"].buildings.get(number="1号")


def test_it_counts_coverage_per_neighbourhood_zone_and_worker(huyun, zone2, building):
    now = timezone.now()
    visited = [_household(building, 40) for _ in range(3)]
    _household(building, 40)
    other = _household(zone2.buildings.get(), 40)
    for household in visited:
        VisitFactory(household=household, staff=huyun, when=now)
    # A visit last year does not count this year.
    VisitFactory(household=other, staff=huyun, when=now.replace(year=now.year - 1))

    [row] = coverage.by_neighbourhood()
    assert (row.total, row.visited, row.percent) == (5, 3, 60)
    zones = {row.label: (row.visited, row.total) for row in coverage.by_zone()}
    assert zones == {"一片": (3, 4), "二片": (0, 1)}
    workers = {row.key: (row.visited, row.total) for row in coverage.by_worker()}
    assert workers[huyun.worker.pk] == (3, 4)
    mine = coverage.for_worker(huyun.worker)
    assert (mine.visited, mine.total, mine.percent) == (3, 4, 75)

    # The staff home's three views from its one grouped query agree with the above.
    home = coverage.for_staff_home(huyun.worker, Household.objects.visible_to(huyun))
    assert (home["coverage"].visited, home["coverage"].total) == (3, 4)
    [whole] = home["neighbourhood_coverage"]
    assert (whole.label, whole.visited, whole.total) == (row.label, 3, 5)
    assert {z.label: (z.visited, z.total) for z in home["zone_coverage"]} == zones


def test_it_filters_households_not_visited_this_year(login, huyun, building):
    seen = _household(building, 40, room="101")
    _household(building, 40, room="102")
    VisitFactory(household=seen, staff=huyun)
    page = login(huyun).get("/staff/households/?visited=not_this_year").content.decode()
    assert "1号 102室" in page and "1号 101室" not in page


def test_it_shows_coverage_on_the_household_list(login, huyun, building):
    VisitFactory(household=_household(building, 40), staff=huyun)
    _household(building, 40)
    page = login(huyun).get("/staff/households/").content.decode()
    assert "50%" in page


def test_it_computes_overdue_households_from_care_levels(huyun, building):
    now = timezone.now()
    alone_85 = _household(building, 85)
    alone_70 = _household(building, 70)
    elderly = _household(building, 70, 68)
    young = _household(building, 35, 8)
    never = _household(building, 40)
    days = datetime.timedelta(days=1)
    VisitFactory(household=alone_85, staff=huyun, when=now - 8 * days)  # 7 allowed: overdue
    VisitFactory(household=alone_70, staff=huyun, when=now - 8 * days)  # 30 allowed: fine
    VisitFactory(household=elderly, staff=huyun, when=now - 45 * days)  # 30 allowed: overdue
    VisitFactory(household=young, staff=huyun, when=now - 100 * days)  # 365 allowed: fine
    overdue = list(Household.objects.overdue(now))
    # By the date the visit fell due; one never visited falls due a gap after registration.
    assert overdue == [elderly, alone_85, never]


def test_it_reads_care_levels_edited_in_admin(huyun, building):
    household = _household(building, 85)
    VisitFactory(household=household, staff=huyun, when=timezone.now() - datetime.timedelta(days=5))
    assert not Household.objects.overdue().filter(pk=household.pk).exists()
    CareLevel.objects.filter(kind="alone_80").update(max_gap_days=3)
    assert Household.objects.overdue().filter(pk=household.pk).exists()


def test_it_has_default_care_levels(db):
    assert CareLevel.gaps() == {"alone_80": 7, "alone_60": 30, "elderly": 30, "other": 365}


def test_it_shows_my_overdue_households_most_overdue_first(login, huyun, zone2, building):
    now = timezone.now()
    late = _household(building, 85, room="501")
    VisitFactory(household=late, staff=huyun, when=now - datetime.timedelta(days=20))
    later = _household(building, 85, room="502")
    VisitFactory(household=later, staff=huyun, when=now - datetime.timedelta(days=60))
    elsewhere = _household(zone2.buildings.get(), 90, room="601")
    page = login(huyun).get("/staff/").content.decode()
    section = page[page.index('id="overdue"') : page.index('id="my-needs"')]
    assert section.index("502室") < section.index("501室")
    assert str(elsewhere) not in section


def test_it_shows_my_needs_and_coverage_on_the_staff_home(login, huyun, building):
    household = _household(building, 40)
    NeedFactory(household=household, owner=huyun, description="我的需求")
    NeedFactory(household=household, owner=None, description="没人管的需求")
    VisitFactory(household=household, staff=huyun)
    page = login(huyun).get("/staff/").content.decode()
    assert "我的需求" in page and "没人管的需求" in page
    assert "100%" in page
    assert "/staff/map/" in page and "/staff/visits/new/" in page
    assert "/staff/links/" in page


@pytest.mark.parametrize("n", [4, 12])
def test_it_keeps_the_staff_home_within_a_query_budget(
    login, huyun, building, n, django_assert_max_num_queries
):
    """Overdue households, needs and coverage are each one query, whatever the zone's size."""
    for _ in range(n):
        household = _household(building, 85)
        NeedFactory(household=household, owner=huyun)
    client = login(huyun)
    client.get("/staff/")
    # 20 + the guides' waiting questions (count, oldest three), loans due back this week, my honours
    with django_assert_max_num_queries(24):
        assert client.get("/staff/").status_code == 200


def test_it_shows_coverage_per_zone_with_its_worker(login, huyun, zone2, building):
    VisitFactory(household=_household(building, 40), staff=huyun)
    _household(zone2.buildings.get(), 40)
    page = login(huyun).get("/staff/").content.decode()
    section = page[page.index('id="coverage"') :]
    assert "一片 · 胡云：100%" in section and "二片 · 王芳：0%" in section


def test_it_builds_demo_visits_once(huyun, building, capsys):
    import random
    import sys

    from neighborhoods.demo import visits as demo_visits
    from neighborhoods.models import Need, Visit

    for age in (85, 72, 40, 38):
        _household(building, age)
    today = timezone.localdate()
    demo_visits.build(stdout=sys.stdout, rng=random.Random(1), today=today)
    visits, needs = Visit.objects.count(), Need.objects.count()
    assert visits > 0 and needs >= 8
    assert {n.status for n in Need.objects.all()} == {"open", "in_progress", "resolved", "referred"}
    demo_visits.build(stdout=sys.stdout, rng=random.Random(1), today=today)
    assert (Visit.objects.count(), Need.objects.count()) == (visits, needs)


def test_a_district_admins_staff_home_sends_coverage_to_the_dashboard(
    login, admin, huyun, building, django_assert_max_num_queries
):
    """One grouped count over the district's 500,000 households took a second on every
    admin's staff home; the dashboard has each neighbourhood's figure, precomputed."""
    VisitFactory(household=_household(building, 40), staff=huyun)
    client = login(admin)
    with django_assert_max_num_queries(16):
        page = client.get("/staff/").content.decode()
    assert 'href="/dashboard/"' in page
    assert "公交新村居民区</strong>:" not in page
    assert "公交新村居民区</strong>:" in login(huyun).get("/staff/").content.decode()
