"""Access helpers of the notices app: views fetch notices, topics and guides only through here.

Publishing rights follow the register: committee staff publish for their own neighbourhood;
district admins publish for the district, a subdistrict or any neighbourhood. Topics are
moderated, and guides' questions answered, by the same neighbourhood rule.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from neighborhoods.models import District, Neighbourhood, Subdistrict
from portal.audit import Action, record_access
from portal.permissions import (
    is_neighbourhood_staff,
    neighbourhood_scope,
    resident_neighbourhood,
    staff_required,
    staffs_neighbourhood,
)

from .models import Guide, GuideQuestion, Notice, Suggestion, Topic

# Committee staff and district admins publish: the same people as the register's staff.
can_publish = is_neighbourhood_staff
publisher_required = staff_required


def publishing_scopes(user):
    """The places a user may publish for, as a list of District/Subdistrict/Neighbourhood."""
    if not user.is_authenticated:
        return []
    if user.is_district_admin:
        return [
            *District.objects.all(),
            *Subdistrict.objects.select_related("district"),
            *Neighbourhood.objects.select_related("subdistrict"),
        ]
    if user.worker:
        return [user.worker.neighbourhood]
    return []


def can_publish_in(user, place):
    """Admins anywhere; committee staff for their own neighbourhood only."""
    if user.is_authenticated and user.is_district_admin:
        return True
    return isinstance(place, Neighbourhood) and staffs_neighbourhood(user, place.pk)


def can_edit(user, notice):
    return Notice.objects.editable_by(user).filter(pk=notice.pk).exists()


def can_follow_reads(user, notice):
    """Staff of the notice's scope (a worker whose neighbourhood it concerns) and admins."""
    if staffs_neighbourhood(user, notice.neighbourhood_id):
        return True
    neighbourhood = user.worker.neighbourhood if user.is_authenticated and user.worker else None
    return neighbourhood is not None and (
        notice.subdistrict_id == neighbourhood.subdistrict_id
        or notice.district_id == neighbourhood.subdistrict.district_id
    )


def get_notice_for_user(user, pk):
    """404 for a notice the user may not read (unpublished, expired, residents-only)."""
    return get_object_or_404(
        Notice.objects.visible_to(user).select_related(
            "district", "subdistrict__district", "neighbourhood__subdistrict", "author"
        ),
        pk=pk,
    )


def residents_only_needs_sign_in(user, pk):
    """A visitor (not signed in) opening a published residents-only notice, e.g. from the QR
    code on a lobby poster: they are asked to sign in rather than told it does not exist.
    Nothing of the notice is shown; unpublished and expired notices stay a 404."""
    return (
        not user.is_authenticated
        and Notice.objects.published().filter(pk=pk, audience=Notice.Audience.RESIDENTS).exists()
    )


def get_notice_for_editing(user, pk):
    """404 for a notice outside the user's publishing rights, as if it did not exist."""
    return get_object_or_404(
        Notice.objects.editable_by(user).select_related("district", "subdistrict", "neighbourhood"),
        pk=pk,
    )


def get_notice_for_reads(user, pk):
    notice = get_object_or_404(
        Notice.objects.select_related("district", "subdistrict", "neighbourhood"), pk=pk
    )
    if not can_follow_reads(user, notice):
        raise Http404("No notice matches the given query.")
    return notice


def unread_households_page(households, number, *, audit):
    """One page of the households that have not read a notice (names, care flags, masked
    contacts), for someone who passed `get_notice_for_reads`; the page's households are
    recorded."""
    page = Paginator(households, settings.HOUSEHOLDS_PER_PAGE).get_page(number)
    record_access(audit, action=Action.NOTICE_READS, households=page.object_list)
    return page


# --- The discussion hall (邻里议事厅) -------------------------------------------------
def can_take_part(user, topic):
    """Suggest and support: residents living in the topic's neighbourhood (open or not)."""
    neighbourhood = resident_neighbourhood(user)
    return neighbourhood is not None and neighbourhood.pk == topic.neighbourhood_id


def can_moderate(user, topic):
    return staffs_neighbourhood(user, topic.neighbourhood_id)


def topics_moderated_by(user):
    return neighbourhood_scope(Topic.objects.all(), user)


def get_topic_for_user(user, pk):
    """Every topic is public; 404 only when there is no such topic."""
    return get_object_or_404(
        Topic.objects.select_related("neighbourhood__subdistrict__district", "opened_by"), pk=pk
    )


def get_topic_for_moderator(user, pk):
    """404 for a topic of another neighbourhood (call behind `staff_required`)."""
    return get_object_or_404(
        topics_moderated_by(user).select_related("neighbourhood__subdistrict"), pk=pk
    )


def get_suggestion_for_user(user, pk):
    """A suggestion the user can see: hidden ones only for their author (and moderators)."""
    suggestion = get_object_or_404(Suggestion.objects.select_related("topic", "author"), pk=pk)
    if (
        suggestion.hidden
        and suggestion.author_id != user.pk
        and not can_moderate(user, suggestion.topic)
    ):
        raise Http404
    return suggestion


def get_suggestion_for_moderator(user, pk):
    return get_object_or_404(
        Suggestion.objects.filter(topic__in=topics_moderated_by(user)).select_related(
            "topic", "author"
        ),
        pk=pk,
    )


# --- Guides (办事指南) -----------------------------------------------------------------


def guides_answered_by(user):
    """Guides whose questions the user may answer: their district's and their neighbourhood's."""
    return neighbourhood_scope(
        Guide.objects.all(),
        user,
        also=lambda neighbourhood: Q(
            neighbourhood__isnull=True, district_id=neighbourhood.subdistrict.district_id
        ),
    )


def can_answer(user, guide):
    return guides_answered_by(user).filter(pk=guide.pk).exists()


def get_guide_for_user(user, pk):
    """Published guides for everyone; drafts only for district admins (who write them)."""
    guides = (
        Guide.objects.all()
        if user.is_authenticated and user.is_district_admin
        else (Guide.objects.published())
    )
    return get_object_or_404(guides.select_related("neighbourhood", "district"), pk=pk)


def questions_answered_by(user):
    """Questions the user may see waiting and answer.

    A neighbourhood guide's questions go to its neighbourhood's staff. A district-wide
    guide is answered by every neighbourhood's staff, but each sees only the questions of
    residents who live in their own neighbourhood now: a question names its asker, and
    staff see personal data only within their neighbourhood. Questions from accounts not
    linked to a household (nobody's neighbourhood) are for district admins, who see all.
    """
    return neighbourhood_scope(
        GuideQuestion.objects.all(),
        user,
        path="guide__neighbourhood_id",
        also=lambda neighbourhood: Q(
            guide__neighbourhood__isnull=True,
            guide__district_id=neighbourhood.subdistrict.district_id,
            asker__resident_record__status="present",
            asker__resident_record__household__building__neighbourhood_id=neighbourhood.pk,
        ),
    )


def get_question_for_answerer(user, pk):
    return get_object_or_404(questions_answered_by(user).select_related("guide"), pk=pk)
