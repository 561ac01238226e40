"""Service records (服务记录): hours of volunteer service, counted only once verified; and
the star tiers (星级志愿者) that cumulative verified hours reach."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scoping import HeldQuerySet

MAX_HOURS = Decimal("24")


class ServiceRecordQuerySet(HeldQuerySet):
    def verified(self):
        return self.filter(status=ServiceRecord.Status.VERIFIED)

    def pending(self):
        return self.filter(status=ServiceRecord.Status.PENDING)

    def in_year(self, year):
        return self.filter(date__year=year)

    def total_hours(self):
        """Verified hours only: a pending or rejected record never counts."""
        return self.verified().aggregate(total=Sum("hours"))["total"] or Decimal("0")


class ServiceRecord(models.Model):
    """Hours of service by one volunteer on one day: proposed from an attended shift, or
    submitted by the volunteer for service outside a shift; staff verify, adjust or reject."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="service_records",
        verbose_name=_("volunteer"),
    )
    signup = models.OneToOneField(
        "volunteers.ShiftSignup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="record",
        verbose_name=_("shift sign-up"),
    )
    # Who verifies it: the shift's holder, or for service outside a shift the centre or
    # neighbourhood of the volunteer's profile.
    centre = models.ForeignKey(
        "neighborhoods.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("centre"),
    )
    neighbourhood = models.ForeignKey(
        "neighborhoods.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    date = models.DateField(_("date"))
    description = models.CharField(_("what was done"), max_length=200)
    claimed_hours = models.DecimalField(
        _("hours proposed"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(MAX_HOURS)],
    )
    hours = models.DecimalField(
        _("hours verified"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ServiceRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["volunteer", "status", "date"], name="record_volunteer")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="verified", hours__gt=0) | ~Q(status="verified"),
                name="verified_record_has_hours",
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} {self.date:%Y-%m-%d} {self.claimed_hours}h"

    @property
    def was_adjusted(self):
        return self.status == self.Status.VERIFIED and self.hours != self.claimed_hours


class StarTier(models.Model):
    """星级志愿者: a tier reached at so many cumulative verified hours.

    One small table, edited in the admin: the thresholds follow Shanghai's volunteer
    service (一星 100 h … 五星 1500 h), and the district should check them.
    """

    stars = models.PositiveSmallIntegerField(
        _("stars"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    name = models.CharField(_("name"), max_length=30)
    min_hours = models.PositiveIntegerField(_("from this many verified hours"), unique=True)

    class Meta:
        verbose_name = _("star tier")
        verbose_name_plural = _("star tiers")
        ordering = ["min_hours"]

    def __str__(self):
        return f"{self.name} ({self.min_hours} h)"
