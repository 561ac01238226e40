"""A visitor at phone width switches to large text, signs in as 胡云 and opens 周阿婆's
household (2号 201室 of 公交新村, an elderly resident living alone)."""

import re

import pytest

from portal.models import AccessLog

pytestmark = pytest.mark.e2e


def html_classes(page):
    return page.eval_on_selector("html", "el => el.className")


def test_it_takes_a_visitor_to_a_household_in_large_text(phone_page, live_url, sign_in, shot):
    page = phone_page

    # A visitor opens the home page: the district, in Chinese, normal text.
    page.goto(f"{live_url}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "杨浦区" in page.locator("h1").inner_text()
    assert "large-text" not in html_classes(page)
    large_button = page.locator("header button.pref-button[aria-pressed]")
    assert large_button.get_attribute("aria-pressed") == "false"
    # Nothing sticks out sideways at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "home_visitor")

    # The large-text button: the page comes back with large text, the button says so.
    large_button.click()
    page.wait_for_load_state()
    assert page.url == f"{live_url}/"
    assert "large-text" in html_classes(page)
    assert (
        page.locator("header button.pref-button[aria-pressed]").get_attribute("aria-pressed")
        == "true"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "home_large_text")

    # Signing in as 胡云: still large text; the home page is her neighbourhood's.
    sign_in(page, "huyun")
    assert "large-text" in html_classes(page)
    assert page.locator("h1").inner_text() == "公交新村居民区"
    shot(page, "home_huyun")

    # The register, through the navigation: 公交新村 households only, phones masked.
    page.click(".site-menu > summary")  # on a phone the navigation is folded under 菜单
    page.click("nav.site-nav a[href='/staff/households/']")
    page.wait_for_load_state()
    assert page.url == f"{live_url}/staff/households/"
    rows = page.locator("table.data tbody tr")
    assert rows.count() > 10
    table = page.locator("table.data").inner_text()
    assert re.search(r"1[3-9]\d\*{4}\d{4}", table)
    assert not re.search(r"1[3-9]\d{9}", table)
    shot(page, "household_list")

    # Search for 周秀英 and open her household.
    # On a phone the filters are folded under "筛选": open them first.
    if page.locator(".filter-box > summary").is_visible():
        page.click(".filter-box > summary")
    page.fill("input[name=q]", "周秀英")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("table.data tbody tr").count() == 1
    shot(page, "household_search")
    page.click("table.data tbody tr a")
    page.wait_for_load_state()
    assert re.search(r"/staff/households/\d+/$", page.url)
    assert page.locator("h1").inner_text() == "2号 201室"
    body = page.locator("main").inner_text()
    assert "周秀英" in body
    assert "65037214" in body  # the full number, on the detail page only
    assert "陈根宝" in body  # a former member, listed apart
    assert "周阿婆" in body  # the staff notes
    assert page.locator(".lead .badge.alone").count() == 1
    assert "large-text" in html_classes(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "household_detail")

    # The opening was recorded, and so were the two pages of the register she looked at.
    log = AccessLog.objects.select_related("user", "household").get(action=AccessLog.Action.VIEW)
    assert (log.user.username, str(log.household)) == ("huyun", "2号 201室")
    lists = AccessLog.objects.filter(user__username="huyun", action=AccessLog.Action.HOUSEHOLD_LIST)
    assert lists.count() == 2
    assert lists.filter(households=log.household).exists()  # the search that found her


def test_it_shows_the_register_at_desktop_width(desktop_page, live_url, sign_in, shot):
    page = desktop_page
    sign_in(page, "huyun")
    page.goto(f"{live_url}/staff/households/?care=alone")
    assert page.locator("table.data thead").is_visible()
    assert page.locator("table.data tbody tr").count() >= 1
    assert (
        page.locator("table.data tbody .badge.alone").count()
        == page.locator("table.data tbody tr").count()
    )
    shot(page, "household_list_alone")
