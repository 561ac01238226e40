"""Forms of the facilities directory: the visitor's choice of neighbourhood, the staff's form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Facility, Neighbourhood


class NearForm(forms.Form):
    """GET: which neighbourhood's facilities, and of which type. Unknown values are errors."""

    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.all(),
        required=False,
        label=_("Near"),
        empty_label=_("Choose your neighbourhood"),
    )
    kind = forms.ChoiceField(
        choices=[("", _("All types")), *Facility.Kind.choices], required=False, label=_("Type")
    )


class FacilityForm(forms.ModelForm):
    walk_minutes = forms.IntegerField(
        label=_("Walking minutes from the neighbourhood"),
        min_value=1,
        max_value=120,
        help_text=_("How long residents walk to it; the nearest are listed first."),
    )

    class Meta:
        model = Facility
        fields = [
            "kind",
            "name",
            "address",
            "hours",
            "phone",
            "step_free",
            "lift",
            "accessible_toilet",
            "accessibility_note",
        ]

    def validate_unique(self):
        pass  # checked by the service with the neighbourhood the page fixes
