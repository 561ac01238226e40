"""Rehab-aid rental (康复辅具社区租赁): a catalogue of items, units of stock held at points
(a neighbourhood centre or a residents' committee), and loans.

A loan goes request → approve (or reject with a reason) → lend a unit (due date) → return
(condition noted), with renewals; when no unit is free at approval it waits, and the waiting
list is served in order when a unit comes back. Every step is a LoanEvent (the timeline).

Stock under concurrency: every change that takes or frees a unit at a point (approve, lend,
return, cancel, a unit mended or added) locks the point's row first (SELECT … FOR UPDATE,
in neighborhoods/rental/services.py), so they happen one after another; and the database
keeps a unit on at most one loan out (a partial unique constraint).
"""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .centres import Centre
from .places import Neighbourhood
from .register import Resident
from .visits import Need

MAX_RENEWALS = 2
DUE_SOON_DAYS = 2  # the due reminder (`loan_due`) goes this many days before the due date


class AidPointQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The points `user` keeps: admins all, centre staff their centres', committee staff
        their neighbourhood's; everyone else none (the two scope rules of portal/permissions)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_district_admin:
            return self
        rule = Q(centre_id__in=user.staff_centre_ids) if user.staff_centre_ids else Q(pk__in=[])
        if user.worker is not None:
            rule |= Q(neighbourhood_id=user.worker.neighbourhood_id)
        return self.filter(rule)


