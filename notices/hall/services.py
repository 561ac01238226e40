"""Discussion-hall and guide actions that touch several rows or have side effects (email)."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import Refused
from portal.files import atomic_with_files
from portal.images import attach_image

from ..messages import tell_topic_outcome
from ..models import Reply, Suggestion, Support, Topic, TopicImage

logger = logging.getLogger(__name__)

HOME_TOPICS = 3


@atomic_with_files()
def topic_create(*, neighbourhood, opened_by, title, background, deadline, images=()):
    topic = Topic.objects.create(
        neighbourhood=neighbourhood,
        opened_by=opened_by,
        title=title,
        background=background,
        deadline=deadline,
    )
    for position, upload in enumerate(images):
        attach_image(TopicImage(topic=topic, position=position), upload).save()
    return topic


@atomic_with_files()
def suggestion_create(*, topic, author, text, photo=None):
    """A suggestion; Refused once the topic is closed or past its deadline.

    The topic row is locked and read again, so a suggestion cannot slip in while staff
    close the topic (topic_close takes the same lock). The state is checked before the
    photo is stored; should anything fail after it, atomic_with_files deletes the photo.
    """
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if not topic.is_accepting:
        raise Refused(_("This topic no longer takes suggestions."))
    suggestion = Suggestion(topic=topic, author=author, text=text)
    if photo:
        attach_image(suggestion, photo, field="photo")
    suggestion.save()
    return suggestion


def suggestion_support(*, suggestion, user):
    """Support (附议) a suggestion once. Returns False when this user had already supported it.

    The unique constraint on (suggestion, user) is what keeps it to once: two taps or two
    browsers posting at the same moment both reach the INSERT, and the database lets one
    through. The loser's IntegrityError is rolled back in its own savepoint.
    """
    if suggestion.author_id == user.pk:
        raise Refused(_("You cannot support your own suggestion."))
    if suggestion.hidden:
        raise Refused(_("This suggestion has been hidden."))
    if not suggestion.topic.is_accepting:
        raise Refused(_("This topic no longer takes suggestions or support."))
    try:
        with transaction.atomic():
            Support.objects.create(suggestion=suggestion, user=user)
    except IntegrityError:
        return False
    return True


def reply_create(*, suggestion, author, text):
    return Reply.objects.create(suggestion=suggestion, author=author, text=text)


@transaction.atomic
def topic_close(*, topic, by, outcome):
    """Close the topic, publish its outcome and tell everyone who took part — once.

    The row lock makes a double click (or two staff at once) publish and email once: the
    second caller finds the topic already closed and gets Refused. The messages are written in
    the same transaction, so a rollback never leaves residents told of an outcome not there.
    """
    topic = Topic.objects.select_for_update().select_related("neighbourhood").get(pk=topic.pk)
    if topic.status == Topic.Status.CLOSED:
        raise Refused(_("This topic is already closed."))
    now = timezone.now()
    topic.status, topic.outcome = Topic.Status.CLOSED, outcome
    topic.outcome_published_at = topic.participants_notified_at = now
    topic.save(
        update_fields=["status", "outcome", "outcome_published_at", "participants_notified_at"]
    )
    # Every participant, whatever channel they have: the inbox always, and SMS, WeChat or
    # email as they have and want them (portal.messaging).
    tell_topic_outcome(topic)
    return topic


def home_topics_context(user, neighbourhood, district):
    """Open topics for the home page card: my neighbourhood's, else the district's."""
    topics = Topic.objects.accepting().for_list()
    if neighbourhood is not None:
        topics = topics.for_neighbourhood(neighbourhood)
    elif district is not None:
        topics = topics.filter(neighbourhood__subdistrict__district=district)
    return {"home_topics": list(topics[:HOME_TOPICS])}
