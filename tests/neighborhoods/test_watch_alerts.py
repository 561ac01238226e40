"""Watch alerts: who may open one, closing only with steps and an outcome, and the
deadline rules (日看窗帘夜看灯) at the day boundaries, with the clock frozen."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from neighborhoods.models import WatchAlert, WatchCheck
from neighborhoods.watch.services import missing_checks, watch_mark, watch_open_missed
from portal.models import AccessLog
from tests.neighborhoods.watch_helpers import enrol, sh


@pytest.fixture(autouse=True)
def evening():
    """Marking depends on the time of day (the day check from 06:00, the night check from
    17:00): unless a test sets its own time, it is 19:30 on 4 March 2025 in Shanghai, when
    both can be marked."""
    with time_machine.travel(sh(2025, 3, 4, 19, 30), tick=False):
        yield


@pytest.fixture
def enrolment(gjxc_household):
    return enrol(gjxc_household)


@pytest.fixture
def alert(enrolment, huyun):
    check = watch_mark(enrolment=enrolment, kind="day", status="not_seen", by=huyun)
    return check.alert


def url(alert):
    return reverse("neighborhoods:alert-detail", args=[alert.pk])


CLOSE = {"steps": "10:20 打电话，周阿婆说在洗衣服没听见。", "outcome": "phoned_fine"}


class TestPermissions:
    def test_it_sends_anonymous_visitors_to_sign_in(self, client, alert):
        response = client.get(url(alert))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_it_refuses_residents(self, login, resident, alert):
        client = login(resident)
        assert client.get(url(alert)).status_code == 403
        assert client.post(url(alert), CLOSE).status_code == 403
        alert.refresh_from_db()
        assert alert.is_open

    def test_it_hides_alerts_of_other_neighbourhoods(self, login, yangying, alert):
        client = login(yangying)
        assert client.get(url(alert)).status_code == 404
        assert client.post(url(alert), CLOSE).status_code == 404
        alert.refresh_from_db()
        assert alert.is_open

    def test_it_refuses_other_methods(self, login, huyun, alert):
        assert login(huyun).delete(url(alert)).status_code == 405

    def test_it_shows_the_alert_with_numbers_to_call_and_records_the_access(
        self, login, huyun, alert
    ):
        page = login(huyun).get(url(alert)).content.decode()
        assert 'href="tel:13900002222"' in page  # emergency contact
        assert 'href="tel:13812345678"' in page  # 周秀英 herself
        assert AccessLog.objects.filter(
            user=huyun, household=alert.watch_check.enrolment.household
        ).exists()


class TestClosing:
    def test_it_closes_with_steps_and_outcome(self, login, huyun, alert):
        response = login(huyun).post(url(alert), CLOSE)
        assert response.status_code == 302
        alert.refresh_from_db()
        assert not alert.is_open
        assert (alert.closed_by, alert.outcome, alert.steps) == (
            huyun,
            "phoned_fine",
            CLOSE["steps"],
        )

    @pytest.mark.parametrize("missing", ["steps", "outcome"])
    def test_it_keeps_the_alert_open_without_steps_or_outcome(self, login, huyun, alert, missing):
        data = {**CLOSE, missing: "", "note": "女儿明天来"}
        response = login(huyun).post(url(alert), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert 'class="error"' in page
        assert "女儿明天来" in page  # typed values kept
        if missing == "outcome":
            assert CLOSE["steps"] in page
        alert.refresh_from_db()
        assert alert.is_open

    def test_it_treats_blank_steps_as_missing(self, login, huyun, alert):
        response = login(huyun).post(url(alert), {**CLOSE, "steps": "   "})
        assert response.status_code == 400
        alert.refresh_from_db()
        assert alert.is_open

    def test_it_does_not_close_twice(self, login, huyun, alert):
        client = login(huyun)
        client.post(url(alert), CLOSE)
        closed_at = WatchAlert.objects.get().closed_at
        client.post(url(alert), {**CLOSE, "outcome": "hospital"})
        alert.refresh_from_db()
        assert (alert.outcome, alert.closed_at) == ("phoned_fine", closed_at)

    def test_it_keeps_the_first_record_when_two_close_it_at_once(
        self, login, huyun, alert, monkeypatch
    ):
        """Both opened the page while the alert was open; the colleague saved first. The
        second tap must not overwrite the colleague's steps and outcome."""
        stale = WatchAlert.objects.get(pk=alert.pk)
        alert.close(by=huyun, steps="10:05 上门，周阿婆在家", outcome="visited_fine")
        monkeypatch.setattr("neighborhoods.watch.views.get_alert_for_user", lambda user, pk: stale)
        response = login(huyun).post(url(alert), {**CLOSE, "outcome": "hospital"}, follow=True)
        assert "该警报已被关闭" in response.content.decode()
        alert.refresh_from_db()
        assert (alert.outcome, alert.steps) == ("visited_fine", "10:05 上门，周阿婆在家")

    def test_the_database_refuses_a_closed_alert_without_an_outcome(self, alert):
        from django.db import IntegrityError, transaction

        alert.closed_at = alert.opened_at
        with pytest.raises(IntegrityError), transaction.atomic():
            alert.save()


