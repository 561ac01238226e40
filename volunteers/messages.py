"""The volunteers' kinds of message (portal.messaging), registered in VolunteersConfig.ready().

Each is told by volunteers/notify.py: a sentence marked in the code (gettext_noop) rendered
by templates/portal/messages/said.txt in the recipient's language.
"""

from django.utils.translation import gettext_noop

from portal.messaging import Kind, register_kind

from .models import VolunteerNotice

TEMPLATE = "portal/messages/said.txt"
# The subject of each kind: the same words as VolunteerNotice.Kind's labels.
SUBJECTS = {
    VolunteerNotice.Kind.APPLICATION_DECIDED: gettext_noop("Application decided"),
    VolunteerNotice.Kind.SHIFT_PROMOTED: gettext_noop("A place came free"),
    VolunteerNotice.Kind.SHIFT_REMINDER: gettext_noop("Shift reminder"),
    VolunteerNotice.Kind.RECORD_VERIFIED: gettext_noop("Hours verified"),
    VolunteerNotice.Kind.RECORD_ADJUSTED: gettext_noop("Hours adjusted"),
    VolunteerNotice.Kind.RECORD_REJECTED: gettext_noop("Record rejected"),
}


def register():
    for kind in VolunteerNotice.Kind:
        register_kind(Kind(name=kind.value, label=kind.label, template=TEMPLATE))
