"""Yearly recognitions (年度表彰) and service certificates with a public check."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scoping import HeldQuerySet


class Recognition(models.Model):
    """An award of the year to a volunteer, chosen by staff from the ranked list."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volunteer_recognitions",
        verbose_name=_("volunteer"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title of the award"), max_length=100)
    citation = models.CharField(_("citation"), max_length=300, blank=True)
    centre = models.ForeignKey(
        "neighborhoods.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("awarded by centre"),
    )
    neighbourhood = models.ForeignKey(
        "neighborhoods.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("awarded by neighbourhood"),
    )
    hours = models.DecimalField(_("verified hours in the year"), max_digits=7, decimal_places=2)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    awarded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = HeldQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer recognition")
        verbose_name_plural = _("volunteer recognitions")
        ordering = ["-year", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "year", "title"], name="one_recognition_per_title_year"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.title} · {self.volunteer}"


def new_certificate_code():
    # Unguessable: the public check must not let anyone walk through everyone's names.
    return secrets.token_urlsafe(12)


class Certificate(models.Model):
    """A volunteer's service certificate of one year; its code is in the QR code."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volunteer_certificates",
        verbose_name=_("volunteer"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("code"), max_length=32, unique=True, default=new_certificate_code)
    centre = models.ForeignKey(
        "neighborhoods.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing centre"),
    )
    neighbourhood = models.ForeignKey(
        "neighborhoods.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing neighbourhood"),
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("volunteer certificate")
        verbose_name_plural = _("volunteer certificates")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "year"], name="one_certificate_per_year")
        ]

    def __str__(self):
        return f"{self.year} · {self.volunteer}"

    def get_absolute_url(self):
        return reverse("volunteers:certificate-check", args=[self.code])

    @property
    def issuer(self):
        return self.centre or self.neighbourhood
