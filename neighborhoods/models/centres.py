"""Neighbourhood centres (睦邻中心), the social organisations that run them under contract,
their yearly star ratings, the people who staff them, and how far each neighbourhood walks
to them (the "1510" rule: a centre within a 15-minute walk, running at least 10 service
projects a year)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from portal.scopes import CentreScopedQuerySet

from .places import Neighbourhood, Subdistrict

# 1510: a centre within a 15-minute walk, with at least 10 service projects in the year.
WALK_MINUTES_LIMIT = 15
SERVICE_PROJECTS_MINIMUM = 10

STARS_MIN, STARS_MAX = 1, 5


class SocialOrganisation(models.Model):
    """A social organisation (社会组织) that runs centres: the district's 睦邻伙伴."""

    class Kind(models.TextChoices):
        SOCIAL_WORK = "social_work", _("Social-work agency (社工机构)")
        SERVICE_CENTRE = "service_centre", _("Social service centre (社会服务中心)")
        FOUNDATION = "foundation", _("Foundation (基金会)")
        OTHER = "other", _("Other organisation")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("social organisation")
        verbose_name_plural = _("social organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CentreQuerySet(CentreScopedQuerySet):
    centre_path = "id"

    def with_stars(self, year):
        """Each centre's star rating of `year` as `stars` (None when not rated that year)."""
        ratings = StarRating.objects.filter(centre=OuterRef("pk"), year=year)
        return self.annotate(stars=Subquery(ratings.values("stars")[:1]))

    def with_service_project_count(self, year):
        """`service_projects`: the centre's service projects of `year` (they count for 1510)."""
        return self.annotate(
            service_projects=models.Count(
                "projects", filter=Q(projects__year=year, projects__is_service=True)
            )
        )

    def for_list(self):
        return self.select_related("subdistrict", "organisation").prefetch_related(
            models.Prefetch("neighbourhoods", queryset=Neighbourhood.objects.order_by("name"))
        )


class Centre(models.Model):
    """A neighbourhood centre (睦邻中心)."""

    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="centres", verbose_name=_("subdistrict")
    )
    name = models.CharField(_("name"), max_length=80, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The operator as first written down, before organisations had records of their own;
    # kept as text so that nothing is lost. Pages show `organisation` when it is set.
    operator = models.CharField(
        _("operating social organisation (as written)"), max_length=100, blank=True
    )
    organisation = models.ForeignKey(
        SocialOrganisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="centres",
        verbose_name=_("operating social organisation"),
    )
    neighbourhoods = models.ManyToManyField(
        Neighbourhood,
        blank=True,
        related_name="centres",
        verbose_name=_("neighbourhoods served"),
    )

    objects = CentreQuerySet.as_manager()

    class Meta:
        verbose_name = _("neighbourhood centre")
        verbose_name_plural = _("neighbourhood centres")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def operator_name(self):
        return self.organisation.name if self.organisation_id else self.operator


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


class OperatingContract(models.Model):
    """An organisation runs a centre from `start` to `end` (open-ended while `end` is empty)."""

    organisation = models.ForeignKey(
        SocialOrganisation,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("social organisation"),
    )
    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="contracts", verbose_name=_("centre")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("operating contract")
        verbose_name_plural = _("operating contracts")
        ordering = ["centre__name", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="contract_ends_after_start",
                violation_error_message=_("A contract cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.organisation} → {self.centre} ({self.start:%Y-%m-%d})"


class StarRating(models.Model):
    """The district's yearly star rating of a centre (1 to 5 stars), one per centre per year.

    Ratings are never overwritten by the next year's: each year's row stays as history.
    """

    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("centre")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(STARS_MIN), MaxValueValidator(STARS_MAX)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("star rating")
        verbose_name_plural = _("star ratings")
        ordering = ["centre__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "year"],
                name="one_rating_per_centre_and_year",
                violation_error_message=_("This centre already has a rating for that year."),
            ),
            models.CheckConstraint(
                condition=Q(stars__gte=STARS_MIN, stars__lte=STARS_MAX),
                name="rating_stars_1_to_5",
                violation_error_message=_("A rating has 1 to 5 stars."),
            ),
        ]

    def __str__(self):
        return f"{self.centre} {self.year}: {self.stars}★"


class WalkingDistance(models.Model):
    """How many minutes a neighbourhood's residents walk to a centre (entered by admins)."""

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.CASCADE,
        related_name="walking_distances",
        verbose_name=_("neighbourhood"),
    )
    centre = models.ForeignKey(
        Centre,
        on_delete=models.CASCADE,
        related_name="walking_distances",
        verbose_name=_("centre"),
    )
    minutes = models.PositiveSmallIntegerField(
        _("walking minutes"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("walking distance")
        verbose_name_plural = _("walking distances")
        ordering = ["neighbourhood__name", "minutes"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "centre"], name="one_walk_per_neighbourhood_and_centre"
            ),
            models.CheckConstraint(
                condition=Q(minutes__gt=0),
                name="walking_minutes_positive",
                violation_error_message=_("Walking minutes must be more than zero."),
            ),
        ]

    def __str__(self):
        return f"{self.neighbourhood} → {self.centre}: {self.minutes}′"

    @property
    def within_limit(self):
        return self.minutes <= WALK_MINUTES_LIMIT
