"""Issue 16, finding 7: "sign-up reveals whether a phone or email is taken and lets anyone
attach someone else's email". An email address is the person's only once the link sent to
it is followed (portal/signin/stages.py, portal/signin/services.py): until then it cannot
sign in, be sent a password reset, or receive anything but that link; and sign-up answers
the same whether a number or an address already has an account."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.test import Client

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
            "first_name": "沈红",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "privacy_consent": "on",
            **data,
        },
        **EN,
    )


def sign_in(client, login, password=PASSWORD):
    return client.post("/accounts/login/", {"login": login, "password": password}, **EN)


def signed_in(client):
    return "_auth_user_id" in client.session


def confirm_link(message):
    return re.search(r"(/accounts/confirm-email/[^/\s]+/)", message.body).group(1)


@pytest.fixture(autouse=True)
def _empty_outbox():
    outbox.clear()
    yield
    outbox.clear()


def answer(response):
    """What the person sees after signing up: where they are sent and the page's message,
    with the number or address they typed taken out."""
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    typed = response.wsgi_request.POST
    for value in (typed.get("email"), typed.get("phone")):
        if value:
            messages = [m.replace(value.replace(" ", ""), "…") for m in messages]
    return response.status_code, response["Location"], messages


def verified_owner(email="shen.hong@example.org", **fields):
    user = f.UserFactory(username="owner", email=email, email_verified=True, password=PASSWORD)
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    return user


# --- An email sign-up means nothing until its link is followed ---------------------------


def test_an_email_sign_up_is_signed_in_only_after_following_the_link(client, mailoutbox):
    response = signup(client, phone="", email="shen.hong@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not signed_in(client)
    user = User.objects.get()
    assert not EmailAddress.objects.get(user=user).verified
    [message] = mailoutbox
    assert message.to == ["shen.hong@example.org"]
    sign_in(client, "shen.hong@example.org")
    assert not signed_in(client)  # the address is not proved yet
    assert client.post(confirm_link(message)).status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    sign_in(client, "shen.hong@example.org")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_an_unverified_email_cannot_be_used_to_sign_in(client, mailoutbox):
    """Someone put 沈红's address on their own account: signing in with it and their own
    password lets no one in, and 沈红's inbox gets only the verification link."""
    f.UserFactory(
        username="squatter",
        phone="13812345678",
        phone_verified=True,
        email="shen.hong@example.org",
        password=PASSWORD,
    )
    response = sign_in(client, "shen.hong@example.org")
    assert not signed_in(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert [m.to for m in mailoutbox] == [["shen.hong@example.org"]]
    assert "/accounts/confirm-email/" in mailoutbox[0].body
    sign_in(client, "13812345678")  # the account's own, proved number still works
    assert signed_in(client)


def test_a_password_reset_link_goes_only_to_a_verified_address(client, mailoutbox):
    f.UserFactory(username="squatter", email="shen.hong@example.org", password=PASSWORD)
    response = client.post("/accounts/password/reset/", {"email": "shen.hong@example.org"}, **EN)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    [message] = mailoutbox
    assert "/accounts/password/reset/key/" not in message.body  # the "no account" mail
    mailoutbox.clear()
    verified_owner(email="real@example.org")
    response = client.post("/accounts/password/reset/", {"email": "real@example.org"}, **EN)
    assert response["Location"] == "/accounts/password/reset/done/"
    [message] = mailoutbox
    assert "/accounts/password/reset/key/" in message.body


def test_the_owner_of_an_address_held_unverified_can_sign_up_with_it_and_keeps_it(
    client, mailoutbox
):
    squatter = f.UserFactory(username="squatter", email="shen.hong@example.org")
    EmailAddress.objects.create(user=squatter, email=squatter.email, primary=True)
    response = signup(client, phone="", email="shen.hong@example.org")
    assert response["Location"] == "/accounts/confirm-email/"
    shen = User.objects.exclude(pk=squatter.pk).get()
    client.post(confirm_link(mailoutbox[-1]))
    assert EmailAddress.objects.get(email="shen.hong@example.org").user == shen
    assert EmailAddress.objects.get(email="shen.hong@example.org").verified
    squatter.refresh_from_db()
    assert squatter.email == ""


def test_an_email_added_later_is_unverified_until_its_link_and_then_taken_from_a_squatter(
    login, mailoutbox
):
    squatter = f.UserFactory(username="squatter", email="li.mei@example.org")
    EmailAddress.objects.create(user=squatter, email=squatter.email, primary=True)
    person = f.UserFactory(username="limei", phone="13812345678", phone_verified=True)
    client = login(person)
    response = client.post(
        "/accounts/email/", {"action_add": "", "email": "li.mei@example.org"}, **EN
    )
    assert response.status_code == 302
    address = EmailAddress.objects.get(user=person)
    assert (address.email, address.verified) == ("li.mei@example.org", False)
    [message] = mailoutbox  # the link, and nothing else
    client.post(confirm_link(message))
    address.refresh_from_db()
    assert address.verified
    assert not EmailAddress.objects.filter(user=squatter).exists()
    squatter.refresh_from_db()
    assert squatter.email == ""


# --- Sign-up does not tell whether a number or an address is taken -----------------------


def test_sign_up_answers_the_same_for_a_taken_and_a_new_email(mailoutbox):
    owner = verified_owner()
    taken = answer(signup(Client(), phone="", email="shen.hong@example.org"))
    assert list(User.objects.all()) == [owner]  # no second account
    [told] = mailoutbox
    assert told.to == ["shen.hong@example.org"]
    assert "/accounts/confirm-email/" not in told.body  # "you already have an account"
    new = answer(signup(Client(), phone="", email="new.person@example.org"))
    assert new == taken
    assert taken == (302, "/accounts/confirm-email/", ["Confirmation email sent to …."])


def test_sign_up_answers_the_same_for_a_taken_and_a_new_phone():
    owner = f.UserFactory(username="owner", phone="13812345678", phone_verified=True)
    taken = answer(signup(Client(), phone="138 1234 5678", email=""))
    assert list(User.objects.all()) == [owner]
    [sms] = outbox.for_channel("sms")
    assert sms.to == "13812345678" and not re.search(r"\d{6}", sms.text)  # no code
    new = answer(signup(Client(), phone="13912345678", email=""))
    assert new == taken
    assert taken == (302, "/accounts/phone/verify/", ["A verification code has been sent to …."])


def test_sign_up_with_a_taken_email_and_a_new_phone_makes_the_account_without_the_email(
    mailoutbox,
):
    """The code sent to the number is the proof: the account is made with it, the address
    (someone else's, verified) is left off and its owner told; the page is a new one's."""
    owner = verified_owner()
    client = Client()
    taken = answer(signup(client, phone="13912345678", email="shen.hong@example.org"))
    new = answer(signup(Client(), phone="13712345678", email="new.person@example.org"))
    assert (
        new
        == taken
        == (302, "/accounts/phone/verify/", ["A verification code has been sent to …."])
    )
    person = User.objects.get(phone="13912345678")
    assert person.email == "" and not EmailAddress.objects.filter(user=person).exists()
    assert owner.emailaddress_set.get().verified  # still the owner's
    code = re.search(r"\b(\d{6})\b", outbox.for_channel("sms")[0].text).group(1)
    client.post("/accounts/phone/verify/", {"code": code}, **EN)
    assert signed_in(client)
    told = [m for m in mailoutbox if m.to == ["shen.hong@example.org"]]
    assert len(told) == 1 and "/accounts/confirm-email/" not in told[0].body


# --- Changing the number later ----------------------------------------------------------


def change_phone(client, phone):
    return client.post("/accounts/phone/change/", {"phone": phone}, **EN)


@pytest.fixture
def limei_client(client):
    f.UserFactory(username="limei", phone="13712345678", phone_verified=True, password=PASSWORD)
    sign_in(client, "limei")
    assert signed_in(client)
    return client


def test_changing_to_a_number_held_unverified_sends_its_owner_the_code(limei_client):
    squatter = f.UserFactory(username="squatter", phone="13812345678")
    response = change_phone(limei_client, "138 1234 5678")
    assert response.status_code == 302 and response["Location"] == "/accounts/phone/verify/"
    [sms] = outbox.for_channel("sms")
    code = re.search(r"\b(\d{6})\b", sms.text).group(1)
    limei_client.post("/accounts/phone/verify/", {"code": code}, **EN)
    limei, squatter = User.objects.get(username="limei"), User.objects.get(pk=squatter.pk)
    assert (limei.phone, limei.phone_verified) == ("13812345678", True)
    assert squatter.phone is None and squatter.phone_lost


def test_changing_to_a_number_another_account_verified_never_takes_it(limei_client):
    """allauth sends the code to the number (only its owner reads it); even typed, the code
    is refused: a verified number stays its owner's."""
    owner = f.UserFactory(username="owner", phone="13812345678", phone_verified=True)
    response = change_phone(limei_client, "13812345678")
    assert response.status_code == 302 and response["Location"] == "/accounts/phone/verify/"
    [sms] = outbox.for_channel("sms")
    assert sms.to == "13812345678"
    code = re.search(r"\b(\d{6})\b", sms.text).group(1)
    response = limei_client.post("/accounts/phone/verify/", {"code": code}, **EN)
    assert response.status_code == 200  # the form again, with its error; never a 500
    assert User.objects.get(username="limei").phone == "13712345678"
    owner.refresh_from_db()
    assert (owner.phone, owner.phone_verified) == ("13812345678", True)


def test_no_already_registered_text_goes_to_an_unverified_number(rf):
    """Apart from its code, an unverified number is sent nothing."""
    from portal.adapters import AccountAdapter

    f.UserFactory(username="squatter", phone="13812345678")
    AccountAdapter(rf.get("/")).send_account_already_exists_sms("13812345678")
    AccountAdapter(rf.get("/")).send_account_already_exists_sms("13912345678")  # nobody's
    assert outbox.for_channel("sms") == []
    f.UserFactory(username="owner", phone="13912345678", phone_verified=True)
    AccountAdapter(rf.get("/")).send_account_already_exists_sms("13912345678")
    assert [item.to for item in outbox.for_channel("sms")] == ["13912345678"]


def test_a_phone_and_email_sign_up_is_signed_in_by_the_code_and_the_email_stays_unproved(
    client, mailoutbox
):
    response = signup(client, phone="13812345678", email="shen.hong@example.org")
    assert response["Location"] == "/accounts/phone/verify/"
    code = re.search(r"\b(\d{6})\b", outbox.for_channel("sms")[-1].text).group(1)
    client.post("/accounts/phone/verify/", {"code": code}, **EN)
    assert signed_in(client)
    user = User.objects.get()
    assert user.phone_verified
    assert not EmailAddress.objects.get(user=user).verified
    assert [m.to for m in mailoutbox] == [["shen.hong@example.org"]]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_an_account_losing_a_number_is_not_told_at_an_unproved_address(mailoutbox):
    """The "your number was removed" email goes only to an address the account proved."""
    from portal.signin.services import phone_verified_by_owner

    squatter = f.UserFactory(username="squatter", phone="13812345678", email="sq@example.org")
    phone_verified_by_owner(f.UserFactory(username="owner"), "13812345678")
    squatter.refresh_from_db()
    assert squatter.phone is None and squatter.phone_lost
    assert mailoutbox == []
