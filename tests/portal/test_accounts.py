"""Accounts with django-allauth: sign-up by mobile number or email, sign-in three ways."""

import re

import pytest

from portal.models import User
from portal.signin.sms import outbox
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "Quiet-Garden-2024"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def signup(client, **data):
    return client.post(
        "/accounts/signup/",
        {
            "first_name": "李梅",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "privacy_consent": "on",
            **data,
        },
        **EN,
    )


def sent_code(to="13812345678"):
    """The six digits of the last verification code sent to `to` (the gateway's outbox)."""
    texts = [item.text for item in outbox.for_channel("sms") if item.to == to]
    assert texts, f"no SMS to {to}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


@pytest.fixture(autouse=True)
def _empty_outbox():
    outbox.clear()
    yield
    outbox.clear()


@pytest.mark.parametrize(
    "typed", ["13812345678", "138 1234 5678", "+86 13812345678", "138-1234-5678"]
)
def test_it_signs_up_with_a_mainland_mobile_number_proved_by_a_code(client, typed):
    response = signup(client, phone=typed, email="")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/phone/verify/"
    user = User.objects.get()
    assert user.phone == "13812345678"
    assert user.first_name == "李梅" and str(user) == "李梅"
    assert not user.phone_verified
    assert "_auth_user_id" not in client.session  # not signed in before the code
    response = client.post("/accounts/phone/verify/", {"code": sent_code()}, **EN)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified
    assert client.get("/me/").context["user"] == user


def test_it_refuses_a_wrong_code_and_signs_no_one_in(client):
    signup(client, phone="13812345678", email="")
    code = sent_code()
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/accounts/phone/verify/", {"code": wrong}, **EN)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert not User.objects.get().phone_verified


