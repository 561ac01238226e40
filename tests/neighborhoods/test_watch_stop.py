"""Leaving the daily watch: a confirmation page asks why, the household page says who and
when, and a mistake can be undone for 24 hours (same enrolment, same contact)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from neighborhoods.models import WatchEnrolment
from tests.neighborhoods.watch_helpers import enrol, sh


@pytest.fixture
def enrolment(gjxc_household):
    return enrol(gjxc_household)


def stop_url(household):
    return reverse("neighborhoods:watch-unenrol", args=[household.pk])


def resume_url(household):
    return reverse("neighborhoods:watch-resume", args=[household.pk])


def page_url(household):
    return reverse("neighborhoods:household-detail", args=[household.pk])


STOP = {"reason": "family", "note": ""}


class TestPermissions:
    @pytest.mark.parametrize("target", [stop_url, resume_url])
    def test_it_sends_anonymous_visitors_to_sign_in(self, client, enrolment, target):
        response = client.post(target(enrolment.household), STOP)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_it_refuses_residents(self, login, resident, enrolment):
        client = login(resident)
        household = enrolment.household
        assert client.get(stop_url(household)).status_code == 403
        assert client.post(stop_url(household), STOP).status_code == 403
        assert client.post(resume_url(household)).status_code == 403
        enrolment.refresh_from_db()
        assert enrolment.active

    def test_it_hides_other_neighbourhoods_households(self, login, yangying, enrolment):
        client = login(yangying)
        household = enrolment.household
        assert client.get(stop_url(household)).status_code == 404
        assert client.post(stop_url(household), STOP).status_code == 404
        assert client.post(resume_url(household)).status_code == 404
        enrolment.refresh_from_db()
        assert enrolment.active

    def test_it_refuses_other_methods(self, login, huyun, enrolment):
        client = login(huyun)
        assert client.delete(stop_url(enrolment.household)).status_code == 405
        assert client.get(resume_url(enrolment.household)).status_code == 405


class TestLeaving:
    def test_the_household_page_links_to_the_confirmation(self, login, huyun, enrolment):
        page = login(huyun).get(page_url(enrolment.household)).content.decode()
        assert f'href="{stop_url(enrolment.household)}"' in page

    def test_get_asks_for_a_reason_and_changes_nothing(self, login, huyun, enrolment):
        response = login(huyun).get(stop_url(enrolment.household))
        assert response.status_code == 200
        page = response.content.decode()
        for reason in ("care_home", "deceased", "family", "other"):
            assert f'value="{reason}"' in page
        assert "入住养老机构" in page and "家人同住" in page
        enrolment.refresh_from_db()
        assert enrolment.active

    @time_machine.travel(sh(2025, 12, 1, 9, 30), tick=False)
    def test_it_takes_off_with_reason_who_and_when(self, login, huyun, enrolment):
        client = login(huyun)
        response = client.post(stop_url(enrolment.household), STOP)
        assert response.status_code == 302
        assert response["Location"] == page_url(enrolment.household) + "#watch"
        enrolment.refresh_from_db()
        assert not enrolment.active
        assert (enrolment.stop_reason, enrolment.stopped_by, enrolment.stopped_at) == (
            "family",
            huyun,
            sh(2025, 12, 1, 9, 30),
        )
        page = client.get(page_url(enrolment.household)).content.decode()
        assert "由 胡云 于 12月1日 移出：家人同住" in page

    @pytest.mark.parametrize(
        "data, field",
        [
            ({"reason": "", "note": "x"}, "reason"),
            ({"reason": "holiday", "note": "x"}, "reason"),
            ({"reason": "other", "note": "  "}, "note"),
            ({"reason": "other", "note": "长" * 201}, "note"),
        ],
    )
    def test_it_refuses_bad_input_keeping_what_was_typed(
        self, login, huyun, enrolment, data, field
    ):
        response = login(huyun).post(stop_url(enrolment.household), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert 'class="error"' in page and f'id="id_{field}' in page
        enrolment.refresh_from_db()
        assert enrolment.active

    def test_other_needs_a_note_and_shows_it(self, login, huyun, enrolment):
        client = login(huyun)
        client.post(stop_url(enrolment.household), {"reason": "other", "note": "去外地儿子家长住"})
        enrolment.refresh_from_db()
        assert (enrolment.stop_reason, enrolment.stop_note) == ("other", "去外地儿子家长住")
        assert "去外地儿子家长住" in client.get(page_url(enrolment.household)).content.decode()

    def test_it_says_so_when_already_off(self, login, huyun, enrolment):
        WatchEnrolment.objects.filter(pk=enrolment.pk).update(active=False)
        response = login(huyun).post(stop_url(enrolment.household), STOP, follow=True)
        assert "该户不在日常看护中" in response.content.decode()


class TestUndo:
    def test_it_puts_the_same_enrolment_back_within_24_hours(self, login, huyun, enrolment):
        client = login(huyun)
        household = enrolment.household
        with time_machine.travel(sh(2025, 12, 1, 9, 30), tick=False):
            client.post(stop_url(household), STOP)
        with time_machine.travel(sh(2025, 12, 2, 9, 0), tick=False):
            page = client.get(page_url(household)).content.decode()
            assert resume_url(household) in page
            response = client.post(resume_url(household))
        assert response.status_code == 302
        enrolment.refresh_from_db()
        assert enrolment.active and WatchEnrolment.objects.count() == 1
        assert (enrolment.contact_name, enrolment.contact_phone) == ("周建华", "13900002222")
        assert (enrolment.resumed_by, enrolment.resumed_at) == (huyun, sh(2025, 12, 2, 9, 0))
        page = client.get(page_url(household)).content.decode()
        assert "由 胡云 于 12月2日 09:00 撤销" in page

    def test_after_24_hours_the_undo_is_gone_and_refused(self, login, huyun, enrolment):
        client = login(huyun)
        household = enrolment.household
        with time_machine.travel(sh(2025, 12, 1, 9, 30), tick=False):
            client.post(stop_url(household), STOP)
        later = sh(2025, 12, 1, 9, 30) + datetime.timedelta(hours=24, minutes=1)
        with time_machine.travel(later, tick=False):
            page = client.get(page_url(household)).content.decode()
            assert resume_url(household) not in page
            response = client.post(resume_url(household), follow=True)
        assert "超过24小时" in response.content.decode()
        enrolment.refresh_from_db()
        assert not enrolment.active

    def test_it_refuses_an_undo_of_a_household_on_the_watch(self, login, huyun, enrolment):
        response = login(huyun).post(resume_url(enrolment.household), follow=True)
        assert "该户已在日常看护中" in response.content.decode()

    def test_it_refuses_an_undo_for_a_household_never_enrolled(self, login, huyun, gjxc_household):
        response = login(huyun).post(resume_url(gjxc_household))
        assert response.status_code == 302
        assert not WatchEnrolment.objects.exists()
