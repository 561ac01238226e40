"""The per-kind channel preferences form (/me/inbox/settings/)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import registered_kinds

CHANNEL_LABELS = {"sms": _("SMS"), "wechat": _("WeChat"), "email": _("Email")}


def kinds_for(user):
    """The kinds one person may be sent: staff alerts only to staff."""
    staff = user.is_committee_staff or user.is_centre_staff or user.is_district_admin
    return [k for k in registered_kinds() if staff or not k.staff_alert]


class PreferencesForm(forms.Form):
    """One checkbox per (kind, outside channel of the kind); staff alerts are locked on."""

    def __init__(self, *args, user, preferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind in kinds_for(user):
            pref = preferences.get(kind.name)
            cells = []
            for channel in kind.outside_channels:
                name = f"{kind.name}__{channel}"
                self.fields[name] = forms.BooleanField(
                    label=f"{kind.label} · {CHANNEL_LABELS[channel]}",
                    required=False,
                    initial=True if pref is None else pref.wants(channel),
                    disabled=kind.staff_alert,
                )
                if kind.staff_alert:
                    self.fields[name].initial = True
                cells.append((channel, CHANNEL_LABELS[channel], name))
            self.rows.append((kind, cells))

    def choices(self):
        """{kind name: {channel: wanted}} for the kinds that can be switched off."""
        chosen = {}
        for kind, cells in self.rows:
            if kind.staff_alert:
                continue
            chosen[kind.name] = {ch: self.cleaned_data[name] for ch, _label, name in cells}
        return chosen
