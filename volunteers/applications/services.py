"""Applying to volunteer and deciding applications (committee or centre staff)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.exceptions import Refused

from ..models import VolunteerNotice, VolunteerProfile
from ..notify import notice_create


def application_refusal(user):
    """Why this account may not apply now, or None."""
    profile = VolunteerProfile.objects.filter(user=user).first()
    if profile is None or profile.status == VolunteerProfile.Status.DECLINED:
        return None
    if profile.status == VolunteerProfile.Status.APPROVED:
        return _("You are a volunteer already.")
    if profile.status == VolunteerProfile.Status.PENDING:
        return _("Your application is waiting for a decision.")
    return _("Your volunteer profile is suspended. Please ask your residents' committee.")


@transaction.atomic
def application_submit(*, user, skill_list, skills, availability, neighbourhood, centre,
                       consent_to_contact, now=None):  # fmt: skip
    """Apply (or apply again after a decline): the profile waits for staff."""
    now = now or timezone.now()
    refusal = application_refusal(user)
    if refusal:
        raise Refused(refusal)
    profile, _created = VolunteerProfile.objects.select_for_update().get_or_create(
        user=user, defaults={"neighbourhood": neighbourhood, "centre": centre}
    )
    if profile.status not in (VolunteerProfile.Status.PENDING, VolunteerProfile.Status.DECLINED):
        raise Refused(application_refusal(user))
    profile.status = VolunteerProfile.Status.PENDING
    profile.skill_list, profile.skills = skill_list, skills
    profile.availability, profile.consent_to_contact = availability, consent_to_contact
    profile.neighbourhood, profile.centre = neighbourhood, centre
    profile.applied_at = now
    profile.decided_at, profile.decided_by, profile.decision_reason = None, None, ""
    profile.save()
    return profile


def application_decide(*, profile, by, approve, reason="", now=None):
    """Approve (the account gets the volunteer role) or decline with a reason; once."""
    now = now or timezone.now()
    with transaction.atomic():
        profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.status != VolunteerProfile.Status.PENDING:
            raise Refused(_("This application was already decided."))
        if not approve and not reason.strip():
            raise Refused(_("Please give the reason for declining."))
        profile.status = (
            VolunteerProfile.Status.APPROVED if approve else VolunteerProfile.Status.DECLINED
        )
        profile.decided_at, profile.decided_by, profile.decision_reason = now, by, reason.strip()
        profile.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
        tell_application_decided(profile)
    return profile


def tell_application_decided(profile):
    """Tell the applicant the decision (and the reason): notice and message."""
    if profile.status == VolunteerProfile.Status.APPROVED:
        msgid, params = (
            gettext_noop(
                "Your volunteer application was approved. Welcome! You can now sign up for shifts."
            ),
            {},
        )
    else:
        msgid = gettext_noop("Your volunteer application was declined: %(reason)s")
        params = {"reason": profile.decision_reason}
    notice_create(
        profile.user,
        VolunteerNotice.Kind.APPLICATION_DECIDED,
        msgid,
        params,
        reverse("volunteers:me"),
    )
