from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(AllauthSignupForm):
    """Residents sign up with a mainland mobile number, an email, or both, and say what to
    call them (称呼; allauth saves `first_name` on the account)."""

    first_name = forms.CharField(
        label=_("What should we call you? (称呼)"),
        max_length=150,
        help_text=_("Your name or how neighbours know you, e.g. 李梅 or 王阿姨."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["first_name", "phone", "email", "password1", "password2"]

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

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
    who has an account. (allauth does this only with enumeration prevention on, which
    this site turns off for sign-up while there is no SMS gateway.) An unknown address
    is sent a short "no account here" email instead of a reset link."""

    def clean_email(self):
        try:
            return super().clean_email()
        except forms.ValidationError as error:
            if error.code != "unknown_email":
                raise
            self.users = []
            return self.cleaned_data["email"]


class NameForm(forms.Form):
    """What the portal calls the person (称呼), changed on /me/."""

    first_name = forms.CharField(label=_("What should we call you? (称呼)"), max_length=150)

    def clean_first_name(self):
        name = " ".join(self.cleaned_data["first_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter a name."), code="required")
        return name
