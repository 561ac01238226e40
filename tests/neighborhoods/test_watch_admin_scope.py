"""A district admin's watch board, alerts and map span several neighbourhoods: every row
says which, and a `?neighbourhood=` filter (checked against their scope) narrows them."""

import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from neighborhoods.models import WatchEnrolment
from neighborhoods.watch.services import board_rows, watch_mark
from tests import factories as f
from tests.neighborhoods.watch_helpers import sh, watched_households

BOARD = reverse("neighborhoods:watch-board")
HOME = reverse("neighborhoods:staff-home")
MAP = reverse("neighborhoods:map")


@pytest.fixture(autouse=True)
def evening():
    """Marking depends on the time of day: 19:30 in Shanghai, when both checks can be
    marked (so "not seen" can be recorded whenever the suite runs)."""
    with time_machine.travel(sh(2025, 3, 4, 19, 30), tick=False):
        yield


def same_flats(places, count=1, names=("公交新村居民区", "定海港路居民区")):
    """`count` watched flats numbered alike ("1号 …室") in each named neighbourhood."""
    enrolments = []
    for key in ("gjxc", "dhg"):
        building = f.BuildingFactory(neighbourhood=places[key], number="9号")
        enrolments += watched_households(building, count)
    return enrolments


def not_seen(enrolments, by):
    for enrolment in enrolments:
        watch_mark(enrolment=enrolment, kind="day", status="not_seen", by=by)


class TestBoard:
    def test_the_whole_district_is_one_line_per_neighbourhood(self, login, admin, huyun, places):
        """At district size the admin's board of every row was 29,000 rows (45 MB, 20 s).
        The whole district is now one line per neighbourhood: households on the watch,
        still to check now, open alerts; each links to that neighbourhood's board."""
        enrolments = same_flats(places, count=2)
        not_seen(enrolments[:1], huyun)  # one alert in 公交新村 (the first two are its own)
        page = login(admin).get(BOARD).content.decode()
        assert 'class="watch-row card"' not in page
        assert "全区" in page and "整个居民区" not in page
        table = page[page.index('class="data stack watch-summary"') :]
        for key in ("gjxc", "dhg"):
            line = table[table.index(f'href="?neighbourhood={places[key].pk}"') :]
            line = line[: line.index("</tr>")]
            cells = re.findall(r"<td[^>]*>(.*?)</td>", line)
            enrolled, to_check, alerts = (re.sub(r"<[^>]+>|!\s*", "", c).strip() for c in cells)
            assert enrolled == "2"
            expected = {"gjxc": "1", "dhg": "0"}[key]
            assert alerts == expected
            # Still to check: what the neighbourhood's own board counts, row by row.
            rows = board_rows(admin, now=timezone.now(), neighbourhood=places[key])
            assert to_check == str(sum(row.still_to_check for row in rows))

    def test_a_chosen_neighbourhood_shows_its_rows_once(self, login, admin, places):
        enrolments = same_flats(places, count=2)
        page = login(admin).get(BOARD, {"neighbourhood": places["gjxc"].pk}).content.decode()
        mine = [e for e in enrolments if e.household.building.neighbourhood_id == places["gjxc"].pk]
        for enrolment in mine:
            assert page.count(f'id="watch-{enrolment.pk}"') == 1
        assert page.count('class="watch-row card"') == len(mine) == 2

    def test_it_filters_by_neighbourhood(self, login, admin, places):
        enrolments = same_flats(places)
        page = login(admin).get(BOARD, {"neighbourhood": places["dhg"].pk}).content.decode()
        assert f'id="watch-{enrolments[1].pk}"' in page
        assert f'id="watch-{enrolments[0].pk}"' not in page
        assert "<select" in page and f'<option value="{places["dhg"].pk}" selected>' in page

    @pytest.mark.parametrize("value", ["abc", "999999", "-1"])
    def test_an_unknown_neighbourhood_is_a_form_error_and_the_whole_district(
        self, login, admin, places, value
    ):
        enrolments = same_flats(places)
        response = login(admin).get(BOARD, {"neighbourhood": value})
        assert response.status_code == 200
        page = response.content.decode()
        assert 'class="error"' in page
        assert not any(f'id="watch-{e.pk}"' in page for e in enrolments)
        assert all(f'href="?neighbourhood={places[k].pk}"' in page for k in ("gjxc", "dhg"))

    def test_staff_get_no_neighbourhood_choice_nor_names(self, login, huyun, yangying, places):
        enrolments = same_flats(places)
        page = login(huyun).get(BOARD, {"all": "1", "neighbourhood": places["dhg"].pk})
        page = page.content.decode()
        assert 'name="neighbourhood"' not in page and "neighbourhood-name" not in page
        assert f'id="watch-{enrolments[0].pk}"' in page  # their own, filter ignored
        assert f'id="watch-{enrolments[1].pk}"' not in page

    def test_the_alerts_card_names_the_neighbourhood(self, login, admin, huyun, places):
        enrolments = same_flats(places)
        not_seen(enrolments, huyun)
        client = login(admin)
        for url in (BOARD, HOME):
            page = client.get(url).content.decode()
            card = page[page.index("watch-alert-card") :]
            assert '<span class="neighbourhood-name">公交新村居民区</span>' in card
            assert '<span class="neighbourhood-name">定海港路居民区</span>' in card

    def test_the_alerts_of_staff_name_no_neighbourhood(self, login, huyun, places):
        not_seen(same_flats(places)[:1], huyun)
        page = login(huyun).get(HOME).content.decode()
        assert "watch-alert-card" in page and "neighbourhood-name" not in page


