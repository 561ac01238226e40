"""The one writer of what a volunteer is told, for the tell_<event> functions of the
services: a notice on /volunteers/me/ and a message (portal.messaging: the inbox always, SMS,
WeChat or email as the person chose), its sentence rendered in the recipient's language."""

from django.utils.translation import gettext

from portal.messaging import send

from .messages import SUBJECTS
from .models import VolunteerNotice


def notice_create(user, kind, msgid, params=None, link=""):
    """`msgid` is the sentence as marked in the code (gettext_noop), `params` its values."""
    params = params or {}
    text = gettext(msgid) % params if params else gettext(msgid)
    notice = VolunteerNotice.objects.create(user=user, kind=kind, text=text[:400], link=link)
    send(
        str(kind),
        recipients=[user],
        context={"subject": SUBJECTS[kind], "text": msgid, "params": params},
        url=link,
        dedupe_key=f"volunteer-notice:{notice.pk}",
    )
    return notice
