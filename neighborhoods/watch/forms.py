from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import WatchAlert, WatchCheck


class WatchMarkForm(forms.Form):
    """One tap on the board: which check, seen or not seen."""

    kind = forms.ChoiceField(choices=WatchCheck.Kind.choices)
    status = forms.ChoiceField(
        choices=[(WatchCheck.Status.SEEN, _("Seen")), (WatchCheck.Status.NOT_SEEN, _("Not seen"))]
    )


class WatchEnrolForm(forms.Form):
    contact_name = forms.CharField(label=_("Emergency contact"), max_length=50)
    contact_phone = forms.CharField(
        label=_("Emergency contact phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    def clean_contact_phone(self):
        phone = "".join(
            ch for ch in self.cleaned_data["contact_phone"] if ch.isdigit() or ch == "-"
        )
        if sum(ch.isdigit() for ch in phone) < 7:
            raise forms.ValidationError(
                _("Enter a phone number someone answers, such as 13812345678."),
                code="invalid_phone",
            )
        return phone


class AlertCloseForm(forms.Form):
    steps = forms.CharField(
        label=_("Steps taken"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Who you phoned or visited, when, and what you found."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=WatchAlert.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_steps(self):
        steps = self.cleaned_data["steps"].strip()
        if not steps:
            raise forms.ValidationError(_("Record what you did."), code="required")
        return steps
