"""Running activities: the centre's workspace, a committee's, one activity's sign-ups,
on-behalf sign-ups, check-in, the sign-in sheet, CSV — who may open what."""

import csv
import io

import pytest
from django.urls import reverse

from neighborhoods.models import Activity, SignUp, SignUpNotice
from portal.messaging.testing import run_worker
from tests import factories as f

from .activity_fixtures import ActivityFactory, in_days, residents_of

pytestmark = pytest.mark.django_db

ACTIVITY_PAGES = [
    "activity-manage",
    "activity-edit",
    "activity-call-off",
    "activity-checkin",
    "activity-sheet",
    "activity-signups-csv",
]


def text(response):
    return response.content.decode()


@pytest.mark.parametrize("name", ACTIVITY_PAGES)
def test_it_sends_a_visitor_to_sign_in(client, activity, name):
    response = client.get(reverse(f"neighborhoods:{name}", args=[activity.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ACTIVITY_PAGES)
@pytest.mark.parametrize("persona", ["other_centre_staff", "yangying", "huyun", "resident"])
def test_it_hides_a_centres_activity_from_everyone_else(request, client, activity, name, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(f"neighborhoods:{name}", args=[activity.pk])).status_code == 404


@pytest.mark.parametrize("name", ACTIVITY_PAGES)
@pytest.mark.parametrize("persona", ["centre_staff", "admin"])
def test_it_opens_a_centres_activity_to_its_staff_and_admins(
    request, client, activity, name, persona
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(f"neighborhoods:{name}", args=[activity.pk])).status_code == 200


@pytest.mark.parametrize("name", ACTIVITY_PAGES)
def test_it_keeps_a_committees_activity_to_its_own_staff(
    client, gjxc_activity, huyun, yangying, centre_staff, name
):
    url = reverse(f"neighborhoods:{name}", args=[gjxc_activity.pk])
    client.force_login(yangying)
    assert client.get(url).status_code == 404
    client.force_login(centre_staff)
    assert client.get(url).status_code == 404
    client.force_login(huyun)
    assert client.get(url).status_code == 200


def test_it_opens_the_centre_workspace_to_its_staff_only(
    client, fuxin, activity, centre_staff, other_centre_staff, admin, resident, huyun
):
    url = reverse("neighborhoods:centre-manage", args=[fuxin.pk])
    assert "/accounts/login/" in client.get(url)["Location"]
    for outsider in (other_centre_staff, resident, huyun):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert (
            client.get(reverse("neighborhoods:centre-activity-create", args=[fuxin.pk])).status_code
            == 404
        )
    for insider in (centre_staff, admin):
        client.force_login(insider)
        response = client.get(url)
        assert response.status_code == 200 and activity.title in text(response)
    assert client.post(url).status_code == 405


def test_it_opens_the_committees_activities_to_committee_staff(
    client, gjxc_activity, huyun, yangying, resident
):
    url = reverse("neighborhoods:staff-activity-list")
    client.force_login(resident)
    assert client.get(url).status_code == 403
    client.force_login(yangying)
    assert gjxc_activity.title not in text(client.get(url))
    client.force_login(huyun)
    assert gjxc_activity.title in text(client.get(url))


def test_a_district_admin_sees_one_neighbourhoods_activities_at_a_time(
    client, gjxc_activity, admin, places
):
    """The district's 1,500 committee activities of the last weeks, their sign-ups
    counted, took most of a second: an admin chooses the neighbourhood."""
    url = reverse("neighborhoods:staff-activity-list")
    client.force_login(admin)
    assert gjxc_activity.title in text(client.get(url, {"neighbourhood": places["gjxc"].pk}))
    page = text(client.get(url, {"neighbourhood": places["dhg"].pk}))
    assert gjxc_activity.title not in page and 'name="neighbourhood"' in page


def form_data(**changes):
    data = {
        "title": "智能手机课堂",
        "category": "learning",
        "description": "手把手教您用手机",
        "starts_at": in_days(5).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": in_days(5, hour=16).strftime("%Y-%m-%dT%H:%M"),
        "place": "电脑室",
        "capacity": "12",
        "audience": "anyone",
        "min_age": "",
        "signup_opens_at": "",
        "signup_closes_at": "",
        "cancel_deadline": "",
    }
    data.update(changes)
    return data


def test_it_lets_centre_staff_publish_an_activity(client, fuxin, centre_staff):
    client.force_login(centre_staff)
    url = reverse("neighborhoods:centre-activity-create", args=[fuxin.pk])
    response = client.post(url, form_data())
    created = Activity.objects.get()
    assert response["Location"] == reverse("neighborhoods:activity-manage", args=[created.pk])
    assert created.centre == fuxin and created.neighbourhood is None
    assert created.capacity == 12 and created.created_by == centre_staff


def test_it_lets_committee_staff_publish_for_their_own_neighbourhood(client, huyun, places):
    client.force_login(huyun)
    client.post(
        reverse("neighborhoods:staff-activity-create"),
        form_data(audience="neighbourhood", for_neighbourhood=""),
    )
    created = Activity.objects.get()
    assert created.neighbourhood == places["gjxc"] and created.centre is None
    assert created.for_neighbourhood == places["gjxc"]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"ends_at": in_days(5, hour=9).strftime("%Y-%m-%dT%H:%M")}, "结束时间"),
        ({"starts_at": "not a date"}, "有效"),
        ({"capacity": "0"}, "至少"),
        ({"min_age": "300"}, "1"),
        ({"cancel_deadline": in_days(6).strftime("%Y-%m-%dT%H:%M")}, "开始之前"),
        ({"starts_at": "1999-01-01T10:00", "ends_at": "1999-01-01T12:00"}, "年份"),
        ({"title": "x" * 500}, "120"),
        ({"audience": "neighbourhood"}, "居民区"),
    ],
)
def test_it_shows_bad_input_next_to_the_field_and_keeps_what_was_typed(
    client, fuxin, centre_staff, changes, message
):
    client.force_login(centre_staff)
    url = reverse("neighborhoods:centre-activity-create", args=[fuxin.pk])
    response = client.post(url, form_data(description="请带上自己的手机", **changes))
    assert response.status_code == 400
    assert message in text(response)
    assert "请带上自己的手机" in text(response)
    assert not Activity.objects.exists()


