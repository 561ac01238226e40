"""No day is ever skipped: the alert job looks back to its last success, records a heartbeat,
and staff pages and /healthz/watch say when it has stopped. Frozen time, Asia/Shanghai."""

import datetime
import logging
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from neighborhoods.models import JobHeartbeat, WatchAlert, WatchCheck
from neighborhoods.watch.services import watch_mark
from tests.neighborhoods.watch_helpers import enrol, sh

HEALTH = "/healthz/watch"
BANNER = "日常看护提醒任务已停止运行"
# The last run before cron stopped: 28 November, 23:55. Cron comes back on 1 December.
LAST_RUN = sh(2025, 11, 28, 23, 55)


def run(at):
    with time_machine.travel(at, tick=False):
        out = StringIO()
        call_command("open_watch_alerts", stdout=out)
        return out.getvalue()


def alerts():
    return sorted(
        (a.watch_check.date.isoformat(), a.watch_check.kind)
        for a in WatchAlert.objects.select_related("watch_check")
    )


@pytest.fixture
def enrolment(gjxc_household):
    return enrol(gjxc_household)


@pytest.fixture
def enrolled_28th(gjxc_household):
    """Enrolled on 28 November at 23:00: nothing was due that day."""
    return enrol(gjxc_household, created=sh(2025, 11, 28, 23, 0))


