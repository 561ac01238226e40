"""Home visits (走访), care levels, and needs (困难/诉求) followed to the end.

进百家门、访百家情、解百家难、暖百家心: a worker visits every household, learns what is going
on, and follows every difficulty raised until it is resolved or referred to another body.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Re-exported: migration 0007 names the callable by this path.
from portal.files import private_storage
from portal.scopes import NeighbourhoodScopedQuerySet

from .register import Household, birth_date_for_age

VISIT_EDIT_WINDOW = datetime.timedelta(hours=24)


# Longest text a visit note, need or addendum may hold: a page of writing, far more than a
# stairwell note needs, small enough that a pasted file is refused with a clear message.
TEXT_MAX = 4000


class CareLevel(models.Model):
    """The longest allowed gap between two visits, by kind of household (editable in admin)."""

    class Kind(models.TextChoices):
        ALONE_80 = "alone_80", _("Living alone, aged 80 or more")
        ALONE_60 = "alone_60", _("Living alone, aged 60 to 79")
        ELDERLY_ONLY = "elderly", _("Elderly-only household")
        OTHER = "other", _("Every other household")

    DEFAULT_GAPS = {Kind.ALONE_80: 7, Kind.ALONE_60: 30, Kind.ELDERLY_ONLY: 30, Kind.OTHER: 365}

    kind = models.CharField(
        _("kind of household"), max_length=10, choices=Kind.choices, unique=True
    )
    max_gap_days = models.PositiveSmallIntegerField(
        _("longest gap between visits (days)"),
        help_text=_("A household not visited for longer than this is overdue."),
    )

    class Meta:
        verbose_name = _("care level")
        verbose_name_plural = _("care levels")
        ordering = ["max_gap_days"]
        constraints = [
            models.CheckConstraint(condition=Q(max_gap_days__gte=1), name="care_level_gap_positive")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.max_gap_days}"

    @classmethod
    def gaps(cls):
        """{kind: days}, with the defaults for any kind missing from the table."""
        gaps = dict(cls.DEFAULT_GAPS)
        gaps.update(cls.objects.values_list("kind", "max_gap_days"))
        return gaps


class VisitQuerySet(NeighbourhoodScopedQuerySet):
    neighbourhood_path = "household__building__neighbourhood_id"

    def in_year(self, year):
        return self.filter(when__year=year)


class Visit(models.Model):
    """A home visit (走访): who went, when, whom they met and what they learned."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", _("Routine visit")
        CARE = "care", _("Care visit")
        FOLLOW_UP = "follow_up", _("Follow-up")
        EMERGENCY = "emergency", _("Emergency")

    household = models.ForeignKey(
        "neighborhoods.Household",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("household"),
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("visited by"),
    )
    when = models.DateTimeField(_("date and time"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ROUTINE)
    met = models.CharField(_("who was met"), max_length=200, blank=True)
    notes = models.TextField(_("what was learned"), blank=True, max_length=TEXT_MAX)
    created = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    updated = models.DateTimeField(_("last corrected at"), auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["-when"]
        indexes = [models.Index(fields=["household", "-when"], name="visit_household_when")]

    def __str__(self):
        return f"{self.household} · {timezone.localtime(self.when):%Y-%m-%d}"

    def save(self, *args, **kwargs):
        """Saved with its household's `last_visit` (and the one it was moved from, in admin)."""
        with transaction.atomic():
            super().save(*args, **kwargs)
            Household.objects.filter(pk__in=self._households_touched()).refresh_last_visit()
        self._loaded_household_id = self.household_id

    def delete(self, *args, **kwargs):
        households = self._households_touched()
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            Household.objects.filter(pk__in=households).refresh_last_visit()
        return result

    @classmethod
    def from_db(cls, db, field_names, values):
        visit = super().from_db(db, field_names, values)
        visit._loaded_household_id = visit.__dict__.get("household_id")
        return visit

    def _households_touched(self):
        return {self.household_id, getattr(self, "_loaded_household_id", None)} - {None}

    @property
    def edit_deadline(self):
        return self.created + VISIT_EDIT_WINDOW

    def is_editable_by(self, user):
        """Its author may correct a visit for 24 hours; after that it is part of the record."""
        return user.pk == self.staff_id and timezone.now() < self.edit_deadline


class VisitAddendum(models.Model):
    """A later addition to a visit that can no longer be corrected."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="addenda", verbose_name=_("visit")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("addendum"), max_length=TEXT_MAX)
    created = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit addendum")
        verbose_name_plural = _("visit addenda")
        ordering = ["created"]

    def __str__(self):
        return f"{self.visit} +"


class NeedQuerySet(NeighbourhoodScopedQuerySet):
    neighbourhood_path = "neighbourhood_id"

    def for_resident(self, user):
        """A linked resident's own household's needs."""
        resident = user.resident if user.is_authenticated else None
        if resident is None:
            return self.none()
        return self.filter(household_id=resident.household_id)

    def open(self):
        return self.filter(status__in=Need.OPEN_STATUSES)

    def for_list(self):
        return self.select_related("household__building__zone", "owner")

    def by_urgency(self):
        """Most urgent first, then oldest first."""
        rank = models.Case(
            models.When(urgency=Need.Urgency.URGENT, then=0),
            models.When(urgency=Need.Urgency.HIGH, then=1),
            models.When(urgency=Need.Urgency.NORMAL, then=2),
            default=3,
        )
        return self.annotate(urgency_rank=rank).order_by("urgency_rank", "created")

    def referrals_overdue(self, today=None):
        """Referred and still waiting for the other body's reply past the promised date."""
        today = today or timezone.localdate()
        return self.filter(
            status=Need.Status.REFERRED,
            referral_replied_at__isnull=True,
            referral_promised__lt=today,
        )

    def prefetch_public_actions(self):
        """The timeline a resident may see (into `public_actions`): no internal notes."""
        return self.prefetch_related(
            models.Prefetch(
                "actions",
                queryset=NeedAction.objects.filter(kind__in=NeedAction.PUBLIC_KINDS),
                to_attr="public_actions",
            )
        )


def need_photo_path(instance, filename):
    # Unguessable names: photos of people's homes are served only through a checked view.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"needs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Need(models.Model):
    """A difficulty or request (困难/诉求) of a household, followed until resolved or referred."""

    class Category(models.TextChoices):
        HEALTH = "health", _("Health")
        DAILY_LIVING = "daily", _("Daily living")
        HOUSING = "housing", _("Housing repair")
        FINANCE = "finance", _("Finance")
        DISPUTE = "dispute", _("Dispute")
        OTHER = "other", _("Other")

    class Urgency(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        REFERRED = "referred", _("Referred")

    class Via(models.TextChoices):
        VISIT = "visit", _("Home visit")
        RESIDENT = "resident", _("Reported by the resident")
        STAFF = "staff", _("Staff")
        ON_BEHALF = "on_behalf", _("Staff, for a resident without a phone")

    class Body(models.TextChoices):
        """Where a need can be referred to: the bodies a committee hands things over to."""

        PROPERTY = "property", _("Property management (物业)")
        OWNERS = "owners", _("Owners' committee (业委会)")
        SUBDISTRICT = "subdistrict", _("Subdistrict office department (街道)")
        HOTLINE = "hotline_12345", _("12345 citizen hotline")
        POLICE = "police", _("Police station")
        HOSPITAL = "hospital", _("Hospital or health centre")
        OTHER = "other", _("Other body")

    OPEN_STATUSES = [Status.OPEN, Status.IN_PROGRESS]

    household = models.ForeignKey(
        "neighborhoods.Household",
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("household"),
    )
    # The household's, stored (Need.save; Household.save and Building.save when they move)
    # so that a neighbourhood's open needs are one index range, not a walk of its households.
    neighbourhood = models.ForeignKey(
        "neighborhoods.Neighbourhood",
        on_delete=models.PROTECT,
        related_name="needs",
        editable=False,
        db_index=False,  # the index below starts with it
        verbose_name=_("neighbourhood"),
    )
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    description = models.TextField(_("description"), max_length=TEXT_MAX)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_needs",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    referred_to = models.CharField(_("referred to"), max_length=100, blank=True)
    # The referral loop: where it went, their reference (a 12345 work-order number), by when
    # they promised to answer, and their answer when it came back.
    referral_body = models.CharField(
        _("referred to (body)"), max_length=16, choices=Body.choices, blank=True
    )
    referral_reference = models.CharField(_("their reference"), max_length=50, blank=True)
    referral_promised = models.DateField(_("reply promised by"), null=True, blank=True)
    referral_reply = models.TextField(_("their reply"), blank=True, max_length=TEXT_MAX)
    referral_replied_at = models.DateTimeField(_("reply recorded at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True, max_length=TEXT_MAX)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="raised_needs",
        verbose_name=_("raised by"),
    )
    raised_via = models.CharField(_("raised via"), max_length=10, choices=Via.choices)
    photo = models.ImageField(
        _("photo"), upload_to=need_photo_path, storage=private_storage, blank=True
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("raised during visit"),
    )
    created = models.DateTimeField(
        _("raised at"), default=timezone.now, editable=False, db_index=True
    )
    closed = models.DateTimeField(_("closed at"), null=True, blank=True)
    # PIPL art. 29: health information is sensitive personal information; a resident who
    # reports a health difficulty gives separate consent to its handling, recorded here.
    sensitive_consent_at = models.DateTimeField(
        _("consent to sensitive data given at"), null=True, blank=True, editable=False
    )

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["neighbourhood", "status"], name="need_neighbourhood_status")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved") | ~Q(resolution=""),
                name="need_resolved_has_resolution",
            ),
            models.CheckConstraint(
                condition=~Q(status="referred") | ~Q(referred_to=""),
                name="need_referred_has_body",
            ),
        ]

    def __str__(self):
        return f"{self.household} · {self.get_category_display()}"

    def save(self, *args, **kwargs):
        if self.neighbourhood_id is None:
            self.neighbourhood_id = self.household.building.neighbourhood_id
        super().save(*args, **kwargs)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def age_days(self):
        return (timezone.now() - self.created).days

    @property
    def awaits_reply(self):
        return self.status == self.Status.REFERRED and self.referral_replied_at is None

    def referral_overdue(self, today=None):
        today = today or timezone.localdate()
        return bool(self.awaits_reply and self.referral_promised and self.referral_promised < today)


class NeedAction(models.Model):
    """One line of a need's timeline: who did what, and when."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised")
        TAKEN = "taken", _("Taken in hand")
        NOTE = "note", _("Internal note")
        RESOLVED = "resolved", _("Resolved")
        REFERRED = "referred", _("Referred")
        REASSIGNED = "reassigned", _("Handed over")
        REPLY = "reply", _("Reply received")
        REOPENED = "reopened", _("Re-opened")

    # What a resident sees on /me/needs/: the steps, never staff-internal notes or hand-overs.
    PUBLIC_KINDS = [
        Kind.RAISED,
        Kind.TAKEN,
        Kind.RESOLVED,
        Kind.REFERRED,
        Kind.REPLY,
        Kind.REOPENED,
    ]

    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="actions", verbose_name=_("need")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    # What the resident is told of a referral step (body, reference, promised date): kept on
    # the step, so that a need referred twice shows each referral as it was.
    detail = models.JSONField(_("details"), default=dict, blank=True)
    created = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("need action")
        verbose_name_plural = _("need actions")
        ordering = ["created", "pk"]

    def __str__(self):
        return f"{self.need_id} {self.kind}"

    @property
    def is_public(self):
        return self.kind in self.PUBLIC_KINDS


# Household queryset helpers (HouseholdQuerySet.overdue delegates here, so that everything
# about visits lives in this module).


def with_due(households, now=None):
    """Annotate `max_gap` and `due` (when the next visit is due, from `last_visit`).

    The gap comes from the care flag and, for those living alone, the eldest resident's
    age (`eldest_birth_date`), so the whole computation runs in the database.
    """
    now = now or timezone.now()
    gaps = CareLevel.gaps()
    born_80 = birth_date_for_age(80, timezone.localtime(now).date())
    max_gap = models.Case(
        models.When(
            care=Household.Care.ELDERLY_ALONE,
            eldest_birth_date__lte=born_80,
            then=models.Value(datetime.timedelta(days=gaps[CareLevel.Kind.ALONE_80])),
        ),
        models.When(
            care=Household.Care.ELDERLY_ALONE,
            then=models.Value(datetime.timedelta(days=gaps[CareLevel.Kind.ALONE_60])),
        ),
        models.When(
            care=Household.Care.ELDERLY_ONLY,
            then=models.Value(datetime.timedelta(days=gaps[CareLevel.Kind.ELDERLY_ONLY])),
        ),
        default=models.Value(datetime.timedelta(days=gaps[CareLevel.Kind.OTHER])),
        output_field=models.DurationField(),
    )
    return households.annotate(
        max_gap=max_gap,
        # A household never visited falls due one gap after it entered the register.
        due=models.ExpressionWrapper(
            Coalesce("last_visit", "created") + models.F("max_gap"),
            output_field=models.DateTimeField(),
        ),
    )


def overdue(households, now=None):
    """Households whose last visit is older than their care level allows, or never visited.

    Most overdue first, by the date the visit fell due (for a household never visited:
    one gap after it was registered, so that a flat of ordinary tenants added today does
    not push an 85-year-old living alone down the list).
    """
    now = now or timezone.now()
    return (
        with_due(households, now)
        .filter(Q(last_visit__isnull=True) | Q(due__lt=now))
        .order_by("due", "pk")
    )
