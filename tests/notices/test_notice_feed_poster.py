"""The Atom feed of public notices and the printable A4 poster with its QR code."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings
from django.urls import reverse

from notices.models import Notice
from tests.notices.notice_fixtures import make_notice

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = reverse("notices:notice-feed")


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text
    assert root.find(f"{ATOM}id").text and root.find(f"{ATOM}updated").text
    return root.findall(f"{ATOM}entry")


def test_it_is_a_valid_atom_feed_of_public_published_notices(client, places):
    make_notice(places["gjxc"], title="公开通知", body="<p>停水</p>")
    make_notice(places["gjxc"], title="居民通知", audience=Notice.Audience.RESIDENTS)
    make_notice(places["dhg"], title="定海港路通知")
    from django.utils import timezone

    make_notice(places["gjxc"], title="未来通知", publish_at=timezone.now() + timezone.timedelta(1))
    found = entries(client.get(FEED))
    assert {e.find(f"{ATOM}title").text for e in found} == {"公开通知", "定海港路通知"}
    entry = next(e for e in found if e.find(f"{ATOM}title").text == "公开通知")
    link = entry.find(f"{ATOM}link").get("href")
    notice = Notice.objects.get(title="公开通知")
    assert link.endswith(notice.get_absolute_url())
    assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text
    assert "停水" in entry.find(f"{ATOM}summary").text


def test_it_filters_the_feed_by_neighbourhood(client, places):
    make_notice(places["gjxc"], title="公交新村")
    make_notice(places["dhg"], title="定海港路")
    make_notice(places["district"], title="全区")
    found = entries(client.get(FEED, {"neighbourhood": places["dhg"].pk}))
    assert {e.find(f"{ATOM}title").text for e in found} == {"定海港路", "全区"}


def test_it_keeps_the_feed_valid_without_an_author_and_names_itself(client, places):
    """Atom needs an author for each entry (a notice whose author's account was deleted has
    none), rel="self" must be the feed's own address, and updated is never before published."""
    from django.utils import timezone

    notice = make_notice(places["dhg"], title="无作者通知", author=None)
    later = timezone.now() - timezone.timedelta(minutes=5)
    Notice.objects.filter(pk=notice.pk).update(updated=later - timezone.timedelta(days=3))
    Notice.objects.filter(pk=notice.pk).update(publish_at=later)
    response = client.get(FEED, {"neighbourhood": places["dhg"].pk})
    (entry,) = entries(response)
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    authors = root.findall(f"{ATOM}author") + entry.findall(f"{ATOM}author")
    assert authors and authors[0].find(f"{ATOM}name").text
    self_link = next(link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href").endswith(f"{FEED}?neighbourhood={places['dhg'].pk}")
    published = entry.find(f"{ATOM}published").text
    assert entry.find(f"{ATOM}updated").text >= published


@pytest.mark.parametrize("bad", ["abc", "999999", "-1", "1.5", "99999999999999999999999"])
def test_it_answers_a_bad_neighbourhood_with_404(client, places, bad):
    assert client.get(FEED, {"neighbourhood": bad}).status_code == 404


@override_settings(SITE_URL="https://mulin.example.org")
def test_it_prints_a_poster_with_a_qr_code_to_the_notice(client, gjxc_notice):
    response = client.get(reverse("notices:notice-poster", args=[gjxc_notice.pk]))
    page = response.content.decode()
    assert "css/poster.css" in page
    assert re.search(r"<svg[^>]*viewBox", page) and "<path" in page
    assert f"https://mulin.example.org/notices/{gjxc_notice.pk}/" in page
    assert "style=" not in page  # the CSP forbids inline styles
    assert "<script" not in page


def test_it_encodes_the_notice_url_in_the_qr_code(gjxc_notice):
    from notices.board.views import _qr_svg

    url = "https://mulin.example.org" + gjxc_notice.get_absolute_url()
    svg = _qr_svg(url)
    root = ET.fromstring(svg)  # noqa: S314 - our own SVG
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # A different URL gives a different drawing: the code carries the address.
    assert _qr_svg(url + "x") != svg


def test_it_sets_the_poster_page_to_a4():
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static" / "css" / "poster.css").read_text()
    assert "@page" in css and "size: A4" in css and "@media print" in css