def test_it_refuses_a_sign_up_without_the_privacy_consent(client):
    response = client.post(
        "/accounts/signup/",
        {"phone": "", "email": "li.mei@example.org", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "个人信息保护告知" in html
    assert 'name="privacy_consent"' in html
    assert 'value="li.mei@example.org"' in html
    assert not User.objects.exists()


def test_it_signs_up_with_an_email(client):
    response = signup(client, phone="", email="li.mei@example.org")
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "li.mei@example.org"
    assert user.phone is None


def test_it_refuses_a_sign_up_with_neither_phone_nor_email_and_keeps_the_typed_values(client):
    response = client.post(
        "/accounts/signup/",
        {"phone": "", "email": "", "password1": PASSWORD, "password2": "typed-by-hand"},
        **EN,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a mobile number or an email address." in html
    assert 'class="site-header"' in html
    assert not User.objects.exists()


def test_it_keeps_the_typed_email_when_the_passwords_differ(client):
    response = client.post(
        "/accounts/signup/",
        {"phone": "", "email": "li.mei@example.org", "password1": PASSWORD, "password2": "x"},
        **EN,
    )
    assert response.status_code == 200
    assert 'value="li.mei@example.org"' in response.content.decode()
    assert not User.objects.exists()


def test_it_refuses_an_invalid_number_with_a_chinese_error(client):
    response = client.post(
        "/accounts/signup/",
        {
            "first_name": "李梅",
            "phone": "12345",
            "email": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "请输入11位中国大陆手机号码" in html
    assert 'value="12345"' in html
    assert not User.objects.exists()


def test_it_makes_no_second_account_for_a_verified_number_and_does_not_say_so(client):
    """Enumeration prevention: a verified number's sign-up answers like a new one (the code
    page), creates nothing, and its owner is told by SMS; no code is sent."""
    old = f.UserFactory(username="old", phone="13812345678", phone_verified=True)
    response = signup(client, phone="138 1234 5678", email="")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/phone/verify/"
    assert list(User.objects.all()) == [old]
    [sms] = outbox.for_channel("sms")
    assert sms.to == "13812345678"
    assert not re.search(r"\d{6}", sms.text)


@pytest.fixture
def member(db):
    return f.UserFactory(
        username="limei",
        phone="13812345678",
        phone_verified=True,
        email="li.mei@example.org",
        email_verified=True,
        password=PASSWORD,
    )


@pytest.mark.parametrize("login", ["13812345678", "138 1234 5678", "li.mei@example.org", "limei"])
def test_it_signs_in_by_phone_email_or_username(client, member, login):
    response = client.post("/accounts/login/", {"login": login, "password": PASSWORD}, **EN)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert int(client.session["_auth_user_id"]) == member.pk


def test_it_signs_staff_in_by_username(client, places):
    f.UserFactory(username="huyun", password=PASSWORD)
    response = client.post("/accounts/login/", {"login": "huyun", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_it_refuses_a_wrong_password_in_the_page(client, member):
    response = client.post("/accounts/login/", {"login": "limei", "password": "nope"}, **EN)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert 'value="limei"' in html


def test_it_rate_limits_failed_sign_ins(client, member):
    """settings.ACCOUNT_RATE_LIMITS["login_failed"] allows 5 failures per login in 5 minutes."""
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": "limei", "password": "nope"}, **EN)
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.content.decode()
    response = client.post("/accounts/login/", {"login": "limei", "password": PASSWORD}, **EN)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_it_renders_the_allauth_pages_in_the_site_layout(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert 'class="site-footer"' in html
    assert "site.css" in html
    assert 'class="card"' in html


def test_it_renders_the_signed_in_account_pages_in_the_site_layout(login, member):
    client = login(member)
    for url in ["/accounts/password/change/", "/accounts/email/", "/accounts/logout/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'class="site-header"' in response.content.decode(), url


def test_it_sends_a_password_reset_email(client, member, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "li.mei@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["li.mei@example.org"]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    page = client.get(response["Location"])
    assert 'class="site-header"' in page.content.decode()


def test_it_labels_the_sign_up_field_as_a_mobile_number(client):
    page = client.get("/accounts/signup/").content.decode()
    assert "手机号码" in page
    assert "电话号码" not in page


def test_it_makes_the_single_action_of_an_account_page_the_primary_button(login, member):
    """allauth's untagged submit buttons (reset, sign out, add email) are the page's main action."""
    client = login(member)
    page = client.get("/accounts/logout/").content.decode()
    assert '<form method="post" novalidate' in page  # no empty card around a lone button
    assert 'class="button"' in page
    assert 'class="button secondary"' not in page


def test_it_answers_a_reset_for_an_unknown_email_as_for_a_known_one(client, member, mailoutbox):
    """No user enumeration: the page does not say whether an address has an account."""
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"}, **EN)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nobody@example.org"]
    assert "/accounts/password/reset/key/" not in mailoutbox[0].body


def test_it_signs_out_with_a_post(login, member):
    client = login(member)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_tells_phone_only_residents_how_to_get_a_new_password(client):
    page = client.get("/accounts/password/reset/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "只用手机号注册的？请联系居委会" in page.content.decode()


def test_it_asks_for_a_name_at_sign_up_and_keeps_what_was_typed(client):
    response = client.post(
        "/accounts/signup/",
        {"first_name": "  ", "phone": "13812345678", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "称呼" in html and 'value="13812345678"' in html
    assert not User.objects.exists()


def test_a_person_changes_their_name_on_me_and_staff_see_the_registers_name(
    client, resident, huyun, gjxc_household
):
    client.force_login(resident)
    response = client.post("/me/name/", {"first_name": "  梅梅  "})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.first_name == "梅梅" and str(resident) == "梅梅"
    response = client.post("/me/name/", {"first_name": " "})
    assert response.status_code == 400
    assert resident.register_name == "李梅"  # linked: the register's name, not 梅梅
    stranger = f.UserFactory(username="nobody", first_name="小王")
    assert stranger.register_name == "小王"


def test_a_number_verified_by_its_owner_takes_it_from_an_unverified_account(client, mailoutbox):
    """Someone signed up with 沈红's number and never typed its code. 沈红 signs up with her
    number, types the code sent to her phone: the number is hers, the other account loses it
    and is told (on /me/ and by email)."""
    squatter = f.UserFactory(
        username="squatter",
        phone="13812345678",
        phone_verified=False,
        email="sq@example.org",
        email_verified=True,  # told by email only at an address it has proved
    )
    response = signup(client, phone="138 1234 5678", email="")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/phone/verify/"
    shen = User.objects.exclude(pk=squatter.pk).get()
    assert shen.phone is None and shen.pending_phone == "13812345678"
    response = client.post("/accounts/phone/verify/", {"code": sent_code()}, **EN)
    assert response.status_code == 302
    shen.refresh_from_db()
    squatter.refresh_from_db()
    assert (shen.phone, shen.phone_verified, shen.pending_phone) == ("13812345678", True, None)
    assert (squatter.phone, squatter.phone_verified, squatter.phone_lost) == (None, False, True)
    assert [m.to for m in mailoutbox] == [["sq@example.org"]]
    assert "13812345678" not in mailoutbox[0].body
    page = f_login(squatter).get("/me/", **EN).content.decode()
    assert "its owner has verified it on their own account" in page


def test_an_abandoned_claim_leaves_the_unverified_holder_alone(client):
    squatter = f.UserFactory(username="squatter", phone="13812345678", phone_verified=False)
    signup(client, phone="13812345678", email="")
    squatter.refresh_from_db()
    assert squatter.phone == "13812345678"


def f_login(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
