from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.permissions import neighbourhood_scope

from ..models import Building, Household, LinkRequest, Neighbourhood, Resident, Zone


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

    def chosen(self):
        """The neighbourhood asked for, or None (nothing asked, or not a valid choice)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["neighbourhood"]
        return None


class HouseholdFilterForm(forms.Form):
    """The filters of the household register. Every field is optional."""

    q = forms.CharField(label=_("Name or room"), required=False, max_length=50)
    zone = forms.ModelChoiceField(
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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.visible_to(user).select_related("neighbourhood")
        self.fields["building"].queryset = Building.objects.visible_to(user)

    def filter(self, households):
        data = self.cleaned_data
        if data.get("zone"):
            households = households.filter(building__zone=data["zone"])
        if data.get("building"):
            households = households.filter(building=data["building"])
        if data.get("care"):
            households = households.filter(care=data["care"])
        if data.get("visited") == "not_this_year":
            households = households.not_visited_in(timezone.localdate().year)
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
    )
    reason = forms.CharField(
        label=_("Reason (told to the resident)"), required=False, max_length=200
    )

    def __init__(self, *args, link_request: LinkRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = link_request.candidates()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approve" and not data.get("resident"):
            self.add_error("resident", _("Choose the resident this account belongs to."))
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
