"""The portal rides out database faults: 503 "briefly unavailable", checked connections.

The views below stand for any page whose query meets a restarting or stopped PostgreSQL;
scripts/db_fault_drill.py does it for real against gunicorn.
"""

import logging
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import InterfaceError, OperationalError, connection
from django.db.utils import ConnectionHandler
from django.test import Client, override_settings
from django.urls import include, path
from psycopg_pool import ConnectionPool, PoolTimeout

from portal.settings import database_settings

SERVER_MESSAGE = "terminating connection due to administrator command"


def restarting_database(request):
    raise OperationalError(SERVER_MESSAGE)


def closed_connection(request):
    raise InterfaceError("connection already closed")


def pool_timeout(request):
    # As Django's backend does: the pool's own error comes out as Django's OperationalError.
    with connection.wrap_database_errors:
        raise PoolTimeout("couldn't get a connection after 3.00 sec")


def broken_code(request):
    raise ValueError("a bug, not the database")


urlpatterns = [
    path("faults/restart/", restarting_database),
    path("faults/closed/", closed_connection),
    path("faults/pool-timeout/", pool_timeout),
    path("faults/bug/", broken_code),
    path("", include("portal.urls")),
]
faults_urls = override_settings(ROOT_URLCONF=__name__)


class SessionStoreDown:
    """A middleware meeting the stopped database before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("could not receive data from server")


def errors_logged(caplog):
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


@faults_urls
@pytest.mark.parametrize(
    "url", ["/faults/restart/", "/faults/closed/", "/faults/pool-timeout/"], ids=str
)
def test_it_answers_503_in_chinese_when_the_database_is_away(client, url):
    response = client.get(url)
    assert response.status_code == 503
    assert response["Content-Language"] == "zh-hans"
    html = response.content.decode()
    assert '<html lang="zh-hans"' in html
    assert 'class="site-header"' in html
    assert "服务暂时不可用" in html
    assert "请稍后再试" in html
    assert f'href="{url}"' in html  # 再试一次
    assert "Traceback" not in html
    assert "Error" not in html


@faults_urls
def test_it_answers_503_in_english_for_an_english_browser(client):
    response = client.get("/faults/restart/?page=2", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "The service is briefly unavailable" in html
    assert "Please try again in a moment" in html
    assert 'href="/faults/restart/?page=2"' in html
    assert SERVER_MESSAGE not in html
    assert "Traceback" not in html


@faults_urls
def test_it_keeps_the_language_chosen_on_the_site(client):
    client.cookies["django_language"] = "en"
    response = client.get("/faults/restart/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response["Content-Language"] == "en"
    assert "The service is briefly unavailable" in response.content.decode()


@faults_urls
def test_it_tells_a_form_poster_that_back_keeps_what_they_typed(client):
    response = client.post("/faults/restart/", {"description": "楼道灯坏了"})
    assert response.status_code == 503
    html = response.content.decode()
    assert "请按浏览器的“返回”键，刚才填写的内容都还在" in html
    assert "再试一次" not in html  # a link would load an empty form

    response = client.post("/faults/restart/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Press your browser's Back button" in response.content.decode()


@faults_urls
def test_it_asks_to_retry_and_not_to_cache(client):
    response = client.get("/faults/restart/")
    assert response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]


@faults_urls
def test_it_renders_the_page_without_the_database(login, resident, django_assert_max_num_queries):
    """The context processors would query the database; the page itself does not. The two
    queries are the session and the user, read by the sign-in rules (portal/signin/) before
    any view runs; in an outage those raise there and portal.views.server_error answers
    with the same page."""
    client = login(resident)
    client.cookies["large_text"] = "1"
    with django_assert_max_num_queries(2):
        response = client.get("/faults/restart/")
    assert response.status_code == 503
    html = response.content.decode()
    assert 'class="large-text"' in html
    # No navigation rather than one that looks signed out.
    assert 'class="site-nav"' not in html
    assert "登录" not in html
    assert "李梅" not in html


@faults_urls
def test_it_logs_the_fault_once_without_a_traceback(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/faults/restart/")
    (record,) = errors_logged(caplog)
    assert record.levelno == logging.ERROR
    assert record.name == "portal.middleware"
    assert "/faults/restart/" in record.getMessage()
    assert SERVER_MESSAGE in record.getMessage()
    assert record.exc_info is None
    assert record.status_code == 503


@faults_urls
def test_it_leaves_other_errors_to_the_500_page(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.get("/faults/bug/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "briefly unavailable" not in html
    assert "Retry-After" not in response
    (record,) = errors_logged(caplog)
    assert record.name == "django.request"
    assert record.exc_info[0] is ValueError


@override_settings(
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        f"{__name__}.SessionStoreDown",
        "portal.middleware.DatabaseUnavailableMiddleware",
    ]
)
def test_it_answers_503_when_a_middleware_meets_the_fault(caplog):
    """Such errors never reach process_exception; handler500 (portal.views) answers them."""
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.get("/notices/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "The service is briefly unavailable" in response.content.decode()
    (record,) = errors_logged(caplog)
    assert "/notices/" in record.getMessage()
    assert record.exc_info is None


def test_it_keeps_healthz_plain_text_while_the_database_is_away(client, db):
    for error in (OperationalError("gone"), InterfaceError("connection already closed")):
        with mock.patch.object(connection, "cursor", side_effect=error):
            response = client.get("/healthz")
        assert response.status_code == 503
        assert response["Content-Type"].startswith("text/plain")
        assert response.content == b"database unreachable\n"
    assert client.get("/healthz").content == b"ok\n"


URL = "postgres://portal:secret@db.example:5432/portal"


@pytest.fixture
def env(monkeypatch):
    names = ("DATABASE_POOL", "DATABASE_POOL_MIN", "DATABASE_POOL_MAX", "DATABASE_POOL_TIMEOUT")
    for name in names:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_it_checks_pooled_connections_and_waits_three_seconds_at_most(env):
    database = database_settings(URL)
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["pool"]["timeout"] == 2
    assert database["OPTIONS"]["pool"]["reconnect_timeout"] == 2
    # The pool Django builds from these settings checks every connection it hands out.
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.dummy"}, "pooled": database}
    )
    try:
        pool = handler["pooled"].pool
        assert pool._check == ConnectionPool.check_connection
        assert pool.timeout == 2
        assert pool.reconnect_timeout == 2
    finally:
        handler["pooled"].close_pool()


def test_it_reads_the_pool_timeout_from_the_environment(env):
    env.setenv("DATABASE_POOL_TIMEOUT", "5")
    assert database_settings(URL)["OPTIONS"]["pool"]["timeout"] == 5
    for bad in ("soon", "0", "2.5"):
        env.setenv("DATABASE_POOL_TIMEOUT", bad)
        with pytest.raises(ImproperlyConfigured, match="DATABASE_POOL_TIMEOUT"):
            database_settings(URL)


def test_it_opens_the_pools_minimum_from_the_environment(env):
    """Production sets DATABASE_POOL_MIN to gunicorn's threads (README): no growing under a
    burst while /healthz waits."""
    assert database_settings(URL)["OPTIONS"]["pool"]["min_size"] == 1
    env.setenv("DATABASE_POOL_MIN", "8")
    assert database_settings(URL)["OPTIONS"]["pool"]["min_size"] == 8
    for bad in ("11", "-1", "many"):
        env.setenv("DATABASE_POOL_MIN", bad)
        with pytest.raises(ImproperlyConfigured, match="DATABASE_POOL_MIN"):
            database_settings(URL)


def test_it_checks_persistent_connections_without_the_pool(env):
    env.setenv("DATABASE_POOL", "false")
    database = database_settings(URL)
    assert "pool" not in database.get("OPTIONS", {})
    assert database["CONN_HEALTH_CHECKS"] is True


def test_it_leaves_sqlite_alone(env):
    database = database_settings("sqlite:///var/portal.sqlite3")
    assert "OPTIONS" not in database or "pool" not in database["OPTIONS"]
