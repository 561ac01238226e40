from decimal import Decimal

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.naturalorder import NaturalOrderModelChoiceField
from portal.permissions import neighbourhood_scope
from portal.phones import mainland_mobile_validator
from portal.widgets import use_quick_selects

from ..models import (
    Building,
    CommunityWorker,
    Household,
    IdentityDocument,
    LinkRequest,
    Neighbourhood,
    Resident,
    ResidentTag,
    Zone,
)
from ..permissions import tag_dictionary_for


class NeighbourhoodChoiceForm(forms.Form):
    """`?neighbourhood=<id>` on pages of a district admin's whole scope (board, map).

    Only neighbourhoods in the user's scope are choices: any other id, or garbage, is a
    form error, and the page then shows its default.
    """

    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.none(),
        required=False,
        label=_("Neighbourhood"),
        error_messages={"invalid_choice": _("Choose one of the neighbourhoods listed.")},
    )

    def __init__(self, *args, user, empty_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["neighbourhood"]
        field.queryset = neighbourhood_scope(Neighbourhood.objects.all(), user, "pk")
        field.empty_label = empty_label  # None: no "all" choice (the map shows one)
        use_quick_selects(self)  # 300 neighbourhoods at district size

    def chosen(self):
        """The neighbourhood asked for, or None (nothing asked, or not a valid choice)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["neighbourhood"]
        return None


def neighbourhood_choice_for(request):
    """Pages where a district admin picks a building (add a household, log a visit, open a
    vote): (the choice form, the neighbourhood chosen, else the first, as on the map).
    The building choices are then that neighbourhood's: the district's 28,000 made a
    1.1 MB page. Committee staff get (None, None): their buildings are their own."""
    user = request.user
    if user.worker is not None:
        return None, None
    form = NeighbourhoodChoiceForm(request.GET or None, user=user)
    neighbourhood = form.chosen() or form.fields["neighbourhood"].queryset.first()
    if not form.is_bound:
        form.initial["neighbourhood"] = neighbourhood
    return form, neighbourhood


def buildings_for(user, neighbourhood=None):
    """The buildings `user` may choose, those of `neighbourhood` only when given."""
    buildings = Building.objects.visible_to(user).select_related("neighbourhood")
    return buildings if neighbourhood is None else buildings.filter(neighbourhood=neighbourhood)


def add_neighbourhood_choice(form, user, *, default_first=False, empty_label=None):
    """Put NeighbourhoodChoiceForm's field first in a district admin's filter `form` and
    return the neighbourhood chosen: None for none (or not a valid choice: the form's own
    validation says so next to the field), or the first one with `default_first`."""
    choice = NeighbourhoodChoiceForm(
        form.data if form.is_bound else None, user=user, empty_label=empty_label
    )
    field = choice.fields["neighbourhood"]
    form.fields = {"neighbourhood": field, **form.fields}
    chosen = choice.chosen()
    if chosen is None and default_first:
        chosen = field.queryset.first()
    if chosen is not None:
        form.initial.setdefault("neighbourhood", chosen)
    return chosen


class HouseholdFilterForm(forms.Form):
    """The filters of the household register. Every field is optional."""

    q = forms.CharField(label=_("Name or room"), required=False, max_length=50)
    zone = NaturalOrderModelChoiceField(  # 第一、第二、第三片区, not as text
        queryset=Zone.objects.none(), required=False, label=_("Zone"), empty_label=_("All zones")
    )
    building = forms.ModelChoiceField(
        queryset=Building.objects.none(),
        required=False,
        label=_("Building"),
        empty_label=_("All buildings"),
    )
    care = forms.ChoiceField(
        label=_("Care flag"),
        required=False,
        choices=[("", _("Any")), *[c for c in Household.Care.choices if c[0]]],
    )

    visited = forms.ChoiceField(
        label=_("Visits"),
        required=False,
        choices=[("", _("Any")), ("not_this_year", _("Not visited this year"))],
    )
    tag = forms.TypedChoiceField(
        label=_("Resident tag"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of the tags listed.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        zones = Zone.objects.visible_to(user).select_related("neighbourhood")
        buildings = Building.objects.visible_to(user)
        # A district admin's register is one neighbourhood at a time (the first by default,
        # as on the map): the district's 500,000 households in one list, sorted, and its
        # 28,000 buildings as choices made a 1.2 MB page of 1.7 s.
        self.neighbourhood = None
        if user.worker is None:
            self.neighbourhood = add_neighbourhood_choice(self, user, default_first=True)
            zones = zones.filter(neighbourhood=self.neighbourhood)
            buildings = buildings.filter(neighbourhood=self.neighbourhood)
        self.fields["zone"].queryset = zones
        self.fields["building"].queryset = buildings
        # The one rule of which tags a user may see (sensitive ones: staff and admins only).
        # Read once: the same list validates the choice and renders the menu (one query).
        tags = tag_dictionary_for(user).values_list("pk", "name")
        self.fields["tag"].choices = [("", _("Any tag")), *tags]
        use_quick_selects(self)  # a neighbourhood's hundred buildings

    def filter(self, households):
        data = self.cleaned_data
        if data.get("zone"):
            households = households.filter(building__zone=data["zone"])
        if data.get("building"):
            households = households.filter(building=data["building"])
        if data.get("care"):
            households = households.filter(care=data["care"])
        if data.get("tag"):
            # A household with a present resident who has the tag (EXISTS: no duplicates).
            tagged = Resident.objects.present().filter(household=OuterRef("pk"), tags=data["tag"])
            households = households.filter(Exists(tagged))
        if data.get("visited") == "not_this_year":
            households = households.not_visited_this_year()
        return households.search(data.get("q") or "")


class LinkDecisionForm(forms.Form):
    """Approve by choosing the matching resident, or reject with a reason."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    resident = forms.ModelChoiceField(
        queryset=Resident.objects.none(),
        required=False,
        label=_("Matching resident"),
        widget=forms.RadioSelect,
        # The candidates are residents not linked yet: one a colleague has just linked to
        # another account is no longer among them.
        error_messages={
            "invalid_choice": _(
                "This resident is no longer free to link: a colleague may have just linked "
                "them to another account. Check the matches below."
            )
        },
    )
    reason = forms.CharField(
        label=_("Reason (told to the resident)"), required=False, max_length=200
    )
    identity_document = forms.ChoiceField(
        label=_("Identity document I saw in person"),
        choices=[("", _("Choose the document you checked"))] + IdentityDocument.choices,
        required=False,
        help_text=_(
            "This account's mobile number is not verified: approve only after you have seen "
            "the person and their identity document."
        ),
    )

    def __init__(self, *args, link_request: LinkRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = link_request.candidates()
        self.needs_identity_check = not link_request.user.phone_verified
        if not self.needs_identity_check:
            del self.fields["identity_document"]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approve" and not data.get("resident"):
            self.add_error("resident", _("Choose the resident this account belongs to."))
        if (
            data.get("decision") == "approve"
            and self.needs_identity_check
            and not data.get("identity_document")
        ):
            self.add_error(
                "identity_document",
                _("Record the identity document you checked in person before approving."),
            )
        if data.get("decision") == "reject" and not data.get("reason"):
            self.add_error("reason", _("Say why, so the resident knows what to correct."))
        return data


class LinkRequestForm(forms.ModelForm):
    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.with_places(),
        label=_("Neighbourhood"),
        empty_label=_("Choose your neighbourhood"),
    )

    class Meta:
        model = LinkRequest
        fields = ["neighbourhood", "building", "room", "name"]
        # No placeholders: the help texts give the examples, and a grey "302" in an empty
        # box reads as already filled in to many elderly users.
        widgets = {"room": forms.TextInput(attrs={"inputmode": "numeric"})}


