from django import forms
from django.utils.translation import gettext_lazy as _

from neighborhoods.models import Centre, Neighbourhood

from ..models import Skill


class ApplicationForm(forms.Form):
    skill_list = forms.MultipleChoiceField(
        label=_("What can you help with?"),
        choices=Skill.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    skills = forms.CharField(
        label=_("Other skills"),
        max_length=200,
        required=False,
        help_text=_("For example: I used to be a nurse; I play the erhu."),
    )
    availability = forms.CharField(
        label=_("When are you free?"),
        max_length=200,
        help_text=_("For example: weekday mornings, Saturday afternoons."),
    )
    place = forms.ChoiceField(label=_("Where do you want to volunteer?"))
    consent_to_contact = forms.BooleanField(
        label=_("The centre or residents' committee may contact me about volunteering."),
    )

    def __init__(self, *args, home=None, **kwargs):
        super().__init__(*args, **kwargs)
        neighbourhoods = Neighbourhood.objects.order_by("name")
        centres = Centre.objects.order_by("name")
        self.fields["place"].choices = [
            ("", "—"),
            (_("Neighbourhoods"), [(f"n{n.pk}", n.name) for n in neighbourhoods]),
            (_("Neighbourhood centres"), [(f"c{c.pk}", c.name) for c in centres]),
        ]
        if home is not None and not self.is_bound:
            self.initial.setdefault("place", f"n{home.pk}")

    def clean(self):
        data = super().clean()
        if not data.get("skill_list") and not data.get("skills"):
            self.add_error("skill_list", _("Choose at least one thing, or write your own."))
        return data

    def clean_place(self):
        value = self.cleaned_data["place"]
        kind, pk = value[:1], value[1:]
        model = {"n": Neighbourhood, "c": Centre}.get(kind)
        found = model.objects.filter(pk=pk).first() if model and pk.isdigit() else None
        if found is None:
            raise forms.ValidationError(_("Choose a neighbourhood or a centre."), code="invalid")
        return found

    def service_fields(self):
        data = self.cleaned_data
        place = data["place"]
        return {
            "skill_list": data["skill_list"],
            "skills": data["skills"],
            "availability": data["availability"],
            "neighbourhood": place if isinstance(place, Neighbourhood) else None,
            "centre": place if isinstance(place, Centre) else None,
            "consent_to_contact": data["consent_to_contact"],
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Needed when declining; the applicant is told."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", _("Please give the reason for declining."))
        return data
