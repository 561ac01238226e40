"""Forms of activities: the list's filters, the staff's activity form, check-in, on behalf."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.images import ImageUploadField

from ..care.forms import DateTimeLocalInput
from ..models import Activity, Centre, Neighbourhood

DATETIME_INPUTS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
# Earlier than the report's events is a typing slip, as is more than two years ahead.
EARLIEST = datetime.date(2020, 1, 1)
LATEST_YEARS = 2


class ActivityFilterForm(forms.Form):
    """The list's filters (GET). Unknown values are errors shown by the form, never a 500."""

    centre = forms.ModelChoiceField(
        queryset=Centre.objects.all(), required=False, label=_("Centre"), empty_label=_("All")
    )
    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.all(),
        required=False,
        label=_("Neighbourhood"),
        empty_label=_("All"),
    )
    category = forms.ChoiceField(
        choices=[("", _("All"))] + Activity.Category.choices, required=False, label=_("Kind")
    )
    places = forms.BooleanField(required=False, label=_("Places left"))
    week = forms.BooleanField(required=False, label=_("This week"))

    def filter(self, activities, now):
        data = self.cleaned_data
        if data.get("centre"):
            activities = activities.filter(centre=data["centre"])
        if data.get("neighbourhood"):
            activities = activities.for_area(data["neighbourhood"])
        if data.get("category"):
            activities = activities.filter(category=data["category"])
        if data.get("places"):
            activities = activities.with_places()
        if data.get("week"):
            today = timezone.localdate(now)
            monday = today - datetime.timedelta(days=today.weekday())
            activities = activities.filter(starts_at__date__lt=monday + datetime.timedelta(days=7))
        return activities


def _when(label, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeLocalInput,
        input_formats=DATETIME_INPUTS,
        help_text=help_text,
    )


class ActivityForm(forms.ModelForm):
    """Create or change an activity. The host (centre or neighbourhood) is fixed by the page."""

    starts_at = _when(_("Starts"))
    ends_at = _when(_("Ends"))
    signup_opens_at = _when(_("Sign-up opens"), False, _("Empty: open now."))
    signup_closes_at = _when(_("Sign-up closes"), False, _("Empty: when it starts."))
    cancel_deadline = _when(_("Cancel until"), False, _("Empty: until it starts."))
    photo = ImageUploadField(label=_("Photo (optional)"), required=False)

    class Meta:
        model = Activity
        fields = [
            "title",
            "category",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "signup_opens_at",
            "signup_closes_at",
            "cancel_deadline",
            "audience",
            "for_neighbourhood",
            "min_age",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, centre=None, neighbourhood=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.host_centre, self.host_neighbourhood = centre, neighbourhood
        choices = Neighbourhood.objects.all()
        if neighbourhood is not None:
            choices = choices.filter(pk=neighbourhood.pk)
        elif centre is not None:
            choices = choices.filter(subdistrict_id=centre.subdistrict_id)
        self.fields["for_neighbourhood"].queryset = choices
        self.fields["for_neighbourhood"].help_text = _(
            "Only when “Residents of one neighbourhood” is chosen."
        )
        self.fields["capacity"].widget.attrs.update(min=1)
        self.fields["min_age"].widget.attrs.update(min=1, max=120)

    def _check_date(self, name):
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        day = timezone.localtime(value).date()
        if day < EARLIEST or day.year > timezone.localdate().year + LATEST_YEARS:
            raise forms.ValidationError(_("Please check the year."), code="date_out_of_range")
        return value

    def clean_starts_at(self):
        return self._check_date("starts_at")

    def clean_ends_at(self):
        return self._check_date("ends_at")

    def clean_signup_opens_at(self):
        return self._check_date("signup_opens_at")

    def clean_signup_closes_at(self):
        return self._check_date("signup_closes_at")

    def clean_cancel_deadline(self):
        return self._check_date("cancel_deadline")

    def clean_min_age(self):
        age = self.cleaned_data.get("min_age")
        if age is not None and not 1 <= age <= 120:
            raise forms.ValidationError(_("Enter an age from 1 to 120."), code="bad_age")
        return age

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity < 1:
            raise forms.ValidationError(
                _("At least one place, or leave it empty for no limit."), code="bad_capacity"
            )
        return capacity

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error(
                "ends_at", forms.ValidationError(_("It must end after it starts."), "order")
            )
        if starts:
            for name in ("signup_closes_at", "cancel_deadline"):
                if data.get(name) and data[name] > starts:
                    self.add_error(
                        name, forms.ValidationError(_("This must be before it starts."), "late")
                    )
        opens, closes = data.get("signup_opens_at"), data.get("signup_closes_at")
        if opens and (closes or starts) and opens >= (closes or starts):
            self.add_error(
                "signup_opens_at",
                forms.ValidationError(_("Sign-up must open before it closes."), "order"),
            )
        audience = data.get("audience")
        if audience == Activity.Audience.NEIGHBOURHOOD and not data.get("for_neighbourhood"):
            if self.host_neighbourhood is not None:
                data["for_neighbourhood"] = self.host_neighbourhood
            else:
                self.add_error(
                    "for_neighbourhood",
                    forms.ValidationError(_("Choose the neighbourhood."), "required"),
                )
        elif audience != Activity.Audience.NEIGHBOURHOOD:
            data["for_neighbourhood"] = None
        return data

    def activity_fields(self):
        """The model fields to save (the photo is passed on separately)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BehalfSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or room"),
        max_length=50,
        required=False,
        help_text=_("e.g. 周秀英, 302 or 1号302"),
    )


class BehalfSignupForm(forms.Form):
    """The resident chosen from the search (validated against the staff member's register)."""

    resident = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CheckinForm(forms.Form):
    """One row of the check-in list: attended, no-show, or back to not known."""

    CHOICES = [("yes", _("Came")), ("no", _("Did not come")), ("", _("Not known"))]

    signup = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    attended = forms.ChoiceField(choices=CHOICES, required=False)

    def attended_value(self):
        return {"yes": True, "no": False}.get(self.cleaned_data["attended"])
