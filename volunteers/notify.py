"""The one writer of what a volunteer is told, for the tell_<event> functions of the
services. Until the messages system (branch `msg`) is merged, a notice shows on
/volunteers/me/; each tell_<event> is the one place to switch to the messages system."""

from .models import VolunteerNotice


def notice_create(user, kind, text, link=""):
    return VolunteerNotice.objects.create(user=user, kind=kind, text=text[:400], link=link)
