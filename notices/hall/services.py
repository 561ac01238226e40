"""Discussion-hall and guide actions that touch several rows or have side effects (email)."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.exceptions import Refused
from portal.files import atomic_with_files
from portal.images import attach_image
from portal.models import User

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


def _participants(topic):
    """Accounts that suggested or supported on this topic and have an email address."""
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(suggestions__topic=topic)
        .union(
            User.objects.filter(is_active=True)
            .exclude(email="")
            .filter(supports__suggestion__topic=topic)
        )
    )


def _outcome_messages(topic, recipients):
    url = settings.SITE_URL.rstrip("/") + reverse("notices:topic-detail", args=[topic.pk])
    # The email goes out in the site's first language (Chinese), whoever clicked "publish".
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[%(neighbourhood)s discussion hall] What we will do: %(title)s") % {
            "neighbourhood": topic.neighbourhood.name,
            "title": topic.title,
        }
        body = _(
            "Thank you for taking part in the discussion “%(title)s”.\n\n"
            "The residents' committee has published what it will do:\n\n%(outcome)s\n\n"
            "Read it with all suggestions and replies: %(url)s\n"
        ) % {"title": topic.title, "outcome": topic.outcome, "url": url}
    # One message per person: neighbours do not see each other's addresses.
    return [(subject, body, None, [user.email]) for user in recipients]


@transaction.atomic
def topic_close(*, topic, by, outcome):
    """Close the topic, publish its outcome and email the residents who took part — once.

    The row lock makes a double click (or two staff at once) publish and email once: the
    second caller finds the topic already closed and gets Refused. The mails are sent
    after commit, so a rollback never leaves residents told about an outcome that is not there.
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
    messages = _outcome_messages(topic, list(_participants(topic)))
    if messages:
        transaction.on_commit(lambda: _send(messages, topic))
    return topic


def _send(messages, topic):
    # The outcome is published whatever the mail server does; a failure is logged for staff.
    try:
        send_mass_mail(messages)
    except Exception:
        logger.exception("outcome emails for topic %s not sent", topic.pk)


def home_topics_context(user, neighbourhood, district):
    """Open topics for the home page card: my neighbourhood's, else the district's."""
    topics = Topic.objects.accepting().for_list()
    if neighbourhood is not None:
        topics = topics.for_neighbourhood(neighbourhood)
    elif district is not None:
        topics = topics.filter(neighbourhood__subdistrict__district=district)
    return {"home_topics": list(topics[:HOME_TOPICS])}