class TestLookBack:
    def test_after_three_days_without_cron_every_missed_check_becomes_an_alert(
        self, enrolled_28th, huyun
    ):
        """The issue: cron down from 29 Nov to 1 Dec, and 29 Nov's checks never became
        alerts (one-day look-back)."""
        enrolment = enrolled_28th
        run(LAST_RUN)
        assert alerts() == []
        # 30 November's curtains were seen by someone who did not wait for the job.
        with time_machine.travel(sh(2025, 11, 30, 9, 0), tick=False):
            watch_mark(enrolment=enrolment, kind="day", status="seen", by=huyun)

        out = run(sh(2025, 12, 1, 21, 5))

        assert alerts() == [
            ("2025-11-29", "day"),
            ("2025-11-29", "night"),
            ("2025-11-30", "night"),
            ("2025-12-01", "day"),
            ("2025-12-01", "night"),
        ]
        assert "Opened 5 alert(s)." in out
        assert set(WatchCheck.objects.filter(status="missed").values_list("by", flat=True)) == {
            None
        }

    def test_it_never_looks_back_before_the_enrolment(self, gjxc_household):
        run(LAST_RUN)
        enrol(gjxc_household, created=sh(2025, 11, 30, 12, 0))
        run(sh(2025, 12, 1, 21, 5))
        assert alerts() == [
            ("2025-11-30", "night"),
            ("2025-12-01", "day"),
            ("2025-12-01", "night"),
        ]

    def test_a_second_run_adds_nothing(self, enrolment):
        run(LAST_RUN)
        run(sh(2025, 12, 1, 21, 5))
        assert "Opened 0 alert(s)." in run(sh(2025, 12, 1, 21, 10))

    def test_a_failed_run_does_not_move_the_look_back(self, enrolment, monkeypatch):
        run(LAST_RUN)

        def broken(**kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(
            "neighborhoods.management.commands.open_watch_alerts.watch_open_missed", broken
        )
        with pytest.raises(RuntimeError):
            run(sh(2025, 11, 30, 12, 0))
        monkeypatch.undo()
        run(sh(2025, 12, 1, 21, 5))
        assert ("2025-11-29", "day") in alerts()

    def test_the_strip_shows_the_missed_checks_once_the_job_caught_up(
        self, login, huyun, enrolled_28th
    ):
        """The household page showed a blank cell for 29 Nov; once the job has run, the
        strip says "not checked by the deadline" for each of those checks."""
        run(LAST_RUN)
        url = reverse("neighborhoods:household-detail", args=[enrolled_28th.household.pk])
        client = login(huyun)
        with time_machine.travel(sh(2025, 12, 1, 21, 5), tick=False):
            before = client.get(url).content.decode()
        run(sh(2025, 12, 1, 21, 6))
        with time_machine.travel(sh(2025, 12, 1, 21, 7), tick=False):
            after = client.get(url).content.decode()
        legend = 1  # the legend's own dot
        assert before.count('class="watch-dot missed"') == legend
        assert after.count('class="watch-dot missed"') == legend + 6
        assert after.count("超时未查看") >= 6


class TestHeartbeat:
    def test_a_run_records_its_start_and_success(self, enrolment):
        run(sh(2025, 12, 1, 9, 0))
        beat = JobHeartbeat.objects.get(name="open_watch_alerts")
        assert beat.last_started == beat.last_succeeded == sh(2025, 12, 1, 9, 0)
        assert beat.last_failed is None

    def test_a_failed_run_records_its_error_and_still_fails(self, enrolment, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(
            "neighborhoods.management.commands.open_watch_alerts.watch_open_missed", broken
        )
        with pytest.raises(RuntimeError):
            run(sh(2025, 12, 1, 9, 0))
        beat = JobHeartbeat.objects.get()
        assert beat.last_failed == sh(2025, 12, 1, 9, 0) and beat.last_succeeded is None
        assert "disk full" in beat.last_error

    def test_a_dry_run_changes_nothing_not_even_the_heartbeat(self, enrolment):
        with time_machine.travel(sh(2025, 12, 1, 21, 5), tick=False):
            call_command("open_watch_alerts", "--dry-run", stdout=StringIO())
        assert not JobHeartbeat.objects.exists() and not WatchCheck.objects.exists()


class TestBanner:
    def page(self, client, at):
        with time_machine.travel(at, tick=False):
            return client.get(reverse("neighborhoods:watch-board")).content.decode()

    def test_it_appears_after_15_minutes_without_success_and_not_before(
        self, login, huyun, enrolment
    ):
        run(sh(2025, 12, 1, 9, 0))
        client = login(huyun)
        assert BANNER not in self.page(client, sh(2025, 12, 1, 9, 15))
        page = self.page(client, sh(2025, 12, 1, 9, 16))
        assert BANNER in page and 'role="alert"' in page and "请联系管理员" in page

    def test_it_goes_away_when_the_job_runs_again(self, login, huyun, enrolment):
        run(sh(2025, 12, 1, 9, 0))
        client = login(huyun)
        assert BANNER in self.page(client, sh(2025, 12, 1, 12, 0))
        run(sh(2025, 12, 1, 12, 1))
        assert BANNER not in self.page(client, sh(2025, 12, 1, 12, 2))

    def test_it_shows_when_the_job_never_ran(self, login, huyun, enrolment):
        assert BANNER in self.page(login(huyun), sh(2025, 12, 1, 9, 0))

    def test_district_admins_see_it_too(self, login, admin, enrolment):
        run(sh(2025, 12, 1, 9, 0))
        assert BANNER in self.page(login(admin), sh(2025, 12, 1, 10, 0))

    def test_neighbourhoods_with_nobody_on_the_watch_are_not_troubled(
        self, login, yangying, enrolment
    ):
        with time_machine.travel(sh(2025, 12, 1, 10, 0), tick=False):
            page = login(yangying).get(reverse("neighborhoods:staff-home")).content.decode()
        assert BANNER not in page

    def test_residents_never_see_it(self, login, resident, enrolment):
        with time_machine.travel(sh(2025, 12, 1, 10, 0), tick=False):
            page = login(resident).get(reverse("portal:home")).content.decode()
        assert BANNER not in page

    def test_the_admins_are_told_in_the_log_once_per_stale_period(
        self, login, huyun, enrolment, caplog
    ):
        run(sh(2025, 12, 1, 9, 0))
        client = login(huyun)
        with caplog.at_level(logging.ERROR, logger="neighborhoods.watch.services"):
            self.page(client, sh(2025, 12, 1, 10, 0))
            self.page(client, sh(2025, 12, 1, 10, 5))
            run(sh(2025, 12, 1, 10, 6))
            self.page(client, sh(2025, 12, 1, 11, 0))
        stale = [r for r in caplog.records if "has not succeeded since" in r.getMessage()]
        assert len(stale) == 2  # one for each stale period


class TestHealthzWatch:
    def get(self, client, at, method="get"):
        with time_machine.travel(at, tick=False):
            return getattr(client, method)(HEALTH)

    def test_it_answers_503_when_the_job_never_succeeded(self, client, db):
        response = self.get(client, sh(2025, 12, 1, 9, 0))
        assert response.status_code == 503 and response["Content-Type"].startswith("text/plain")
        assert response.content.decode().startswith("stale:")

    def test_it_answers_200_with_the_age_while_the_job_runs(self, client, db):
        run(sh(2025, 12, 1, 9, 0))
        response = self.get(client, sh(2025, 12, 1, 9, 4))
        assert response.status_code == 200
        assert response.content.decode() == (
            "ok: open_watch_alerts last succeeded 240 s ago (limit 900 s)\n"
        )

    def test_it_answers_503_with_the_age_when_stale(self, client, db):
        run(sh(2025, 12, 1, 9, 0))
        response = self.get(client, sh(2025, 12, 1, 9, 15) + datetime.timedelta(seconds=1))
        assert response.status_code == 503
        assert "stale: open_watch_alerts last succeeded 901 s ago" in response.content.decode()

    def test_it_is_separate_from_healthz(self, client, db):
        assert self.get(client, sh(2025, 12, 1, 9, 0)).status_code == 503
        assert client.get("/healthz").status_code == 200

    def test_it_answers_head_and_refuses_post(self, client, db):
        run(sh(2025, 12, 1, 9, 0))
        assert self.get(client, sh(2025, 12, 1, 9, 1), "head").status_code == 200
        assert self.get(client, sh(2025, 12, 1, 9, 1), "post").status_code == 405
