"""Residents' rights under PIPL: a copy of one's data (art. 45) and closing one's account (art. 47).

`personal_data_for(user)` is everything the portal holds about the person and their
household's record as staff entered it, minus what is staff-internal: the household's staff
notes, what was learned on visits, internal notes on needs, the access log (staff's
accountability record, not data about the resident's life).

`account_close(user=...)` removes the account and the data that exists only because of it.
What stays, and why (also in the page and docs/privacy.md):

- The household register (户 and 居民 records): the residents' committee keeps it for its
  duties under the 居民委员会组织法 whether or not a resident has an account; the record
  is unlinked from the account, not deleted.
- Needs the household raised, with their photos until retention ends, and the visits: the
  committee's case record of help given; "raised by" no longer names the account.
- The access log: who among staff saw the household's data, kept at least six months
  (网络安全法 art. 21) and then purged (portal/retention.py).
"""

import contextlib

from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from neighborhoods.models import LinkRequest, Need, NeedAction, Resident, SignUp, Visit
from notices.models import GuideQuestion, NoticeRead, Suggestion, Support
from portal.exceptions import Refused
from portal.phones import mask_phone

FORMAT_VERSION = 1


def _when(value):
    return value.isoformat() if value else None


def _household(resident, user):
    household = resident.household
    building = household.building
    members = household.residents.present().prefetch_related("tags").order_by("pk")
    return {
        "address": {
            "neighbourhood": building.neighbourhood.name,
            "building": str(building),
            "room": household.room,
        },
        "household_phone": household.phone,
        "floor_area_m2": str(household.floor_area) if household.floor_area is not None else None,
        "care": household.get_care_display() if household.care else "",
        "members": [
            {
                "name": member.name,
                "me": member.pk == resident.pk,
                "gender": member.get_gender_display() if member.gender else "",
                "date_of_birth": _when(member.birth_date),
                "relation_to_householder": member.relation,
                # Another member's number is their data: shown as on the /me/ page, masked.
                "phone": member.phone if member.pk == resident.pk else mask_phone(member.phone),
                "tags": [tag.name for tag in member.tags.all()],
            }
            for member in members
        ],
        "needs": [
            {
                "category": need.get_category_display(),
                "urgency": need.get_urgency_display(),
                "description": need.description,
                "status": need.get_status_display(),
                "resolution": need.resolution,
                "referred_to": need.referred_to,
                "raised": _when(need.created),
                "closed": _when(need.closed),
                "has_photo": bool(need.photo),
                "steps": [
                    {"what": action.get_kind_display(), "at": _when(action.created)}
                    for action in need.public_actions
                ],
            }
            for need in Need.objects.filter(household=household)
            .prefetch_public_actions()
            .order_by("created")
        ],
        # When and what kind only: what staff learned on a visit is their working note.
        "visits": [
            {"when": _when(visit.when), "kind": visit.get_kind_display()}
            for visit in Visit.objects.filter(household=household).order_by("when")
        ],
    }


def personal_data_for(user):
    """A JSON-ready dict of the person's data (see the module's docstring for what is left out)."""
    resident = user.resident
    data = {
        "format": FORMAT_VERSION,
        "exported_at": _when(timezone.now()),
        "account": {
            "username": user.username,
            "name": user.get_full_name(),
            "mobile": user.phone,
            "mobile_verified": user.phone_verified,
            "emails": [
                {"email": address.email, "verified": address.verified}
                for address in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
            "joined": _when(user.date_joined),
            "last_sign_in": _when(user.last_login),
            "large_text": user.large_text,
        },
        "household": _household(resident, user) if resident else None,
        "link_requests": [
            {
                "neighbourhood": request.neighbourhood.name,
                "building": request.building,
                "room": request.room,
                "name": request.name,
                "status": request.get_status_display(),
                "reason": request.reason,
                "asked": _when(request.created),
                "decided": _when(request.decided_at),
            }
            for request in LinkRequest.objects.filter(user=user)
            .select_related("neighbourhood")
            .order_by("created")
        ],
        "activity_sign_ups": [
            {
                "activity": signup.activity.title,
                "starts": _when(signup.activity.starts_at),
                "status": signup.get_status_display(),
                "signed_up": _when(signup.created),
                "attended": signup.attended,
            }
            for signup in SignUp.objects.filter(user=user)
            .select_related("activity")
            .order_by("created")
        ],
        "suggestions": [
            {
                "topic": suggestion.topic.title,
                "text": suggestion.text,
                "posted": _when(suggestion.created),
                "hidden": suggestion.hidden,
                "has_photo": bool(suggestion.photo),
            }
            for suggestion in Suggestion.objects.filter(author=user)
            .select_related("topic")
            .order_by("created")
        ],
        "supports": [
            {"topic": support.suggestion.topic.title, "at": _when(support.created)}
            for support in Support.objects.filter(user=user)
            .select_related("suggestion__topic")
            .order_by("created")
        ],
        "questions_on_guides": [
            {
                "guide": question.guide.title,
                "question": question.text,
                "answer": question.answer,
                "asked": _when(question.created),
            }
            for question in GuideQuestion.objects.filter(asker=user)
            .select_related("guide")
            .order_by("created")
        ],
        "notices_read": [
            {"notice": read.notice.title, "at": _when(read.read_at)}
            for read in NoticeRead.objects.filter(user=user)
            .select_related("notice")
            .order_by("read_at")
        ],
    }
    profile = getattr(user, "volunteer_profile", None)
    data["volunteer"] = (
        {
            "status": profile.get_status_display(),
            "skills": profile.skills,
            "joined": _when(profile.joined),
        }
        if profile
        else None
    )
    return data


def can_close(user):
    """Staff accounts are closed by the district admin (their work is a public record)."""
    return not (user.is_staff or user.is_superuser or user.is_district_admin) and not (
        user.worker or user.is_centre_staff
    )


@transaction.atomic
def account_close(*, user):
    """Remove the account and what exists only because of it; returns nothing.

    Raises Refused for staff. The files of the person's posts (suggestion photos) are
    deleted once the transaction has committed.
    """
    if not can_close(user):
        raise Refused(_("Staff accounts are closed by the district admin. Please ask them."))
    files = []
    for suggestion in Suggestion.objects.filter(author=user).exclude(photo=""):
        files += [suggestion.photo, suggestion.thumbnail]
    # The committee's case record stays, no longer naming the account (PROTECT otherwise).
    Need.objects.filter(raised_by=user).update(raised_by=None)
    NeedAction.objects.filter(actor=user).update(actor=None)
    # The register keeps the resident; the account link goes (on_delete=SET_NULL too).
    Resident.objects.filter(user=user).update(user=None)
    _end_sessions(user)
    user.delete()  # cascades: emails, link requests, sign-ups, posts, supports, reads…
    transaction.on_commit(lambda: _delete_files(files))


def _end_sessions(user):
    """Sessions in the database that belong to the account (signed-in phones elsewhere)."""
    pk = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == pk:
            session.delete()


def _delete_files(fields):
    for field in fields:
        if field:
            with contextlib.suppress(OSError):
                field.storage.delete(field.name)
