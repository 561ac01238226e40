"""At phone width: 李梅 (`resident`), just out of hospital, asks for a wheelchair at
文化佳园睦邻中心; 陆佳琪 (`centre`) approves it having seen the doctor's note, lends a
wheelchair, and takes it back; 李梅 sees each step and the due date on /me/."""

import pytest

from neighborhoods.models import AidItem, AidUnit, Loan
from portal.templatetags.words import day

pytestmark = pytest.mark.e2e


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_it_lends_a_wheelchair_and_takes_it_back(phone_page, live_url, sign_in, shot):
    page = phone_page
    wheelchair = AidItem.objects.get(name="轮椅")

    sign_in(page, "resident")
    page.goto(f"{live_url}/services/")
    page.get_by_role("link", name="借用康复辅具").first.click()
    page.get_by_role("link", name="轮椅").click()
    assert page.url == f"{live_url}/services/aids/{wheelchair.pk}/"
    page.get_by_label("领取地点").select_option(label="文化佳园睦邻中心")
    page.get_by_label("出院后持医生证明").check()
    page.get_by_label("需要告诉工作人员的情况（可不填）").fill("上周刚出院，腿脚不便。")
    assert fits(page)
    shot(page, "asking")
    page.get_by_role("button", name="申请借用").click()
    page.wait_for_load_state()
    assert "工作人员会尽快处理" in page.locator(".messages").inner_text()
    loan = Loan.objects.get(resident__user__username="resident", item=wheelchair)
    assert loan.status == Loan.Status.REQUESTED
    shot(page, "asked")
    page.get_by_role("button", name="退出登录").click()

    sign_in(page, "centre")
    page.goto(f"{live_url}/services/aids/loans/?state=requested")
    page.locator(".loan-table tr", has_text="李梅").get_by_role("link").click()
    assert page.url == f"{live_url}/services/aids/loans/{loan.pk}/"
    page.get_by_label("我已核看证件或医生证明").check()
    page.get_by_role("button", name="通过", exact=True).click()
    page.wait_for_load_state()
    assert "已通过" in page.locator(".messages").inner_text()
    assert fits(page)
    shot(page, "approved")
    page.locator("#lend-loan").click()
    page.wait_for_load_state()
    loan.refresh_from_db()
    assert loan.status == Loan.Status.LENT and loan.unit.status == AidUnit.Status.LENT
    assert day(loan.due_date) in page.locator("main").inner_text()
    shot(page, "lent")
    page.get_by_role("button", name="退出登录").click()

    sign_in(page, "resident")
    page.goto(f"{live_url}/me/")
    mine = page.locator("#my-loans").inner_text()
    assert "轮椅" in mine and day(loan.due_date) in mine and "已借给您" in mine
    assert fits(page)
    shot(page, "on_me")
    page.get_by_role("button", name="退出登录").click()

    sign_in(page, "centre")
    page.goto(f"{live_url}/services/aids/loans/{loan.pk}/")
    page.get_by_label("归还时状况").select_option(value="good")
    page.locator("#return-loan").click()
    page.wait_for_load_state()
    loan.refresh_from_db()
    assert loan.status == Loan.Status.RETURNED
    assert loan.unit.status == AidUnit.Status.AVAILABLE
    timeline = page.locator(".loan-timeline").inner_text()
    for step in ("提出申请", "通过", "已借出", "已归还"):
        assert step in timeline
    assert fits(page)
    shot(page, "returned")
