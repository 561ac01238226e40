"""Volunteer profiles (志愿者): who volunteers, with what skills, approved or not."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VolunteerProfile(models.Model):
    """A resident who volunteers (志愿者)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        SUSPENDED = "suspended", _("Suspended")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volunteer_profile",
        verbose_name=_("account"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    joined = models.DateField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")
        ordering = ["-joined"]

    def __str__(self):
        return str(self.user)
