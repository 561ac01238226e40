"""Who may do what in the discussion hall and on guides. Views fetch objects only through here.

Reading is public: anyone may read topics, suggestions that are not hidden, replies,
outcomes and published guides. Taking part (suggesting, supporting) is for residents
whose account is linked to a household (上云) in the topic's neighbourhood. Moderating
(replying, hiding, closing) is for the neighbourhood's committee staff and district admins;
staff of another neighbourhood get a 404, as if the object did not exist.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from portal.permissions import neighbourhood_scope, resident_neighbourhood, staffs_neighbourhood

from .models import Guide, GuideQuestion, Suggestion, Topic


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


# Guides


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


def get_question_for_answerer(user, pk):
    return get_object_or_404(
        GuideQuestion.objects.filter(guide__in=guides_answered_by(user)).select_related("guide"),
        pk=pk,
    )
