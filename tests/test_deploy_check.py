"""Production settings pass `manage.py check --deploy` with no warnings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def database_url():
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
        return f"postgres://{db.get('USER') or 'postgres'}@{host}:{port}/{db['NAME']}"
    return os.environ.get("DATABASE_URL", "")


def test_it_passes_the_deploy_check_with_production_settings():
    # Not the test run's own switches (DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser
    # harness, tests/e2e/conftest.py, and would be an error in a deployment).
    test_only = {
        "DEBUG",
        "DJANGO_SETTINGS_MODULE",
        "SECURE_SSL_REDIRECT",
        "CACHE_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    env = {key: value for key, value in os.environ.items() if key not in test_only}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),  # 64 characters
        ALLOWED_HOSTS="portal.example.org",
        SITE_URL="https://portal.example.org",
        DATABASE_URL=database_url(),
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output, output
