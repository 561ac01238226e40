"""周阿婆's son, in 浦东, hears of her daily watch on his phone: 胡云 marks her curtains
"not seen"; his inbox shows the alert at once; 胡云 phones, records the call and closes the
alert; he sees the outcome, in his inbox and on /me/family/."""

import pytest

from neighborhoods.models import WatchAlert, WatchEnrolment
from portal.models import Message

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("watch_daytime")]


def _fits_a_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_son_hears_of_his_mothers_watch_alert_and_its_outcome(
    browser, phone_page, live_url, sign_in, shot
):
    # seed_demo made the son's grant (周强, zhouqiang) and told him of last night's alert.
    zhou = WatchEnrolment.objects.get(household__residents__name="周秀英", active=True)
    assert Message.objects.filter(
        recipient__username="zhouqiang", kind="family_watch_alert_opened"
    ).exists()

    # 胡云, on her phone: the whole neighbourhood's board, 周阿婆's row, day check "not seen".
    page = phone_page
    sign_in(page, "huyun")
    page.goto(f"{live_url}/staff/watch/?all=1")
    row = page.locator(f"#watch-{zhou.pk}")
    row.locator(".watch-cell").first.locator("button[value=not_seen]").click()
    page.wait_for_load_state()
    alert = WatchAlert.objects.open().get(watch_check__enrolment=zhou, watch_check__kind="day")
    _fits_a_phone(page)
    shot(page, "huyun_marked_not_seen")

    # The son, on his own phone: the alert is in his inbox already, unread.
    son_context = browser.new_context(viewport={"width": 360, "height": 780}, locale="zh-CN")
    son = son_context.new_page()
    sign_in(son, "zhouqiang")
    son.goto(f"{live_url}/me/inbox/")
    first = son.locator(".list.inbox > li").first
    assert "2号 201室 未见" in first.inner_text()
    assert "白天查看" in first.inner_text()
    _fits_a_phone(son)
    shot(son, "son_inbox_alert")

    # 胡云 records the call and closes the alert; the alert page names the son as told.
    page.goto(f"{live_url}/staff/watch/alerts/{alert.pk}/")
    assert "周强" in page.locator("#family-told").inner_text()
    page.locator("input[name=kind][value=phoned]").check()
    page.fill("#step_note", "电话联系周阿婆，她在午睡，没拉窗帘，一切正常。")
    page.locator("#add-step button.primary").click()
    page.wait_for_load_state()
    page.locator("input[name=outcome][value=phoned_fine]").check()
    page.click("#close-alert")
    page.wait_for_load_state()
    alert.refresh_from_db()
    assert not alert.is_open
    page.goto(f"{live_url}/staff/watch/alerts/{alert.pk}/")
    assert "告知了警报已关闭" in page.locator("#family-told").inner_text()
    shot(page, "huyun_alert_closed_family_told")

    # The son sees the outcome: first in his inbox, then on his family page.
    son.goto(f"{live_url}/me/inbox/")
    first = son.locator(".list.inbox > li").first
    assert "2号 201室 已查看" in first.inner_text()
    assert "电话联系：平安" in first.inner_text()
    assert "午睡" not in first.inner_text()  # staff's notes stay with the staff
    shot(son, "son_inbox_outcome")
    son.goto(f"{live_url}/me/family/")
    followed = son.locator(".followed-household").first.inner_text()
    assert "2号 201室" in followed and "电话联系：平安" in followed
    _fits_a_phone(son)
    shot(son, "son_family_page")
    son_context.close()
