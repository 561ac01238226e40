"""At phone width: a resident applies to volunteer, 陆佳琪 (`centre`) approves her, she signs
up for a shift of 文化佳园睦邻中心, the shift takes place, 陆佳琪 records her attendance and
verifies the hours, and they appear on her certificate, whose QR code's page says it is
genuine without anything private."""

import datetime

import pytest
from django.utils import timezone

from portal.models import User
from tests import factories as f
from volunteers.models import Opportunity, ServiceRecord, Shift

pytestmark = pytest.mark.e2e


def narrow(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_resident_becomes_a_volunteer_and_her_hours_reach_the_certificate(
    phone_page, live_url, sign_in, shot
):
    ling = User.objects.get(username="volunteer")
    neighbourhood = ling.resident_record.household.building.neighbourhood
    newcomer = f.linked_resident(neighbourhood, "newcomer", room="1902", name="吴秀兰")
    newcomer.set_password("demo12345")
    newcomer.save()
    order = Opportunity.objects.get(title="睦邻中心活动秩序维护与人员协调")
    shift = Shift.objects.create(
        opportunity=order,
        date=timezone.localdate() + datetime.timedelta(days=2),
        starts=datetime.time(14),
        ends=datetime.time(16, 30),
        place="文化佳园睦邻中心 二楼活动室",
        places_needed=3,
    )
    page = phone_page

    # 1. She applies from /volunteers/.
    sign_in(page, "newcomer")
    page.goto(f"{live_url}/volunteers/")
    page.get_by_role("link", name="申请成为志愿者").click()
    page.get_by_label("活动秩序维护").check()
    page.get_by_label("您什么时候有空？").fill("周末下午")
    page.get_by_label("您想在哪里做志愿者？").select_option(label="文化佳园睦邻中心")
    page.get_by_label("同意睦邻中心或居委会就志愿服务联系我。").check()
    shot(page, "application")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state()
    assert "申请已提交" in page.locator(".messages").inner_text()
    narrow(page)
    page.get_by_role("button", name="退出登录").click()

    # 2. The centre's staff approve.
    sign_in(page, "centre")
    page.goto(f"{live_url}/volunteers/applications/")
    page.get_by_role("link", name="吴秀兰").click()
    page.get_by_label("通过", exact=True).check()
    page.get_by_role("button", name="记录审核结果").click()
    page.wait_for_load_state()
    assert "已记录审核结果" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="退出登录").click()

    # 3. She is told, and signs up for the shift.
    sign_in(page, "newcomer")
    page.goto(f"{live_url}/volunteers/me/")
    assert "申请已通过" in page.locator("main").inner_text()
    page.goto(f"{live_url}/volunteers/shifts/{shift.pk}/")
    page.get_by_role("button", name="我要报名").click()
    page.wait_for_load_state()
    assert "报名成功" in page.locator(".messages").inner_text()
    narrow(page)
    shot(page, "signed_up")
    page.get_by_role("button", name="退出登录").click()

    # 4. The shift takes place (two days pass).
    Shift.objects.filter(pk=shift.pk).update(date=timezone.localdate() - datetime.timedelta(days=1))

    # 5. 陆佳琪 records attendance on her phone, then verifies the hours.
    sign_in(page, "centre")
    page.goto(f"{live_url}/volunteers/shifts/{shift.pk}/attendance/")
    page.locator("li", has_text="吴秀兰").get_by_role("button", name="到场", exact=True).click()
    page.wait_for_load_state()
    assert "已记录" in page.locator(".messages").inner_text()
    assert ServiceRecord.objects.get(volunteer=newcomer).status == "pending"
    narrow(page)
    shot(page, "attendance")
    page.goto(f"{live_url}/volunteers/records/")
    page.locator("li", has_text="吴秀兰").get_by_role("button", name="审核通过").click()
    page.wait_for_load_state()
    assert ServiceRecord.objects.get(volunteer=newcomer).status == "verified"
    narrow(page)
    shot(page, "verified")
    page.get_by_role("button", name="退出登录").click()

    # 6. The hours are on her record and her certificate; the QR code's page is public.
    sign_in(page, "newcomer")
    page.goto(f"{live_url}/volunteers/me/")
    assert "2.5" in page.locator(".grid").inner_text()
    shot(page, "my_record")
    year = timezone.localdate().year
    page.get_by_role("button", name=f"我的 {year} 年服务证书").click()
    page.wait_for_load_state()
    certificate = page.locator(".certificate").inner_text()
    assert "吴秀兰" in certificate and "2.5" in certificate and "文化佳园睦邻中心" in certificate
    assert page.locator(".certificate svg").count() == 1
    shot(page, "certificate")
    check_url = page.locator(".poster-url").inner_text().replace("http://127.0.0.1:8000", live_url)
    check_url = live_url + check_url[check_url.index("/volunteers/certificates/") :]
    page.get_by_role("link", name="返回").click()
    page.get_by_role("button", name="退出登录").click()
    page.goto(check_url)
    public = page.locator("main").inner_text()
    assert "真实有效" in public and "吴秀兰" in public and str(year) in public
    assert "2.5" not in public and "1902" not in public
    narrow(page)
    shot(page, "public_check")
