import logging
import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import security_log
from .models import User
from .phones import mainland_mobile_validator, normalise_mobile

logger = logging.getLogger(__name__)


class MainlandMobileField(forms.CharField):
    """Accepts 13812345678, 138 1234 5678, 138-1234-5678 or +86 138…; keeps the 11 digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "tel",
                    "autocomplete": "tel",
                    "inputmode": "numeric",
                    "placeholder": "13812345678",
                }
            ),
        )
        super().__init__(**kwargs)
        self.validators.append(mainland_mobile_validator)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_mobile(value) or value.replace(" ", "").replace("-", "")


def typed_login(credentials):
    """What the person typed to sign in (allauth passes it under phone, email or username)."""
    for method in ("phone", "email", "username"):
        if credentials.get(method):
            return str(credentials[method]).strip()
    return ""


def resolve_account(login):
    """The account a sign-in attempt is about, whichever of its names was typed, or None.

    A username, an email address (the user's own or an allauth address) and any spelling of
    the mobile number (+86, spaces, dashes) of one account all resolve to it.
    """
    if not login:
        return None
    phone = normalise_mobile(login)
    query = Q(username__iexact=login)
    if phone:
        query |= Q(phone=phone)
    if "@" in login:
        query |= Q(email__iexact=login)
        query |= Q(pk__in=EmailAddress.objects.filter(email__iexact=login).values("user_id"))
    return User.objects.filter(query).order_by("pk").first()


def throttle_key(login):
    """The bucket of the per-account sign-in limit: the account when the login names one,
    else the normalised phone number or the lower-cased email/username that was typed."""
    account = resolve_account(login)
    if account is not None:
        return f"account:{account.pk}"
    phone = normalise_mobile(login)
    if phone:
        return f"phone:{phone}"
    return f"login:{login.lower()}"


class AccountAdapter(DefaultAccountAdapter):
    """Phone numbers live on User.phone as 11 mainland digits."""

    def phone_form_field(self, **kwargs):
        # Only mobiles are accepted, so the field says so (allauth labels it "Phone").
        kwargs.pop("label", None)
        return MainlandMobileField(**kwargs)

    def set_phone(self, user, phone, verified):
        from .signin.services import set_phone

        set_phone(user, phone, verified)

    def get_phone(self, user):
        from .signin.services import get_phone

        return get_phone(user)

    def set_phone_verified(self, user, phone):
        from .signin.services import phone_verified_by_owner

        phone_verified_by_owner(user, phone)

    # --- Email: nobody's until verified (portal/signin/stages.py) -----------------------

    def get_login_stages(self):
        stages = super().get_login_stages()
        allauths = "allauth.account.stages.EmailVerificationStage"
        return [
            ("portal.signin.stages.EmailVerificationStage" if s == allauths else s) for s in stages
        ]

    def confirm_email(self, request, email_address):
        from .signin.services import email_verified_by_owner

        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            email_verified_by_owner(email_address)
        return confirmed

    def get_user_by_phone(self, phone):
        # The sign-in form passes what was typed ("138 1234 5678"), not the cleaned value.
        return User.objects.filter(phone=MainlandMobileField().to_python(phone)).first()

    def generate_phone_verification_code(self, *, user, phone):
        # Six digits: what people expect from an SMS code, and what phones offer to fill in.
        return "".join(secrets.choice("0123456789") for _ in range(6))

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        from .signin.sms import send_sms

        # The code goes to the phone only: never to the log, never stored as a message.
        send_sms(
            to=phone,
            text=_(
                "睦邻社区云 verification code: %(code)s. It is valid for a few minutes; "
                "do not tell it to anyone."
            )
            % {"code": code},
        )
        security_log.event("phone.code_sent", self.request, user=user, phone=phone)

    def send_account_already_exists_sms(self, phone, **kwargs):
        from .signin.sms import send_sms

        # Only to a number an account has proved: apart from its code, an unverified number
        # is sent nothing (it may be anyone's).
        holder = self.get_user_by_phone(phone)
        if holder is None or not holder.phone_verified:
            return

        send_sms(
            to=phone,
            text=str(
                _(
                    "睦邻社区云: someone tried to sign up with this number, which already has "
                    "an account. If it was you, sign in instead or reset your password."
                )
            ),
        )

    def send_unknown_account_sms(self, phone, **kwargs):
        from .signin.sms import send_sms

        send_sms(
            to=phone,
            text=_(
                "睦邻社区云: there is no account with this number. You can sign up on the site."
            ),
        )

    # --- Sign-in throttle: one bucket per person, not per spelling ---------------------

    def _get_login_attempts_cache_key(self, request, **credentials):
        return throttle_key(typed_login(credentials))

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:
            security_log.event(
                "signin.locked", request, login=typed_login(credentials), outcome="refused"
            )
            raise

    def authentication_failed(self, request, **credentials):
        security_log.event("signin.failure", request, login=typed_login(credentials))
