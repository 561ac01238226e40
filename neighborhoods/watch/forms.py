from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import WatchAlert, WatchAlertStep, WatchCheck, WatchEnrolment


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


class AlertStepForm(forms.Form):
    """One step taken on an alert, recorded when it happens (who and when: the server)."""

    kind = forms.ChoiceField(
        label=_("What did you do?"),
        choices=WatchAlertStep.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what you did."),
            "invalid_choice": _("Choose one of the steps listed."),
        },
    )
    note = forms.CharField(
        label=_("What happened (optional for a call or a visit)"),
        required=False,
        max_length=WatchAlertStep.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who answered, what you found, what comes next."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "step_%s")  # two forms on one page, both with a note
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("kind") == WatchAlertStep.Kind.NOTE and not data.get("note"):
            self.add_error("note", forms.ValidationError(_("Write the note."), code="required"))
        return data


class AlertCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=WatchAlert.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how it ended."),
            "invalid_choice": _("Choose one of the outcomes listed."),
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=WatchAlertStep.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "close_%s")
        super().__init__(*args, **kwargs)


class WatchStopForm(forms.Form):
    """Why a household leaves the daily watch; "other" needs a few words."""

    reason = forms.ChoiceField(
        label=_("Why does the household leave the watch?"),
        choices=WatchEnrolment.StopReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a reason."),
            "invalid_choice": _("Choose one of the reasons listed."),
        },
    )
    note = forms.CharField(
        label=_("Note (needed for “other”)"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == WatchEnrolment.StopReason.OTHER and not data.get("note"):
            self.add_error("note", forms.ValidationError(_("Say why."), code="required"))
        return data


class WatchAssignForm(forms.Form):
    """Staff give a watched household to an approved volunteer of the neighbourhood."""

    enrolment = forms.ModelChoiceField(label=_("Household"), queryset=WatchEnrolment.objects.none())
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=None)

    def __init__(self, *args, user, neighbourhood=None, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        enrolments = WatchEnrolment.objects.visible_to(user).active()
        if neighbourhood is not None:  # a district admin's choice: one neighbourhood's
            enrolments = enrolments.filter(household__building__neighbourhood=neighbourhood)
        self.fields["enrolment"].queryset = enrolments.select_related("household__building")
        neighbourhoods = enrolments.values("household__building__neighbourhood")
        self.fields["volunteer"].queryset = (
            get_user_model()
            .objects.filter(
                volunteer_profile__status="approved",
                volunteer_profile__neighbourhood__in=neighbourhoods,
            )
            .order_by("last_name", "first_name", "pk")
        )
        self.fields["volunteer"].label_from_instance = lambda u: u.get_full_name() or u.username
