"""Forms of the guides: a resident's question, staff's answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..hall.forms import at_least_a_few_words


class GuideQuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Staff answer on this page; answered questions are shown to everyone."),
    )

    def clean_text(self):
        return at_least_a_few_words(self.cleaned_data["text"])


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
