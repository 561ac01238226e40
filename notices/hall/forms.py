"""Forms of the discussion hall."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighborhoods.models import Neighbourhood
from portal.images import ImageUploadField, MultipleImageField

MAX_TOPIC_IMAGES = 4


class TopicForm(forms.Form):
    """Open a topic. Admins choose the neighbourhood; committee staff open for their own."""

    neighbourhood = forms.ModelChoiceField(
        queryset=Neighbourhood.objects.with_places(), label=_("Neighbourhood")
    )
    title = forms.CharField(
        label=_("Question"),
        max_length=200,
        help_text=_("Ask it plainly, e.g. “How should the garden be designed?”"),
    )
    background = forms.CharField(
        label=_("Background"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is planned, what is fixed already, what residents can decide."),
    )
    deadline = forms.DateField(
        label=_("Suggestions until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    images = MultipleImageField(label=_("Photos"), required=False, max_files=MAX_TOPIC_IMAGES)

    def __init__(self, *args, neighbourhood=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_neighbourhood = neighbourhood
        if neighbourhood is not None:
            del self.fields["neighbourhood"]

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(
                _("The deadline cannot be in the past."), code="deadline_past"
            )
        return deadline

    def topic_fields(self):
        data = dict(self.cleaned_data)
        data.setdefault("neighbourhood", self.fixed_neighbourhood)
        return data


def at_least_a_few_words(text):
    """A suggestion or question of a word or two tells staff nothing; ask for a little more."""
    text = text.strip()
    if len(text) < 5:
        raise forms.ValidationError(
            _("Please write at least a few words (5 characters or more)."), code="too_short"
        )
    return text


class SuggestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your suggestion"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    photo = ImageUploadField(label=_("Photo (optional)"), required=False)

    def clean_text(self):
        return at_least_a_few_words(self.cleaned_data["text"])


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply from the committee"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding (the author sees it)"),
        max_length=200,
        help_text=_("e.g. personal attack, advertising, another household's private details"),
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("What we will do"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Published on the topic and emailed once to every resident who took part."),
    )
