"""The discussion hall (邻里议事厅): topics, residents' suggestions, support and replies.

Staff of a neighbourhood open a topic ("how should the red-roof garden be designed?");
residents of that neighbourhood whose account is linked to a household (上云) suggest
and support (附议); staff reply, hide abusive suggestions and publish an outcome.
Everyone may read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.files import private_storage

__all__ = ["Reply", "Suggestion", "Support", "Topic", "TopicImage", "TopicQuerySet"]


class TopicQuerySet(models.QuerySet):
    def accepting(self, today=None):
        """Topics that still take suggestions: open, and the deadline not yet passed."""
        today = today or timezone.localdate()
        return self.filter(status=Topic.Status.OPEN, deadline__gte=today)

    def for_list(self, today=None):
        """Open topics first (nearest deadline first), then the others, newest outcome first."""
        today = today or timezone.localdate()
        return (
            self.select_related("neighbourhood")
            .annotate(
                accepting_rank=Case(
                    When(status=Topic.Status.OPEN, deadline__gte=today, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
                suggestion_count=Count("suggestions", filter=Q(suggestions__hidden=False)),
            )
            .order_by("accepting_rank", "deadline", "-outcome_published_at", "-created")
        )

    def for_neighbourhood(self, neighbourhood):
        return self.filter(neighbourhood=neighbourhood)


class Topic(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("topic", "Open")
        CLOSED = "closed", pgettext_lazy("topic", "Closed")

    neighbourhood = models.ForeignKey(
        "neighborhoods.Neighbourhood",
        on_delete=models.PROTECT,
        related_name="topics",
        verbose_name=_("neighbourhood"),
    )
    title = models.CharField(_("question"), max_length=200)
    background = models.TextField(_("background"), blank=True)
    deadline = models.DateField(
        _("deadline"), help_text=_("Suggestions are taken until the end of this day.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    outcome = models.TextField(_("outcome (what we will do)"), blank=True)
    outcome_published_at = models.DateTimeField(_("outcome published at"), null=True, blank=True)
    # Set once, together with the outcome: participants are emailed exactly once.
    participants_notified_at = models.DateTimeField(
        _("participants emailed at"), null=True, blank=True, editable=False
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="topics_opened",
        verbose_name=_("opened by"),
    )
    created = models.DateTimeField(pgettext_lazy("topic", "opened at"), auto_now_add=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("discussion topic")
        verbose_name_plural = _("discussion topics")
        ordering = ["-created"]

    def __str__(self):
        return self.title

    @property
    def is_accepting(self):
        """True while residents may still suggest and support."""
        return self.status == self.Status.OPEN and timezone.localdate() <= self.deadline

    @property
    def has_outcome(self):
        return bool(self.outcome_published_at)


class TopicImage(models.Model):
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="images", verbose_name=_("topic")
    )
    # Private storage: served only through checked views (views_media.py), never from /media/.
    image = models.ImageField(_("image"), upload_to="topics/%Y/%m/", storage=private_storage)
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to="topics/thumbs/%Y/%m/", storage=private_storage, blank=True
    )
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("display order", "position"), default=0
    )

    class Meta:
        verbose_name = _("topic image")
        verbose_name_plural = _("topic images")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.image.name

    def get_absolute_url(self):
        """The checked view of the full image (built from ids: no query)."""
        return reverse("notices:topic-image", args=[self.topic_id, self.pk])

    @property
    def thumbnail_url(self):
        """The thumbnail's view, or the full image's for an image stored without one."""
        if not self.thumbnail:
            return self.get_absolute_url()
        return reverse("notices:topic-image-thumb", args=[self.topic_id, self.pk])


class SuggestionQuerySet(models.QuerySet):
    def visible_to(self, user, *, moderator=False):
        """Hidden suggestions are seen by moderators and by their own author only."""
        if moderator:
            return self
        if user.is_authenticated:
            return self.filter(Q(hidden=False) | Q(author=user))
        return self.filter(hidden=False)

    def with_support(self):
        return self.annotate(support_count=Count("supports", distinct=True))

    def supported_by(self, user):
        """Annotates `supported` (bool): whether `user` has supported each suggestion."""
        if not user.is_authenticated:
            return self.annotate(supported=Value(False))
        return self.annotate(
            supported=Exists(Support.objects.filter(suggestion=OuterRef("pk"), user=user))
        )


class Suggestion(models.Model):
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("topic")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="suggestions",
        verbose_name=pgettext_lazy("writer", "author"),
    )
    text = models.TextField(_("suggestion"), max_length=2000)
    # Private storage: a hidden suggestion's photo is served only to whoever may still see it.
    photo = models.ImageField(
        _("photo"), upload_to="suggestions/%Y/%m/", storage=private_storage, blank=True
    )
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to="suggestions/thumbs/%Y/%m/", storage=private_storage, blank=True
    )
    hidden = models.BooleanField(_("hidden"), default=False, db_index=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    created = models.DateTimeField(_("posted at"), auto_now_add=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden=False) | ~Q(hidden_reason=""),
                name="hidden_suggestion_has_reason",
            )
        ]

    def __str__(self):
        return self.text[:40]

    @property
    def photo_url(self):
        """The checked view of the photo (built from the id: no query), or "" without one."""
        return reverse("notices:suggestion-photo", args=[self.pk]) if self.photo else ""

    @property
    def thumbnail_url(self):
        """The thumbnail's view; the photo's for a photo stored without one."""
        if not self.thumbnail:
            return self.photo_url
        return reverse("notices:suggestion-photo-thumb", args=[self.pk])

    @property
    def author_display(self):
        """Neighbours see the family name only (李*), not the whole name."""
        name = self.author.get_full_name() or self.author.first_name or ""
        return f"{name[0]}{'*' * max(1, len(name) - 1)}" if name else _("A resident")

    def hide(self, *, by, reason):
        self.hidden, self.hidden_reason = True, reason
        self.hidden_by, self.hidden_at = by, timezone.now()
        self.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])

    def unhide(self):
        self.hidden, self.hidden_reason, self.hidden_by, self.hidden_at = False, "", None, None
        self.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])


class Support(models.Model):
    """One resident's support (附议) for one suggestion: once each, kept by the database."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="supports", verbose_name=_("suggestion")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="supports",
        verbose_name=_("resident"),
    )
    created = models.DateTimeField(_("supported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support (附议)")
        verbose_name_plural = _("supports (附议)")
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "user"], name="support_once_per_user")
        ]

    def __str__(self):
        return f"{self.user} → {self.suggestion}"


class Reply(models.Model):
    """A staff member's answer to one suggestion, shown under it."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="replies", verbose_name=_("suggestion")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="topic_replies",
        verbose_name=_("staff member"),
    )
    text = models.TextField(_("reply"), max_length=2000)
    created = models.DateTimeField(_("replied at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created"]

    def __str__(self):
        return self.text[:40]
