"""Watch alerts: who may open one, steps recorded as they happen, closing only with a step
on record and an outcome (once, under a row lock), and the deadline rules (日看窗帘夜看灯)
at the day boundaries, with the clock frozen."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from neighborhoods.models import WatchAlert, WatchAlertStep, WatchCheck
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


def step_url(alert):
    return reverse("neighborhoods:alert-step-create", args=[alert.pk])


def close_url(alert):
    return reverse("neighborhoods:alert-close", args=[alert.pk])


STEP = {"kind": "phoned", "note": "10:20 打电话，周阿婆说在洗衣服没听见。"}
CLOSE = {"outcome": "phoned_fine", "note": "一切正常"}


def add_step(alert, by, kind="phoned", note="打电话"):
    return WatchAlertStep.objects.create(alert=alert, kind=kind, note=note, by=by)


class TestPermissions:
    @pytest.mark.parametrize("target", [url, step_url, close_url])
    def test_it_sends_anonymous_visitors_to_sign_in(self, client, alert, target):
        response = client.get(target(alert)) if target is url else client.post(target(alert))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_it_refuses_residents(self, login, resident, alert):
        client = login(resident)
        assert client.get(url(alert)).status_code == 403
        assert client.post(step_url(alert), STEP).status_code == 403
        assert client.post(close_url(alert), CLOSE).status_code == 403
        alert.refresh_from_db()
        assert alert.is_open and not alert.steps.exists()

    def test_it_hides_alerts_of_other_neighbourhoods(self, login, yangying, huyun, alert):
        add_step(alert, huyun)
        client = login(yangying)
        assert client.get(url(alert)).status_code == 404
        assert client.post(step_url(alert), STEP).status_code == 404
        assert client.post(close_url(alert), CLOSE).status_code == 404
        alert.refresh_from_db()
        assert alert.is_open and alert.steps.count() == 1

    def test_it_refuses_other_methods(self, login, huyun, alert):
        client = login(huyun)
        assert client.delete(url(alert)).status_code == 405
        # The page only shows; steps and closing have their own URLs.
        assert client.post(url(alert), CLOSE).status_code == 405
        assert client.get(step_url(alert)).status_code == 405
        assert client.get(close_url(alert)).status_code == 405

    def test_district_admins_may_record_and_close(self, login, admin, alert):
        client = login(admin)
        assert client.post(step_url(alert), STEP).status_code == 302
        assert client.post(close_url(alert), CLOSE).status_code == 302
        alert.refresh_from_db()
        assert alert.closed_by == admin and alert.steps.get().by == admin

    def test_it_shows_the_alert_with_numbers_to_call_and_records_the_access(
        self, login, huyun, alert
    ):
        page = login(huyun).get(url(alert)).content.decode()
        assert 'href="tel:13900002222"' in page  # emergency contact
        assert 'href="tel:13812345678"' in page  # 周秀英 herself
        assert AccessLog.objects.filter(
            user=huyun, household=alert.watch_check.enrolment.household
        ).exists()


class TestSteps:
    @time_machine.travel(sh(2025, 3, 4, 10, 20), tick=False)
    def test_it_records_a_step_with_who_and_when(self, login, huyun, alert):
        response = login(huyun).post(step_url(alert), STEP)
        assert response.status_code == 302
        assert response["Location"] == url(alert) + "#timeline"
        step = alert.steps.get()
        assert (step.kind, step.note, step.by, step.at) == (
            "phoned",
            STEP["note"],
            huyun,
            sh(2025, 3, 4, 10, 20),
        )

    def test_the_page_shows_the_steps_in_order(self, login, huyun, alert):
        client = login(huyun)
        with time_machine.travel(sh(2025, 3, 4, 10, 20), tick=False):
            client.post(step_url(alert), {"kind": "phoned", "note": "无人接听"})
        with time_machine.travel(sh(2025, 3, 4, 10, 40), tick=False):
            client.post(step_url(alert), {"kind": "visited", "note": "敲门无人应"})
        with time_machine.travel(sh(2025, 3, 4, 10, 45), tick=False):
            client.post(step_url(alert), {"kind": "emergency_called", "note": ""})
            page = client.get(url(alert)).content.decode()
        timeline = page[page.index('id="timeline"') : page.index('id="add-step"')]
        assert timeline.index("无人接听") < timeline.index("敲门无人应") < timeline.index("拨打120")
        assert "10:20" in page and "10:40" in page

    @pytest.mark.parametrize(
        "data, field",
        [
            ({"kind": "shouted", "note": "楼下喊了"}, "kind"),
            ({"kind": "", "note": "楼下喊了"}, "kind"),
            ({"kind": "note", "note": "   "}, "note"),
            ({"kind": "phoned", "note": "长" * 1001}, "note"),
        ],
    )
    def test_it_refuses_bad_input_keeping_what_was_typed(self, login, huyun, alert, data, field):
        response = login(huyun).post(step_url(alert), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert 'class="error"' in page
        assert f'id="step_{field}' in page
        if data["note"].strip():
            assert data["note"] in page  # typed text kept
        assert not alert.steps.exists()

    def test_the_error_is_in_chinese(self, login, huyun, alert):
        page = login(huyun).post(step_url(alert), {"kind": "shouted"}).content.decode()
        assert "请从列出的步骤中选择一项" in page

    def test_it_refuses_a_step_on_a_closed_alert_and_shows_what_was_typed(
        self, login, huyun, alert
    ):
        add_step(alert, huyun)
        alert.close(by=huyun, outcome="phoned_fine")
        response = login(huyun).post(step_url(alert), {"kind": "note", "note": "女儿明天来"})
        assert response.status_code == 409
        page = response.content.decode()
        assert "该警报已被关闭" in page and "女儿明天来" in page
        assert alert.steps.count() == 1


class TestClosing:
    def test_it_closes_with_an_outcome_once_a_step_is_recorded(self, login, huyun, alert):
        client = login(huyun)
        client.post(step_url(alert), STEP)
        response = client.post(close_url(alert), CLOSE)
        assert response.status_code == 302
        assert response["Location"] == reverse("neighborhoods:watch-board")
        alert.refresh_from_db()
        assert not alert.is_open
        assert (alert.closed_by, alert.outcome, alert.note) == (huyun, "phoned_fine", "一切正常")

    def test_it_refuses_to_close_without_a_step(self, login, huyun, alert):
        response = login(huyun).post(close_url(alert), CLOSE)
        assert response.status_code == 400
        page = response.content.decode()
        assert "关闭警报前，请至少记录一个步骤" in page
        assert "一切正常" in page  # typed note kept
        alert.refresh_from_db()
        assert alert.is_open

    @pytest.mark.parametrize("outcome", ["", "zzz"])
    def test_it_keeps_the_alert_open_without_a_valid_outcome(self, login, huyun, alert, outcome):
        add_step(alert, huyun)
        response = login(huyun).post(close_url(alert), {"outcome": outcome, "note": "女儿明天来"})
        assert response.status_code == 400
        page = response.content.decode()
        assert 'class="error"' in page and "女儿明天来" in page
        alert.refresh_from_db()
        assert alert.is_open

    def test_it_refuses_a_note_too_long(self, login, huyun, alert):
        add_step(alert, huyun)
        response = login(huyun).post(close_url(alert), {**CLOSE, "note": "长" * 1001})
        assert response.status_code == 400
        alert.refresh_from_db()
        assert alert.is_open

    def test_closing_twice_changes_nothing_and_says_so(self, login, huyun, alert):
        client = login(huyun)
        add_step(alert, huyun)
        client.post(close_url(alert), CLOSE)
        closed_at = WatchAlert.objects.get().closed_at
        response = client.post(close_url(alert), {"outcome": "hospital", "note": "送医"})
        assert response.status_code == 409
        page = response.content.decode()
        assert "该警报已被关闭" in page
        assert "送医" in page  # their input is shown back, not dropped silently
        alert.refresh_from_db()
        assert (alert.outcome, alert.closed_at) == ("phoned_fine", closed_at)

    def test_it_keeps_the_first_record_when_two_close_it_at_once(
        self, login, huyun, alert, monkeypatch
    ):
        """Both opened the page while the alert was open; the colleague saved first. The
        second tap, holding a stale copy, must be refused under the row lock and not
        overwrite the colleague's outcome; what they typed is shown back to them."""
        add_step(alert, huyun)
        stale = WatchAlert.objects.get(pk=alert.pk)
        alert.close(by=huyun, outcome="visited_fine", note="10:05 上门，周阿婆在家")
        monkeypatch.setattr(
            "neighborhoods.watch.views.get_alert_for_user", lambda user, pk, **kw: stale
        )
        response = login(huyun).post(close_url(alert), {"outcome": "hospital", "note": "送医"})
        assert response.status_code == 409
        page = response.content.decode()
        assert "该警报已被关闭" in page and "送医" in page and "已送医" in page
        alert.refresh_from_db()
        assert (alert.outcome, alert.note) == ("visited_fine", "10:05 上门，周阿婆在家")

    def test_a_step_racing_a_close_is_refused(self, login, huyun, alert, monkeypatch):
        add_step(alert, huyun)
        stale = WatchAlert.objects.get(pk=alert.pk)
        alert.close(by=huyun, outcome="visited_fine")
        monkeypatch.setattr(
            "neighborhoods.watch.views.get_alert_for_user", lambda user, pk, **kw: stale
        )
        response = login(huyun).post(step_url(alert), {"kind": "note", "note": "补记"})
        assert response.status_code == 409
        assert "补记" in response.content.decode()
        assert alert.steps.count() == 1

    def test_the_closed_alert_shows_its_timeline(self, login, huyun, alert):
        add_step(alert, huyun, kind="visited", note="上门，老人在家")
        alert.close(by=huyun, outcome="visited_fine")
        page = login(huyun).get(url(alert)).content.decode()
        assert "上门，老人在家" in page and "上门查看：平安" in page
        assert reverse("neighborhoods:alert-close", args=[alert.pk]) not in page

    def test_the_database_refuses_a_closed_alert_without_an_outcome(self, alert):
        from django.db import IntegrityError, transaction

        alert.closed_at = alert.opened_at
        with pytest.raises(IntegrityError), transaction.atomic():
            alert.save()

    def test_the_database_refuses_an_empty_note_step(self, alert):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            WatchAlertStep.objects.create(alert=alert, kind="note", note="")


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
        add_step(check.alert, huyun, note="打电话")
        check.alert.close(by=huyun, outcome="phoned_fine")
        watch_mark(enrolment=enrolment, kind="day", status="seen", by=huyun)
        watch_mark(enrolment=enrolment, kind="day", status="not_seen", by=huyun)
        alert = WatchAlert.objects.get()
        assert alert.is_open and alert.steps.get().note == "打电话"

    def test_households_off_the_watch_raise_nothing(self, enrolment):
        enrolment.active = False
        enrolment.save()
        assert watch_open_missed(now=sh(2025, 3, 4, 22)) == []