class TestDeadlines:
    """Default deadlines: day check by 10:00, night check by 21:00, Shanghai time."""

    def due(self, now):
        return {(day.isoformat(), kind) for _, day, kind in missing_checks(now)}

    def test_nothing_is_due_before_the_day_deadline(self, enrolment):
        # 09:59 on 4 March: only yesterday's checks (never done) are overdue.
        assert self.due(sh(2025, 3, 4, 9, 59)) == {("2025-03-03", "day"), ("2025-03-03", "night")}

    def test_the_day_check_is_due_at_ten(self, enrolment):
        assert ("2025-03-04", "day") in self.due(sh(2025, 3, 4, 10, 0))

    def test_the_night_check_is_not_due_at_2059(self, enrolment):
        assert ("2025-03-04", "night") not in self.due(sh(2025, 3, 4, 20, 59))

    def test_the_night_check_is_due_at_2101(self, enrolment):
        assert ("2025-03-04", "night") in self.due(sh(2025, 3, 4, 21, 1))

    def test_a_missed_night_check_is_still_due_after_midnight(self, enrolment):
        due = self.due(sh(2025, 3, 5, 0, 1))
        assert ("2025-03-04", "night") in due
        assert ("2025-03-05", "day") not in due

    def test_a_first_run_without_a_heartbeat_looks_back_one_day(self, enrolment):
        assert not any(day == "2025-03-02" for day, _ in self.due(sh(2025, 3, 4, 12)))

    def test_it_uses_the_neighbourhoods_own_deadlines(self, enrolment, places):
        places["gjxc"].watch_day_deadline = datetime.time(8, 30)
        places["gjxc"].save()
        assert ("2025-03-04", "day") in self.due(sh(2025, 3, 4, 8, 31))

    def test_a_fresh_enrolment_owes_nothing_for_deadlines_before_it(self, gjxc_household):
        enrol(gjxc_household, created=sh(2025, 3, 4, 12, 0))
        assert self.due(sh(2025, 3, 4, 12, 5)) == set()
        assert self.due(sh(2025, 3, 4, 21, 5)) == {("2025-03-04", "night")}

    def test_deadlines_are_shanghai_time_whatever_the_server_clock(self, enrolment):
        # 02:00 UTC is 10:00 in Shanghai.
        utc = datetime.datetime(2025, 3, 4, 2, 0, tzinfo=datetime.UTC)
        assert ("2025-03-04", "day") in self.due(utc)


class TestAlertRules:
    def test_a_marked_check_opens_no_alert_at_the_deadline(self, enrolment, huyun):
        with time_machine.travel(sh(2025, 3, 4, 9, 0), tick=False):
            watch_mark(enrolment=enrolment, kind="day", status="seen", by=huyun)
        opened = watch_open_missed(now=sh(2025, 3, 4, 10, 1))
        assert "day" not in {kind for _, day, kind in opened if day.isoformat() == "2025-03-04"}
        assert not WatchAlert.objects.filter(watch_check__date="2025-03-04").exists()

    def test_an_unmarked_check_becomes_a_missed_check_with_an_alert(self, enrolment):
        watch_open_missed(now=sh(2025, 3, 4, 10, 1))
        check = WatchCheck.objects.get(date="2025-03-04", kind="day")
        assert check.status == "missed" and check.by is None
        assert check.alert.is_open and check.alert.opened_at == sh(2025, 3, 4, 10, 1)

    def test_not_seen_again_after_closing_reopens_the_alert(self, enrolment, huyun):
        check = watch_mark(enrolment=enrolment, kind="day", status="not_seen", by=huyun)
        check.alert.close(by=huyun, steps="打电话", outcome="phoned_fine")
        watch_mark(enrolment=enrolment, kind="day", status="seen", by=huyun)
        watch_mark(enrolment=enrolment, kind="day", status="not_seen", by=huyun)
        alert = WatchAlert.objects.get()
        assert alert.is_open and alert.steps == "打电话"

    def test_households_off_the_watch_raise_nothing(self, enrolment):
        enrolment.active = False
        enrolment.save()
        assert watch_open_missed(now=sh(2025, 3, 4, 22)) == []
