"""Filters of the centre, project and talent pages: GET forms, every field optional."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Centre, Project, ProjectRound, Subdistrict, Talent
from ..models.centres import STARS_MAX, STARS_MIN


def star_choices():
    """Built per request, so that the labels are in the reader's language."""
    stars = range(STARS_MAX, STARS_MIN - 1, -1)
    return [("", _("Any rating"))] + [
        (str(n), ngettext("%(stars)d star", "%(stars)d stars", n) % {"stars": n}) for n in stars
    ]


def year_choices(years, empty_label):
    return [("", empty_label)] + [(str(year), str(year)) for year in years]


class CentreFilterForm(forms.Form):
    subdistrict = forms.ModelChoiceField(
        queryset=Subdistrict.objects.filter(centres__isnull=False).distinct(),
        required=False,
        label=_("Subdistrict"),
        empty_label=_("All subdistricts"),
    )
    stars = forms.TypedChoiceField(
        choices=(),
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Star rating"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stars"].choices = star_choices()

    def filter(self, centres):
        """Filter centres annotated with `stars` (see CentreQuerySet.with_stars)."""
        data = self.cleaned_data
        if data.get("subdistrict"):
            centres = centres.filter(subdistrict=data["subdistrict"])
        if data.get("stars"):
            centres = centres.filter(stars=data["stars"])
        return centres


class ProjectFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        choices=(), coerce=int, empty_value=None, required=False, label=_("Year")
    )
    centre = forms.ModelChoiceField(
        queryset=Centre.objects.all(),
        required=False,
        label=_("Centre"),
        empty_label=_("All centres"),
    )
    round = forms.ModelChoiceField(
        queryset=ProjectRound.objects.all(),
        required=False,
        label=_("Round"),
        empty_label=_("All rounds"),
    )
    # Governance projects unless asked otherwise: the centres' everyday services (the "10"
    # of 1510) are many and alike, and would bury the projects people came to see.
    kind = forms.ChoiceField(
        choices=[
            ("", _("Governance projects")),
            ("service", _("Service projects")),
            ("all", _("All kinds")),
        ],
        required=False,
        label=_("Kind"),
    )
    awarded = forms.BooleanField(required=False, label=_("Awarded projects only"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = Project.objects.order_by("-year").values_list("year", flat=True).distinct()
        self.fields["year"].choices = year_choices(years, _("All years"))

    def filter(self, projects):
        data = self.cleaned_data
        if data.get("year"):
            projects = projects.filter(year=data["year"])
        if data.get("centre"):
            projects = projects.filter(centre=data["centre"])
        if data.get("round"):
            projects = projects.filter(round=data["round"])
        kind = data.get("kind")
        if kind != "all":
            projects = projects.filter(is_service=kind == "service")
        if data.get("awarded"):
            projects = projects.awarded()
        return projects


class TalentFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        choices=(), coerce=int, empty_value=None, required=False, label=_("Year of the call")
    )
    centre = forms.ModelChoiceField(
        queryset=Centre.objects.filter(talents__consented=True).distinct(),
        required=False,
        label=_("Centre"),
        empty_label=_("All centres"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = Talent.objects.public().order_by("-year").values_list("year", flat=True)
        self.fields["year"].choices = year_choices(years.distinct(), _("All years"))

    def filter(self, talents):
        data = self.cleaned_data
        if data.get("year"):
            talents = talents.filter(year=data["year"])
        if data.get("centre"):
            talents = talents.filter(centre=data["centre"])
        return talents


class CoverageYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
