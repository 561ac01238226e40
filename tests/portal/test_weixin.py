"""WeChat sign-in appears only where a deployment configures its WeChat app."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
django.setup()
from django.test import Client
login = Client().get("/accounts/login/")
page = login.content.decode()
form_action = login["Content-Security-Policy"].split("form-action")[1].split(";")[0]
start = Client().post("/accounts/weixin/login/") if "/accounts/weixin/" in page else None
print("weixin-button" if "/accounts/weixin/login/" in page else "no-button")
print(start["Location"] if start is not None else "-")
print("form-action:" + form_action.strip().replace(" ", ","))
"""


def database_url_of_this_run():
    """The test run's own database (the subprocess reads its session tables)."""
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def run(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WEIXIN_")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        DEBUG="true", ALLOWED_HOSTS="testserver", DATABASE_URL=database_url_of_this_run(), **extra
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.split()


@pytest.mark.django_db
def test_it_offers_wechat_sign_in_when_configured():
    button, location, form_action = run(WEIXIN_APP_ID="wx0123456789", WEIXIN_APP_SECRET="secret")
    assert button == "weixin-button"
    # Browsers apply the CSP's form-action to where a submitted form redirects.
    assert form_action == "form-action:'self',https://open.weixin.qq.com"
    assert location.startswith("https://open.weixin.qq.com/connect/qrconnect?appid=wx0123456789")


@pytest.mark.django_db
def test_it_offers_no_wechat_sign_in_without_an_app():
    assert run() == ["no-button", "-", "form-action:'self'"]
