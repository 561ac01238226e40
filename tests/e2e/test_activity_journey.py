"""At phone width: 李梅 (`resident`) signs up for the last place of an activity, a neighbour is
put on the waiting list, 李梅 cancels from /me/, the neighbour moves up and is told on /me/;
then 陆佳琪 (`centre`) checks people in on her phone."""

import datetime

import pytest
from django.utils import timezone

from neighborhoods.models import Activity, Centre, SignUp
from portal.models import User
from tests import factories as f

pytestmark = pytest.mark.e2e


def test_it_fills_an_activity_promotes_the_waiting_and_checks_people_in(
    phone_page, live_url, sign_in, shot
):
    centre = Centre.objects.get(name="文化佳园睦邻中心")
    starts = timezone.now() + datetime.timedelta(days=2)
    activity = Activity.objects.create(
        centre=centre,
        title="剪纸体验课",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="文化佳园睦邻中心 手工室",
        capacity=1,
        created_by=User.objects.get(username="centre"),
    )
    li_mei = User.objects.get(username="resident")
    neighbour = f.linked_resident(
        li_mei.resident_record.household.building.neighbourhood, "neighbour", room="1901",
        name="王阿姨",
    )  # fmt: skip
    neighbour.set_password("demo12345")
    neighbour.save()
    page = phone_page

    sign_in(page, "resident")
    page.goto(f"{live_url}/activities/{activity.pk}/")
    page.get_by_role("button", name="我要报名").click()
    page.wait_for_load_state()
    assert "报名成功" in page.locator(".messages").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "signed_up")
    page.get_by_role("button", name="退出登录").click()

    sign_in(page, "neighbour")
    page.goto(f"{live_url}/activities/{activity.pk}/")
    assert "已满" in page.locator(".activity-badges").inner_text()
    page.get_by_role("button", name="加入候补").click()
    page.wait_for_load_state()
    assert "第1位" in page.locator(".signup-box").inner_text()
    shot(page, "waitlisted")
    page.get_by_role("button", name="退出登录").click()

    sign_in(page, "resident")
    page.goto(f"{live_url}/me/")
    mine = page.locator("#my-activities li", has_text="剪纸体验课")
    mine.get_by_role("button", name="取消报名").click()
    page.wait_for_load_state()
    assert page.url == f"{live_url}/me/"
    shot(page, "cancelled_from_me")
    assert SignUp.objects.get(activity=activity, user=neighbour).status == "confirmed"
    page.get_by_role("button", name="退出登录").click()

    sign_in(page, "neighbour")
    page.goto(f"{live_url}/me/")
    mine = page.locator("#my-activities").inner_text()
    assert "有名额空出" in mine and "剪纸体验课" in mine
    shot(page, "promoted_on_me")
    page.get_by_role("button", name="退出登录").click()

    sign_in(page, "centre")
    page.goto(f"{live_url}/activities/{activity.pk}/manage/checkin/")
    row = page.locator(".checkin-row", has_text="王阿姨")
    row.get_by_role("button", name="已到场").click()
    page.wait_for_load_state()
    assert "已到场（" in page.locator(".checkin-row", has_text="王阿姨").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "checked_in")
    assert SignUp.objects.get(activity=activity, user=neighbour).attended is True
