"""Issue 16: sign-in that cannot be guessed or jammed, MFA for staff, session limits.

Each finding of the issue has its test here (they failed on the code before it):
1. the per-account limit counts the person, not the spelling of the login;
2. per-IP limits use the client address from the one trusted proxy hop;
3. /admin/login/ is allauth's sign-in, with the same limits, and staff need MFA;
6. staff sessions end after 30 minutes idle and 12 hours in all.
"""

import json
import logging
import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from portal.models import User
from tests import factories as f
from tests.conftest import force_login_without_mfa

pytestmark = pytest.mark.django_db

PASSWORD = "Quiet-Garden-2024"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LOCKED = "Too many failed login attempts"


def sign_in(client, login, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"login": login, "password": password}, **EN, **extra)


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def limei(db):
    return f.UserFactory(
        username="limei",
        phone="13812345678",
        phone_verified=True,
        email="li.mei@example.org",
        password=PASSWORD,
    )


def totp_now(secret=SECRET, offset=0):
    counter = int(timezone.now().timestamp()) // 30 + offset
    return format_hotp_value(hotp_value(secret, counter))


# --- 1. One bucket per account, whichever name or spelling is typed ----------------------


SPELLINGS = [
    "+86 138 1234 5678",
    "138-1234-5678",
    "0086 13812345678",
    "limei",
    "LI.MEI@example.org",
    "+8613812345678",
]


def test_five_wrong_passwords_in_any_spelling_lock_the_account_for_every_spelling(client, limei):
    for login in SPELLINGS[:5]:
        response = sign_in(client, login, "wrong-password")
        assert LOCKED not in response.content.decode(), login
    # The right password, in a sixth spelling never tried before: still locked.
    response = sign_in(client, SPELLINGS[5], PASSWORD)
    assert LOCKED in response.content.decode()
    assert not signed_in(client)
    for login in ["13812345678", "li.mei@example.org", "LIMEI"]:
        assert LOCKED in sign_in(Client(), login, PASSWORD).content.decode()


def test_the_lock_holds_five_minutes_then_lets_the_owner_in(client, limei):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            sign_in(client, "138 1234 5678", "wrong-password")
        traveller.shift(4 * 60)
        assert LOCKED in sign_in(client, "limei").content.decode()
        traveller.shift(61)
        response = sign_in(client, "limei")
        assert response.status_code == 302
        assert signed_in(client)


def test_unknown_phone_numbers_are_one_bucket_whatever_their_spelling(client):
    for login in [
        "+86 139 0000 1111",
        "139-0000-1111",
        "13900001111",
        "0086 13900001111",
        "139 0000 1111",
    ]:
        assert LOCKED not in sign_in(client, login, "guess").content.decode()
    assert LOCKED in sign_in(client, "+8613900001111", "guess").content.decode()
    # Another number is not affected.
    assert LOCKED not in sign_in(client, "13900002222", "guess").content.decode()


# --- 2. Per-IP limits behind the proxy: the client's address, one trusted hop -------------


