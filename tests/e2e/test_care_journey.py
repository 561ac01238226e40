"""胡云, on her phone in a stairwell: a watched household's curtains are still closed, so
she marks it "not seen", phones, records the call, closes the alert; then logs a visit that
raises a need and follows the need to its resolution."""

import io
import random

import pytest
from django.utils import timezone

from neighborhoods.demo import watch as demo_watch
from neighborhoods.models import Need, WatchAlert

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("watch_daytime")]


def test_it_takes_huyun_from_a_watch_alert_to_a_resolved_need(phone_page, live_url, sign_in, shot):
    # seed_demo builds the watch demo; build() skips when it is already there.
    demo_watch.build(stdout=io.StringIO(), rng=random.Random(2024), today=timezone.localdate())
    page = phone_page
    sign_in(page, "huyun")

    # The watch board: 周阿婆's alert from last night on top, her zone's rows below.
    page.goto(f"{live_url}/staff/watch/")
    assert page.locator(".watch-alert-card").count() == 1
    assert "2号 201室" in page.locator(".watch-alert-card").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "watch_board")

    # One tap: the day check of the first row is "not seen". Back on the same row.
    row = page.locator(".watch-row").first
    row_id = row.get_attribute("id")
    open_before = WatchAlert.objects.open().count()
    row.locator(".watch-cell").first.locator("button[value=not_seen]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"#{row_id}")
    assert WatchAlert.objects.open().count() == open_before + 1
    shot(page, "marked_not_seen")

    # The alert: numbers to call; the call is recorded as a step, then the outcome.
    page.locator(f"#{row_id} a[href*='/staff/watch/alerts/']").click()
    page.wait_for_load_state()
    assert page.locator("a[href^='tel:']").count() >= 1
    page.locator("input[name=kind][value=phoned]").check()
    page.fill("#step_note", "电话联系本人，说刚起床还没拉窗帘，一切正常。")
    page.locator("#add-step button.primary").click()
    page.wait_for_load_state()
    assert "电话联系本人" in page.locator("#timeline").inner_text()
    page.locator("input[name=outcome][value=phoned_fine]").check()
    shot(page, "alert_close_form")
    page.click("#close-alert")
    page.wait_for_load_state()
    assert page.url.endswith("/staff/watch/")
    assert WatchAlert.objects.open().count() == open_before  # 周阿婆's and the others still open
    shot(page, "alert_closed")

    # A visit to 周阿婆 that raises a need, from her household page.
    page.goto(f"{live_url}/staff/households/?q=周秀英")
    page.locator("table.data a[href^='/staff/households/']").first.click()
    page.wait_for_load_state()
    shot(page, "household_with_watch_strip")
    page.click("#log-visit")
    page.wait_for_load_state()
    page.fill("#id_met", "周秀英本人")
    page.fill("#id_notes", "昨晚身体不适早睡，今天精神还好。卫生间扶手松动。")
    page.select_option("#id_needs-0-category", "housing")
    page.fill("#id_needs-0-description", "卫生间扶手松动，需要加固。")
    shot(page, "visit_form")
    page.click("#save-visit")
    page.wait_for_load_state()
    need = Need.objects.get(description="卫生间扶手松动，需要加固。")
    assert need.is_open

    # The need, followed to the end.
    page.goto(f"{live_url}/staff/needs/{need.pk}/")
    page.fill("#id_resolution", "物业师傅已上门加固扶手，周阿婆试过，很牢。")
    page.click("#resolve-need")
    page.wait_for_load_state()
    need.refresh_from_db()
    assert need.status == Need.Status.RESOLVED
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "need_resolved")
