"""Activities (活动) held by a neighbourhood centre or a residents' committee, and sign-ups.

An activity has a capacity (or none: unlimited), a sign-up window and a cancellation
deadline. Sign-ups beyond the capacity go on a waiting list, in order; a confirmed person
who cancels frees the place for the first one waiting. The rules that must hold under
concurrency (never more confirmed than the capacity; one sign-up per person) are kept by the
services in neighborhoods/activities/services.py, which lock the activity's row, and by the
database constraints below.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.files import private_storage
from portal.permissions import centre_scope, neighbourhood_scope
from portal.phones import mask_phone

from .centres import Centre
from .places import Neighbourhood
from .register import Resident, age_on


def activity_photo_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"activities/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def area_neighbourhoods(activity):
    """The neighbourhoods whose residents count as "of the area" of this activity's host.

    A residents' committee's area is its own neighbourhood. A centre's area is the
    neighbourhoods it serves (Centre.neighbourhoods, entered by admins); a centre with none
    recorded yet serves its whole subdistrict (街道).
    """
    if activity.neighbourhood_id:
        return Neighbourhood.objects.filter(pk=activity.neighbourhood_id)
    served = activity.centre.neighbourhoods.all()
    if served.exists():
        return served
    return Neighbourhood.objects.filter(subdistrict_id=activity.centre.subdistrict_id)


def _signup_count(status):
    signups = (
        SignUp.objects.filter(activity=OuterRef("pk"), status=status)
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(signups, output_field=models.IntegerField()), 0)


class ActivityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Activity.Status.PUBLISHED)

    def upcoming(self, now=None):
        """Not over yet (a two-day activity that started yesterday is still upcoming)."""
        return self.filter(ends_at__gt=now or timezone.now())

    def with_counts(self):
        # Subqueries (each an index scan of the activity's sign-ups, signup_queue), not a
        # join and GROUP BY over every sign-up: at district scale (half a million
        # sign-ups) the grouped join was most of the home page's and the list's time.
        return self.annotate(
            confirmed_count=_signup_count(SignUp.Status.CONFIRMED),
            waitlisted_count=_signup_count(SignUp.Status.WAITLISTED),
        )

    def with_attendance(self):
        came = Q(signups__status=SignUp.Status.CONFIRMED, signups__attended=True)
        absent = Q(signups__status=SignUp.Status.CONFIRMED, signups__attended=False)
        return self.annotate(
            came_count=Count("signups", filter=came), absent_count=Count("signups", filter=absent)
        )

    def with_places(self):
        """Only activities with a free place (needs with_counts())."""
        return self.filter(Q(capacity__isnull=True) | Q(capacity__gt=F("confirmed_count")))

    def for_list(self):
        # Explicit order: Meta.ordering is not applied to a query with GROUP BY (the counts).
        return (
            self.select_related("centre", "neighbourhood").with_counts().order_by("starts_at", "pk")
        )

    def for_area(self, neighbourhood):
        """Held by this neighbourhood's committee, or by a centre whose area includes it (the
        centres that serve it, and those of its subdistrict that record no neighbourhoods:
        the rule of `area_neighbourhoods`)."""
        return self.filter(
            Q(neighbourhood=neighbourhood)
            | Q(centre__neighbourhoods=neighbourhood)
            | Q(
                centre__subdistrict_id=neighbourhood.subdistrict_id,
                centre__neighbourhoods__isnull=True,
            )
        ).distinct()

    def managed_by(self, user):
        """Activities this user runs: centre staff their centres', committee staff their
        neighbourhood's, district admins all (the centre rule or the neighbourhood rule)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_district_admin:
            return self
        return centre_scope(self, user) | neighbourhood_scope(self, user)


