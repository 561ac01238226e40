"""Real-browser journeys: Playwright's sync API driving Debian's Chromium.

Fixtures:
- browser      one headless Chromium per journey file (CHROMIUM overrides /usr/bin/chromium)
- live_url     the base URL of pytest-django's live server, with the small demo district
               (`seed_demo --small`: the demo accounts, password demo12345), in a database
               cloned for the journey from the session's demo (tests/conftest.py)
- phone_page   a page at 360×780 with locale zh-CN (what most residents use)
- desktop_page a page at 1280×900 with locale zh-CN
- sign_in      sign_in(page, username, password=DEMO_PASSWORD) through the sign-in form
- shot         shot(page, name) saves tests/e2e/screenshots/<test>/<name>.png (git-ignored)

Mark journeys with @pytest.mark.e2e. Where no Chromium is found the journeys are skipped
with a message, except under CI (CI=true), where a missing browser fails the run.

Under pytest-xdist each worker has its own live server (on a free port), its own test and
demo databases, and its own journey clones: nothing here assumes one database.
"""

import os
import re
import time
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache

from neighborhoods.models.watch import watch_today
from portal.models import User
from tests import demo

# Playwright's sync API runs an asyncio event loop in the test's thread. Django then
# sees an "async context" and refuses ORM calls made from that thread (fixtures, the
# assertions of a journey) with SynchronousOnlyOperation. Nothing here is really
# concurrent: the event loop only drives the browser, and the live server answers
# requests in its own thread. So the check is switched off for the browser tests.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = demo.DEMO_PASSWORD
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


def require_chromium():
    if Path(CHROMIUM).exists():
        return
    message = (
        f"Chromium not found at {CHROMIUM}; install Debian's chromium package "
        "(scripts/install-browser.sh) or set CHROMIUM"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# Module scope, not session: Playwright's event loop runs in the test thread while it is
# started, and tests that ran after the journeys would then share that "async context"
# (their database connections would outlive the run and the test database could not be
# dropped). Starting it per journey file costs about a second.
@pytest.fixture(scope="module")
def playwright_instance():
    require_chromium()
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    yield manager
    manager.stop()


@pytest.fixture(scope="module")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def journey_database(demo_database, django_db_blocker):
    """The database the journeys of a module use: `<demo database>_e2e`.

    Module scope, so that the default connection (whose settings the live server's threads
    share) points at it before any function-scoped fixture runs and until after the last
    one: transactional_db, which pytest-django requests for every live_server test, then
    empties this copy after each journey, never the test database (where it would also
    wipe the rows the migrations made, such as the care levels, for the tests after it).
    """
    name = f"{demo_database.name}_e2e"
    with demo.pointed_at(name):
        yield name
    with django_db_blocker.unblock():
        demo.drop_database(name)


@pytest.fixture
def live_url(
    live_server, transactional_db, journey_database, demo_database, django_db_blocker, settings
):
    """The live server's base URL, serving the small demo district.

    live_server answers from other threads, so the journey's data must be committed
    (transactional_db). Each journey starts from a fresh copy of the session's demo
    database (CREATE DATABASE … TEMPLATE, quicker than seeding again).
    """
    # The live server speaks plain http: keep the session and CSRF cookies usable
    # even when the settings were loaded with DEBUG off.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    with django_db_blocker.unblock():
        demo.clone_database(demo_database.name, journey_database)
    return live_server.url


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    return context, page


@pytest.fixture
def phone_page(browser, live_url):
    context, page = _page(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser, live_url):
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()


def totp_code(secret=None, at=None):
    """The code an authenticator app shows now for the demo secret (or `secret`)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from django.conf import settings

    counter = int(time.time() if at is None else at) // 30
    return counter, format_hotp_value(hotp_value(secret or settings.DEMO_TOTP_SECRET, counter))


@pytest.fixture
def sign_in(live_url):
    """sign_in(page, username, password) through the real sign-in form; lands on the home page.

    Staff accounts are then asked for their TOTP code: the helper types the one an
    authenticator app would show for the demo secret. A code is accepted once (allauth marks
    it used in the cache): a person signing in twice within one 30-second step would wait for
    the next code; the journeys, which have no reason to wait (and sign the same demo account
    in from several tests), forget the mark instead (the live server shares this process's
    cache). A code read in the last two seconds of its step could reach the server in the
    next one: then the helper waits for the next code. tests/portal/test_signin_security.py
    proves the refusal.
    """

    def _sign_in(page, username, password=DEMO_PASSWORD):
        page.goto(f"{live_url}/accounts/login/")
        page.fill("input[name=login]", username)
        page.fill("input[name=password]", password)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        if "/accounts/2fa/authenticate/" in page.url:
            if time.time() % 30 > 28:
                time.sleep(30.2 - time.time() % 30)
            _counter, code = totp_code()
            user_id = User.objects.values_list("pk", flat=True).get(username=username)
            cache.delete(f"allauth.mfa.totp.used?user={user_id}&code={code}")
            page.fill("input[name=code]", code)
            page.click("main form button[type=submit]")
            page.wait_for_load_state()
        if "/accounts/" in page.url:
            raise AssertionError(f"could not sign in as {username}: still on {page.url}")
        return page

    return _sign_in


@pytest.fixture
def shot(request):
    """shot(page, name): a full-page PNG under tests/e2e/screenshots/<test name>/."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def _shot(page, name):
        counter["n"] += 1
        path = folder / f"{counter['n']:02d}_{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def watch_daytime():
    """Journeys that mark a day check (06:00 to midnight in Shanghai) run at 10:00 of
    today's Shanghai date, the clock ticking: the live server's threads, the TOTP codes
    and the demo data all see that time, whenever the suite runs (CI at 02:30 did not)."""
    from tests.neighborhoods.watch_helpers import sh

    today = watch_today()
    with time_machine.travel(sh(today.year, today.month, today.day, 10, 0), tick=True):
        yield
