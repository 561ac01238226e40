from django import forms
from django.utils.translation import gettext_lazy as _


class AccountCloseForm(forms.Form):
    """注销: the password, so that a phone left signed in cannot close someone's account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    understood = forms.BooleanField(
        label=_("I understand that my account and the data listed above are removed for good."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("That is not your password. Nothing was changed."), code="wrong_password"
            )
        return password
