"""Settings for the test suite: production settings with the few overrides tests need."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from .settings import *  # noqa: E402,F403

# The test client's host, whatever the environment says (`make` exports the dev server's).
SITE_URL = "http://testserver"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No connection pool in tests: the live server's thread would keep pooled connections to
# the test database open, and it could not be dropped at the end of the run.
DATABASES["default"].pop("OPTIONS", None)  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Visitors' page cache off: tests that write rows without signals (bulk_create, update) or
# move the clock would read a stale page. tests/portal/test_pagecache.py turns it on.
VISITOR_PAGE_SECONDS = 0
# Dashboard figures computed on every request: tests change rows and read the figures.
DASHBOARD_FIGURES_SECONDS = 0
# One folder per pytest-xdist worker (gw0, gw1…): workers run at once, and a test that
# empties or counts its uploads must not see another worker's. pytest-django gives each
# worker its own database the same way (test_<name>_gw0…).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_SUFFIX = f"-{_WORKER}" if _WORKER else ""
MEDIA_ROOT = BASE_DIR / "var" / f"test-media{_SUFFIX}"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / f"test-private{_SUFFIX}"  # noqa: F405
STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Messages: every channel through the outbox (tests read portal.messaging.gateways.outbox);
# the task queue is the database backend, as in production (tests run its worker).
MESSAGING["GATEWAYS"] = {  # noqa: F405
    "sms": {"BACKEND": "portal.messaging.gateways.OutboxSMSBackend"},
    "wechat": {"BACKEND": "portal.messaging.gateways.OutboxWeChatBackend"},
    "email": {"BACKEND": "portal.messaging.gateways.DjangoEmailBackend"},
}
