"""`manage.py open_watch_alerts`: missed checks become alerts without anyone opening a page,
at the right moments, once, even when two runs overlap."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from neighborhoods.models import WatchAlert, WatchCheck
from neighborhoods.watch.services import watch_mark
from tests.concurrency import run_concurrently
from tests.neighborhoods.watch_helpers import enrol, sh, watched_households


def run(*args):
    out = StringIO()
    call_command("open_watch_alerts", *args, stdout=out)
    return out.getvalue()


def alerts():
    return sorted(
        (a.watch_check.date.isoformat(), a.watch_check.kind)
        for a in WatchAlert.objects.select_related("watch_check")
    )


@pytest.fixture
def enrolment(gjxc_household, huyun):
    """Enrolled long ago; yesterday (3 March) both checks were done."""
    enrolment = enrol(gjxc_household)
    for kind, hour in (("day", 9), ("night", 20)):
        with time_machine.travel(sh(2025, 3, 3, hour), tick=False):
            watch_mark(enrolment=enrolment, kind=kind, status="seen", by=huyun)
    return enrolment


class TestAtTheDayBoundaries:
    """The day check was done on 4 March at 09:00; nobody looked at the lights."""

    @pytest.fixture(autouse=True)
    def day_done(self, enrolment, huyun):
        with time_machine.travel(sh(2025, 3, 4, 9), tick=False):
            watch_mark(enrolment=enrolment, kind="day", status="seen", by=huyun)

    def test_at_2059_nothing_opens(self):
        with time_machine.travel(sh(2025, 3, 4, 20, 59), tick=False):
            assert "Opened 0 alert(s)." in run()
        assert alerts() == []

    def test_at_2101_the_night_check_opens_an_alert(self):
        with time_machine.travel(sh(2025, 3, 4, 21, 1), tick=False):
            out = run()
        assert "Opened 1 alert(s)." in out and "2025-03-04 night" in out
        assert alerts() == [("2025-03-04", "night")]

    def test_at_2359_a_second_run_adds_nothing(self):
        with time_machine.travel(sh(2025, 3, 4, 21, 1), tick=False):
            run()
        with time_machine.travel(sh(2025, 3, 4, 23, 59), tick=False):
            assert "Opened 0 alert(s)." in run()
        assert alerts() == [("2025-03-04", "night")]

    def test_at_0001_yesterdays_missed_night_still_opens_an_alert(self):
        # The scheduler did not run between 21:00 and midnight (or the night was marked
        # by nobody and the first run came late): the alert must not be lost at 00:00.
        with time_machine.travel(sh(2025, 3, 5, 0, 1), tick=False):
            out = run()
        assert "2025-03-04 night" in out
        # ... and 5 March's day check is not due before 10:00.
        assert alerts() == [("2025-03-04", "night")]

    def test_the_alert_is_dated_when_the_command_ran(self):
        with time_machine.travel(sh(2025, 3, 5, 0, 1), tick=False):
            run()
        assert WatchAlert.objects.get().opened_at == sh(2025, 3, 5, 0, 1)


def test_it_changes_nothing_on_a_dry_run(enrolment):
    with time_machine.travel(sh(2025, 3, 4, 21, 1), tick=False):
        out = run("--dry-run")
    assert "Would open alert:" in out and "Would open 2 alert(s)." in out
    assert not WatchCheck.objects.filter(date="2025-03-04").exists()
    assert alerts() == []


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_open_each_alert_once(places, huyun):
    """Two runs started together (overlapping cron runs, two servers), each in its own
    thread with its own database connection: every missed check gets exactly one check row
    and one alert, and the runs' reports add up to that number (no double counting)."""
    building = places["gjxc"].buildings.get(number="1号")
    watched_households(building, 30)
    expected = 30 * 4  # yesterday's and today's day and night checks

    def one_run(_):
        with time_machine.travel(sh(2025, 3, 4, 21, 1), tick=False):
            return run()

    outcome = run_concurrently(one_run, 2)
    assert outcome.errors == []
    outputs = outcome.values
    assert WatchCheck.objects.count() == expected
    assert WatchAlert.objects.count() == expected
    opened = sum(int(out.rsplit("Opened ", 1)[1].split(" ")[0]) for out in outputs)
    assert opened == expected