class TestMap:
    def test_admins_get_a_choice_of_neighbourhoods(self, login, admin, places):
        page = login(admin).get(MAP, {"neighbourhood": places["dhg"].pk}).content.decode()
        assert '<select name="neighbourhood"' in page
        assert f'<option value="{places["dhg"].pk}" selected>' in page
        assert "定海港路居民区 · " in page  # the heading names it

    def test_the_first_neighbourhood_is_chosen_by_default(self, login, admin, places):
        page = login(admin).get(MAP).content.decode()
        # Ordered by subdistrict: 定海路街道 (定海港路) before 四平路街道 (公交新村).
        first = min(places["gjxc"], places["dhg"], key=lambda n: n.subdistrict.name)
        assert f'<option value="{first.pk}" selected>' in page

    @pytest.mark.parametrize("value", ["abc", "999999"])
    def test_an_unknown_neighbourhood_is_a_form_error(self, login, admin, places, value):
        response = login(admin).get(MAP, {"neighbourhood": value})
        assert response.status_code == 200
        assert 'class="error"' in response.content.decode()

    def test_staff_get_no_choice(self, login, huyun):
        assert 'name="neighbourhood"' not in login(huyun).get(MAP).content.decode()


class TestQueryBudget:
    @pytest.mark.parametrize("count", [2, 6])
    def test_the_admins_board_is_a_fixed_number_of_queries(
        self, login, admin, huyun, places, django_assert_max_num_queries, count
    ):
        """The whole district's board: session, user, worker (none), the neighbourhoods,
        one grouped count per set of check times (here one), open alerts per neighbourhood
        and the alerts themselves, candidates, the neighbourhoods of the filter, the
        access record, the alert job's heartbeat: none per neighbourhood or row."""
        enrolments = same_flats(places, count)
        not_seen(enrolments, huyun)
        client = login(admin)
        with django_assert_max_num_queries(12):
            response = client.get(BOARD)
        assert response.content.decode().count('href="?neighbourhood=') == 2
        assert WatchEnrolment.objects.count() == 2 * count

    @pytest.mark.parametrize("count", [2, 6])
    def test_a_neighbourhoods_board_is_a_fixed_number_of_queries(
        self, login, admin, huyun, places, django_assert_max_num_queries, count
    ):
        """Its rows: enrolments (with household, building, neighbourhood, zone), residents,
        today's checks (with alerts), whatever the number of rows."""
        enrolments = same_flats(places, count)
        not_seen(enrolments, huyun)
        client = login(admin)
        with django_assert_max_num_queries(12):
            response = client.get(BOARD, {"neighbourhood": places["gjxc"].pk})
        assert response.content.decode().count('class="watch-row card"') == count

    @pytest.mark.parametrize("count", [2, 6])
    def test_the_admins_alerts_on_the_staff_home_are_a_fixed_number_of_queries(
        self, login, admin, huyun, places, django_assert_max_num_queries, count
    ):
        """The staff home is where an admin sees every neighbourhood's open alerts. The
        alerts, with household, building, zone and neighbourhood, are one query however
        many there are. Measured: 10 queries for the whole staff home with 2 or 6 flats
        per neighbourhood (one of them the alert job's heartbeat, for the staff banner):
        none per alert."""
        enrolments = same_flats(places, count)
        not_seen(enrolments, huyun)
        client = login(admin)
        with django_assert_max_num_queries(HOME_BUDGET):
            page = client.get(HOME).content.decode()
        assert page.count('class="neighbourhood-name"') == 2 * count


HOME_BUDGET = 14  # 10 + waiting questions (2), loans due this week, honours
