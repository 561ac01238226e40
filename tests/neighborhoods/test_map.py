"""The community map (/staff/map/): a server-drawn plan of my neighbourhood, one layer
at a time, in a fixed number of queries."""

import pytest
import time_machine
from django.urls import reverse

from neighborhoods.map.services import split_room
from neighborhoods.watch.services import watch_mark
from tests import factories as f
from tests.neighborhoods.watch_helpers import enrol, sh

MAP = reverse("neighborhoods:map")


def cell_class(page, household, layer):
    """The CSS class of a household's cell, e.g. map-linked-yes."""
    href = f'href="{reverse("neighborhoods:household-detail", args=[household.pk])}"'
    start = page.index(href)
    tag = page[page.rindex("<a ", 0, start) : start]
    return next(c for c in tag.split('"')[1].split() if c.startswith(f"map-{layer}-"))


class TestPermissions:
    def test_it_sends_anonymous_visitors_to_sign_in(self, client, places):
        response = client.get(MAP)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_it_refuses_residents(self, login, resident):
        assert login(resident).get(MAP).status_code == 403

    def test_it_refuses_post(self, login, huyun):
        assert login(huyun).post(MAP).status_code == 405

    def test_it_shows_only_my_neighbourhood(self, login, yangying, gjxc_household, dhg_household):
        page = login(yangying).get(MAP, {"neighbourhood": gjxc_household.building.neighbourhood_id})
        html = page.content.decode()
        assert reverse("neighborhoods:household-detail", args=[dhg_household.pk]) in html
        assert reverse("neighborhoods:household-detail", args=[gjxc_household.pk]) not in html

    def test_admins_choose_the_neighbourhood(self, login, admin, gjxc_household, dhg_household):
        html = login(admin).get(MAP, {"neighbourhood": dhg_household.building.neighbourhood_id})
        html = html.content.decode()
        assert reverse("neighborhoods:household-detail", args=[dhg_household.pk]) in html
        assert reverse("neighborhoods:household-detail", args=[gjxc_household.pk]) not in html


class TestPlan:
    @pytest.mark.parametrize(
        "room, place",
        [
            ("302", (3, "02")),
            ("1201", (12, "01")),
            ("302室", (3, "02")),
            ("地下室", None),
            ("5", None),
        ],
    )
    def test_it_reads_floor_and_unit_from_the_room(self, room, place):
        assert split_room(room) == place

    def test_it_draws_floors_top_down_with_zone_outlines(self, login, huyun, gjxc_household):
        html = login(huyun).get(MAP).content.decode()
        assert 'class="map-zone"' in html and "一片" in html
        assert html.index(">6层<") < html.index(">3层<") < html.index(">1层<")
        # Jumps to each zone and building (a long map on a phone).
        building = gjxc_household.building
        assert f'href="#building-{building.pk}"' in html and f'id="building-{building.pk}"' in html
        zone = building.zone
        assert f'href="#zone-{zone.pk}"' in html and f'id="zone-{zone.pk}"' in html
        # The index opens the zones drawn on this page; the others are one tap away.
        assert "<details open>" in html

    def test_it_lists_rooms_that_are_not_floor_and_unit(self, login, huyun, gjxc_household):
        odd = f.HouseholdFactory(building=gjxc_household.building, room="门卫室")
        html = login(huyun).get(MAP).content.decode()
        assert 'class="map-others"' in html
        assert reverse("neighborhoods:household-detail", args=[odd.pk]) in html

    def test_the_care_layer_marks_living_alone(self, login, huyun, gjxc_household):
        html = login(huyun).get(MAP, {"layer": "care"}).content.decode()
        assert cell_class(html, gjxc_household, "care") == "map-care-alone"

    def test_the_linked_layer_follows_accounts(self, login, huyun, gjxc_household, resident):
        other = f.HouseholdFactory(building=gjxc_household.building, room="401")
        html = login(huyun).get(MAP, {"layer": "linked"}).content.decode()
        assert cell_class(html, gjxc_household, "linked") == "map-linked-yes"
        assert cell_class(html, other, "linked") == "map-linked-no"

    @time_machine.travel(sh(2025, 3, 4, 9, 30), tick=False)
    def test_the_alert_layer_shows_todays_alerts(self, login, huyun, gjxc_household):
        other = f.HouseholdFactory(building=gjxc_household.building, room="401")
        watch_mark(enrolment=enrol(gjxc_household), kind="day", status="not_seen", by=huyun)
        html = login(huyun).get(MAP, {"layer": "alerts"}).content.decode()
        assert cell_class(html, gjxc_household, "alerts") == "map-alerts-yes"
        assert cell_class(html, other, "alerts") == "map-alerts-no"

    def test_the_visit_and_need_layers_read_the_care_records(self, login, huyun, gjxc_household):
        from neighborhoods.models import Need, Visit

        other = f.HouseholdFactory(building=gjxc_household.building, room="401")
        Visit.objects.create(household=gjxc_household, staff=huyun)
        Need.objects.create(household=other, description="楼道灯坏了")
        client = login(huyun)
        html = client.get(MAP, {"layer": "visited"}).content.decode()
        assert cell_class(html, gjxc_household, "visited") == "map-visited-yes"
        assert cell_class(html, other, "visited") == "map-visited-no"
        html = client.get(MAP, {"layer": "needs"}).content.decode()
        assert cell_class(html, other, "needs") == "map-needs-yes"
        assert cell_class(html, gjxc_household, "needs") == "map-needs-no"

    def test_an_unknown_layer_falls_back_to_visits(self, login, huyun, gjxc_household):
        html = login(huyun).get(MAP, {"layer": "<script>"}).content.decode()
        assert "map-visited-" in html and "<script>" not in html

    def test_every_state_is_also_said_in_words(self, login, huyun, gjxc_household):
        html = login(huyun).get(MAP, {"layer": "care"}).content.decode()
        assert 'class="visually-hidden"' in html


