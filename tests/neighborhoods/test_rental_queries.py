"""Query budgets of the services pages: the same number of queries with more rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from neighborhoods import models as nb

from .rental_fixtures import add_units, approved_loan, elder, lent_loan

LOANS_BUDGET = 14
DIRECTORY_BUDGET = 8
CATALOGUE_BUDGET = 9
SERVICES_BUDGET = 12


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_loans(item, point, places, staff, n, start):
    for i in range(start, start + n):
        person = elder(places, f"居民{i}", room=f"9{i:02d}")
        (lent_loan if i % 2 else approved_loan)(item, point, person, staff)


def test_the_loans_list_holds_its_budget(client, huyun, places, wheelchair, gjxc_point):
    """Session, user, worker, the page's count and rows (items, units, points, borrowers and
    their flats joined), the access record: 3 and 9 loans cost the same."""
    add_units(gjxc_point, wheelchair, 20)
    client.force_login(huyun)
    url = reverse("neighborhoods:loan-list")
    add_loans(wheelchair, gjxc_point, places, huyun, 3, 0)
    few = count(client, url)
    add_loans(wheelchair, gjxc_point, places, huyun, 6, 3)
    many = count(client, url)
    assert few == many <= LOANS_BUDGET


@pytest.mark.parametrize("persona", [None, "resident"])
def test_the_facility_directory_holds_its_budget(request, client, places, persona):
    """One query for the facilities (walk annotated), the form's neighbourhoods, the user."""
    if persona:
        client.force_login(request.getfixturevalue(persona))
    url = reverse("neighborhoods:facility-list") + f"?neighbourhood={places['gjxc'].pk}"

    def add(n, start):
        for i in range(start, start + n):
            made = nb.Facility.objects.create(
                neighbourhood=places["gjxc"], kind="park", name=f"设施{i}", address="四平路"
            )
            nb.FacilityDistance.objects.create(
                facility=made, neighbourhood=places["gjxc"], minutes=i + 1
            )

    add(3, 0)
    few = count(client, url)
    add(9, 3)
    many = count(client, url)
    assert few == many <= DIRECTORY_BUDGET


def test_the_catalogue_and_services_hold_their_budget(client, resident, places, gjxc_point):
    """Items, points, unit counts and held units: four queries, whatever the catalogue."""
    client.force_login(resident)

    def add(n, start):
        for i in range(start, start + n):
            item = nb.AidItem.objects.create(kind="other", name=f"辅具{i}")
            add_units(gjxc_point, item, 2, prefix=f"X{i}")

    add(2, 0)
    few = (
        count(client, reverse("neighborhoods:aid-list")),
        count(client, reverse("notices:service-list")),
    )
    add(6, 2)
    many = (
        count(client, reverse("neighborhoods:aid-list")),
        count(client, reverse("notices:service-list")),
    )
    assert few == many, (few, many)
    assert many[0] <= CATALOGUE_BUDGET, many
    assert many[0] <= CATALOGUE_BUDGET and many[1] <= SERVICES_BUDGET