def test_it_refuses_fewer_places_than_people_confirmed(client, activity, centre_staff, places):
    for user in residents_of(places["gjxc"], 3):
        SignUp.objects.create(activity=activity, user=user, position=1)
    client.force_login(centre_staff)
    response = client.post(
        reverse("neighborhoods:activity-edit", args=[activity.pk]),
        form_data(capacity="2", title="改过的标题"),
    )
    assert response.status_code == 400 and "3" in text(response)
    assert "改过的标题" in text(response)
    activity.refresh_from_db()
    assert activity.capacity == 20 and activity.sequence == 0


def test_it_moves_the_waiting_list_up_when_places_are_added(client, fuxin, centre_staff, places):
    activity = ActivityFactory(centre=fuxin, capacity=1, created_by=centre_staff)
    first, second = residents_of(places["gjxc"], 2)
    SignUp.objects.create(activity=activity, user=first, position=1)
    SignUp.objects.create(activity=activity, user=second, position=2, status="waitlisted")
    client.force_login(centre_staff)
    client.post(
        reverse("neighborhoods:activity-edit", args=[activity.pk]),
        form_data(
            capacity="2",
            starts_at=activity.starts_at.strftime("%Y-%m-%dT%H:%M"),
            ends_at=activity.ends_at.strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert SignUp.objects.get(user=second).status == SignUp.Status.CONFIRMED
    activity.refresh_from_db()
    assert activity.sequence == 1


def test_it_cancels_an_activity_and_tells_everyone_signed_up(
    client, activity, centre_staff, places, mailoutbox, django_capture_on_commit_callbacks
):
    people = residents_of(places["gjxc"], 2, email="")
    f.prove_email(people[0], "a@example.org")
    for position, user in enumerate(people, start=1):
        SignUp.objects.create(activity=activity, user=user, position=position)
    client.force_login(centre_staff)
    url = reverse("neighborhoods:activity-call-off", args=[activity.pk])
    assert "2" in text(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)  # a second click changes nothing and tells nobody twice
    activity.refresh_from_db()
    assert activity.status == Activity.Status.CANCELLED and activity.sequence == 1
    assert SignUpNotice.objects.filter(kind="cancelled").count() == 2
    run_worker()  # the message queue's worker sends the email
    assert len(mailoutbox) == 1


def test_it_lets_committee_staff_sign_up_a_resident_without_a_phone(
    client, huyun, gjxc_activity, gjxc_household, dhg_household
):
    client.force_login(huyun)
    manage = reverse("neighborhoods:activity-manage", args=[gjxc_activity.pk])
    found = text(client.get(manage, {"q": "周秀英"}))
    assert "周秀英" in found
    other = text(client.get(manage, {"q": "王建国"}))  # another neighbourhood's resident
    assert "没有找到" in other and "<strong>王建国</strong>" not in other
    assert "周秀英" in text(client.get(manage, {"q": "1号302"}))
    zhou = gjxc_household.residents.get(name="周秀英")
    url = reverse("neighborhoods:activity-signup-behalf", args=[gjxc_activity.pk])
    client.post(url, {"resident": zhou.pk})
    signup = SignUp.objects.get()
    assert (signup.resident, signup.user, signup.made_by) == (zhou, None, huyun)
    response = client.post(url, {"resident": zhou.pk}, follow=True)
    assert "周秀英已经报名" in text(response) or "already signed up" in text(response)
    wang = dhg_household.residents.get()
    assert client.post(url, {"resident": wang.pk}).status_code == 404
    assert client.post(url, {"resident": "abc"}).status_code == 302
    assert SignUp.objects.count() == 1
    household = text(
        client.get(reverse("neighborhoods:household-detail", args=[gjxc_household.pk]))
    )
    assert gjxc_activity.title in household and "胡云" in household


def test_it_lets_centre_staff_sign_up_residents_of_the_centres_area_only(
    client, centre_staff, activity, gjxc_household, dhg_household
):
    client.force_login(centre_staff)
    url = reverse("neighborhoods:activity-signup-behalf", args=[activity.pk])
    assert client.post(url, {"resident": dhg_household.residents.get().pk}).status_code == 404
    client.post(url, {"resident": gjxc_household.residents.get().pk})
    assert SignUp.objects.get().made_by == centre_staff


def test_it_checks_people_in_one_tap_per_row(client, activity, centre_staff, places):
    came, absent = residents_of(places["gjxc"], 2)
    rows = [
        SignUp.objects.create(activity=activity, user=user, position=i)
        for i, user in enumerate((came, absent), start=1)
    ]
    client.force_login(centre_staff)
    url = reverse("neighborhoods:activity-checkin", args=[activity.pk])
    page = text(client.get(url))
    assert "居民0" in page and "居民1" in page
    response = client.post(url, {"signup": rows[0].pk, "attended": "yes"})
    assert response["Location"].endswith(f"#signup-{rows[0].pk}")
    client.post(url, {"signup": rows[1].pk, "attended": "no"})
    rows[0].refresh_from_db()
    rows[1].refresh_from_db()
    assert (rows[0].attended, rows[0].checked_in_by) == (True, centre_staff)
    assert rows[1].attended is False
    client.post(url, {"signup": rows[1].pk, "attended": ""})
    rows[1].refresh_from_db()
    assert rows[1].attended is None
    assert client.post(url, {"signup": "abc"}).status_code == 400
    assert client.post(url, {"signup": 999999, "attended": "yes"}).status_code == 404
    workspace = text(client.get(reverse("neighborhoods:centre-manage", args=[activity.centre_id])))
    assert "1 人到场" in workspace or "1 came" in workspace


def test_it_prints_a_sign_in_sheet_with_masked_phones(client, activity, centre_staff, resident):
    SignUp.objects.create(activity=activity, user=resident, resident=resident.resident_record)
    client.force_login(centre_staff)
    page = text(client.get(reverse("neighborhoods:activity-sheet", args=[activity.pk])))
    assert "签到表" in page and "李梅" in page
    assert "139****1111" in page and "13900001111" not in page
    assert "css/sheet.css" in page


def test_it_exports_the_sign_up_list_as_csv(client, activity, centre_staff, resident, places):
    SignUp.objects.create(activity=activity, user=resident, resident=resident.resident_record)
    evil = f.linked_resident(places["gjxc"], "evil", room="9", name="=HYPERLINK(1)")
    SignUp.objects.create(activity=activity, user=evil, status="waitlisted", position=2)
    client.force_login(centre_staff)
    response = client.get(reverse("neighborhoods:activity-signups-csv", args=[activity.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == "李梅" and rows[1][3] == "139****1111"
    assert rows[2][1] == "'=HYPERLINK(1)"
