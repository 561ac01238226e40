"""Neighbourhood centres (睦邻中心) and the people who staff them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .places import Subdistrict


class Centre(models.Model):
    """A neighbourhood centre (睦邻中心)."""

    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="centres", verbose_name=_("subdistrict")
    )
    name = models.CharField(_("name"), max_length=80, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    operator = models.CharField(_("operating social organisation"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("neighbourhood centre")
        verbose_name_plural = _("neighbourhood centres")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CentreStaff(models.Model):
    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="staff", verbose_name=_("centre")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="centre_memberships",
        verbose_name=_("account"),
    )
    position = models.CharField(_("position"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("centre staff member")
        verbose_name_plural = _("centre staff")
        constraints = [
            models.UniqueConstraint(fields=["centre", "user"], name="unique_centre_staff")
        ]

    def __str__(self):
        return f"{self.user} @ {self.centre}"
