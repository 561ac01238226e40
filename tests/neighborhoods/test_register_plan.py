"""The register's first page reads only the first buildings' households.

Its order is the building's (compound, then 2号 before 10号: the length of the number, then
the number) and then the room's. Without an index on that order of a neighbourhood's
buildings, PostgreSQL joins every household of the neighbourhood and sorts them all for 25
rows (1,668 at district scale). With building_natural_order it reads the buildings in order
and sorts each building's rooms (an incremental sort), stopping after the page's 25.

A test database is tiny, so the planner would read it all anyway: the plan is taken with
sequential scans off, which shows what the indexes can serve.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from neighborhoods.models import Building, Household

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]

BUILDINGS, ROOMS = 40, 12


def rows_read(node, table):
    """Rows the plan's scans of `table` returned, all loops together."""
    count = 0
    if node.get("Relation Name") == table:
        count += node["Actual Rows"] * node["Actual Loops"]
    return count + sum(rows_read(child, table) for child in node.get("Plans", []))


def indexes_used(node):
    found = {node["Index Name"]} if "Index Name" in node else set()
    for child in node.get("Plans", []):
        found |= indexes_used(child)
    return found


def test_the_first_page_reads_the_first_buildings_households_only(login, huyun, places):
    zone = huyun.worker.zones.get()
    buildings = Building.objects.bulk_create(
        Building(neighbourhood=places["gjxc"], zone=zone, number=f"{n}号")
        for n in range(2, BUILDINGS + 2)
    )
    Household.objects.bulk_create(
        Household(building=building, room=f"{floor}0{door}")
        for building in buildings
        for floor in range(1, ROOMS // 2 + 1)
        for door in (1, 2)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE neighborhoods_building")
        cursor.execute("ANALYZE neighborhoods_household")
    client = login(huyun)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("neighborhoods:household-list"))
    assert response.status_code == 200
    # The page starts with 2号's rooms in order, 101 before 1001 (room numbers by length).
    rooms = [str(household) for household in response.context["page"].object_list[:3]]
    assert rooms == ["2号 101室", "2号 102室", "2号 201室"], rooms
    (page_query,) = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith('SELECT "neighborhoods_household"."id"')
        and "LIMIT 25" in query["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {page_query}")
        plan = cursor.fetchone()[0]
        cursor.execute("RESET enable_seqscan")
    plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    assert "building_natural_order" in indexes_used(plan), json.dumps(plan, indent=1)
    total = Household.objects.filter(building__neighbourhood=places["gjxc"]).count()
    assert total == BUILDINGS * ROOMS
    # 25 rows come from the first three buildings: at most their 36 households are read.
    assert rows_read(plan, "neighborhoods_household") <= 3 * ROOMS, json.dumps(plan, indent=1)
