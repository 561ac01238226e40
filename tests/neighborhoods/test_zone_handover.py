"""Zones change hands: open needs and overdue visits follow the buildings; history stays."""

import datetime

import pytest
from django.utils import timezone

from neighborhoods.care import services as care_services
from neighborhoods.models import Household, Need
from neighborhoods.register import services
from tests import factories as f

from .visit_factories import NeedFactory, VisitFactory


@pytest.fixture
def setup(huyun, zone2, gjxc_household):
    """周秀英's flat in 1号 (huyun's zone), overdue, with needs and a past visit."""
    wangfang = zone2.worker.user
    visit = VisitFactory(
        household=gjxc_household, staff=huyun, when=timezone.now() - datetime.timedelta(days=40)
    )
    mine = care_services.need_raise(
        household=gjxc_household,
        by=huyun,
        via="visit",
        category="health",
        description="膝盖疼",
        visit=visit,
    )
    taken_by_colleague = NeedFactory(household=gjxc_household, owner=wangfang, status="in_progress")
    done = NeedFactory(household=gjxc_household, owner=huyun, status="resolved", resolution="ok")
    return {
        "wangfang": wangfang,
        "visit": visit,
        "mine": mine,
        "taken": taken_by_colleague,
        "done": done,
    }


def _overdue_for(user):
    return set(Household.objects.filter(building__zone__worker=user.worker).overdue())


def test_it_moves_open_needs_and_overdue_visits_with_a_building(
    huyun, admin, zone2, setup, gjxc_household
):
    assert _overdue_for(huyun) == {gjxc_household}
    moved = services.zone_reassign(buildings=[gjxc_household.building], zone=zone2, by=admin)
    assert moved == 1
    for need in setup.values():
        if isinstance(need, Need):
            need.refresh_from_db()
    assert setup["mine"].owner == setup["wangfang"]
    assert setup["done"].owner == huyun  # closed needs keep their history
    assert _overdue_for(huyun) == set()
    assert _overdue_for(setup["wangfang"]) == {gjxc_household}
    handover = setup["mine"].actions.last()
    assert (handover.kind, handover.actor) == ("reassigned", admin)
    # History keeps who did what.
    assert setup["visit"].staff == huyun
    assert setup["mine"].raised_by == huyun
    assert setup["mine"].actions.first().actor == huyun


def test_it_hands_over_everything_when_a_worker_leaves(huyun, admin, zone2, setup, places):
    successor = f.WorkerFactory(user=f.UserFactory(username="newbie"), neighbourhood=places["gjxc"])
    services.worker_leave(worker=huyun.worker, by=admin, successor=successor)
    setup["mine"].refresh_from_db()
    assert setup["mine"].owner == successor.user
    assert huyun.community_worker.zones.count() == 0
    huyun.community_worker.refresh_from_db()
    assert not huyun.community_worker.active
    assert not Need.objects.open().filter(owner=huyun).exists()


def test_it_leaves_no_need_with_a_departed_worker_even_without_successor(huyun, admin, setup):
    services.worker_leave(worker=huyun.worker, by=admin)
    setup["mine"].refresh_from_db()
    assert setup["mine"].owner is None  # shown to the whole neighbourhood as "no owner"
    assert not Need.objects.open().filter(owner=huyun).exists()


def test_it_hands_over_through_the_admin_building_form(
    client, admin, huyun, zone2, setup, gjxc_household
):
    building = gjxc_household.building
    client.force_login(admin)
    data = {
        "neighbourhood": building.neighbourhood_id,
        "compound": "",
        "number": building.number,
        "zone": zone2.pk,
        "floors": 6,
        "address": "",
    }
    response = client.post(f"/admin/neighborhoods/building/{building.pk}/change/", data)
    assert response.status_code == 302
    building.refresh_from_db()
    setup["mine"].refresh_from_db()
    assert building.zone == zone2
    assert setup["mine"].owner == setup["wangfang"]


def test_it_hands_over_through_the_admin_zone_form(
    client, admin, huyun, zone2, setup, gjxc_household
):
    zone = gjxc_household.building.zone
    client.force_login(admin)
    data = {
        "neighbourhood": zone.neighbourhood_id,
        "name": zone.name,
        "worker": zone2.worker.pk,
        "buildings-TOTAL_FORMS": "0",
        "buildings-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/neighborhoods/zone/{zone.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    setup["mine"].refresh_from_db()
    assert setup["mine"].owner == setup["wangfang"]


def test_it_hands_over_when_admin_unticks_active(client, admin, huyun, setup):
    worker = huyun.worker
    client.force_login(admin)
    response = client.post(
        "/admin/neighborhoods/communityworker/",
        {"action": "mark_as_left", "_selected_action": [worker.pk]},
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    setup["mine"].refresh_from_db()
    assert not worker.active and setup["mine"].owner is None


def test_it_moves_buildings_with_the_admin_action(
    client, admin, huyun, zone2, setup, gjxc_household
):
    building = gjxc_household.building
    client.force_login(admin)
    url = "/admin/neighborhoods/building/"
    chosen = {"action": "move_to_zone", "_selected_action": [building.pk]}
    page = client.post(url, chosen)
    assert page.status_code == 200 and "二片" in page.content.decode()
    response = client.post(url, {**chosen, "zone": zone2.pk, "apply": "1"})
    assert response.status_code == 302
    building.refresh_from_db()
    setup["mine"].refresh_from_db()
    assert building.zone == zone2 and setup["mine"].owner == setup["wangfang"]
