"""Forms of rehab-aid rental: asking for an item, the staff's steps, and stock."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import AidItem, AidPoint, AidUnit, Loan

LONGEST_LOAN_DAYS = 366


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LoanRequestForm(forms.Form):
    """What a resident (or staff for them) fills in: where, on what basis, a note."""

    point = forms.ModelChoiceField(
        queryset=AidPoint.objects.none(), label=_("Collect at"), empty_label=None
    )
    basis = forms.ChoiceField(label=_("I may borrow it as"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Anything staff should know (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, item, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points
        self.fields["basis"].choices = [(b.value, b.label) for b in item.bases()]


class BehalfSearchForm(forms.Form):
    q = forms.CharField(label=_("Resident's name"), max_length=50, required=False)


class BehalfLoanForm(LoanRequestForm):
    """Staff ask for a resident of their register (代办), optionally answering a need."""

    item = forms.ModelChoiceField(
        queryset=AidItem.objects.filter(active=True), label=_("Item"), empty_label=None
    )
    resident = forms.IntegerField(widget=forms.HiddenInput)
    need = forms.IntegerField(widget=forms.HiddenInput, required=False)
    field_order = ["item", "point", "basis", "note"]

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, item=AidItem(), points=points, **kwargs)
        self.fields["basis"].choices = Loan.Basis.choices


class ApproveForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("I have seen the card or the doctor's note"), required=False
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the person is told)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LendForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=AidUnit.objects.none(),
        label=_("Unit"),
        required=False,
        empty_label=_("Any free unit"),
    )
    due_date = forms.DateField(
        label=_("Due back"), widget=DateInput(), input_formats=["%Y-%m-%d"], required=False
    )

    def __init__(self, *args, loan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = AidUnit.objects.filter(
            item_id=loan.item_id, point_id=loan.point_id
        ).available()
        self.fields["due_date"].help_text = _("Empty: in %(days)d days.") % {
            "days": loan.item.loan_days
        }

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        today = timezone.localdate()
        if due and due <= today:
            raise forms.ValidationError(_("The due date must be after today."), code="past")
        if due and due > today + datetime.timedelta(days=LONGEST_LOAN_DAYS):
            raise forms.ValidationError(_("A loan lasts at most a year."), code="too_long")
        return due


class ReturnForm(forms.Form):
    condition = forms.ChoiceField(
        label=_("Condition on return"),
        choices=AidUnit.Condition.choices,
        initial=AidUnit.Condition.GOOD,
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)


class LoanFilterForm(forms.Form):
    STATES = [
        ("open", _("Open")),
        ("requested", _("New requests")),
        ("waiting", _("Waiting list")),
        ("approved", _("Ready to collect")),
        ("lent", _("Lent out")),
        ("week", _("Due this week")),
        ("overdue", _("Overdue")),
        ("closed", _("Returned, cancelled or not approved")),
    ]
    state = forms.ChoiceField(choices=STATES, required=False, label=_("Show"))

    def filter(self, loans, today):
        state = self.cleaned_data.get("state") or "open"
        if state == "open":
            return loans.open()
        if state == "week":
            return loans.out().filter(due_date__lte=today + datetime.timedelta(days=7))
        if state == "overdue":
            return loans.overdue(today)
        if state == "closed":
            return loans.exclude(status__in=Loan.OPEN_STATUSES)
        return loans.filter(status=state)


class UnitForm(forms.ModelForm):
    class Meta:
        model = AidUnit
        fields = ["item", "code", "condition", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = AidItem.objects.filter(active=True)

    def validate_unique(self):
        pass  # the service answers a taken code (under a lock), keeping what was typed


class UnitUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (AidUnit.Status.AVAILABLE, AidUnit.Status.AVAILABLE.label),
            (AidUnit.Status.REPAIR, AidUnit.Status.REPAIR.label),
            (AidUnit.Status.RETIRED, AidUnit.Status.RETIRED.label),
        ],
    )
    condition = forms.ChoiceField(label=_("Condition"), choices=AidUnit.Condition.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
