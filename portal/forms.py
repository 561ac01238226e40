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
    """Residents sign up with a mainland mobile number, an email, or both."""

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
