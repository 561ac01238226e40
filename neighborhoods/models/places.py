"""Places: district → subdistrict → neighbourhood (居民区) → building, zones (片区) and the
community workers (社区工作者) who look after them."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from portal.scopes import NeighbourhoodScopedQuerySet

# Building numbers and rooms are text ("9号", "12号", "302"): ordering by length first puts
# 9号 before 12号, as people count them.
BUILDING_ORDER = ["compound", Length("number"), "number"]


class District(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Subdistrict(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="subdistricts", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="unique_subdistrict_name")
        ]

    def __str__(self):
        return self.name


class NeighbourhoodQuerySet(models.QuerySet):
    def with_places(self):
        return self.select_related("subdistrict__district")


class Neighbourhood(models.Model):
    """A 居民区, run by one residents' committee."""

    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.PROTECT,
        related_name="neighbourhoods",
        verbose_name=_("subdistrict"),
    )
    name = models.CharField(_("name"), max_length=50)
    address = models.CharField(_("committee address"), max_length=200, blank=True)
    phone = models.CharField(_("committee phone"), max_length=30, blank=True)
    # 日看窗帘夜看灯: wall-clock deadlines (Asia/Shanghai) for the daily-watch checks.
    watch_day_deadline = models.TimeField(
        _("day check deadline (curtains)"), default=datetime.time(10, 0)
    )
    watch_night_deadline = models.TimeField(
        _("night check deadline (lights)"), default=datetime.time(21, 0)
    )
    # When each check can be marked (neighborhoods.models.watch has the rules): curtains
    # from the morning, lights from the evening, until this cut-off the next morning.
    watch_day_opens = models.TimeField(
        _("day check opens at"),
        default=datetime.time(6, 0),
        help_text=_("The day check (curtains) can be marked from this time."),
    )
    watch_night_opens = models.TimeField(
        _("night check opens at"),
        default=datetime.time(17, 0),
        help_text=_("The night check (lights) can be marked from this time."),
    )
    watch_night_cutoff = models.TimeField(
        _("night check morning cut-off"),
        default=datetime.time(4, 0),
        help_text=_(
            "A night check marked after midnight and before this time counts for the "
            "evening before."
        ),
    )

    objects = NeighbourhoodQuerySet.as_manager()

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["subdistrict__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "name"], name="unique_neighbourhood_name"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.watch_day_opens > self.watch_day_deadline:
            errors["watch_day_opens"] = _("The day check must open before its deadline.")
        if self.watch_night_opens > self.watch_night_deadline:
            errors["watch_night_opens"] = _("The night check must open before its deadline.")
        if self.watch_night_cutoff >= self.watch_night_opens:
            errors["watch_night_cutoff"] = _(
                "The morning cut-off must come before the night check opens."
            )
        if errors:
            raise ValidationError(errors)


class CommunityWorker(models.Model):
    """A residents'-committee worker (社区工作者): committee staff of one neighbourhood."""

    class Education(models.TextChoices):
        SECONDARY = "secondary", _("Secondary school or below")
        COLLEGE = "college", _("College (大专)")
        BACHELOR = "bachelor", _("Bachelor's degree")
        MASTER = "master", _("Master's degree or above")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_worker",
        verbose_name=_("account"),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        related_name="workers",
        verbose_name=_("neighbourhood"),
    )
    position = models.CharField(_("position"), max_length=50)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    social_work_certificate = models.BooleanField(
        _("social-work certificate (社工证)"), default=False
    )
    start_year = models.PositiveSmallIntegerField(
        _("started community work in"), null=True, blank=True
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("community worker")
        verbose_name_plural = _("community workers")
        ordering = ["neighbourhood__name", "user__last_name", "user__first_name"]

    def __str__(self):
        return f"{self.user} ({self.position})"

    # The committee's heads re-divide its zones (/staff/zones/). Derived from the position
    # as written in the workforce records ("居委会主任", "党总支书记", or both joined by
    # "、"), not stored twice: a deputy (副主任, 副书记) is not a director.
    DIRECTOR_POSITIONS = ("居委会主任", "党总支书记")

    @property
    def is_director(self):
        parts = self.position.replace("，", "、").replace(",", "、").split("、")
        return any(part.strip() in self.DIRECTOR_POSITIONS for part in parts)


class ZoneQuerySet(NeighbourhoodScopedQuerySet):
    pass


class Zone(models.Model):
    """A 片区: buildings of one neighbourhood in the care of one worker (分片包干)."""

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        related_name="zones",
        verbose_name=_("neighbourhood"),
    )
    name = models.CharField(_("name"), max_length=50)
    worker = models.ForeignKey(
        CommunityWorker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="zones",
        verbose_name=_("responsible worker"),
    )

    objects = ZoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["neighbourhood__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "name"], name="unique_zone_name")
        ]

    def __str__(self):
        return f"{self.neighbourhood} · {self.name}"

    @staticmethod
    def holder_of(zone):
        """The account that answers for a zone's households: its worker, while active."""
        worker = zone.worker if zone else None
        return worker.user if worker and worker.active else None


class BuildingQuerySet(NeighbourhoodScopedQuerySet):
    pass


class Building(models.Model):
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        related_name="buildings",
        verbose_name=_("neighbourhood"),
    )
    compound = models.CharField(
        _("compound (小区)"), max_length=50, blank=True, help_text=_("e.g. 文化佳园")
    )
    number = models.CharField(_("building number"), max_length=20, help_text=_("e.g. 12号"))
    zone = models.ForeignKey(
        Zone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="buildings",
        verbose_name=_("zone"),
    )
    floors = models.PositiveSmallIntegerField(_("floors"), default=6)
    address = models.CharField(_("street address"), max_length=200, blank=True)

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["neighbourhood__name", *BUILDING_ORDER]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "compound", "number"], name="unique_building_number"
            )
        ]
        indexes = [
            # The register's order (compound, then 2号 before 10号), one neighbourhood's
            # buildings read in it: its first page reads two or three buildings' households
            # and sorts only each building's rooms, however big the neighbourhood.
            models.Index(
                "neighbourhood",
                "compound",
                Length("number"),
                "number",
                name="building_natural_order",
            )
        ]

    def __str__(self):
        return f"{self.compound}{self.number}" if self.compound else self.number

    def save(self, *args, **kwargs):
        """A building moved to another neighbourhood (in admin) takes its households'
        needs along (Need.neighbourhood is the needs' scope)."""
        from .visits import Need  # visits.py imports this module

        with transaction.atomic():
            super().save(*args, **kwargs)
            Need.objects.filter(household__building=self).exclude(
                neighbourhood_id=self.neighbourhood_id
            ).update(neighbourhood_id=self.neighbourhood_id)

    def clean(self):
        if self.zone_id and self.zone.neighbourhood_id != self.neighbourhood_id:
            raise ValidationError(
                {"zone": _("The zone must belong to the building's neighbourhood.")}
            )
