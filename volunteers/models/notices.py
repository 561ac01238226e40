"""What a volunteer is told (application decided, a place came free, a reminder, a record
decided), shown on /volunteers/me/ until the messages system delivers it further."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VolunteerNotice(models.Model):
    class Kind(models.TextChoices):
        APPLICATION_DECIDED = "application_decided", _("Application decided")
        SHIFT_PROMOTED = "shift_promoted", _("A place came free")
        SHIFT_REMINDER = "shift_reminder", _("Shift reminder")
        RECORD_VERIFIED = "record_verified", _("Hours verified")
        RECORD_ADJUSTED = "record_adjusted", _("Hours adjusted")
        RECORD_REJECTED = "record_rejected", _("Record rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volunteer_notices",
        verbose_name=_("account"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=400)
    link = models.CharField(_("link"), max_length=200, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("volunteer notice")
        verbose_name_plural = _("volunteer notices")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["user", "-created"], name="volunteer_notice_user")]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"