def from_client(address):
    """What nginx (deploy/nginx.conf) sends: the connecting address is the proxy's, the
    client's is in X-Forwarded-For, set to $remote_addr."""
    return {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": address}


def test_wrong_passwords_from_one_client_do_not_lock_out_everyone_behind_the_proxy(
    client, limei, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        response = sign_in(client, f"made-up-{n}", "guess", **from_client("203.0.113.7"))
        assert LOCKED not in response.content.decode()
    # That client is now limited…
    response = sign_in(client, "made-up-10", "guess", **from_client("203.0.113.7"))
    assert LOCKED in response.content.decode()
    # …but another person, through the same proxy, signs in.
    other = Client()
    response = sign_in(other, "limei", PASSWORD, **from_client("198.51.100.20"))
    assert response.status_code == 302
    assert signed_in(other)


def test_only_the_last_hop_is_trusted(client, settings):
    """A client cannot pick its own address by sending X-Forwarded-For: nginx appends (or
    replaces with) the real one, and only the last entry counts."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        forged = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": f"1.1.1.{n}, 203.0.113.7"}
        sign_in(client, f"made-up-{n}", "guess", **forged)
    response = sign_in(client, "made-up-x", "guess", **from_client("203.0.113.7"))
    assert LOCKED in response.content.decode()


def test_without_a_proxy_the_connecting_address_counts_and_the_header_is_ignored(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for n in range(10):
        forged = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": f"1.1.1.{n}"}
        sign_in(client, f"made-up-{n}", "guess", **forged)
    forged = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "9.9.9.9"}
    assert LOCKED in sign_in(client, "made-up-x", "guess", **forged).content.decode()


# --- 3. /admin/login/ is the site's sign-in; MFA for staff --------------------------------


@pytest.fixture
def superuser(db):
    return f.UserFactory(username="root", is_staff=True, is_superuser=True, password=PASSWORD)


def test_admin_login_sends_to_the_sites_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    # A POST of a password to the admin's own form checks nothing either.
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not signed_in(client)


def refused(response):
    return response.status_code == 429 or LOCKED in response.content.decode()


def test_thirty_wrong_passwords_for_the_superuser_are_not_all_checked(superuser):
    """From one address and from thirty: five password checks, then the lock."""
    checked = 0
    for n in range(30):
        client = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        if not refused(sign_in(client, "root", "wrong")):
            checked += 1
    assert checked == 5
    client = Client(REMOTE_ADDR="198.51.100.1")
    assert refused(sign_in(client, "root", PASSWORD))
    assert not signed_in(client)


def test_a_signed_in_non_staff_account_is_refused_the_admin(login, limei):
    assert login(limei).get("/admin/").status_code in (302, 403)
    assert login(limei).get("/admin/login/").status_code == 403


@pytest.fixture
def huyun_totp(huyun):
    huyun.set_password(PASSWORD)
    huyun.save()
    return TOTP.activate(huyun, SECRET).instance


def test_staff_sign_in_asks_for_a_totp_code_before_signing_in(client, huyun_totp):
    response = sign_in(client, "huyun")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not signed_in(client)
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"}, **EN)
    if totp_now() != "000000":
        assert response.status_code == 200
        assert not signed_in(client)
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now()}, **EN)
    assert response.status_code == 302
    assert signed_in(client)
    assert client.get("/staff/households/").status_code == 200


def test_a_totp_code_cannot_be_used_twice(client, huyun_totp):
    with time_machine.travel(timezone.now(), tick=False):
        code = totp_now()
        sign_in(client, "huyun")
        assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
        other = Client()
        sign_in(other, "huyun")
        response = other.post("/accounts/2fa/authenticate/", {"code": code}, **EN)
        assert response.status_code == 200
        assert not signed_in(other)


@pytest.mark.parametrize("path", ["/staff/households/", "/staff/", "/dashboard/", "/admin/"])
def test_staff_without_an_mfa_step_are_refused_personal_data_pages(client, huyun, admin, path):
    for user in (huyun, admin):
        client = Client()
        force_login_without_mfa(client, user)
        response = client.get(path)
        assert response.status_code == 302, (user, path)
        assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_staff_with_an_authenticator_but_no_code_this_session_are_asked_for_one(
    client, huyun_totp, huyun
):
    force_login_without_mfa(client, huyun)
    response = client.get("/staff/households/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
    response = client.post(response["Location"], {"code": totp_now()})
    assert response.status_code == 302
    assert client.get("/staff/households/").status_code == 200


def test_staff_enrol_an_authenticator_and_then_reach_their_pages(
    client, huyun, django_capture_on_commit_callbacks
):
    huyun.set_password(PASSWORD)
    huyun.save()
    sign_in(client, "huyun")
    assert signed_in(client)
    response = client.get("/staff/households/")
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    # allauth asks for the password once more before an authenticator is added.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    # allauth announces the new authenticator once its transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=huyun, type="totp").exists()
    assert client.get("/staff/households/").status_code == 200


def test_residents_need_no_mfa(client, resident):
    force_login_without_mfa(client, resident)
    assert client.get("/me/").status_code == 200


def test_demo_staff_have_the_readme_authenticator(db, settings):
    from portal.demo import ensure_staff_authenticators

    staff = f.UserFactory(username="demo-admin", is_staff=True, is_superuser=True)
    resident = f.UserFactory(username="demo-resident")
    assert ensure_staff_authenticators(["demo-admin", "demo-resident"]) == 1
    totp = Authenticator.objects.get(user=staff, type="totp").wrap()
    assert totp.validate_code(totp_now(settings.DEMO_TOTP_SECRET))
    assert not Authenticator.objects.filter(user=resident).exists()


# --- 6. Sessions ----------------------------------------------------------------------------


def test_staff_are_signed_out_after_30_minutes_idle(login, huyun):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = login(huyun)
        traveller.shift(29 * 60)
        assert client.get("/staff/households/").status_code == 200
        traveller.shift(29 * 60)  # 58 min since sign-in, 29 since the last page: still in
        assert client.get("/staff/households/").status_code == 200
        traveller.shift(31 * 60)
        response = client.get("/staff/households/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert not signed_in(client)


def test_staff_are_signed_out_12_hours_after_signing_in_even_when_busy(login, huyun):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = login(huyun)
        for _ in range(12 * 3):  # a page every 20 minutes for 12 hours
            traveller.shift(20 * 60)
            assert client.get("/staff/households/").status_code == 200
        traveller.shift(60)
        response = client.get("/staff/households/")
        assert response.status_code == 302
        assert not signed_in(client)


def test_residents_who_tick_remember_me_stay_signed_in_30_days(client, limei):
    response = client.post(
        "/accounts/login/", {"login": "limei", "password": PASSWORD, "remember": "on"}
    )
    assert response.status_code == 302
    assert client.session.get_expiry_age() == 30 * 24 * 3600
    with time_machine.travel(timezone.now() + timezone.timedelta(days=20)):
        assert client.get("/me/").context["user"] == limei


def test_residents_who_do_not_tick_it_get_a_browser_session(client, limei):
    sign_in(client, "limei")
    assert client.session.get_expire_at_browser_close()


def test_staff_sessions_do_not_outlive_the_idle_limit_in_the_cookie(client, huyun_totp):
    sign_in(client, "huyun")
    client.post("/accounts/2fa/authenticate/", {"code": totp_now()})
    assert client.session.get_expiry_age() <= 30 * 60


def test_disabling_an_account_ends_its_sessions(login, limei):
    client = login(limei)
    assert client.get("/me/").context["user"] == limei
    limei.is_active = False
    limei.save()
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_changing_the_password_ends_the_other_sessions_only(limei):
    phone, laptop = Client(), Client()
    sign_in(phone, "limei")
    sign_in(laptop, "limei")
    response = laptop.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "New-Garden-2025", "password2": "New-Garden-2025"},
    )
    assert response.status_code == 302
    assert laptop.get("/me/").status_code == 200
    assert phone.get("/me/").status_code == 302
    assert Session.objects.count() >= 1


# --- Security log ---------------------------------------------------------------------------


def security_lines(caplog):
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "portal.security"
    ]


def test_sign_in_failures_and_lockouts_are_logged_without_secrets(client, limei, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    for _ in range(6):
        sign_in(client, "+86 138 1234 5678", "wrong-password-123", HTTP_X_REQUEST_ID="req-abcdef12")
    lines = security_lines(caplog)
    events = [line["event"] for line in lines]
    assert events.count("signin.failure") == 5
    assert events.count("signin.locked") == 1
    for line in lines:
        assert {"time", "actor", "client", "request_id"} <= line.keys()
        assert line["time"].endswith("Z")
        assert line["request_id"] == "req-abcdef12"
        assert line["login"] == "138****5678"
    text = caplog.text
    assert "13812345678" not in text and "1234 5678" not in text
    assert "wrong-password-123" not in text


def test_sign_in_success_and_mfa_events_are_logged(client, huyun_totp, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    sign_in(client, "huyun")
    client.post("/accounts/2fa/authenticate/", {"code": "12345x"})
    code = totp_now()
    client.post("/accounts/2fa/authenticate/", {"code": code})
    events = [line["event"] for line in security_lines(caplog)]
    assert "mfa.failure" in events
    assert "mfa.success" in events
    assert "signin.success" in events
    success = next(line for line in security_lines(caplog) if line["event"] == "signin.success")
    assert success["actor"].endswith(":huyun")
    assert code not in caplog.text


def test_permission_refusals_are_logged(login, resident, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    assert login(resident).get("/staff/households/").status_code == 403
    [line] = [x for x in security_lines(caplog) if x["event"] == "permission.refused"]
    assert line["path"] == "/staff/households/"
    assert line["actor"].endswith(":resident")


def test_every_response_carries_a_request_id(client):
    response = client.get("/accounts/login/")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="from-nginx-0123")
    assert response["X-Request-ID"] == "from-nginx-0123"
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline"


def test_nothing_logs_a_verification_code_or_a_full_number(client, caplog):
    from portal.signin.sms import outbox

    caplog.set_level(logging.DEBUG)
    outbox.clear()
    client.post(
        "/accounts/signup/",
        {
            "first_name": "沈红",
            "phone": "13812345678",
            "email": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "privacy_consent": "on",
        },
    )
    [sms] = outbox.for_channel("sms")
    code = re.search(r"\d{6}", sms.text).group(0)
    assert code not in caplog.text
    assert "13812345678" not in caplog.text
    assert User.objects.get().phone == "13812345678"
