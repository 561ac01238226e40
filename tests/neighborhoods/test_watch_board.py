"""The daily-watch board (/staff/watch/): one tap per check, alerts on "not seen"."""

import pytest
import time_machine
from django.urls import reverse

from neighborhoods.models import WatchAlert, WatchCheck, WatchEnrolment
from neighborhoods.watch.services import watch_mark
from tests import factories as f
from tests.neighborhoods.watch_helpers import enrol, sh, watched_households

BOARD = reverse("neighborhoods:watch-board")


@pytest.fixture(autouse=True)
def evening():
    """Marking depends on the time of day (the day check from 06:00, the night check from
    17:00): unless a test sets its own time, it is 19:30 on 4 March 2025 in Shanghai, when
    both can be marked."""
    with time_machine.travel(sh(2025, 3, 4, 19, 30), tick=False):
        yield


def mark_url(enrolment):
    return reverse("neighborhoods:watch-mark", args=[enrolment.pk])


@pytest.fixture
def enrolment(gjxc_household):
    return enrol(gjxc_household)


@pytest.fixture
def other_zone_enrolment(places):
    """A watched household of 公交新村 in a zone held by someone else."""
    worker = f.WorkerFactory(neighbourhood=places["gjxc"], user=f.UserFactory(first_name="王芳"))
    zone = f.ZoneFactory(neighbourhood=places["gjxc"], name="二片", worker=worker)
    building = f.BuildingFactory(neighbourhood=places["gjxc"], number="2号", zone=zone)
    return watched_households(building, 1)[0]


class TestPermissions:
    def test_it_sends_anonymous_visitors_to_sign_in(self, client, enrolment):
        for url in (BOARD, mark_url(enrolment)):
            response = client.get(url) if url == BOARD else client.post(url, {"kind": "day"})
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))

    def test_it_refuses_residents(self, login, resident, enrolment):
        client = login(resident)
        assert client.get(BOARD).status_code == 403
        response = client.post(mark_url(enrolment), {"kind": "day", "status": "seen"})
        assert response.status_code == 403
        assert not WatchCheck.objects.exists()

    def test_it_hides_other_neighbourhoods_enrolments(self, login, yangying, enrolment):
        client = login(yangying)
        response = client.post(mark_url(enrolment), {"kind": "day", "status": "not_seen"})
        assert response.status_code == 404
        assert not WatchCheck.objects.exists()
        assert str(enrolment.household) not in client.get(BOARD).content.decode()

    def test_it_refuses_get_on_mark(self, login, huyun, enrolment):
        assert login(huyun).get(mark_url(enrolment)).status_code == 405

    def test_it_refuses_post_on_board(self, login, huyun):
        assert login(huyun).post(BOARD).status_code == 405