class TestPages:
    """A page of MAP_BUILDINGS_PER_PAGE buildings at a time (1,700 flats would be 3,000
    cells), with every zone and building in the index, linked to its page."""

    @pytest.fixture
    def many_buildings(self, places, huyun, monkeypatch):
        monkeypatch.setattr("neighborhoods.map.services.MAP_BUILDINGS_PER_PAGE", 2)
        zone = huyun.worker.zones.get()
        buildings = [
            f.BuildingFactory(neighbourhood=places["gjxc"], number=f"{n + 10}号", zone=zone)
            for n in range(3)
        ]
        return [f.HouseholdFactory(building=b, room="101") for b in buildings]

    def test_a_page_draws_its_buildings_and_indexes_the_others(self, login, huyun, many_buildings):
        client = login(huyun)
        first = client.get(MAP, {"layer": "care"}).content.decode()
        last = client.get(MAP, {"layer": "care", "page": 2}).content.decode()
        detail = [reverse("neighborhoods:household-detail", args=[h.pk]) for h in many_buildings]
        assert (detail[0] in first, detail[2] in first) == (True, False)
        assert (detail[0] in last, detail[2] in last) == (False, True)
        far = many_buildings[2].building
        assert f'href="?layer=care&amp;page=2#building-{far.pk}"' in first
        assert "第 1 页，共 2 页" in first
        # Switching the layer keeps the page.
        assert 'href="?layer=needs&amp;page=2"' in last

    def test_it_records_only_the_households_drawn(self, login, huyun, many_buildings):
        from portal.models import AccessLog

        login(huyun).get(MAP, {"page": 2})
        drawn = set(AccessLog.objects.get(action="map").households.values_list("pk", flat=True))
        assert many_buildings[2].pk in drawn and many_buildings[0].pk not in drawn

    def test_a_page_out_of_range_or_garbage_is_a_page_not_an_error(
        self, login, huyun, many_buildings
    ):
        client = login(huyun)
        assert client.get(MAP, {"page": "99"}).status_code == 200
        assert client.get(MAP, {"page": "x"}).status_code == 200


class TestQueryBudget:
    @pytest.mark.parametrize("layer", ["visited", "care", "needs", "alerts", "linked"])
    @pytest.mark.parametrize("buildings", [2, 6])
    def test_it_draws_the_map_in_a_fixed_number_of_queries(
        self, login, huyun, places, django_assert_max_num_queries, layer, buildings
    ):
        """The map of 定海港路 has ~1,400 flats: the plan is two queries (buildings; the
        households with the layer's flag as one EXISTS subquery) plus four to know who is
        asking (session, user, admin group, worker profile), one for the staff banner (the
        alert job's heartbeat), plus 2 for the access record of every flat drawn (the row,
        one bulk insert of its households), the same with 2 or 6 buildings of 12 households
        each."""
        zone = huyun.worker.zones.get()
        for n in range(buildings):
            building = f.BuildingFactory(
                neighbourhood=places["gjxc"], number=f"{n + 10}号", zone=zone
            )
            for floor in range(1, 7):
                for unit in (1, 2):
                    household = f.HouseholdFactory(building=building, room=f"{floor}0{unit}")
                    f.ResidentFactory(household=household, birth_date=f.born_years_ago(81))
        client = login(huyun)
        with django_assert_max_num_queries(9):
            response = client.get(MAP, {"layer": layer})
        assert response.content.decode().count('class="map-cell map-') >= buildings * 12