# --- Register upkeep: households and residents ------------------------------------------


class VersionedForm(forms.Form):
    """Carries the household's version (its latest change) from the page to the service."""

    seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class HouseholdForm(VersionedForm):
    building = forms.ModelChoiceField(
        queryset=Building.objects.none(),
        label=_("Building"),
        error_messages={"invalid_choice": _("Choose one of the buildings listed.")},
    )
    room = forms.CharField(label=_("Room"), max_length=20, help_text=_("e.g. 302"))
    staircase = forms.CharField(
        label=_("Staircase unit (门洞)"),
        max_length=10,
        required=False,
        help_text=_("e.g. 1 for 1单元; leave empty if the building has one staircase."),
    )
    floor_area = forms.DecimalField(
        label=_("Floor area (m²)"),
        required=False,
        max_digits=7,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"min_value": _("The floor area must be more than 0 m².")},
    )
    phone = forms.CharField(label=_("Household phone"), max_length=30, required=False)
    notes = forms.CharField(label=_("Staff notes"), required=False, widget=forms.Textarea)

    def __init__(self, *args, user, neighbourhood=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings_for(user, neighbourhood)

    def clean_room(self):
        return self.cleaned_data["room"].strip().removesuffix("室")

    def clean_staircase(self):
        return self.cleaned_data["staircase"].strip().removesuffix("单元").removesuffix("门洞")


class ResidentForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    gender = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", "—"), *Resident.Gender.choices]
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("e.g. 1945-03-08"),
    )
    relation = forms.CharField(
        label=_("Relation to the householder"),
        max_length=20,
        required=False,
        help_text=_("户主, 配偶, 子女, 孙子女, 父母…"),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=11,
        required=False,
        validators=[mainland_mobile_validator],
    )
    tags = forms.ModelMultipleChoiceField(
        queryset=ResidentTag.objects.none(),
        label=_("Tags"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = tags

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_phone(self):
        return self.cleaned_data["phone"].replace(" ", "").replace("-", "")

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born and born > timezone.localdate():
            raise forms.ValidationError(
                _("The date of birth cannot be in the future."), code="future"
            )
        return born


class NewResidentForm(ResidentForm):
    """A person arriving: a member added, a newborn, or someone moving in from elsewhere."""

    KINDS = [
        ("created", _("Add a member (correcting the register)")),
        ("born", _("A newborn")),
        ("moved_in", _("Moving in from elsewhere")),
    ]
    kind = forms.ChoiceField(
        label=_("What happened"), choices=KINDS, widget=forms.RadioSelect, initial="created"
    )
    on = forms.DateField(
        label=_("On (date of the move)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    field_order = ["kind", "name", "gender", "birth_date", "relation", "phone", "tags", "on"]

    def clean(self):
        data = super().clean()
        if data.get("kind") == "born" and not data.get("birth_date"):
            self.add_error("birth_date", _("Enter the newborn's date of birth."))
        on = data.get("on")
        if on and on > timezone.localdate():
            self.add_error("on", _("The date cannot be in the future."))
        return data


class StatusChangeForm(VersionedForm):
    """A move-out or a death: the date it happened (today unless told)."""

    on = forms.DateField(
        label=_("On"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, resident, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident = resident

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        if self.resident.birth_date and on < self.resident.birth_date:
            raise forms.ValidationError(
                _("The date cannot be before the date of birth (%(born)s).")
                % {"born": self.resident.birth_date.isoformat()},
                code="before_birth",
            )
        return on


class MoveInForm(VersionedForm):
    """A present resident of another flat of the same neighbourhood moves here."""

    q = forms.CharField(label=_("Name"), max_length=50, required=False)
    resident = forms.ModelChoiceField(
        queryset=Resident.objects.none(),
        label=_("Who moves here"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the resident who moves here.")},
    )
    on = forms.DateField(
        label=_("On"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = (
            Resident.objects.present()
            .filter(household__building__neighbourhood_id=household.building.neighbourhood_id)
            .exclude(household=household)
            .select_related("household__building")
        )

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return on


# --- Zones (分片包干), re-divided by the committee's director ------------------------------


class BuildingZoneForm(forms.Form):
    zone = NaturalOrderModelChoiceField(
        queryset=Zone.objects.none(), required=False, label=_("Zone"), empty_label=_("No zone")
    )

    def __init__(self, *args, neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.filter(neighbourhood=neighbourhood)


class ZoneWorkerForm(forms.Form):
    worker = forms.ModelChoiceField(
        queryset=CommunityWorker.objects.none(),
        required=False,
        label=_("Responsible worker"),
        empty_label=_("No one"),
    )

    def __init__(self, *args, neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = CommunityWorker.objects.filter(
            neighbourhood=neighbourhood, active=True
        ).select_related("user")


class WorkerProfileForm(forms.ModelForm):
    class Meta:
        model = CommunityWorker
        fields = ["birth_year", "education", "social_work_certificate", "start_year"]

    def clean(self):
        data = super().clean()
        this_year = timezone.localdate().year
        birth, start = data.get("birth_year"), data.get("start_year")
        if birth and not 1940 <= birth <= this_year - 16:
            self.add_error("birth_year", _("Enter a birth year such as 1984."))
        if start and not 1980 <= start <= this_year:
            self.add_error("start_year", _("Enter the year you started, such as 2018."))
        if birth and start and start < birth + 16:
            self.add_error("start_year", _("This is before you were 16."))
        return data
