import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models.hours import MAX_HOURS


def _hours_field(label, required=True):
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0.25"),
        max_value=MAX_HOURS,
        decimal_places=2,
        max_digits=4,
        required=required,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
    )


class RecordForm(forms.Form):
    """Service outside a shift, recorded by the volunteer for staff to verify."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = _hours_field(_("Hours"))
    description = forms.CharField(
        label=_("What did you do?"),
        max_length=200,
        help_text=_("For example: helped at the centre's library, 9:00–11:00."),
    )

    def clean_date(self):
        date = self.cleaned_data["date"]
        today = timezone.localdate()
        if date > today:
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        if date < today - datetime.timedelta(days=366):
            raise forms.ValidationError(
                _("Service more than a year ago cannot be recorded here."), code="too_old"
            )
        return date


class RecordDecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("verify", _("Verify")), ("adjust", _("Adjust hours")), ("reject", _("Reject"))]
    )
    hours = _hours_field(_("Hours"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "adjust" and data.get("hours") is None and "hours" not in self.errors:
            self.add_error("hours", _("Enter the hours to verify."))
        if action in ("adjust", "reject") and not data.get("reason", "").strip():
            self.add_error("reason", _("Please give the reason; the volunteer is told."))
        return data
