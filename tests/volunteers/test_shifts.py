"""Shift sign-ups: places, the waiting list, cancellation that promotes, who may sign up,
attendance proposing a record, reminders the day before (once)."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal.exceptions import Refused
from volunteers.models import ServiceRecord, ShiftSignup, VolunteerNotice
from volunteers.shifts import services

from .fixtures import make_shift, make_volunteer

pytestmark = pytest.mark.django_db


def volunteers(places, wenhua, n):
    return [make_volunteer(places["gjxc"], f"v{i}", f"志愿者{i}", centre=wenhua) for i in range(n)]


def test_it_confirms_until_full_then_waitlists(places, wenhua, opportunity):
    shift = make_shift(opportunity, needed=2)
    a, b, c = volunteers(places, wenhua, 3)
    statuses = [services.shift_signup(shift=shift, volunteer=v).status for v in (a, b, c)]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]


def test_it_promotes_the_first_waiting_when_a_place_frees_and_tells_them(
    places, wenhua, opportunity
):
    shift = make_shift(opportunity, needed=1)
    a, b, c = volunteers(places, wenhua, 3)
    first = services.shift_signup(shift=shift, volunteer=a)
    services.shift_signup(shift=shift, volunteer=b)
    services.shift_signup(shift=shift, volunteer=c)
    promoted = services.shift_cancel(signup=first, by=a)
    assert promoted.volunteer == b
    assert list(shift.signups.confirmed().values_list("volunteer", flat=True)) == [b.pk]
    notice = VolunteerNotice.objects.get(user=b)
    assert notice.kind == "shift_promoted"
    assert not VolunteerNotice.objects.filter(user=c).exists()


def test_it_refuses_people_who_are_not_approved_volunteers(client, resident, shift):
    client.force_login(resident)
    response = client.post(reverse("volunteers:shift-signup", args=[shift.pk]), follow=True)
    assert (
        "只有已通过审核的志愿者" in response.content.decode()
        or "approved volunteers" in response.content.decode()
    )
    assert not ShiftSignup.objects.exists()


def test_it_signs_up_and_cancels_through_the_pages(client, volunteer, shift):
    client.force_login(volunteer)
    url = reverse("volunteers:shift-detail", args=[shift.pk])
    assert client.post(reverse("volunteers:shift-signup", args=[shift.pk])).url == url
    assert shift.signups.confirmed().filter(volunteer=volunteer).exists()
    # A second tap is refused, not a second row.
    client.post(reverse("volunteers:shift-signup", args=[shift.pk]))
    assert shift.signups.active().count() == 1
    client.post(reverse("volunteers:shift-cancel", args=[shift.pk]))
    assert not shift.signups.active().exists()


def test_it_refuses_to_cancel_once_the_shift_has_started(volunteer, opportunity):
    shift = make_shift(opportunity, days=0, starts=0, ends=23)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=1)):
        signup = services.shift_signup(shift=shift, volunteer=volunteer)
    with pytest.raises(Refused):
        services.shift_cancel(signup=signup, by=volunteer)


def test_attendance_proposes_a_record_and_a_no_show_withdraws_it(
    volunteer, centre_staff, opportunity
):
    shift = make_shift(opportunity, days=-1, starts=9, ends=11)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=3)):
        signup = services.shift_signup(shift=shift, volunteer=volunteer)
    services.attendance_mark(signup=signup, attendance="attended", by=centre_staff)
    record = ServiceRecord.objects.get(signup=signup)
    assert (record.status, record.claimed_hours, record.centre) == (
        "pending",
        2,
        opportunity.centre,
    )
    services.attendance_mark(signup=signup, attendance="no_show", by=centre_staff)
    assert not ServiceRecord.objects.exists()
    signup.refresh_from_db()
    assert signup.attendance == "no_show"


def test_the_leader_or_staff_record_attendance_on_the_page(
    client, volunteer, centre_staff, opportunity
):
    shift = make_shift(opportunity, days=-1)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=3)):
        signup = services.shift_signup(shift=shift, volunteer=volunteer)
    client.force_login(centre_staff)
    url = reverse("volunteers:shift-attendance", args=[shift.pk])
    assert "凌建梅" in client.get(url).content.decode()
    client.post(url, {"signup": signup.pk, "attendance": "attended"})
    assert ServiceRecord.objects.get(signup=signup).status == "pending"
    assert client.post(url, {"signup": signup.pk, "attendance": "maybe"}).status_code == 400


def test_it_reminds_tomorrows_volunteers_once(volunteer, opportunity):
    tomorrow = make_shift(opportunity, days=1)
    later = make_shift(opportunity, days=5)
    services.shift_signup(shift=tomorrow, volunteer=volunteer)
    services.shift_signup(shift=later, volunteer=volunteer)
    call_command("send_shift_reminders")
    call_command("send_shift_reminders")
    reminders = VolunteerNotice.objects.filter(user=volunteer, kind="shift_reminder")
    assert reminders.count() == 1
    assert reminders.get().link == reverse("volunteers:shift-detail", args=[tomorrow.pk])


def test_the_run_jobs_schedule_includes_the_reminders():
    from portal.management.commands.run_jobs import DAILY

    assert "send_shift_reminders" in [name for name, _ in DAILY]
