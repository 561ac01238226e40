"""Query budgets: the opportunity list, my record and the staff's verification queue cost
the same with three times the rows."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from volunteers.models import Opportunity, Recognition
from volunteers.shifts import services

from .fixtures import make_shift, make_volunteer, verified

pytestmark = pytest.mark.django_db

LIST_BUDGET = 10
MINE_BUDGET = 16
QUEUE_BUDGET = 12


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_opportunities(wenhua, n):
    for i in range(n):
        opportunity = Opportunity.objects.create(title=f"岗位{i}", centre=wenhua)
        for days in (1, 2, 3, 4):
            make_shift(opportunity, days=days)


@pytest.mark.parametrize("persona", [None, "resident", "volunteer"])
def test_the_opportunity_list_has_a_fixed_budget(request, client, wenhua, persona):
    """Session and user, the profile, opportunities with their holders, their coming shifts
    with sign-up counts (one prefetch)."""
    if persona:
        client.force_login(request.getfixturevalue(persona))
    url = reverse("volunteers:opportunity-list")
    add_opportunities(wenhua, 2)
    few = count(client, url)
    add_opportunities(wenhua, 4)
    many = count(client, url)
    assert few == many <= LIST_BUDGET


def test_my_record_has_a_fixed_budget(client, volunteer, wenhua, opportunity):
    """Totals, the tier table, my shifts with their opportunity and place in the queue, my
    records, recognitions, certificates and notices: each one query, whatever the rows."""
    client.force_login(volunteer)
    url = reverse("volunteers:me")

    def add(n, start):
        for i in range(start, start + n):
            shift = make_shift(opportunity, days=1 + i)
            services.shift_signup(shift=shift, volunteer=volunteer)
            verified(volunteer, 3, centre=wenhua)
            verified(volunteer, 2, status="pending", centre=wenhua)
            Recognition.objects.create(
                volunteer=volunteer, year=2000 + i, title="优秀志愿者", hours=3
            )

    add(2, 0)
    few = count(client, url)
    add(4, 2)
    many = count(client, url)
    assert few == many <= MINE_BUDGET


def test_the_verification_queue_has_a_fixed_budget(
    client, centre_staff, wenhua, places, opportunity
):
    """Session and user, the staff's centres, the pending records with their volunteers and
    shifts (one query), the access record (two)."""
    client.force_login(centre_staff)
    url = reverse("volunteers:record-queue")

    def add(n, start):
        for i in range(start, start + n):
            person = make_volunteer(places["gjxc"], f"v{i}", f"志愿者{i}", centre=wenhua)
            verified(person, 2, status="pending", centre=wenhua)
            shift = make_shift(opportunity, days=-1)
            with time_machine.travel(timezone.now() - datetime.timedelta(days=3)):
                signup = services.shift_signup(shift=shift, volunteer=person)
            services.attendance_mark(signup=signup, attendance="attended", by=centre_staff)

    add(2, 0)
    few = count(client, url)
    add(4, 2)
    many = count(client, url)
    assert few == many <= QUEUE_BUDGET