class TestBoard:
    def test_it_shows_my_zone_and_on_request_the_whole_neighbourhood(
        self, login, huyun, enrolment, other_zone_enrolment
    ):
        client = login(huyun)
        page = client.get(BOARD).content.decode()
        assert f'id="watch-{enrolment.pk}"' in page
        assert f'id="watch-{other_zone_enrolment.pk}"' not in page
        page = client.get(BOARD, {"all": "1"}).content.decode()
        assert f'id="watch-{other_zone_enrolment.pk}"' in page

    def test_it_leaves_out_households_taken_off_the_watch(self, login, huyun, enrolment):
        WatchEnrolment.objects.filter(pk=enrolment.pk).update(active=False)
        assert f'id="watch-{enrolment.pk}"' not in login(huyun).get(BOARD).content.decode()

    @time_machine.travel(sh(2025, 3, 4, 9, 30), tick=False)
    def test_it_marks_seen_in_one_tap_and_returns_to_the_row(self, login, huyun, enrolment):
        response = login(huyun).post(mark_url(enrolment), {"kind": "day", "status": "seen"})
        assert response.status_code == 302
        assert response["Location"] == f"{BOARD}#watch-{enrolment.pk}"
        check = WatchCheck.objects.get()
        assert (check.date.isoformat(), check.kind, check.status, check.by) == (
            "2025-03-04",
            "day",
            "seen",
            huyun,
        )
        assert not WatchAlert.objects.exists()

    @time_machine.travel(sh(2025, 3, 4, 20, 15), tick=False)
    def test_it_opens_an_alert_when_marked_not_seen(self, login, huyun, enrolment):
        client = login(huyun)
        response = client.post(
            mark_url(enrolment), {"kind": "night", "status": "not_seen", "all": "1"}, follow=True
        )
        assert response.redirect_chain[-1][0] == f"{BOARD}?all=1#watch-{enrolment.pk}"
        alert = WatchAlert.objects.get()
        assert alert.watch_check.status == "not_seen" and alert.is_open
        assert reverse("neighborhoods:alert-detail", args=[alert.pk]) in response.content.decode()

    def test_it_corrects_a_mark_without_a_second_check(self, login, huyun, enrolment):
        client = login(huyun)
        client.post(mark_url(enrolment), {"kind": "day", "status": "not_seen"})
        client.post(mark_url(enrolment), {"kind": "day", "status": "seen"})
        check = WatchCheck.objects.get()
        assert check.status == "seen"
        # The alert stays open: someone must still say what happened.
        assert WatchAlert.objects.open().count() == 1

    def test_it_rejects_unknown_values(self, login, huyun, enrolment):
        response = login(huyun).post(mark_url(enrolment), {"kind": "noon", "status": "seen"})
        assert response.status_code == 400
        assert not WatchCheck.objects.exists()

    def test_it_does_not_mark_a_household_taken_off_the_watch(self, login, huyun, enrolment):
        WatchEnrolment.objects.filter(pk=enrolment.pk).update(active=False)
        response = login(huyun).post(mark_url(enrolment), {"kind": "day", "status": "seen"})
        assert response.status_code == 302
        assert not WatchCheck.objects.exists()

    @time_machine.travel(sh(2025, 3, 4, 10, 30), tick=False)
    def test_it_says_overdue_in_words_after_the_deadline(self, login, huyun, enrolment):
        page = login(huyun).get(BOARD).content.decode()
        assert "watch-state overdue" in page

    def test_it_lists_living_alone_80_plus_not_yet_enrolled(self, login, huyun, gjxc_household):
        page = login(huyun).get(BOARD).content.decode()
        assert reverse("neighborhoods:household-detail", args=[gjxc_household.pk]) in page


class TestQueryBudget:
    @pytest.mark.parametrize("count", [3, 9])
    def test_it_keeps_the_board_to_a_fixed_number_of_queries(
        self, login, huyun, places, django_assert_max_num_queries, count
    ):
        """The board is opened on a phone many times a day. Measured: 10 queries with 3
        or 9 watched households, each with a check and an open alert: session, user, admin
        group, worker, the alert job's heartbeat (staff banner), enrolments (with
        household, building, zone), their residents, today's and last night's checks
        (with alerts), open alerts, candidates not yet enrolled; plus 2 for the access
        record of the households shown (the row, one bulk insert) = 12."""
        building = places["gjxc"].buildings.get(number="1号")
        client = login(huyun)
        for enrolment in watched_households(building, count):
            client.post(mark_url(enrolment), {"kind": "day", "status": "not_seen"})
        with django_assert_max_num_queries(12):
            response = client.get(BOARD)
        assert response.content.decode().count('class="watch-row card"') == count


