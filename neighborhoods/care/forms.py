"""Forms for home visits and needs (走访 and 困难/诉求)."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.images import ImageUploadField, process_image
from portal.naturalorder import NaturalOrderModelChoiceField
from portal.widgets import use_quick_selects

from ..models import Building, Household, Need, Visit, Zone
from ..models.visits import TEXT_MAX
from ..register.forms import add_neighbourhood_choice

# The register starts long after this; an earlier date is a typing slip (and a year-1 date
# would shift before year 1 in UTC, which the database stores but cannot give back).
EARLIEST_VISIT = datetime.date(2000, 1, 1)


def _datetime_local(value):
    if not value:
        return ""
    # DateTimeField.prepare_value already turned aware values into naive local time.
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%dT%H:%M")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if isinstance(value, str):
            return value
        return _datetime_local(value)


class VisitForm(forms.ModelForm):
    """Log a visit: the household by building and room, or given (from a household page)."""

    household = forms.ModelChoiceField(
        queryset=Household.objects.none(), required=False, widget=forms.HiddenInput
    )
    building = forms.ModelChoiceField(
        queryset=Building.objects.none(), required=False, label=_("Building")
    )
    room = forms.CharField(label=_("Room"), required=False, max_length=20, help_text=_("e.g. 302"))
    when = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeLocalInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    class Meta:
        model = Visit
        fields = ["when", "kind", "met", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"met": _("e.g. 周阿婆 and her daughter")}

    def __init__(self, *args, households, buildings, fixed_household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_household = fixed_household
        self.fields["household"].queryset = households
        self.fields["building"].queryset = buildings
        self.fields["building"].empty_label = _("Choose a building")
        if not self.instance.pk:
            self.fields["when"].initial = timezone.now().replace(second=0, microsecond=0)
        if fixed_household or self.instance.pk:
            del self.fields["building"], self.fields["room"]

    def clean_when(self):
        when = self.cleaned_data["when"]
        if when > timezone.now() + datetime.timedelta(minutes=5):
            raise ValidationError(_("A visit cannot be in the future."), code="future")
        if timezone.localtime(when).date() < EARLIEST_VISIT:
            raise ValidationError(
                _("Enter a date from %(year)s on."), code="too_early", params={"year": 2000}
            )
        return when

    def clean(self):
        data = super().clean()
        if self.fixed_household or self.instance.pk:
            return data
        building, room = data.get("building"), (data.get("room") or "").strip().removesuffix("室")
        if not building:
            self.add_error("building", _("Choose the building."))
        if not room:
            self.add_error("room", _("Enter the room number."))
        if building and room:
            household = (
                self.fields["household"].queryset.filter(building=building, room=room).first()
            )
            if household is None:
                self.add_error(
                    "room",
                    ValidationError(
                        _("There is no flat %(room)s in %(building)s in the register."),
                        code="no_flat",
                        params={"room": room, "building": building},
                    ),
                )
            data["household"] = household
        return data

    @property
    def household_chosen(self):
        return self.fixed_household or self.cleaned_data.get("household")


class NeedRowForm(forms.Form):
    """One need raised during a visit. Rows left empty are ignored."""

    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "—"), *Need.Category.choices], required=True
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Need.Urgency.choices, initial=Need.Urgency.NORMAL
    )
    description = forms.CharField(
        label=_("What is the difficulty?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_MAX,
    )


NeedFormSet = forms.formset_factory(NeedRowForm, extra=3, max_num=10, validate_max=True)


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX
    )


class NeedForm(forms.ModelForm):
    """A need raised by staff from a household page, or by a resident from /me/."""

    photo = ImageUploadField(label=_("Photo (optional)"), required=False)

    class Meta:
        model = Need
        fields = ["category", "urgency", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {"description": _("What is the difficulty?")}

    def __init__(self, *args, on_behalf_choice=False, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf_choice:
            self.fields["on_behalf"] = forms.BooleanField(
                label=_("For a resident who has no phone"),
                required=False,
                help_text=_("Recorded as raised on their behalf."),
            )

    def clean_photo(self):
        """The checked photo, re-encoded without its EXIF (a phone's GPS position)."""
        photo = self.cleaned_data.get("photo")
        return process_image(photo)[0] if photo else None


class ResidentNeedForm(NeedForm):
    """A need a resident reports from /me/: a health difficulty needs their separate consent.

    PIPL art. 28–29: health information is sensitive; it may be handled only with the
    person's separate consent, after being told why and by whom. The box is its own
    question, unticked, and only a health report asks it.
    """

    SENSITIVE_CATEGORIES = [Need.Category.HEALTH]

    sensitive_consent = forms.BooleanField(
        label=_(
            "I agree that the residents' committee records and uses this health information "
            "to help my household, and shows it only to the staff handling it."
        ),
        required=False,
        help_text=_("Needed only for a health difficulty. Without it, please choose another kind."),
    )

    def clean(self):
        cleaned = super().clean()
        sensitive = cleaned.get("category") in self.SENSITIVE_CATEGORIES
        if sensitive and not cleaned.get("sensitive_consent"):
            self.add_error(
                "sensitive_consent",
                ValidationError(
                    _("Health information is sensitive: please tick the box to agree first."),
                    code="consent_required",
                ),
            )
        return cleaned

    @property
    def consent_given(self):
        return self.cleaned_data.get("category") in self.SENSITIVE_CATEGORIES


class NeedNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Internal note"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by staff only."),
    )


class NeedResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How was it resolved?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The resident sees this."),
    )


class NeedReferForm(forms.Form):
    body = forms.ChoiceField(label=_("Referred to"), choices=[("", "—"), *Need.Body.choices])
    referred_to = forms.CharField(
        label=_("Which office"),
        max_length=100,
        required=False,
        help_text=_("e.g. 街道社区事务受理服务中心; needed for “other body”"),
    )
    reference = forms.CharField(
        label=_("Their reference"),
        max_length=50,
        required=False,
        help_text=_("e.g. the 12345 work-order number"),
    )
    promised = forms.DateField(
        label=_("Reply promised by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by staff only."),  # the resident sees where it was referred to
    )

    def __init__(self, *args, **kwargs):
        # The need page also holds the note form, whose field is "note" too: ids of their own.
        kwargs.setdefault("auto_id", "id_refer_%s")
        super().__init__(*args, **kwargs)

    def clean_promised(self):
        promised = self.cleaned_data.get("promised")
        if promised and promised < timezone.localdate():
            raise ValidationError(_("The promised date cannot be in the past."), code="past")
        return promised

    def clean(self):
        data = super().clean()
        if data.get("body") == Need.Body.OTHER and not data.get("referred_to", "").strip():
            self.add_error("referred_to", _("Name the body this need goes to."))
        return data


class NeedReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("What did they answer?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The resident sees this."),
    )


class NeedReopenForm(forms.Form):
    note = forms.CharField(
        label=_("Why is it re-opened?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The resident sees this."),
    )


class NeedFilterForm(forms.Form):
    """Filters of /staff/needs/. Every field is optional."""

    AGES = [
        ("", _("Any age")),
        ("7", _("Open more than 7 days")),
        ("30", _("Open more than 30 days")),
    ]

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open_any", _("Open or in progress")), ("all", _("All")), *Need.Status.choices],
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *Need.Category.choices]
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=[("", _("All")), *Need.Urgency.choices]
    )
    zone = NaturalOrderModelChoiceField(  # 第一、第二、第三片区, not as text
        queryset=None, required=False, label=_("Zone"), empty_label=_("All zones")
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    age = forms.ChoiceField(label=_("Age"), required=False, choices=AGES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        zones = Zone.objects.visible_to(user).select_related("neighbourhood")
        # A district admin may narrow the list to one neighbourhood; its zones and staff
        # are then the choices (the district's 2,200 of each made a 190 KB page).
        self.neighbourhood = None
        if user.worker is None:
            self.neighbourhood = add_neighbourhood_choice(
                self, user, empty_label=_("Whole district")
            )
            zones = zones.filter(neighbourhood=self.neighbourhood)
            if self.neighbourhood is None:  # the whole district: no zone to choose
                del self.fields["zone"]
        owners = (
            get_user_model()
            .objects.filter(
                community_worker__neighbourhood__zones__in=zones, community_worker__active=True
            )
            .distinct()
        )
        if "zone" in self.fields:
            self.fields["zone"].queryset = zones
        self.fields["owner"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("No one")),
            *[(str(u.pk), str(u)) for u in owners],
        ]
        use_quick_selects(self)

    def filter(self, needs):
        data = self.cleaned_data
        if self.neighbourhood is not None:
            needs = needs.filter(neighbourhood=self.neighbourhood)
        # Open needs unless asked otherwise: they are what staff come here for.
        if data.get("status") in ("", "open_any"):
            needs = needs.open()
        elif data.get("status") != "all":
            needs = needs.filter(status=data["status"])
        if data.get("category"):
            needs = needs.filter(category=data["category"])
        if data.get("urgency"):
            needs = needs.filter(urgency=data["urgency"])
        if data.get("zone"):
            needs = needs.filter(household__building__zone=data["zone"])
        owner = data.get("owner")
        if owner == "me":
            needs = needs.filter(owner=self.user)
        elif owner == "none":
            needs = needs.filter(owner__isnull=True)
        elif owner:
            needs = needs.filter(owner_id=owner)
        if data.get("age"):
            cutoff = timezone.now() - datetime.timedelta(days=int(data["age"]))
            needs = needs.open().filter(created__lt=cutoff)
        return needs
