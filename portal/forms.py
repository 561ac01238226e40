from allauth.account.forms import BaseConfirmCodeForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    """The sign-in field says what to type in it (allauth labels it "登录", i.e. "sign in")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username, mobile number or email")


class SignupForm(AllauthSignupForm):
    """Residents sign up with a mainland mobile number, an email, or both, and say what to
    call them (称呼; allauth saves `first_name` on the account).

    The privacy notice is shown above the form (account/signup.html) and agreeing to it is a
    box of its own, never ticked in advance (PIPL: separate consent).
    """

    first_name = forms.CharField(
        label=_("What should we call you? (称呼)"),
        max_length=150,
        help_text=_("Your name or how neighbours know you, e.g. 李梅 or 王阿姨."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice above and agree to it."),
        required=True,
        error_messages={"required": _("Please read the privacy notice and tick the box to agree.")},
    )

    field_order = ["first_name", "phone", "email", "password1", "password2", "privacy_consent"]

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

    def _clean_phone(self):
        """A number held by an account that never verified it is not "taken": the new
        account claims it and gets it once it types the code (portal/signin/services.py).
        A verified number is taken; with enumeration prevention the page answers as for a
        new number and its owner is told by SMS."""
        from allauth.account.adapter import get_adapter

        phone = self.cleaned_data.get("phone")
        if phone:
            holder = get_adapter().get_user_by_phone(phone)
            if holder is not None and holder.phone_verified:
                self.account_already_exists = True

    def validate_unique_email(self, value):
        """An address some account holds unverified is not "taken" (it is nobody's yet): the
        new account may claim it too, and whoever follows the link first keeps it
        (portal.signin.services.email_verified_by_owner). A verified address is taken, and
        the page answers as for a new one while its owner is emailed (enumeration
        prevention; allauth alone would say "already registered" here)."""
        from allauth.account.adapter import get_adapter

        from .signin.services import email_taken

        if email_taken(value):
            if self.cleaned_data.get("phone"):
                # The code sent to the number is the proof here: the account is made with
                # the number and without the address, whose owner is emailed (try_save).
                # Refusing it would leave this person waiting for a code that never comes.
                self.taken_email = value
                return ""
            self.account_already_exists = True
        return get_adapter().validate_unique_email(value)

    def try_save(self, request):
        user, response = super().try_save(request)
        if getattr(self, "taken_email", None):
            from allauth.account.adapter import get_adapter

            get_adapter().send_account_already_exists_mail(self.taken_email)
        return user, response

    def clean(self):
        cleaned_data = super().clean()
        given = cleaned_data.get("phone") or cleaned_data.get("email")
        if not given and not self.has_error("phone") and not self.has_error("email"):
            raise forms.ValidationError(
                _("Enter a mobile number or an email address."), code="phone_or_email"
            )
        return cleaned_data


class ResetPasswordForm(AllauthResetPasswordForm):
    """Answers the same for a known and an unknown address: the page must not tell
    who has an account. An unknown or unverified address is sent a short "no account here"
    email instead of a reset link."""

    def clean_email(self):
        try:
            email = super().clean_email()
        except forms.ValidationError as error:
            if error.code != "unknown_email":
                raise
            self.users = []
            return self.cleaned_data["email"]
        # A reset link goes only to an address its account has verified; for any other the
        # "no account here" mail is sent, as for an unknown address.
        from allauth.account.models import EmailAddress

        verified = EmailAddress.objects.filter(email__iexact=email, verified=True)
        self.users = [user for user in self.users if verified.filter(user_id=user.pk).exists()]
        return email


class NameForm(forms.Form):
    """What the portal calls the person (称呼), changed on /me/."""

    first_name = forms.CharField(label=_("What should we call you? (称呼)"), max_length=150)

    def clean_first_name(self):
        name = " ".join(self.cleaned_data["first_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter a name."), code="required")
        return name


class VerifyPhoneForm(BaseConfirmCodeForm):
    """allauth's code form, except that a number held by an account that never verified it
    does not stop its owner: the right code proves the number is theirs, and
    portal.signin.services.phone_verified_by_owner moves it over. A number verified by
    another account is still refused."""

    def __init__(self, *args, **kwargs):
        self.user = kwargs.pop("user", None)
        self.phone = kwargs.pop("phone", None)
        super().__init__(*args, **kwargs)

    def clean_code(self):
        from allauth.account.adapter import get_adapter

        code = super().clean_code()
        if code:
            holder = get_adapter().get_user_by_phone(self.phone)
            taken = holder is not None and (self.user is None or holder.pk != self.user.pk)
            if taken and holder.phone_verified:
                raise get_adapter().validation_error("phone_taken")
        return code
