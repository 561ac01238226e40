"""At phone width: 杨莹 (`yangying`, director of 定海港路居民区) notes her 上云率 on /dashboard/,
imports a spreadsheet with a row in error, fixes the row in the file and uploads it again (a
new preview, as the design fixes rows), confirms, and sees her 上云率 fall: the new present
residents have no accounts yet."""

import re
from collections import defaultdict

import pytest

from neighborhoods.models import Building, Household, Neighbourhood, Resident
from neighborhoods.registerio.parsing import normalise_building
from portal.dashboard.services import registration_rates
from tests.neighborhoods.import_helpers import HEADER, xlsx_bytes

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rate_of(neighbourhood):
    return registration_rates("neighbourhood", neighbourhood=neighbourhood)[neighbourhood.pk]


def a_building_and_free_rooms(neighbourhood):
    """A building whose number no other compound of the neighbourhood repeats, and two rooms
    of it that have no household yet."""
    by_number = defaultdict(list)
    for building in Building.objects.filter(neighbourhood=neighbourhood).order_by("pk"):
        by_number[normalise_building(building.number)].append(building)
    building = next(b[0] for b in by_number.values() if len(b) == 1)
    taken = set(Household.objects.filter(building=building).values_list("room", flat=True))
    rooms = [room for room in ("2901", "2902", "2903", "2904") if room not in taken][:2]
    return building, rooms


def dashboard_rate(page, live_url):
    page.goto(f"{live_url}/dashboard/")
    card = page.locator("ul.figures li", has_text="上云率").first
    stat = card.locator(".stat").inner_text().strip()
    # "14岁及以上居民 293 人中 182 人已上云"
    found = re.search(r"(\d+) 人中 (\d+) 人", card.locator(".muted").inner_text())
    return stat, (int(found[2]), int(found[1]))


def spreadsheet(rows):
    """An xlsx made with openpyxl (import_helpers.xlsx_bytes), as Playwright uploads it."""
    return {"name": "花名册.xlsx", "mimeType": XLSX, "buffer": xlsx_bytes(rows, header=HEADER)}


def test_a_director_imports_fixes_a_row_and_sees_her_rate_change(
    phone_page, live_url, sign_in, shot
):
    neighbourhood = Neighbourhood.objects.get(name="定海港路居民区")
    building, (room_a, room_b) = a_building_and_free_rooms(neighbourhood)
    before = rate_of(neighbourhood)
    page = phone_page

    sign_in(page, "yangying")
    stat, (linked, counted) = dashboard_rate(page, live_url)
    assert stat == f"{before.percent}%"
    assert (linked, counted) == (before.linked, before.counted)
    shot(page, "dashboard_before")

    number = building.number
    good = [
        [number, room_a, "严文华", "男", "1948-04-12", "户主", "139 2345 6781", ""],
        [number, room_a, "钱月娥", "女", "1950/6/1", "配偶", "", ""],
    ]
    bad = [number, room_b, "卢国庆", "男", "1943.2.30", "户主", "", "独居"]
    fixed = [number, room_b, "卢国庆", "男", "1943.2.3", "户主", "", "独居"]

    page.goto(f"{live_url}/staff/households/import/")
    page.set_input_files("input[name=file]", files=[spreadsheet([*good, bad])])
    page.get_by_role("button", name="查看将要发生的变化").click()
    page.wait_for_load_state()
    assert "/staff/households/import/" in page.url
    errors = page.locator(".import-errors").inner_text()
    # The header is row 1: the bad row is the spreadsheet's row 4.
    assert "第 4 行：出生日期" in errors and "1943.2.30" in errors
    counts = page.locator(".import-counts").inner_text()
    assert "2" in counts and "1" in counts
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "preview_with_error")

    page.get_by_role("link", name="上传其他文件").click()
    page.wait_for_load_state()
    page.set_input_files("input[name=file]", files=[spreadsheet([*good, fixed])])
    page.get_by_role("button", name="查看将要发生的变化").click()
    page.wait_for_load_state()
    assert page.locator(".import-errors").count() == 0
    assert "卢国庆" in page.locator("main").inner_text()
    shot(page, "preview_fixed")

    page.get_by_role("button", name="导入", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/staff/households/")
    assert "已导入" in page.locator(".messages").inner_text()
    shot(page, "imported")

    added = Resident.objects.filter(
        household__building=building, household__room__in=[room_a, room_b]
    )
    assert sorted(added.values_list("name", flat=True)) == ["严文华", "卢国庆", "钱月娥"]
    assert str(added.get(name="卢国庆").birth_date) == "1943-02-03"
    after = rate_of(neighbourhood)
    assert (after.linked, after.counted) == (before.linked, before.counted + 3)
    assert after.percent < before.percent

    stat, (linked, counted) = dashboard_rate(page, live_url)
    assert stat == f"{after.percent}%"
    assert (linked, counted) == (after.linked, after.counted)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "dashboard_after")
