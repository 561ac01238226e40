"""Opportunities (岗位) held by a centre or a neighbourhood, their shifts, and sign-ups.

Capacity under concurrency works as for activity sign-ups: every change that can add or
free a confirmed place locks the shift's row first (volunteers/shifts/services.py), and a
partial unique constraint keeps one active sign-up per volunteer and shift.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .profiles import Skill
from .scoping import HeldQuerySet


class OpportunityQuerySet(HeldQuerySet):
    def active(self):
        return self.filter(active=True)


class Opportunity(models.Model):
    """A kind of volunteer work (岗位): the daily watch patrol, keeping order at events…"""

    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    centre = models.ForeignKey(
        "neighborhoods.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("centre"),
    )
    neighbourhood = models.ForeignKey(
        "neighborhoods.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("neighbourhood"),
    )
    skills_wanted = models.JSONField(_("skills wanted"), default=list, blank=True)
    active = models.BooleanField(_("taking volunteers"), default=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer opportunity")
        verbose_name_plural = _("volunteer opportunities")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(centre__isnull=False) | Q(neighbourhood__isnull=False),
                name="opportunity_has_a_holder",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("volunteers:opportunity-detail", args=[self.pk])

    @property
    def holder(self):
        return self.centre or self.neighbourhood

    def skill_labels(self):
        labels = dict(Skill.choices)
        return [str(labels[s]) for s in self.skills_wanted if s in labels]


class ShiftQuerySet(HeldQuerySet):
    centre_path = "opportunity__centre_id"
    neighbourhood_path = "opportunity__neighbourhood_id"

    def upcoming(self, today=None):
        return self.filter(date__gte=today or timezone.localdate())

    def with_counts(self):
        return self.annotate(
            confirmed_count=Count(
                "signups", filter=Q(signups__status=ShiftSignup.Status.CONFIRMED)
            ),
            waiting_count=Count("signups", filter=Q(signups__status=ShiftSignup.Status.WAITLISTED)),
        )


class Shift(models.Model):
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("opportunity")
    )
    date = models.DateField(_("date"))
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    place = models.CharField(_("place"), max_length=100)
    places_needed = models.PositiveSmallIntegerField(_("volunteers needed"))
    skills_wanted = models.JSONField(_("skills wanted"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_shifts",
        verbose_name=_("shift leader"),
    )
    cancelled = models.BooleanField(_("called off"), default=False)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["date", "starts", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="shift_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(places_needed__gt=0), name="shift_needs_someone"),
        ]

    def __str__(self):
        return f"{self.opportunity} {self.date:%Y-%m-%d} {self.starts:%H:%M}"

    def get_absolute_url(self):
        return reverse("volunteers:shift-detail", args=[self.pk])

    def starts_at(self):
        return timezone.make_aware(datetime.datetime.combine(self.date, self.starts))

    def ends_at(self):
        return timezone.make_aware(datetime.datetime.combine(self.date, self.ends))

    @property
    def hours(self):
        """The shift's length in hours (to the quarter hour), as proposed for a record."""
        minutes = int((self.ends_at() - self.starts_at()).total_seconds() // 60)
        return Decimal(round(minutes / 15) * 15) / 60

    def is_over(self, now=None):
        return (now or timezone.now()) >= self.ends_at()

    def has_started(self, now=None):
        return (now or timezone.now()) >= self.starts_at()

    def skill_labels(self):
        labels = dict(Skill.choices)
        return [
            str(labels[s])
            for s in self.skills_wanted or self.opportunity.skills_wanted
            if s in labels
        ]


class ShiftSignupQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=ShiftSignup.Status.CANCELLED)

    def confirmed(self):
        return self.filter(status=ShiftSignup.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=ShiftSignup.Status.WAITLISTED).order_by("position")


class ShiftSignup(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Attendance(models.TextChoices):
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    shift = models.ForeignKey(
        Shift, on_delete=models.CASCADE, related_name="signups", verbose_name=_("shift")
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shift_signups",
        verbose_name=_("volunteer"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    position = models.PositiveIntegerField(_("order of sign-up"))
    created = models.DateTimeField(_("signed up at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved up at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, blank=True
    )
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attendance recorded by"),
    )
    attendance_at = models.DateTimeField(_("attendance recorded at"), null=True, blank=True)

    objects = ShiftSignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift sign-up")
        verbose_name_plural = _("shift sign-ups")
        ordering = ["shift", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=~Q(status="cancelled"),
                name="one_active_shift_signup",
            ),
            models.UniqueConstraint(fields=["shift", "position"], name="unique_shift_position"),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.shift}"

    @property
    def is_active(self):
        return self.status != self.Status.CANCELLED
