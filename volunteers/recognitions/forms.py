from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_TITLE = "年度优秀志愿者"


def year_choices():
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this, this - 6, -1)]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices)

    def chosen(self):
        default = timezone.localdate().year
        return self.cleaned_data["year"] if self.is_valid() else default


class AwardForm(forms.Form):
    volunteer = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.TypedChoiceField(coerce=int, choices=year_choices, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Award"), max_length=100, initial=DEFAULT_TITLE)
    citation = forms.CharField(label=_("Citation"), max_length=300, required=False)
