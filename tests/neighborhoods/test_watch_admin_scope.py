"""A district admin's watch board, alerts and map span several neighbourhoods: every row
says which, and a `?neighbourhood=` filter (checked against their scope) narrows them."""

import pytest
from django.urls import reverse

from neighborhoods.models import WatchEnrolment
from neighborhoods.watch.services import watch_mark
from tests import factories as f
from tests.neighborhoods.watch_helpers import watched_households

BOARD = reverse("neighborhoods:watch-board")
HOME = reverse("neighborhoods:staff-home")
MAP = reverse("neighborhoods:map")


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
    def test_each_row_once_with_its_neighbourhood_and_the_district_heading(
        self, login, admin, places
    ):
        """Flats are numbered alike in every neighbourhood: ordered by building and room
        alone, 公交新村's 9号 101室 and 定海港路's came next to each other and looked like
        one row twice. Each row now comes once, grouped by neighbourhood, named."""
        enrolments = same_flats(places, count=2)
        page = login(admin).get(BOARD).content.decode()
        for enrolment in enrolments:
            assert page.count(f'id="watch-{enrolment.pk}"') == 1
        assert page.count('class="watch-row card"') == len(enrolments)
        assert page.count('class="neighbourhood-name"> · 公交新村居民区') == 2
        assert page.count('class="neighbourhood-name"> · 定海港路居民区') == 2
        rows = [page.index(f'id="watch-{e.pk}"') for e in enrolments]
        gjxc, dhg = rows[:2], rows[2:]
        assert max(dhg) < min(gjxc) or max(gjxc) < min(dhg)  # grouped, not interleaved
        assert "全区" in page and "整个居民区" not in page

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
        assert all(f'id="watch-{e.pk}"' in page for e in enrolments)

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
        """A district admin's board spans every neighbourhood, so it is the longest.
        Measured: 9 queries with 2 or 6 watched flats per neighbourhood, each with an open
        alert: session, user, worker (none), enrolments (with household, building,
        neighbourhood, zone), residents, today's checks (with alerts), open alerts (with
        their neighbourhood), candidates, and the neighbourhoods of the filter; plus the
        access record of the households shown (2), and the alert job's heartbeat (the
        staff banner, 1)."""
        enrolments = same_flats(places, count)
        not_seen(enrolments, huyun)
        client = login(admin)
        with django_assert_max_num_queries(12):
            response = client.get(BOARD)
        assert response.content.decode().count('class="watch-row card"') == 2 * count
        assert WatchEnrolment.objects.count() == 2 * count

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
