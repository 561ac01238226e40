"""李梅 (`resident`, 公交新村) at phone width in large text: finds the water-tank notice by
searching "水箱", opens it (counted as read once), and opens the A4 poster with its QR code.
(The discussion-hall part of the journey is in test_topic_journey.py.)"""

import io
import random
import re

import pytest
from django.utils import timezone

from notices.demo import notices as demo_notices
from notices.models import Notice, NoticeRead

pytestmark = pytest.mark.e2e


def test_it_takes_a_resident_from_a_search_to_the_notice_and_its_poster(
    phone_page, live_url, sign_in, shot
):
    # seed_demo runs demo_notices once it is in its builder list; building here is harmless
    # (the builder skips when the demo notices exist).
    demo_notices.build(stdout=io.StringIO(), rng=random.Random(4), today=timezone.localdate())
    notice = Notice.objects.get(title=demo_notices.MARKER_TITLE)
    page = phone_page

    sign_in(page, "resident")
    page.locator("header button.pref-button[aria-pressed]").click()
    page.wait_for_load_state()
    assert "large-text" in page.eval_on_selector("html", "el => el.className")
    # The home page's notices card already shows the pinned water-tank notice.
    assert page.locator("#notices-heading + ul").get_by_text(notice.title).count() == 1
    shot(page, "home")

    page.click(".site-menu > summary")  # on a phone the navigation is folded under 菜单

    page.click("nav.site-nav a[href='/notices/']")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "通知公告"
    # On a phone the filters are folded under "筛选": open them first.
    if page.locator(".filter-box > summary").is_visible():
        page.click(".filter-box > summary")
    page.fill("input[name=q]", "水箱")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    titles = page.locator(".notice-item h2 a").all_inner_texts()
    assert notice.title in titles
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "search")

    page.get_by_role("link", name=notice.title).first.click()
    page.wait_for_load_state()
    assert page.url == f"{live_url}/notices/{notice.pk}/"
    assert page.locator("h1").inner_text() == notice.title
    images = page.locator(".notice-images img")
    assert images.count() == notice.images.count() >= 1
    assert images.first.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "notice")
    page.reload()
    assert NoticeRead.objects.filter(notice=notice, user__username="resident").count() == 1

    page.get_by_role("link", name="打印张贴版").click()
    page.wait_for_load_state()
    assert page.url == f"{live_url}/notices/{notice.pk}/poster/"
    qr = page.locator(".poster-qr svg")
    box = qr.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100
    assert page.locator(".poster-qr svg path").count() >= 1
    assert f"/notices/{notice.pk}/" in page.locator(".poster-url").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "poster")


def test_it_prints_the_poster_on_one_a4_page(desktop_page, live_url, shot):
    demo_notices.build(stdout=io.StringIO(), rng=random.Random(4), today=timezone.localdate())
    notice = Notice.objects.get(title=demo_notices.MARKER_TITLE)
    page = desktop_page
    page.goto(f"{live_url}/notices/{notice.pk}/poster/")
    shot(page, "poster_desktop")
    page.emulate_media(media="print")
    assert not page.locator(".poster-tools").is_visible()
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) == 1, f"the poster printed on {len(pages)} A4 pages"
    width, height = map(float, re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups())
    assert (round(width), round(height)) == (595, 842)  # A4 in points (@page { size: A4 })
    shot(page, "poster_print")
