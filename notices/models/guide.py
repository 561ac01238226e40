"""Guides with questions (办事指南): staff-written pages, residents ask, staff answer."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..sanitize import sanitize_body

__all__ = ["Guide", "GuideQuerySet", "GuideQuestion", "GuideQuestionQuerySet"]


class GuideQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def for_neighbourhood(self, neighbourhood):
        """District-wide guides of the neighbourhood's district, and the neighbourhood's own."""
        return self.filter(
            Q(neighbourhood__isnull=True, district_id=neighbourhood.subdistrict.district_id)
            | Q(neighbourhood=neighbourhood)
        )


class Guide(models.Model):
    """A how-to page such as lift installation (加装电梯) or civilised pet keeping (文明养宠).

    Scope: the whole district, or one neighbourhood when `neighbourhood` is set.
    """

    district = models.ForeignKey(
        "neighborhoods.District",
        on_delete=models.PROTECT,
        related_name="guides",
        verbose_name=_("district"),
    )
    neighbourhood = models.ForeignKey(
        "neighborhoods.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guides",
        verbose_name=_("neighbourhood"),
        help_text=_("Leave empty for a guide of the whole district."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(
        _("body"),
        help_text=_("Paragraphs, lists, bold and links only; anything else is removed."),
    )
    published = models.BooleanField(_("published"), default=False, db_index=True)
    position = models.PositiveSmallIntegerField(_("position in the list"), default=0)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = GuideQuerySet.as_manager()

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["district", "title"], name="unique_guide_title")
        ]

    def __str__(self):
        return self.title

    @property
    def body_html(self):
        """The body through the notices' sanitiser (nh3), so no script ever reaches the page.

        Cleaned when shown rather than when saved: bodies are written in the admin, and a
        rule tightened in the sanitiser later applies to every guide at once.
        """
        return mark_safe(sanitize_body(self.body))  # noqa: S308 - cleaned by nh3 just above

    def clean(self):
        if self.neighbourhood_id and self.neighbourhood.subdistrict.district_id != self.district_id:
            raise ValidationError(
                {"neighbourhood": _("The neighbourhood must be in the guide's district.")}
            )


class GuideQuestionQuerySet(models.QuerySet):
    def answered(self):
        return self.exclude(answered_at__isnull=True)

    def waiting(self):
        return self.filter(answered_at__isnull=True)


class GuideQuestion(models.Model):
    """A resident's question on a guide; public (as an FAQ) once staff answer it."""

    guide = models.ForeignKey(
        Guide, on_delete=models.CASCADE, related_name="questions", verbose_name=_("guide")
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guide_questions",
        verbose_name=_("asked by"),
    )
    text = models.TextField(_("question"), max_length=1000)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created = models.DateTimeField(pgettext_lazy("question", "asked at"), auto_now_add=True)

    objects = GuideQuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question on a guide")
        verbose_name_plural = _("questions on guides")
        ordering = ["-answered_at", "-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="answered_question_has_answer",
            )
        ]

    def __str__(self):
        return self.text[:40]

    @property
    def is_answered(self):
        return self.answered_at is not None

    def record_answer(self, *, by, answer):
        self.answer, self.answered_by, self.answered_at = answer, by, timezone.now()
        self.save(update_fields=["answer", "answered_by", "answered_at"])
        from notices.messages import tell_question_answered

        tell_question_answered(self)
