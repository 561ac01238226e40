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


def test_an_email_added_later_is_unverified_and_gets_only_its_link(login, mailoutbox):
    person = f.UserFactory(username="limei", phone="13812345678", phone_verified=True)
    client = login(person)
    response = client.post(
        "/accounts/email/", {"action_add": "", "email": "li.mei@example.org"}, **EN
    )
    assert response.status_code == 302
    address = EmailAddress.objects.get(user=person)
    assert (address.email, address.verified) == ("li.mei@example.org", False)
    [message] = mailoutbox
    assert "/accounts/confirm-email/" in message.body


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


def test_sign_up_with_a_taken_email_and_a_new_phone_answers_as_for_new_ones():
    """No account for it (the address is someone's), but the page does not say so."""
    owner = verified_owner()
    taken = answer(signup(Client(), phone="13912345678", email="shen.hong@example.org"))
    assert list(User.objects.all()) == [owner]
    new = answer(signup(Client(), phone="13712345678", email="new.person@example.org"))
    assert new == taken
    assert User.objects.count() == 2


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
