"""Forms of the consent votes: open one (staff), vote (a resident), a paper form (staff)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notices.models import Guide

from ..models import Ballot, Building, Household
from ..register.forms import buildings_for

DATETIME_INPUTS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


class VoteOpenForm(forms.Form):
    building = forms.ModelChoiceField(
        queryset=Building.objects.none(),
        label=_("Building"),
        error_messages={"invalid_choice": _("Choose one of the buildings listed.")},
    )
    staircase = forms.CharField(
        label=_("Staircase unit (门洞)"),
        max_length=10,
        required=False,
        help_text=_("Leave empty for the whole building; e.g. 1 for 1单元."),
    )
    question = forms.CharField(
        label=_("Question"), max_length=200, help_text=_("e.g. 是否同意本门栋加装电梯？")
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The plan, the costs and how they are shared, where to see the drawings."),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        input_formats=DATETIME_INPUTS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("e.g. 2026-12-31 18:00"),
        error_messages={"invalid": _("Enter a date and time such as 2026-12-31 18:00.")},
    )
    guide = forms.ModelChoiceField(
        queryset=Guide.objects.none(),
        label=_("Guide"),
        required=False,
        help_text=_("The guide residents can read about this kind of decision."),
    )

    def __init__(self, *args, user, neighbourhood=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings_for(user, neighbourhood)
        self.fields["guide"].queryset = Guide.objects.published()

    def clean_staircase(self):
        return self.cleaned_data["staircase"].strip().removesuffix("单元").removesuffix("门洞")

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."), code="past")
        return deadline


class BallotForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your household's vote"),
        choices=Ballot.Choice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose agree, disagree or abstain.")},
    )


class PaperBallotForm(forms.Form):
    household = forms.ModelChoiceField(
        queryset=Household.objects.none(),
        label=_("Household"),
        error_messages={"invalid_choice": _("Choose one of the households on the roll.")},
    )
    choice = forms.ChoiceField(
        label=_("Vote on the form"),
        choices=Ballot.Choice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose agree, disagree or abstain.")},
    )
    reference = forms.CharField(
        label=_("Form reference"),
        max_length=50,
        help_text=_("The number written on the paper form, e.g. 12号-302-01."),
    )

    def __init__(self, *args, vote, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.filter(
            pk__in=vote.roll.values("household_id")
        ).select_related("building")
