import logging

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .phones import mainland_mobile_validator

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
        value = value.replace(" ", "").replace("-", "")
        for prefix in ("+86", "0086"):
            if value.startswith(prefix):
                value = value[len(prefix) :]
        return value


class AccountAdapter(DefaultAccountAdapter):
    """Phone numbers live on User.phone as 11 mainland digits."""

    def phone_form_field(self, **kwargs):
        # Only mobiles are accepted, so the field says so (allauth labels it "Phone").
        kwargs.pop("label", None)
        return MainlandMobileField(**kwargs)

    def set_phone(self, user, phone, verified):
        user.phone, user.phone_verified = phone, verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        return (user.phone, user.phone_verified) if user.phone else None

    def set_phone_verified(self, user, phone):
        user.phone_verified = True
        user.save(update_fields=["phone_verified"])

    def get_user_by_phone(self, phone):
        # The sign-in form passes what was typed ("138 1234 5678"), not the cleaned value.
        return User.objects.filter(phone=MainlandMobileField().to_python(phone)).first()

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        # Straight through the SMS gateway (SMS_BACKEND): a one-time code is never stored
        # as a message. The development outbox backend writes it to the log.
        self._sms(phone, _("Your 睦邻社区云 verification code is %(code)s.") % {"code": code})

    def send_account_already_exists_sms(self, phone, **kwargs):
        self._sms(
            phone,
            _(
                "Someone tried to sign up with this number, which already has a 睦邻社区云 "
                "account. You can sign in or reset your password."
            ),
        )

    def send_unknown_account_sms(self, phone, **kwargs):
        self._sms(
            phone,
            _("There is no 睦邻社区云 account with this number. You can sign up on the site."),
        )

    def _sms(self, phone, text):
        from .messaging.gateways import GatewayError, sms_gateway

        try:
            sms_gateway().send(to=phone, text=str(text))
        except GatewayError:
            logger.exception("SMS to %s not sent", phone)