class Activity(models.Model):
    class Category(models.TextChoices):
        CULTURE = "culture", _("Culture (文化)")
        HEALTH = "health", _("Health (健康)")
        CHILDREN = "children", _("Children and families (亲子/儿童)")
        VOLUNTEERING = "volunteering", _("Volunteering (志愿)")
        FESTIVAL = "festival", _("Festival (节庆)")
        LEARNING = "learning", _("Learning (学习)")
        OTHER = "other", _("Other (其他)")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class Audience(models.TextChoices):
        ANYONE = "anyone", _("Anyone signed in")
        AREA = "area", _("Residents of the area")
        NEIGHBOURHOOD = "neighbourhood", _("Residents of one neighbourhood")

    # The host: a centre or a residents' committee (exactly one, see the constraint).
    centre = models.ForeignKey(
        Centre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("centre"),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("neighbourhood"),
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    photo = models.ImageField(
        _("photo"), upload_to=activity_photo_path, storage=private_storage, blank=True
    )
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=activity_photo_path, storage=private_storage, blank=True
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.CULTURE
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    signup_opens_at = models.DateTimeField(
        _("sign-up opens"), null=True, blank=True, help_text=_("Empty: open now.")
    )
    signup_closes_at = models.DateTimeField(
        _("sign-up closes"), null=True, blank=True, help_text=_("Empty: when it starts.")
    )
    audience = models.CharField(
        _("who may sign up"), max_length=20, choices=Audience.choices, default=Audience.ANYONE
    )
    for_neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for residents of"),
    )
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, help_text=_("e.g. 60 for an activity for 60+")
    )
    cancel_deadline = models.DateTimeField(
        _("cancel until"), null=True, blank=True, help_text=_("Empty: until it starts.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("last changed"), auto_now=True)
    # Calendar apps replace an event they have when its SEQUENCE grows (RFC 5545).
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at", "pk"]
        indexes = [
            # upcoming(): the lists' "not over yet" (issue 14: at district scale the
            # activities list scanned 18,000 past activities to find a few hundred)
            models.Index(fields=["ends_at"], name="activity_ends_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(centre__isnull=False, neighbourhood__isnull=True)
                | Q(centre__isnull=True, neighbourhood__isnull=False),
                name="activity_one_host",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="activity_capacity_positive",
            ),
            models.CheckConstraint(
                condition=~Q(audience="neighbourhood") | Q(for_neighbourhood__isnull=False),
                name="activity_audience_neighbourhood",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("neighborhoods:activity-detail", args=[self.pk])

    @property
    def host(self):
        return self.centre or self.neighbourhood

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def closes_at(self):
        return self.signup_closes_at or self.starts_at

    @property
    def cancellable_until(self):
        return self.cancel_deadline or self.starts_at

    def is_open(self, now=None):
        now = now or timezone.now()
        return (
            not self.is_cancelled
            and (self.signup_opens_at is None or self.signup_opens_at <= now)
            and now < self.closes_at
        )

    def is_past(self, now=None):
        return self.ends_at <= (now or timezone.now())

    @property
    def places_left(self):
        """Free places, or None for no limit. Uses with_counts() when the list annotated it."""
        if self.capacity is None:
            return None
        confirmed = getattr(self, "confirmed_count", None)
        if confirmed is None:
            confirmed = self.signups.filter(status=SignUp.Status.CONFIRMED).count()
        return max(0, self.capacity - confirmed)

    @property
    def is_full(self):
        return self.places_left == 0

    def audience_label(self):
        if self.audience == self.Audience.NEIGHBOURHOOD and self.for_neighbourhood_id:
            return _("Residents of %(name)s") % {"name": self.for_neighbourhood}
        if self.audience == self.Audience.AREA:
            return _("Residents of the area of %(host)s") % {"host": self.host}
        return self.get_audience_display()

    def eligible_neighbourhoods(self):
        """Neighbourhoods whose residents may sign up, or None when anyone signed in may."""
        if self.audience == self.Audience.AREA:
            return area_neighbourhoods(self)
        if self.audience == self.Audience.NEIGHBOURHOOD:
            return Neighbourhood.objects.filter(pk=self.for_neighbourhood_id)
        return None

    def age_on_day(self, resident):
        """The resident's age on the activity's day (from the register), or None."""
        if resident is None or resident.birth_date is None:
            return None
        return age_on(resident.birth_date, timezone.localtime(self.starts_at).date())


class SignUpQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=SignUp.Status.CANCELLED)

    def confirmed(self):
        return self.filter(status=SignUp.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=SignUp.Status.WAITLISTED).order_by("position", "pk")

    def for_people_list(self):
        return self.select_related("user", "resident__household__building", "made_by")


class SignUp(models.Model):
    """One person's registration for one activity: their own, or made for them by staff."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="signups", verbose_name=_("activity")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activity_signups",
        verbose_name=_("account"),
    )
    # The register's person: set for residents (their own sign-up, or one staff made for
    # someone without a phone), so the household page shows it and nobody is counted twice.
    resident = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_signups",
        verbose_name=_("resident"),
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed up by (staff)"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    # Order on the waiting list: the next number of the activity, taken under its row lock.
    position = models.PositiveIntegerField(_("order"), default=0)
    created = models.DateTimeField(_("signed up at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved off the waiting list at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity sign-up")
        verbose_name_plural = _("activity sign-ups")
        ordering = ["activity", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(resident__isnull=False),
                name="signup_has_person",
            ),
            # One sign-up per person per activity; a cancelled one may be followed by another.
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=~Q(status="cancelled"),
                name="one_signup_per_account",
            ),
            models.UniqueConstraint(
                fields=["activity", "resident"],
                condition=~Q(status="cancelled"),
                name="one_signup_per_resident",
            ),
        ]
        indexes = [models.Index(fields=["activity", "status", "position"], name="signup_queue")]

    def __str__(self):
        return f"{self.name} · {self.activity}"

    @property
    def name(self):
        if self.resident_id:
            return self.resident.name
        return str(self.user) if self.user_id else ""

    @property
    def phone(self):
        if self.user_id and self.user.phone:
            return self.user.phone
        return self.resident.phone if self.resident_id else ""

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def room(self):
        return str(self.resident.household) if self.resident_id else ""

    @property
    def is_active(self):
        return self.status != self.Status.CANCELLED

    def can_cancel(self, now=None):
        now = now or timezone.now()
        return self.is_active and now < self.activity.cancellable_until


class SignUpNotice(models.Model):
    """A change to someone's sign-up they are told about on /me/ (and by email where known)."""

    class Kind(models.TextChoices):
        PROMOTED = "promoted", _("A place came free: you are now confirmed")
        CANCELLED = "cancelled", _("The activity was cancelled")
        REMINDER = "reminder", _("Reminder: the activity is tomorrow")

    signup = models.ForeignKey(
        SignUp, on_delete=models.CASCADE, related_name="notices", verbose_name=_("sign-up")
    )
    kind = models.CharField(_("what changed"), max_length=10, choices=Kind.choices)
    created = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("sign-up notice")
        verbose_name_plural = _("sign-up notices")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.signup} · {self.get_kind_display()}"