class TestEnrolment:
    """Enrolment on the household page: 独居 80+ are the default candidates."""

    def enrol_url(self, household):
        return reverse("neighborhoods:watch-enrol", args=[household.pk])

    def test_it_recommends_living_alone_80_plus(self, login, huyun, gjxc_household):
        url = reverse("neighborhoods:household-detail", args=[gjxc_household.pk])
        page = login(huyun).get(url).content.decode()
        assert 'id="watch"' in page and self.enrol_url(gjxc_household) in page

    def test_it_enrols_with_an_emergency_contact(self, login, huyun, gjxc_household):
        data = {"contact_name": "周志明", "contact_phone": "139 1234 5678"}
        response = login(huyun).post(self.enrol_url(gjxc_household), data)
        assert response.status_code == 302 and response["Location"].endswith("#watch")
        enrolment = WatchEnrolment.objects.get(household=gjxc_household)
        assert (enrolment.contact_phone, enrolment.enrolled_by, enrolment.active) == (
            "13912345678",
            huyun,
            True,
        )

    def test_it_keeps_what_was_typed_on_a_bad_phone(self, login, huyun, gjxc_household):
        data = {"contact_name": "周志明", "contact_phone": "12"}
        response = login(huyun).post(self.enrol_url(gjxc_household), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert 'value="周志明"' in page and 'class="error"' in page
        assert not WatchEnrolment.objects.exists()

    def test_it_takes_off_and_back_on_keeping_history(self, login, huyun, enrolment):
        client = login(huyun)
        client.post(mark_url(enrolment), {"kind": "day", "status": "seen"})
        household = enrolment.household
        client.post(
            reverse("neighborhoods:watch-unenrol", args=[household.pk]), {"reason": "family"}
        )
        enrolment.refresh_from_db()
        assert not enrolment.active and enrolment.checks.count() == 1
        client.post(
            self.enrol_url(household), {"contact_name": "周志明", "contact_phone": "13912345678"}
        )
        enrolment.refresh_from_db()
        assert enrolment.active and enrolment.checks.count() == 1

    def test_it_hides_other_neighbourhoods_households(self, login, yangying, gjxc_household):
        client = login(yangying)
        data = {"contact_name": "x", "contact_phone": "13912345678"}
        assert client.post(self.enrol_url(gjxc_household), data).status_code == 404
        unenrol = reverse("neighborhoods:watch-unenrol", args=[gjxc_household.pk])
        assert client.post(unenrol).status_code == 404
        assert not WatchEnrolment.objects.exists()

    def test_it_refuses_residents_and_get(self, login, resident, huyun, gjxc_household):
        assert login(resident).post(self.enrol_url(gjxc_household)).status_code == 403
        assert login(huyun).get(self.enrol_url(gjxc_household)).status_code == 405

    def test_the_strip_says_each_day_in_words(self, login, huyun, enrolment):
        client = login(huyun)
        client.post(mark_url(enrolment), {"kind": "night", "status": "not_seen"})
        url = reverse("neighborhoods:household-detail", args=[enrolment.household.pk])
        page = client.get(url).content.decode()
        assert page.count('class="watch-dot') >= 60
        assert "watch-dot not_seen" in page and 'class="visually-hidden"' in page


class TestStaffHome:
    def test_open_alerts_top_the_staff_home_for_the_whole_neighbourhood(
        self, login, huyun, other_zone_enrolment, places
    ):
        colleague = other_zone_enrolment.household.building.zone.worker.user
        watch_mark(enrolment=other_zone_enrolment, kind="day", status="not_seen", by=colleague)
        page = login(huyun).get(reverse("neighborhoods:staff-home")).content.decode()
        alert = WatchAlert.objects.get()
        assert reverse("neighborhoods:alert-detail", args=[alert.pk]) in page
        assert page.index("watch-alert-card") < page.index("watch-due-heading")

    def test_it_lists_my_unchecked_rows(self, login, huyun, enrolment):
        page = login(huyun).get(reverse("neighborhoods:staff-home")).content.decode()
        assert f"#watch-{enrolment.pk}" in page

    def test_it_shows_the_first_rows_and_counts_them_all(
        self, login, huyun, gjxc_household, monkeypatch
    ):
        """The staff home stays one screen as the zone grows: the first rows still to
        check, how many there are, and the board for the rest. A row checked drops out."""
        monkeypatch.setattr("neighborhoods.watch.services.STAFF_HOME_UNCHECKED", 2)
        enrolments = watched_households(gjxc_household.building, 4)
        for kind in ("day", "night"):  # at 19:30 both can be marked
            watch_mark(enrolment=enrolments[0], kind=kind, status="seen", by=huyun)
        page = login(huyun).get(reverse("neighborhoods:staff-home")).content.decode()
        assert f"#watch-{enrolments[0].pk}" not in page
        assert [f"#watch-{e.pk}" in page for e in enrolments[1:]] == [True, True, False]
        assert '<span class="badge alone">3</span>' in page
        assert "前 2 户，共 3 户：其余请看看护表。" in page


def test_it_masks_the_emergency_contact_on_the_board(login, huyun, enrolment):
    """The board is a list: the contact's number is masked there; the alert page, which is
    recorded in the access log, gives the full number to call."""
    html = login(huyun).get(BOARD).content.decode()
    assert enrolment.masked_contact_phone in html
    assert enrolment.contact_phone not in html


def test_it_shows_only_the_households_still_to_check(login, huyun, enrolment, other_zone_enrolment):
    """还需查看 N 户: a household whose checks of now are done leaves that view."""
    for kind in ("day", "night"):
        watch_mark(enrolment=enrolment, by=huyun, kind=kind, status="seen")
    client = login(huyun)
    everyone = client.get(BOARD + "?all=1").content.decode()
    to_check = client.get(BOARD + "?all=1&todo=1").content.decode()
    assert f'id="watch-{enrolment.pk}"' in everyone and f'id="watch-{enrolment.pk}"' not in to_check
    assert f'id="watch-{other_zone_enrolment.pk}"' in to_check
    assert "还需查看 1 户" in to_check
