"""Public facilities (公共设施) near a neighbourhood: the 服务 column's "搜寻身边的公共设施".

Each facility is kept by the staff of one neighbourhood (usually the one it stands in). How
near it is to a neighbourhood is a walk in minutes entered by staff (no map tiles from the
internet): one row per facility and neighbourhood, so a park can be near two neighbourhoods.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from portal.scopes import NeighbourhoodScopedQuerySet

from .places import Neighbourhood


class FacilityQuerySet(NeighbourhoodScopedQuerySet):
    def near(self, neighbourhood):
        """Facilities with a walk entered for `neighbourhood`, nearest first (`walk_minutes`)."""
        walks = FacilityDistance.objects.filter(
            facility=OuterRef("pk"), neighbourhood=neighbourhood
        )
        return (
            self.annotate(walk_minutes=Subquery(walks.values("minutes")[:1]))
            .filter(walk_minutes__isnull=False)
            .order_by("walk_minutes", "name")
        )


class Facility(models.Model):
    class Kind(models.TextChoices):
        CENTRE = "centre", _("Neighbourhood centre (睦邻中心)")
        HEALTH = "health", _("Community health centre (社区卫生服务中心)")
        ELDERLY = "elderly", _("Elderly service station / canteen (为老服务站/长者食堂)")
        MARKET = "market", _("Food market (菜场)")
        POLICE = "police", _("Police station (派出所)")
        PARK = "park", _("Park / fitness point (公园/健身点)")
        PARTY = "party", _("Party-masses service station (党群服务站)")
        PARCEL = "parcel", _("Parcel station (快递驿站)")
        OTHER = "other", _("Other")

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        related_name="facilities",
        verbose_name=_("kept by the staff of"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=80)
    address = models.CharField(_("address"), max_length=200)
    hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    step_free = models.BooleanField(_("step-free entrance"), default=False)
    lift = models.BooleanField(_("lift"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    accessibility_note = models.CharField(
        _("accessibility notes"),
        max_length=200,
        blank=True,
        help_text=_("e.g. ramp at the side door; ask at the desk for a wheelchair"),
    )
    updated = models.DateTimeField(_("last updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last updated by"),
    )

    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("public facility")
        verbose_name_plural = _("public facilities")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "name"], name="unique_facility_name_per_neighbourhood"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def has_access_features(self):
        return self.step_free or self.lift or self.accessible_toilet

    @property
    def access_notes(self):
        """What the directory says about getting in: the three features, then the note."""
        features = [
            (self.step_free, _("Step-free entrance")),
            (self.lift, _("Lift")),
            (self.accessible_toilet, _("Accessible toilet")),
            (bool(self.accessibility_note), self.accessibility_note),
        ]
        return [label for present, label in features if present]


class FacilityDistance(models.Model):
    """How many minutes a neighbourhood's residents walk to a facility (entered by staff)."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="distances", verbose_name=_("facility")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.CASCADE,
        related_name="facility_distances",
        verbose_name=_("neighbourhood"),
    )
    minutes = models.PositiveSmallIntegerField(
        _("walking minutes"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("walk to a facility")
        verbose_name_plural = _("walks to facilities")
        ordering = ["neighbourhood__name", "minutes"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "neighbourhood"], name="one_walk_per_facility_and_neighbourhood"
            ),
            models.CheckConstraint(condition=Q(minutes__gt=0), name="facility_walk_positive"),
        ]

    def __str__(self):
        return f"{self.neighbourhood} → {self.facility}: {self.minutes}′"