class AidPoint(models.Model):
    """Where aids are kept and lent: a neighbourhood centre, or a residents' committee."""

    centre = models.OneToOneField(
        Centre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aid_point",
        verbose_name=_("centre"),
    )
    neighbourhood = models.OneToOneField(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aid_point",
        verbose_name=_("residents' committee"),
    )

    objects = AidPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("rental point")
        verbose_name_plural = _("rental points")
        constraints = [
            models.CheckConstraint(
                condition=(Q(centre__isnull=False) & Q(neighbourhood__isnull=True))
                | (Q(centre__isnull=True) & Q(neighbourhood__isnull=False)),
                name="aid_point_centre_or_neighbourhood",
                violation_error_message=_("A rental point is a centre or a committee, not both."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.centre.name if self.centre_id else self.neighbourhood.name

    @property
    def address(self):
        return self.centre.address if self.centre_id else self.neighbourhood.address

    @property
    def phone(self):
        return self.centre.phone if self.centre_id else self.neighbourhood.phone


class AidItem(models.Model):
    """One item of the catalogue (护理床, 轮椅…), with who may borrow it."""

    class Kind(models.TextChoices):
        BED = "bed", _("Nursing bed (护理床)")
        WHEELCHAIR = "wheelchair", _("Wheelchair (轮椅)")
        WALKER = "walker", _("Walking frame (助行器)")
        COMMODE = "commode", _("Commode chair (坐便椅)")
        SHOWER = "shower", _("Shower chair (洗澡椅)")
        OXYGEN = "oxygen", _("Oxygen concentrator (制氧机)")
        OTHER = "other", _("Other aid")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    photo = models.ImageField(_("photo"), upload_to="aids/", blank=True)
    deposit = models.DecimalField(
        _("deposit (yuan)"), max_digits=8, decimal_places=2, default=0, help_text=_("0: none")
    )
    daily_fee = models.DecimalField(
        _("fee per day (yuan)"), max_digits=8, decimal_places=2, default=0, help_text=_("0: free")
    )
    loan_days = models.PositiveSmallIntegerField(
        _("loan period (days)"), default=30, validators=[MinValueValidator(1)]
    )
    # Who may borrow it (at least one): the register answers for age and the disability
    # card (tag 残疾); a doctor's note after leaving hospital is seen by staff.
    for_elderly = models.BooleanField(_("aged 60 or over"), default=True)
    for_disability = models.BooleanField(_("disability card holders"), default=True)
    for_discharged = models.BooleanField(
        _("discharged from hospital, with a doctor's note"), default=True
    )
    active = models.BooleanField(_("in the catalogue"), default=True)

    class Meta:
        verbose_name = _("rehab aid")
        verbose_name_plural = _("rehab aids")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(for_elderly=True) | Q(for_disability=True) | Q(for_discharged=True),
                name="aid_item_has_eligibility",
                violation_error_message=_("Say who may borrow this item."),
            ),
            models.CheckConstraint(
                condition=Q(deposit__gte=0) & Q(daily_fee__gte=0), name="aid_item_fees_not_negative"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_free(self):
        return not self.daily_fee

    def bases(self):
        """The eligibility bases this item accepts, as Loan.Basis values."""
        allowed = [
            (self.for_elderly, Loan.Basis.AGE),
            (self.for_disability, Loan.Basis.DISABILITY),
            (self.for_discharged, Loan.Basis.DISCHARGED),
        ]
        return [basis for ok, basis in allowed if ok]


class AidUnitQuerySet(models.QuerySet):
    def available(self):
        return self.filter(status=AidUnit.Status.AVAILABLE)


class AidUnit(models.Model):
    """One piece of stock, with its own code and condition, held at one point."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        LENT = "lent", _("Lent out")
        REPAIR = "repair", _("Being repaired or cleaned")
        RETIRED = "retired", _("Retired")

    class Condition(models.TextChoices):
        NEW = "new", _("New")
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair, usable")
        DAMAGED = "damaged", _("Damaged")

    item = models.ForeignKey(
        AidItem, on_delete=models.PROTECT, related_name="units", verbose_name=_("item")
    )
    point = models.ForeignKey(
        AidPoint, on_delete=models.PROTECT, related_name="units", verbose_name=_("held at")
    )
    code = models.CharField(_("code"), max_length=30, unique=True, help_text=_("e.g. WHJY-LY-03"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.AVAILABLE
    )
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, default=Condition.GOOD
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created = models.DateTimeField(_("added"), default=timezone.now)

    objects = AidUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit of stock")
        verbose_name_plural = _("units of stock")
        ordering = ["item__kind", "code"]
        indexes = [models.Index(fields=["point", "item", "status"], name="aid_unit_stock")]

    def __str__(self):
        return f"{self.item} {self.code}"


class LoanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Loans of the points `user` keeps (see AidPointQuerySet.visible_to)."""
        return self.filter(point__in=AidPoint.objects.visible_to(user))

    def of_person(self, user):
        """My loans: for my register record, or asked by me."""
        if not user.is_authenticated:
            return self.none()
        rule = Q(requested_by=user)
        if user.resident is not None:
            rule |= Q(resident=user.resident)
        return self.filter(rule)

    def open(self):
        return self.filter(status__in=Loan.OPEN_STATUSES)

    def out(self):
        return self.filter(status=Loan.Status.LENT)

    def overdue(self, today=None):
        return self.out().filter(due_date__lt=today or timezone.localdate())

    def due_within(self, days, today=None):
        """Out and due between today and `days` days from now (not yet overdue)."""
        today = today or timezone.localdate()
        return self.out().filter(
            due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days)
        )

    def for_list(self):
        return self.select_related(
            "item", "unit", "point__centre", "point__neighbourhood", "resident__household__building"
        )


class Loan(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested: waiting for staff")
        WAITING = "waiting", _("Approved: on the waiting list")
        APPROVED = "approved", _("Approved: ready to collect")
        LENT = "lent", _("Lent out")
        RETURNED = "returned", _("Returned")
        REJECTED = "rejected", _("Not approved")
        CANCELLED = "cancelled", _("Cancelled")

    class Basis(models.TextChoices):
        AGE = "age", _("Aged 60 or over")
        DISABILITY = "disability", _("Holder of a disability card (残疾人证)")
        DISCHARGED = "discharged", _("Discharged from hospital, with a doctor's note")

    OPEN_STATUSES = [Status.REQUESTED, Status.WAITING, Status.APPROVED, Status.LENT]

    item = models.ForeignKey(
        AidItem, on_delete=models.PROTECT, related_name="loans", verbose_name=_("item")
    )
    point = models.ForeignKey(
        AidPoint, on_delete=models.PROTECT, related_name="loans", verbose_name=_("rental point")
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="loans", verbose_name=_("for")
    )
    # Null once the account that asked is closed (注销): the loan stays the point's record.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="aid_requests",
        verbose_name=_("asked by"),
    )
    basis = models.CharField(_("eligible as"), max_length=12, choices=Basis.choices)
    # True when the register itself shows the basis (date of birth, the 残疾 tag); else a
    # member of staff confirms it on approval, having seen the card or the doctor's note.
    basis_from_register = models.BooleanField(_("shown by the register"), default=False)
    basis_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eligibility confirmed by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    unit = models.ForeignKey(
        AidUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loans",
        verbose_name=_("unit"),
    )
    lent_at = models.DateTimeField(_("lent at"), null=True, blank=True)
    due_date = models.DateField(_("due back"), null=True, blank=True)
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_condition = models.CharField(
        _("condition on return"), max_length=10, choices=AidUnit.Condition.choices, blank=True
    )
    reminded_for = models.DateField(_("due reminder sent for"), null=True, blank=True)
    need = models.ForeignKey(
        Need,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="loans",
        verbose_name=_("answers the need"),
    )
    created = models.DateTimeField(_("asked at"), default=timezone.now, db_index=True)

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-created", "-pk"]
        constraints = [
            # The stock rule: a unit is on at most one loan out at a time.
            models.UniqueConstraint(
                fields=["unit"], condition=Q(status="lent"), name="one_active_loan_per_unit"
            ),
            # One open request or loan of an item per person (a double tap makes one).
            models.UniqueConstraint(
                fields=["resident", "item"],
                condition=Q(status__in=["requested", "waiting", "approved", "lent"]),
                name="one_open_loan_per_resident_and_item",
            ),
            models.CheckConstraint(
                condition=~Q(status="lent") | (Q(unit__isnull=False) & Q(due_date__isnull=False)),
                name="loan_out_has_unit_and_due_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""), name="loan_rejected_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.item} · {self.resident}"

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.status == self.Status.LENT and self.due_date < today

    @property
    def overdue(self):
        return self.is_overdue()

    @property
    def days_left(self):
        if self.status != self.Status.LENT:
            return None
        return (self.due_date - timezone.localdate()).days

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


class LoanEvent(models.Model):
    """One step of a loan's timeline: who did what, and when."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Asked for")
        APPROVED = "approved", _("Approved")
        WAITING = "waiting", _("Put on the waiting list")
        TURN = "turn", _("A unit came free: ready to collect")
        REJECTED = "rejected", _("Not approved")
        LENT = "lent", _("Lent")
        RENEWED = "renewed", _("Renewed")
        REMINDED = "reminded", _("Reminded: due back soon")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")

    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="events", verbose_name=_("loan")
    )
    kind = models.CharField(_("what happened"), max_length=10, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("loan event")
        verbose_name_plural = _("loan events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.loan_id} {self.kind}"


class LoanNotice(models.Model):
    """Something a person is told about their loan: shown on /me/ until messages exist.

    Written only by the tell_<event> functions of neighborhoods/rental/services.py.
    """

    class Kind(models.TextChoices):
        APPROVED = "approved", _("Your request was approved")
        WAITING = "waiting", _("Your request was approved; you are on the waiting list")
        REJECTED = "rejected", _("Your request was not approved")
        LENT = "lent", _("Lent to you")
        DUE = "loan_due", _("Due back soon")
        TURN = "turn", _("Your turn: a unit is ready to collect")

    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="notices", verbose_name=_("loan")
    )
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    created = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("loan notice")
        verbose_name_plural = _("loan notices")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.loan} · {self.get_kind_display()}"
