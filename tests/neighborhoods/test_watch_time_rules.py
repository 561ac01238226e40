"""The daily watch by the clock of the check (日看窗帘夜看灯), Asia/Shanghai, frozen time:
which day a check belongs to, when it can be marked, and what the board shows."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from neighborhoods.models import WatchAlert, WatchCheck, can_mark_now, watch_day_of
from neighborhoods.watch.services import WatchNotOpen, watch_mark
from tests.neighborhoods.watch_helpers import enrol, sh

BOARD = reverse("neighborhoods:watch-board")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def enrolment(gjxc_household):
    return enrol(gjxc_household)


def mark(client, enrolment, kind, status="seen", **extra):
    url = reverse("neighborhoods:watch-mark", args=[enrolment.pk])
    return client.post(url, {"kind": kind, "status": status}, **extra)


def checks():
    return sorted(
        (c.date.isoformat(), c.kind, c.status) for c in WatchCheck.objects.order_by("date")
    )


def alerts():
    return sorted(
        (a.watch_check.date.isoformat(), a.watch_check.kind)
        for a in WatchAlert.objects.select_related("watch_check")
    )


class TestWatchDayOf:
    @pytest.mark.parametrize(
        ("at", "day"),
        [
            (sh(2025, 12, 2, 0, 10), "2025-12-01"),  # just after midnight: last night
            (sh(2025, 12, 2, 3, 59), "2025-12-01"),
            (sh(2025, 12, 2, 4, 0), "2025-12-02"),  # the cut-off: tonight's from now on
            (sh(2025, 12, 2, 17, 0), "2025-12-02"),
            (sh(2025, 12, 2, 23, 59), "2025-12-02"),
        ],
    )
    def test_a_night_check_after_midnight_belongs_to_the_evening_before(self, places, at, day):
        assert watch_day_of("night", at, places["gjxc"]).isoformat() == day

    def test_a_day_check_belongs_to_the_calendar_day(self, places):
        assert watch_day_of("day", sh(2025, 12, 2, 0, 10), places["gjxc"]).isoformat() == (
            "2025-12-02"
        )

    def test_it_reads_the_shanghai_clock_whatever_the_server_clock(self, places):
        # 16:10 UTC on 1 December is 00:10 on 2 December in Shanghai.
        utc = datetime.datetime(2025, 12, 1, 16, 10, tzinfo=datetime.UTC)
        assert watch_day_of("night", utc, places["gjxc"]).isoformat() == "2025-12-01"
        assert watch_day_of("day", utc, places["gjxc"]).isoformat() == "2025-12-02"


class TestCanMarkNow:
    @pytest.mark.parametrize(
        ("kind", "at", "expected"),
        [
            ("day", sh(2025, 12, 2, 5, 59), False),
            ("day", sh(2025, 12, 2, 6, 0), True),
            ("day", sh(2025, 12, 2, 23, 59), True),  # late, to correct a missed check
            ("day", sh(2025, 12, 3, 0, 10), False),  # the next day's, not open yet
            ("night", sh(2025, 12, 2, 15, 30), False),
            ("night", sh(2025, 12, 2, 16, 59), False),
            ("night", sh(2025, 12, 2, 17, 0), True),
            ("night", sh(2025, 12, 3, 0, 10), True),  # last night's
            ("night", sh(2025, 12, 3, 3, 59), True),
            ("night", sh(2025, 12, 3, 4, 0), False),
        ],
    )
    def test_at_the_boundaries(self, places, kind, at, expected):
        assert can_mark_now(kind, at, places["gjxc"]) is expected

    def test_it_uses_the_neighbourhoods_own_times(self, places):
        gjxc = places["gjxc"]
        gjxc.watch_day_opens = datetime.time(7, 0)
        gjxc.watch_night_opens = datetime.time(18, 30)
        gjxc.watch_night_cutoff = datetime.time(2, 0)
        assert not can_mark_now("day", sh(2025, 12, 2, 6, 30), gjxc)
        assert not can_mark_now("night", sh(2025, 12, 2, 18, 0), gjxc)
        assert can_mark_now("night", sh(2025, 12, 2, 18, 30), gjxc)
        assert not can_mark_now("night", sh(2025, 12, 3, 2, 0), gjxc)
        assert watch_day_of("night", sh(2025, 12, 3, 2, 0), gjxc).isoformat() == "2025-12-03"


class TestMarking:
    def test_a_tap_at_0010_counts_for_last_night_and_tonight_still_alerts(
        self, login, huyun, enrolment
    ):
        """The issue: at 00:10 on 2 Dec a tap meant for 1 Dec's night was recorded as 2 Dec's
        night, so no alert opened at 21:05 on 2 Dec though nobody had looked that evening."""
        client = login(huyun)
        with time_machine.travel(sh(2025, 12, 2, 0, 10), tick=False):
            assert mark(client, enrolment, "night").status_code == 302
        assert checks() == [("2025-12-01", "night", "seen")]
        with time_machine.travel(sh(2025, 12, 2, 21, 5), tick=False):
            call_command("open_watch_alerts", stdout=StringIO())
        assert ("2025-12-02", "night") in alerts()
        assert ("2025-12-01", "night") not in alerts()

    @pytest.mark.parametrize("status", ["seen", "not_seen"])
    def test_it_refuses_the_night_check_in_daylight_with_a_message(
        self, login, huyun, enrolment, status
    ):
        client = login(huyun)
        with time_machine.travel(sh(2025, 12, 2, 15, 30), tick=False):
            response = mark(client, enrolment, "night", status, follow=True, **EN)
        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == (
            f"{BOARD}?refused=night&row={enrolment.pk}#watch-{enrolment.pk}"
        )
        # Said in the row the page lands on (a long board on a phone), not only at the top.
        row = response.content.decode().split(f'id="watch-{enrolment.pk}"')[1]
        refusal = row.split(f'id="refused-{enrolment.pk}-night"')[1].split("</p>")[0]
        assert "Night check can be marked from 17:00." in refusal
        assert checks() == [] and alerts() == []

    def test_it_says_so_in_chinese(self, login, huyun, enrolment):
        with time_machine.travel(sh(2025, 12, 2, 5, 59), tick=False):
            response = mark(login(huyun), enrolment, "day", follow=True)
        assert "日间检查 06:00 起可标记" in response.content.decode()
        assert checks() == []

    def test_it_accepts_each_check_from_the_minute_it_opens(self, login, huyun, enrolment):
        client = login(huyun)
        with time_machine.travel(sh(2025, 12, 2, 6, 0), tick=False):
            mark(client, enrolment, "day")
        with time_machine.travel(sh(2025, 12, 2, 17, 0), tick=False):
            mark(client, enrolment, "night")
        with time_machine.travel(sh(2025, 12, 3, 3, 59), tick=False):
            mark(client, enrolment, "night", "not_seen")  # a second look, last night
        assert checks() == [("2025-12-02", "day", "seen"), ("2025-12-02", "night", "not_seen")]
        assert alerts() == [("2025-12-02", "night")]

    def test_the_service_raises_outside_the_window(self, huyun, enrolment):
        with pytest.raises(WatchNotOpen):
            watch_mark(
                enrolment=enrolment,
                kind="night",
                status="seen",
                by=huyun,
                now=sh(2025, 12, 3, 4, 0),
            )


def night_buttons(page, enrolment):
    return page.count('name="kind" value="night"')


class TestBoard:
    def test_at_1530_it_shows_only_the_day_check_and_says_when_the_night_opens(
        self, login, huyun, enrolment
    ):
        with time_machine.travel(sh(2025, 12, 2, 15, 30), tick=False):
            page = login(huyun).get(BOARD).content.decode()
        assert 'name="kind" value="day"' in page
        assert night_buttons(page, enrolment) == 0
        assert "夜间检查 17:00 起可标记" in page

    def test_at_1700_the_night_buttons_appear(self, login, huyun, enrolment):
        with time_machine.travel(sh(2025, 12, 2, 17, 0), tick=False):
            page = login(huyun).get(BOARD).content.decode()
        assert night_buttons(page, enrolment) == 1
        assert "夜间检查 17:00 起可标记" not in page

    def test_at_0010_it_shows_last_nights_check_and_not_yet_the_day(self, login, huyun, enrolment):
        client = login(huyun)
        with time_machine.travel(sh(2025, 12, 1, 19, 0), tick=False):
            mark(client, enrolment, "night")
        with time_machine.travel(sh(2025, 12, 2, 0, 10), tick=False):
            page = client.get(BOARD, **EN).content.decode()
        assert night_buttons(page, enrolment) == 1
        assert 'name="kind" value="day"' not in page
        assert "evening of December 1" in page and "watch-state seen" in page
        assert "Day check can be marked from 06:00." in page

    def test_between_the_cutoff_and_0600_nothing_can_be_marked(self, login, huyun, enrolment):
        with time_machine.travel(sh(2025, 12, 2, 4, 0), tick=False):
            page = login(huyun).get(BOARD).content.decode()
        assert "<form" not in page.split('class="watch-rows"')[1].split("</ul>")[0]

    def test_the_night_check_turns_overdue_at_the_deadline_minute(self, login, huyun, enrolment):
        client = login(huyun)
        with time_machine.travel(sh(2025, 12, 2, 20, 59), tick=False):
            assert "watch-cell pending" in client.get(BOARD).content.decode()
        with time_machine.travel(sh(2025, 12, 2, 21, 0), tick=False):
            page = client.get(BOARD).content.decode()
        assert "watch-cell overdue" in page and "watch-cell pending" not in page

    def test_the_staff_home_lists_only_checks_that_can_be_marked_now(self, login, huyun, enrolment):
        client = login(huyun)
        home = reverse("neighborhoods:staff-home")
        with time_machine.travel(sh(2025, 12, 2, 5, 0), tick=False):
            assert f"#watch-{enrolment.pk}" not in client.get(home).content.decode()
        with time_machine.travel(sh(2025, 12, 2, 6, 0), tick=False):
            mark(client, enrolment, "day")
        with time_machine.travel(sh(2025, 12, 2, 15, 30), tick=False):
            assert f"#watch-{enrolment.pk}" not in client.get(home).content.decode()
        with time_machine.travel(sh(2025, 12, 2, 17, 0), tick=False):
            assert f"#watch-{enrolment.pk}" in client.get(home).content.decode()


class TestTheAlertJob:
    def test_it_opens_the_night_alert_at_the_deadline_minute(self, enrolment):
        def run():
            call_command("open_watch_alerts", stdout=StringIO())

        with time_machine.travel(sh(2025, 12, 2, 20, 59), tick=False):
            run()
        assert ("2025-12-02", "night") not in alerts()
        with time_machine.travel(sh(2025, 12, 2, 21, 0), tick=False):
            run()
        assert ("2025-12-02", "night") in alerts()


class TestNeighbourhoodTimes:
    def test_the_admin_edits_the_times(self, login, admin, places):
        url = reverse("admin:neighborhoods_neighbourhood_change", args=[places["gjxc"].pk])
        page = login(admin).get(url).content.decode()
        for field in ("watch_day_opens", "watch_night_opens", "watch_night_cutoff"):
            assert f'name="{field}"' in page

    def test_defaults(self, places):
        gjxc = places["gjxc"]
        assert (gjxc.watch_day_opens, gjxc.watch_night_opens, gjxc.watch_night_cutoff) == (
            datetime.time(6, 0),
            datetime.time(17, 0),
            datetime.time(4, 0),
        )

    def test_it_refuses_times_that_overlap(self, places):
        gjxc = places["gjxc"]
        gjxc.watch_night_cutoff = datetime.time(18, 0)
        gjxc.watch_day_opens = datetime.time(11, 0)
        with pytest.raises(ValidationError) as refusal:
            gjxc.full_clean()
        assert {"watch_night_cutoff", "watch_day_opens"} <= set(refusal.value.message_dict)
