"""Forms of the family members part (家属): add a family member, by the resident or by staff."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import FamilyGrant


class FamilyGrantForm(forms.Form):
    """Who (their account's mobile number or user name), how related, and what they receive."""

    account = forms.CharField(
        label=_("Their mobile number or user name"),
        max_length=150,
        help_text=_("They need an account of their own: ask them to sign up first."),
    )
    relation = forms.CharField(
        label=_("Relation"), max_length=30, required=False, help_text=_("e.g. 儿子, 女儿, 侄女")
    )
    building_notices = forms.BooleanField(
        label=FamilyGrant.Kind.BUILDING_NOTICES.label, required=False, initial=True
    )
    activity_reminders = forms.BooleanField(
        label=FamilyGrant.Kind.ACTIVITY_REMINDERS.label, required=False, initial=True
    )
    watch_alerts = forms.BooleanField(
        label=FamilyGrant.Kind.WATCH_ALERTS.label, required=False, initial=True
    )

    KINDS = ("building_notices", "activity_reminders", "watch_alerts")

    def clean_account(self):
        typed = self.cleaned_data["account"].strip()
        member = (
            get_user_model()
            .objects.filter(Q(phone=typed) | Q(username__iexact=typed), is_active=True)
            .first()
        )
        if member is None:
            raise ValidationError(
                _("No account has this mobile number or user name. Ask them to sign up first."),
                code="unknown_account",
            )
        return member

    def clean(self):
        data = super().clean()
        if not any(data.get(kind) for kind in self.KINDS):
            raise ValidationError(_("Choose at least one kind of message."), code="no_kind")
        return data

    def grant_kwargs(self):
        data = self.cleaned_data
        kwargs = {kind: data[kind] for kind in self.KINDS}
        return {"member": data["account"], "relation": data["relation"].strip(), **kwargs}


class StaffFamilyGrantForm(FamilyGrantForm):
    """Staff adding a family member on an elder's behalf record how the elder agreed."""

    consent = forms.CharField(
        label=_("How the elder agreed"),
        max_length=200,
        help_text=_("e.g. 周阿婆当面同意, 2026-12-01 home visit"),
    )

    def grant_kwargs(self):
        return {**super().grant_kwargs(), "consent": self.cleaned_data["consent"].strip()}
