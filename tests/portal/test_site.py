"""The site around the pages: large text, language, health check, error pages, home."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from portal.models import User

pytestmark = pytest.mark.django_db

LARGE = 'class="large-text"'


def test_it_turns_large_text_on_for_a_visitor_with_a_cookie(client, places):
    assert LARGE not in client.get("/").content.decode()
    response = client.post("/me/text-size/", {"next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["large_text"].value == "1"
    assert response.cookies["large_text"]["httponly"]
    assert LARGE in client.get("/").content.decode()


def test_it_turns_large_text_off_again_for_a_visitor(client, places):
    client.post("/me/text-size/", {"next": "/"})
    response = client.post("/me/text-size/", {"next": "/"})
    assert response.cookies["large_text"]["max-age"] == 0
    assert LARGE not in client.get("/").content.decode()


def test_it_keeps_large_text_on_the_account_of_a_signed_in_user(login, client, resident):
    login(resident).post("/me/text-size/", {"next": "/me/"})
    assert User.objects.get(pk=resident.pk).large_text
    # On another device (no cookie) the account's setting still applies.
    client.cookies.clear()
    client.force_login(resident)
    assert LARGE in client.get("/me/").content.decode()
    client.post("/me/text-size/", {"next": "/me/"})
    assert not User.objects.get(pk=resident.pk).large_text
    client.cookies.pop("large_text", None)
    assert LARGE not in client.get("/me/").content.decode()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "http://testserver.evil.example/"]
)
def test_it_does_not_follow_an_external_next(client, places, target):
    response = client.post("/me/text-size/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_goes_back_to_the_referring_page_without_next(client, places):
    response = client.post("/me/text-size/", HTTP_REFERER="http://testserver/staff/")
    assert response["Location"] == "http://testserver/staff/"
    response = client.post("/me/text-size/", HTTP_REFERER="https://evil.example/")
    assert response["Location"] == "/"


def test_it_speaks_chinese_by_default(client, places):
    response = client.get("/")
    assert response["Content-Language"] == "zh-hans"
    html = response.content.decode()
    assert '<html lang="zh-hans"' in html
    assert "登录" in html


def test_it_switches_to_english(client, places):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    cookie = response.cookies["django_language"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    page = client.get("/")
    assert page["Content-Language"] == "en"
    html = page.content.decode()
    assert '<html lang="en"' in html
    assert "Welcome to 杨浦区" in html
    assert "Sign in" in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert client.get("/")["Content-Language"] == "zh-hans"


def test_it_answers_healthz_with_the_database_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_is_unreachable(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database unreachable" in response.content


def test_it_renders_403_in_the_site_layout(login, resident):
    response = login(resident).get("/staff/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert "This page is not for your account" in html


def test_it_renders_404_in_the_site_layout(client, places):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert "We could not find that page" in html


def test_it_renders_500_with_its_template(db):
    request = RequestFactory().get("/")
    with translation.override("en"):
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert "Something went wrong on our side" in html


def test_it_shows_the_district_to_a_visitor(client, places):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["district"] == places["district"]
    assert "Register" in response.content.decode()


def test_it_shows_a_resident_their_neighbourhood(login, resident, places):
    response = login(resident).get("/")
    assert response.context["neighbourhood"] == places["gjxc"]
    assert "<h1>公交新村居民区</h1>" in response.content.decode()


def test_it_shows_staff_their_neighbourhood(login, yangying, places):
    response = login(yangying).get("/")
    assert response.context["neighbourhood"] == places["dhg"]


def test_it_invites_an_unlinked_account_to_link_its_household(login, stranger, places):
    html = login(stranger).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Link your household" in html


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("resident", ["/me/"], ["/staff/", "/admin/"]),
        ("huyun", ["/staff/", "/staff/households/", "/me/"], ["/admin/"]),
        ("admin", ["/staff/", "/admin/"], []),
    ],
)
def test_it_shows_navigation_that_fits_the_role(request, login, places, persona, shown, hidden):
    html = login(request.getfixturevalue(persona)).get("/").content.decode()
    nav = html[html.index('class="site-nav"') : html.index("</nav>")]
    for url in shown:
        assert f'href="{url}"' in nav
    for url in hidden:
        assert f'href="{url}"' not in nav


def test_it_sends_security_headers(client, places):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def test_it_shows_staff_where_they_work_on_me(login, huyun, stranger, places):
    from neighborhoods.models import Centre, CentreStaff

    centre = Centre.objects.create(subdistrict=places["gjxc"].subdistrict, name="四平睦邻中心")
    CentreStaff.objects.create(centre=centre, user=stranger, position="项目社工")
    assert "四平睦邻中心 · 项目社工" in login(stranger).get("/me/").content.decode()
    html = login(huyun).get("/me/").content.decode()
    assert f"{places['gjxc'].name} · {huyun.worker.position}" in html


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "/"),
        ("/notices/", "/notices/"),
        ("/staff/", "/staff/"),
        ("/staff/needs/", "/staff/"),
        ("/staff/households/", "/staff/households/"),
        ("/me/", "/me/"),
    ],
)
def test_it_marks_the_current_section_in_the_navigation(login, huyun, places, path, current):
    html = login(huyun).get(path).content.decode()
    nav = html[html.index('class="site-nav"') : html.index("</nav>")]
    assert nav.count('aria-current="page"') == 1
    assert f'href="{current}" aria-current="page"' in nav


def test_it_writes_month_and_day_as_people_do_in_each_language():
    import datetime

    from django.utils import formats, translation

    day = datetime.date(2026, 9, 5)
    with translation.override("zh-hans"):
        assert formats.date_format(day, "MONTH_DAY_FORMAT") == "9月5日"
    with translation.override("en"):
        assert formats.date_format(day, "MONTH_DAY_FORMAT") == "September 5"


@pytest.mark.django_db
def test_it_answers_head_requests_like_get(client, places):
    """Load balancers and link checkers send HEAD: read-only pages answer it (require_safe)."""
    assert client.head("/healthz").status_code == 200
    assert client.head("/").status_code == 200
    assert client.head("/notices/").status_code == 200
