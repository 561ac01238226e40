from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from neighborhoods.models import LinkRequest, Neighbourhood


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


class LinkRequestForm(forms.ModelForm):
    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.with_places(),
        label=_("Neighbourhood"),
        empty_label=_("Choose your neighbourhood"),
    )

    class Meta:
        model = LinkRequest
        fields = ["neighbourhood", "building", "room", "name"]
        widgets = {
            "building": forms.TextInput(attrs={"placeholder": "12号"}),
            "room": forms.TextInput(attrs={"placeholder": "302", "inputmode": "numeric"}),
        }
