"""Family members (家属): an account granted, by the resident or by staff with the elder's
consent, chosen messages about one household (building notices, the elder's activity
reminders, daily-watch alerts opened and closed). Revocable: a revoked grant stops at once,
since every reader asks for active grants only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.scopes import NeighbourhoodScopedQuerySet


class FamilyGrantQuerySet(NeighbourhoodScopedQuerySet):
    neighbourhood_path = "household__building__neighbourhood_id"

    def active(self):
        return self.filter(revoked_at__isnull=True)

    def for_member(self, user):
        """The grants this account holds now (none for anonymous)."""
        if not user.is_authenticated:
            return self.none()
        return self.active().filter(member=user)

    def wanting(self, kind):
        """Active grants whose holder chose to receive `kind` (a FamilyGrant.Kind)."""
        return self.active().filter(**{FamilyGrant.KIND_FIELDS[kind]: True})


class FamilyGrant(models.Model):
    """One account's grant to follow one household, with the kinds of message it receives."""

    class Via(models.TextChoices):
        RESIDENT = "resident", _("Added by the resident")
        STAFF = "staff", _("Added by staff, with the elder's consent")

    class Kind(models.TextChoices):
        BUILDING_NOTICES = "building_notices", _("Building notices")
        ACTIVITY_REMINDERS = "activity_reminders", _("Activity reminders for the elder")
        WATCH_ALERTS = "watch_alerts", _("Daily-watch alerts (opened and closed)")

    KIND_FIELDS = {
        Kind.BUILDING_NOTICES: "building_notices",
        Kind.ACTIVITY_REMINDERS: "activity_reminders",
        Kind.WATCH_ALERTS: "watch_alerts",
    }

    household = models.ForeignKey(
        "neighborhoods.Household",
        on_delete=models.CASCADE,
        related_name="family_grants",
        verbose_name=_("household"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="family_grants",
        verbose_name=_("family member"),
    )
    relation = models.CharField(_("relation"), max_length=30, blank=True)
    building_notices = models.BooleanField(_("building notices"), default=True)
    activity_reminders = models.BooleanField(_("activity reminders for the elder"), default=True)
    watch_alerts = models.BooleanField(_("daily-watch alerts"), default=True)
    via = models.CharField(_("added"), max_length=10, choices=Via.choices)
    # Null once the account that granted it is closed (注销): the grant stays the household's.
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    # Staff adding a family member on an elder's behalf record how the elder agreed
    # ("老人当面同意", "电话确认"): without it the grant is not made.
    consent = models.CharField(_("how the elder agreed"), max_length=200, blank=True)
    created = models.DateTimeField(_("granted at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = FamilyGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("family member grant")
        verbose_name_plural = _("family member grants")
        ordering = ["-created"]
        constraints = [
            # One live grant per household and account: adding again edits it.
            models.UniqueConstraint(
                fields=["household", "member"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_family_grant",
            ),
            models.CheckConstraint(
                condition=~Q(via="staff") | ~Q(consent=""),
                name="family_grant_by_staff_has_consent",
            ),
        ]

    def __str__(self):
        return f"{self.member} → {self.household}"

    @property
    def is_active(self):
        return self.revoked_at is None

    def granted_kinds(self):
        """The kinds of message this grant receives, as (value, label) pairs."""
        return [(k, k.label) for k, name in self.KIND_FIELDS.items() if getattr(self, name)]
