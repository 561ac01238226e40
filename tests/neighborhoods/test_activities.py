"""Activities through HTTP: the list, one activity with sign-up, the waiting list, cancelling,
the sign-up window, the area and age limits, /me/, the home page and the household page."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from neighborhoods.models import Activity, SignUp, SignUpNotice
from portal.messaging.testing import run_worker
from tests import factories as f

from .activity_fixtures import ActivityFactory, in_days, residents_of

pytestmark = pytest.mark.django_db


def signup_url(activity):
    return reverse("neighborhoods:activity-signup", args=[activity.pk])


def cancel_url(activity):
    return reverse("neighborhoods:activity-cancel", args=[activity.pk])


def page_text(response):
    return response.content.decode()


# --- The list and the page ------------------------------------------------------------


def test_it_lists_upcoming_activities_soonest_first(client, activity, fuxin):
    later = ActivityFactory(centre=fuxin, title="书法兴趣班", starts_at=in_days(9))
    ActivityFactory(centre=fuxin, title="早已结束", starts_at=in_days(-9))
    ActivityFactory(centre=fuxin, title="取消了", status=Activity.Status.CANCELLED)
    text = page_text(client.get(reverse("neighborhoods:activity-list")))
    assert text.index(activity.title) < text.index(later.title)
    assert "早已结束" not in text and "取消了" not in text


def test_it_filters_by_category_places_and_week(client, activity, fuxin, resident):
    full = ActivityFactory(centre=fuxin, title="满员课", capacity=1, starts_at=in_days(2))
    SignUp.objects.create(activity=full, user=resident, position=1)
    far = ActivityFactory(
        centre=fuxin, title="下月活动", starts_at=in_days(40), category=Activity.Category.HEALTH
    )
    url = reverse("neighborhoods:activity-list")
    text = page_text(client.get(url, {"places": "on"}))
    assert activity.title in text and "满员课" not in text
    text = page_text(client.get(url, {"category": "health"}))
    assert far.title in text and activity.title not in text
    with time_machine.travel(timezone.localtime(in_days(0, hour=8)), tick=False):
        monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
        text = page_text(client.get(url, {"week": "on"}))
    assert far.title not in text
    assert (activity.title in text) == (activity.starts_at.date() < monday + datetime.timedelta(7))


def test_it_shows_a_bad_filter_as_a_message_not_a_500(client, activity):
    response = client.get(reverse("neighborhoods:activity-list"), {"centre": "abc", "page": "x"})
    assert response.status_code == 200
    assert activity.title in page_text(response)
    assert 'class="error"' in page_text(response)


def test_it_filters_by_neighbourhood_including_centres_of_its_area(
    client, activity, gjxc_activity, places
):
    url = reverse("neighborhoods:activity-list")
    text = page_text(client.get(url, {"neighbourhood": places["gjxc"].pk}))
    assert activity.title in text and gjxc_activity.title in text
    text = page_text(client.get(url, {"neighbourhood": places["dhg"].pk}))
    assert activity.title not in text and gjxc_activity.title not in text


def test_it_asks_a_visitor_to_sign_in_to_sign_up(client, activity):
    response = client.get(activity.get_absolute_url())
    assert "登录后报名" in page_text(response) or "Sign in to sign up" in page_text(response)
    response = client.post(signup_url(activity))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not SignUp.objects.exists()


@pytest.mark.parametrize(
    "name", ["activity-signup", "activity-cancel", "activity-signup-behalf", "activity-checkin"]
)
def test_it_answers_405_to_get_on_post_only_urls_and_405_to_put(
    client, login, activity, resident, name
):
    url = reverse(f"neighborhoods:{name}", args=[activity.pk])
    login(resident)
    if name != "activity-checkin":
        assert client.get(url).status_code == 405
    assert client.put(url).status_code == 405
    assert client.delete(reverse("neighborhoods:activity-list")).status_code == 405


def test_it_answers_404_for_an_unknown_activity(client, login, resident):
    login(resident)
    assert client.get(reverse("neighborhoods:activity-detail", args=[999999])).status_code == 404
    assert client.post(reverse("neighborhoods:activity-signup", args=[999999])).status_code == 404


# --- Signing up, the waiting list, cancelling -----------------------------------------


def test_it_signs_a_resident_up_with_a_plain_post(client, login, activity, resident):
    login(resident)
    response = client.post(signup_url(activity), follow=True)
    signup = SignUp.objects.get(activity=activity, user=resident)
    assert signup.status == SignUp.Status.CONFIRMED
    assert signup.resident == resident.resident_record  # the household page shows it
    assert "报名成功" in page_text(response) or "You are signed up" in page_text(response)


def test_it_refuses_a_second_sign_up_with_a_clear_message(client, login, activity, resident):
    login(resident)
    client.post(signup_url(activity))
    response = client.post(signup_url(activity), follow=True)
    assert SignUp.objects.filter(activity=activity).count() == 1
    assert "已经报名" in page_text(response) or "already signed up" in page_text(response)


def test_it_puts_people_on_the_waiting_list_when_full_and_promotes_on_cancel(
    client, login, fuxin, places, mailoutbox, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(centre=fuxin, capacity=1)
    first, second, third = residents_of(places["gjxc"], 3)
    f.prove_email(second, "second@example.org")
    for user in (first, second, third):
        client.force_login(user)
        client.post(signup_url(activity))
    statuses = dict(SignUp.objects.values_list("user__username", "status"))
    assert statuses == {"r0": "confirmed", "r1": "waitlisted", "r2": "waitlisted"}
    client.force_login(second)
    assert "候补" in page_text(client.get(activity.get_absolute_url()))

    client.force_login(first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel_url(activity))
    statuses = dict(SignUp.objects.values_list("user__username", "status"))
    assert statuses == {"r0": "cancelled", "r1": "confirmed", "r2": "waitlisted"}
    promoted = SignUp.objects.get(user=second)
    assert promoted.promoted_at is not None
    assert SignUpNotice.objects.filter(signup=promoted, kind="promoted").count() == 1
    run_worker()  # the message queue's worker sends the email
    assert [m.to for m in mailoutbox] == [["second@example.org"]]
    client.force_login(second)
    assert "有名额空出" in page_text(client.get(reverse("portal:me")))


def test_it_does_not_promote_when_a_waiting_person_leaves(client, fuxin, places):
    activity = ActivityFactory(centre=fuxin, capacity=1)
    first, second, third = residents_of(places["gjxc"], 3)
    for user in (first, second, third):
        client.force_login(user)
        client.post(signup_url(activity))
    client.force_login(second)
    client.post(cancel_url(activity))
    statuses = dict(SignUp.objects.values_list("user__username", "status"))
    assert statuses == {"r0": "confirmed", "r1": "cancelled", "r2": "waitlisted"}


def test_it_lets_someone_sign_up_again_after_cancelling(client, login, activity, resident):
    login(resident)
    client.post(signup_url(activity))
    client.post(cancel_url(activity))
    client.post(signup_url(activity))
    assert list(SignUp.objects.values_list("status", flat=True).order_by("pk")) == [
        "cancelled",
        "confirmed",
    ]


def test_it_refuses_to_cancel_after_the_deadline(client, login, fuxin, resident):
    activity = ActivityFactory(centre=fuxin, cancel_deadline=in_days(2))
    login(resident)
    client.post(signup_url(activity))
    with time_machine.travel(in_days(2, hour=15), tick=False):
        response = client.post(cancel_url(activity), follow=True)
    assert SignUp.objects.get().status == SignUp.Status.CONFIRMED
    assert "取消时间已过" in page_text(response) or "time to cancel has passed" in page_text(
        response
    )


def test_it_cancels_from_me_and_returns_there(client, login, activity, resident):
    login(resident)
    client.post(signup_url(activity))
    me = page_text(client.get(reverse("portal:me")))
    assert activity.title in me and cancel_url(activity) in me
    response = client.post(cancel_url(activity), {"next": "/me/"})
    assert response["Location"] == "/me/"
    response = client.post(cancel_url(activity), {"next": "https://evil.example/"})
    assert response["Location"] == activity.get_absolute_url()


# --- Who may sign up: the window, the area, the age -----------------------------------


def test_it_refuses_before_sign_up_opens_and_after_it_closes(client, login, fuxin, resident):
    activity = ActivityFactory(
        centre=fuxin, signup_opens_at=in_days(1), signup_closes_at=in_days(2)
    )
    login(resident)
    response = client.post(signup_url(activity), follow=True)
    assert "报名将于" in page_text(response) or "Sign-up opens on" in page_text(response)
    with time_machine.travel(in_days(2, hour=15), tick=False):
        response = client.post(signup_url(activity), follow=True)
    assert "报名已截止" in page_text(response) or "has closed" in page_text(response)
    assert not SignUp.objects.exists()
    with time_machine.travel(in_days(1, hour=15), tick=False):
        client.post(signup_url(activity))
    assert SignUp.objects.count() == 1


def test_it_keeps_a_residents_only_activity_to_its_neighbourhood(
    client, login, gjxc_activity, resident, dhg_household, stranger
):
    outsider = f.linked_resident(dhg_household.building.neighbourhood, "dhg_resident", room="777")
    login(outsider)
    response = client.post(signup_url(gjxc_activity), follow=True)
    assert "公交新村居民区" in page_text(response)
    login(stranger)  # signed in, but not linked to any household
    client.post(signup_url(gjxc_activity))
    assert not SignUp.objects.exists()
    login(resident)
    client.post(signup_url(gjxc_activity))
    assert SignUp.objects.filter(user=resident).exists()


def test_it_keeps_an_area_activity_to_the_centres_subdistrict(
    client, login, fuxin, resident, dhg_household
):
    activity = ActivityFactory(centre=fuxin, audience=Activity.Audience.AREA)
    login(f.linked_resident(dhg_household.building.neighbourhood, "dhg_resident", room="777"))
    client.post(signup_url(activity))
    assert not SignUp.objects.exists()
    login(resident)  # 公交新村 is in 四平路街道, as is the centre
    client.post(signup_url(activity))
    assert SignUp.objects.count() == 1


def test_it_checks_the_age_from_the_register(client, login, fuxin, places):
    activity = ActivityFactory(centre=fuxin, min_age=60, starts_at=in_days(3))
    young = f.linked_resident(places["gjxc"], "young", room="1", birth_date=f.born_years_ago(59))
    # Turns 60 on the day before the activity: old enough on the day.
    turning = f.linked_resident(
        places["gjxc"], "turning", room="2", birth_date=f.born_years_ago(60, days=-2)
    )
    unknown = f.linked_resident(places["gjxc"], "unknown", room="3", birth_date=None)
    login(young)
    response = client.post(signup_url(activity), follow=True)
    assert "60" in page_text(response)
    login(unknown)
    response = client.post(signup_url(activity), follow=True)
    assert "出生日期" in page_text(response) or "date of birth" in page_text(response)
    login(turning)
    client.post(signup_url(activity))
    assert list(SignUp.objects.values_list("user__username", flat=True)) == ["turning"]


def test_it_refuses_a_cancelled_or_started_activity(client, login, fuxin, resident):
    cancelled = ActivityFactory(centre=fuxin, status=Activity.Status.CANCELLED)
    started = ActivityFactory(
        centre=fuxin, starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    login(resident)
    client.post(signup_url(cancelled))
    client.post(signup_url(started))
    assert not SignUp.objects.exists()


# --- Home page, household page --------------------------------------------------------


def test_it_shows_my_neighbourhoods_open_activities_on_the_home_page(
    client, login, activity, gjxc_activity, resident, fuxin
):
    ActivityFactory(centre=fuxin, title="还没开放", signup_opens_at=in_days(1))
    login(resident)
    text = page_text(client.get("/"))
    assert activity.title in text and gjxc_activity.title in text
    assert "还没开放" not in text


def test_it_shows_the_households_sign_ups_on_the_household_page(
    client, login, activity, resident, huyun, gjxc_household
):
    login(resident)
    client.post(signup_url(activity))
    login(huyun)
    text = page_text(
        client.get(reverse("neighborhoods:household-detail", args=[gjxc_household.pk]))
    )
    assert 'id="household-activities"' in text and activity.title in text
