"""The household register: households (户), residents (居民) and their accounts' links (上云)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.exceptions import Refused
from portal.phones import mainland_mobile_validator, mask_phone
from portal.scopes import NeighbourhoodScopedQuerySet

from .places import Building, Neighbourhood, Zone

ELDERLY_AGE = 60


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def birth_date_for_age(age, day):
    """The latest birth date of someone who is `age` or older on `day`."""
    try:
        return day.replace(year=day.year - age)
    except ValueError:  # 29 February
        return day.replace(year=day.year - age, day=28)


def visited_this_year_q(now=None):
    """Visited since 1 January (local time) of this year: visits are never in the future
    (VisitForm), so the last visit alone tells."""
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.datetime(today.year, 1, 1))
    return Q(last_visit__gte=start)


class HouseholdQuerySet(NeighbourhoodScopedQuerySet):
    neighbourhood_path = "building__neighbourhood_id"

    def for_list(self):
        return self.select_related("building__zone").prefetch_related(
            models.Prefetch("residents", queryset=Resident.objects.present())
        )

    # Visits (走访): implemented in visits.py, next to the Visit model. visits.py imports
    # this module (Household), so these import it when called: the cycle needs it.
    def overdue(self, now=None):
        from .visits import overdue

        return overdue(self, now)

    def visited_this_year(self, now=None):
        return self.filter(visited_this_year_q(now))

    def not_visited_this_year(self, now=None):
        return self.exclude(visited_this_year_q(now))

    def refresh_last_visit(self):
        """Set `last_visit` from the visits, these households' rows locked first, so that
        two visits logged at once cannot leave the older one's time (Visit.save calls it;
        so does anything that writes visits without it: bulk_create, a queryset's delete)."""
        from .visits import Visit

        newest = Visit.objects.filter(household=OuterRef("pk")).order_by("-when").values("when")
        with transaction.atomic():
            list(self.select_for_update().order_by("pk").values_list("pk", flat=True))
            return self.update(last_visit=Subquery(newest[:1]))

    def search(self, text):
        """Matches a room (e.g. "302"), a building ("12号") or a present resident's name."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(room__icontains=text)
            | Q(building__number__icontains=text)
            | Q(building__compound__icontains=text)
            | Q(residents__name__icontains=text, residents__status=Resident.Status.PRESENT)
        ).distinct()


class Household(models.Model):
    """One flat (户) and the people registered in it."""

    class Care(models.TextChoices):
        NONE = "", _("No care flag")
        ELDERLY_ALONE = "alone", _("Elderly living alone (独居老人)")
        ELDERLY_ONLY = "elderly", _("Elderly-only household (纯老家庭)")

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="households", verbose_name=_("building")
    )
    room = models.CharField(_("room"), max_length=20, help_text=_("e.g. 302室 → 302"))
    # A building's staircase unit (门洞, 单元): a consent vote may cover one of them only.
    staircase = models.CharField(
        _("staircase unit (门洞)"),
        max_length=10,
        blank=True,
        help_text=_("e.g. 1 for 1单元; leave empty if the building has one staircase."),
    )
    phone = models.CharField(_("household phone"), max_length=30, blank=True)
    notes = models.TextField(_("staff notes"), blank=True)
    floor_area = models.DecimalField(
        _("floor area (m²)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("As on the property certificate; used to weigh a building's consent votes."),
    )
    # Derived from the register by refresh_care(); stored so lists filter quickly.
    care = models.CharField(
        _("care flag"),
        max_length=10,
        choices=Care.choices,
        default=Care.NONE,
        blank=True,
        db_index=True,
        editable=False,
    )
    eldest_birth_date = models.DateField(_("eldest resident born"), null=True, editable=False)
    # The newest visit's time, kept by Visit.save() and Visit.delete() (refresh_last_visit):
    # the overdue list, the coverage and the map read it, not the millions of visits.
    last_visit = models.DateTimeField(_("last visit"), null=True, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = [
            "building__compound",
            Length("building__number"),
            "building__number",
            Length("room"),
            "room",
        ]
        constraints = [
            models.UniqueConstraint(fields=["building", "room"], name="unique_household_room"),
            models.CheckConstraint(
                condition=Q(floor_area__isnull=True) | Q(floor_area__gt=0),
                name="household_floor_area_positive",
            ),
        ]

    def __str__(self):
        return f"{self.building} {self.room}室"

    def save(self, *args, **kwargs):
        """A household moved to a building of another neighbourhood takes its needs along
        (Need.neighbourhood is the needs' scope)."""
        moved = not self._state.adding and (
            kwargs.get("update_fields") is None or "building" in kwargs["update_fields"]
        )
        with transaction.atomic():
            super().save(*args, **kwargs)
            if moved:
                neighbourhood_id = self.building.neighbourhood_id
                self.needs.exclude(neighbourhood_id=neighbourhood_id).update(
                    neighbourhood_id=neighbourhood_id
                )

    @property
    def holder(self):
        """The account that answers for this household: the worker of its building's zone."""
        return Zone.holder_of(self.building.zone)

    @property
    def neighbourhood(self):
        return self.building.neighbourhood

    def care_for(self, members, today):
        ages = [age_on(r.birth_date, today) for r in members if r.birth_date]
        if not members or len(ages) < len(members) or min(ages) < ELDERLY_AGE:
            return self.Care.NONE
        return self.Care.ELDERLY_ALONE if len(members) == 1 else self.Care.ELDERLY_ONLY

    def refresh_care(self, today=None):
        """Recompute the stored care flag from the residents who live here now.

        独居老人: one resident, aged 60 or more. 纯老家庭: two or more residents,
        all aged 60 or more. (The flags exclude each other, so a household is
        counted once in the figures.)
        """
        today = today or timezone.localdate()
        members = list(self.residents.present())
        care = self.care_for(members, today)
        births = [r.birth_date for r in members if r.birth_date]
        eldest = min(births) if births else None
        if (care, eldest) != (self.care, self.eldest_birth_date):
            self.care, self.eldest_birth_date = care, eldest
            self.save(update_fields=["care", "eldest_birth_date"])

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def masked_contact(self):
        """The first present resident's mobile, else the household phone, masked for lists.

        Reads `residents.all()` so that the list's prefetch serves it without a query.
        """
        for resident in self.residents.all():
            if resident.status == Resident.Status.PRESENT and resident.phone:
                return resident.masked_phone
        return self.masked_phone


class ResidentTag(models.Model):
    """An entry of the 社区云 tag dictionary (高龄, 独居, 低保…), kept by district admins.

    A sensitive tag (残疾, 低保, 优抚, 失独…) is shown only to staff of the resident's
    neighbourhood and district admins: neighborhoods.permissions.visible_tags decides.
    """

    name = models.CharField(_("name"), max_length=20, unique=True)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Shown only to staff of the resident's neighbourhood and district admins."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("resident tag")
        verbose_name_plural = _("resident tags")
        ordering = ["sensitive", "name"]

    def __str__(self):
        return self.name


class ResidentQuerySet(models.QuerySet):
    def present(self):
        return self.filter(status=Resident.Status.PRESENT)


class Resident(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Lives here")
        MOVED_OUT = "moved_out", _("Moved out")
        DECEASED = "deceased", _("Deceased")

    class Gender(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="residents", verbose_name=_("household")
    )
    name = models.CharField(_("name"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    relation = models.CharField(_("relation to householder"), max_length=20, blank=True)
    phone = models.CharField(
        _("mobile number"), max_length=11, blank=True, validators=[mainland_mobile_validator]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PRESENT, db_index=True
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    tags = models.ManyToManyField(
        ResidentTag, blank=True, related_name="residents", verbose_name=_("tags")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident_record",
        verbose_name=_("linked account (上云)"),
    )

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["household", "birth_date"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Care flags are derived from who lives in a household, so every write of
        # a resident (admin form, move, death) recomputes them for the household
        # it left and the one it is in now.
        previous_household_id = None
        if self.pk:
            previous_household_id = (
                Resident.objects.filter(pk=self.pk).values_list("household_id", flat=True).first()
            )
        with transaction.atomic():
            super().save(*args, **kwargs)
            household_ids = {self.household_id, previous_household_id} - {None}
            for household in Household.objects.filter(pk__in=household_ids):
                household.refresh_care()

    def delete(self, *args, **kwargs):
        household = self.household
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            household.refresh_care()
        return result

    @property
    def age(self):
        return age_on(self.birth_date, timezone.localdate()) if self.birth_date else None

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    def move_out(self, on=None):
        self.status = self.Status.MOVED_OUT
        self.status_changed_on = on or timezone.localdate()
        self.save(update_fields=["status", "status_changed_on"])

    def record_death(self, on=None):
        self.status = self.Status.DECEASED
        self.status_changed_on = on or timezone.localdate()
        self.save(update_fields=["status", "status_changed_on"])

    def move_to(self, household, on=None):
        self.household = household
        self.status = self.Status.PRESENT
        self.status_changed_on = on or timezone.localdate()
        self.save(update_fields=["household", "status", "status_changed_on"])


class RegisterChangeQuerySet(NeighbourhoodScopedQuerySet):
    neighbourhood_path = "household__building__neighbourhood_id"

    def for_history(self):
        return self.select_related("by", "resident").order_by("-at", "-pk")


class RegisterChange(models.Model):
    """One change to the register (户籍变动): who, when, what, and each field's old → new.

    Written by the services of neighborhoods/register/services.py and by the spreadsheet
    import (neighborhoods/registerio/services.py), never edited. The
    latest change of a household is also its version: a form sent with an older one was
    filled in before a colleague's change, and is refused rather than overwrite it.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Added")
        EDITED = "edited", _("Edited")
        MOVED_OUT = "moved_out", _("Moved out")
        MOVED_IN = "moved_in", _("Moved in")
        DIED = "died", _("Died")
        BORN = "born", _("Born")
        TAGS_CHANGED = "tags_changed", _("Tags changed")

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="changes", verbose_name=_("household")
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("resident"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # {"field": [old, new]}, as text the history can show (dates as YYYY-MM-DD, tags as names).
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)

    objects = RegisterChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("register change")
        verbose_name_plural = _("register changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["household", "-at"], name="register_change_history")]

    def __str__(self):
        return f"{self.household} · {self.get_kind_display()}"

    def changed_fields(self):
        """(label, old, new) for the history, labels in the reader's language."""
        labels = {**_field_labels(Household), **_field_labels(Resident)}
        return [
            (labels.get(name, name), old, new) for name, (old, new) in sorted(self.changes.items())
        ]


def _field_labels(model):
    return {f.name: f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name")}


class LinkRequestQuerySet(NeighbourhoodScopedQuerySet):
    def pending(self):
        return self.filter(status=LinkRequest.Status.PENDING)


class IdentityDocument(models.TextChoices):
    ID_CARD = "id_card", _("Resident identity card (居民身份证)")
    HOUSEHOLD_BOOK = "household_book", _("Household register booklet (户口簿)")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit (居住证)")
    PASSPORT = "passport", _("Passport or travel permit")
    OTHER = "other", _("Other official document with photo")


class LinkRequest(models.Model):
    """A resident asks to link their account to their household record (上云)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the committee")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="link_requests",
        verbose_name=_("account"),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.CASCADE,
        related_name="link_requests",
        verbose_name=_("neighbourhood"),
    )
    building = models.CharField(_("building"), max_length=50, help_text=_("e.g. 12号"))
    room = models.CharField(_("room"), max_length=20, help_text=_("e.g. 302"))
    name = models.CharField(_("your name as registered"), max_length=50)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="link_requests",
        verbose_name=_("matched resident"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created = models.DateTimeField(_("asked at"), auto_now_add=True)
    # An account whose mobile number was never verified by a code is linked only after a
    # staff member saw the person's identity document: who, when and which document.
    identity_document = models.CharField(
        _("identity document seen in person"),
        max_length=20,
        choices=IdentityDocument.choices,
        blank=True,
    )
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("identity checked by"),
    )
    identity_checked_at = models.DateTimeField(_("identity checked at"), null=True, blank=True)

    objects = LinkRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("household link request (上云)")
        verbose_name_plural = _("household link requests (上云)")
        ordering = ["-created"]
        constraints = [
            # One open request per account at a time.
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="pending"), name="one_pending_link_request"
            )
        ]

    def __str__(self):
        return f"{self.name} {self.building} {self.room}"

    def candidates(self):
        """Present residents of the neighbourhood who match the building, room and name."""
        building = self.building.strip().removesuffix("号").removesuffix("楼")
        room = self.room.strip().removesuffix("室")
        return (
            Resident.objects.present()
            .filter(
                household__building__neighbourhood=self.neighbourhood,
                household__building__number__in=[building, f"{building}号"],
                household__room=room,
                name=self.name.strip(),
                user__isnull=True,
            )
            .select_related("household__building")
        )

    def already_decided(self):
        """What the first decision was, for a colleague who decides the same request after it."""
        values = {"name": self.decided_by or gettext("a colleague")}
        if self.status == self.Status.APPROVED:
            return gettext("This request has already been approved by %(name)s.") % values
        return gettext("This request has already been rejected by %(name)s.") % values

    def _lock_pending(self):
        """This request, locked; Refused when a colleague decided it a moment ago.

        Two staff deciding at once (or approve and reject at once) are serialised on the
        row lock, and the second one reads the first one's decision, not the page it saw.
        """
        locked = LinkRequest.objects.select_for_update().get(pk=self.pk)
        if locked.status != self.Status.PENDING:
            raise Refused(locked.already_decided())
        return locked

    @transaction.atomic
    def approve(self, *, by, resident, identity_document=""):
        """Link the account to `resident`; Refused if decided already or the resident is
        linked to another account (two requests for one person approved at once), or if the
        account's mobile number is unverified and no in-person identity check is recorded."""
        locked = self._lock_pending()
        account = type(self.user).objects.get(pk=self.user_id)
        if not account.phone_verified and not identity_document:
            raise Refused(
                gettext(
                    "This account's mobile number is not verified. Check the person's identity "
                    "document in person and record it before approving."
                )
            )
        if identity_document:
            locked.identity_document = identity_document
            locked.identity_checked_by, locked.identity_checked_at = by, timezone.now()
            locked.save(
                update_fields=["identity_document", "identity_checked_by", "identity_checked_at"]
            )
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        if resident.user_id and resident.user_id != self.user_id:
            raise Refused(
                gettext("%(name)s is already linked to another account; nothing was changed.")
                % {"name": resident.name}
            )
        Resident.objects.filter(user=self.user).exclude(pk=resident.pk).update(user=None)
        resident.user = self.user
        resident.save(update_fields=["user"])
        locked.status, locked.resident = self.Status.APPROVED, resident
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.save(update_fields=["status", "resident", "decided_by", "decided_at"])
        self._take_decision(locked)
        self._tell(locked)

    @transaction.atomic
    def reject(self, *, by, reason):
        locked = self._lock_pending()
        locked.status, locked.reason = self.Status.REJECTED, reason
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        self._take_decision(locked)
        self._tell(locked)

    def _tell(self, locked):
        from neighborhoods.messages import tell_link_decided

        tell_link_decided(locked)

    def _take_decision(self, locked):
        for field in (
            "status",
            "resident",
            "reason",
            "decided_by",
            "decided_at",
            "identity_document",
            "identity_checked_by",
            "identity_checked_at",
        ):
            setattr(self, field, getattr(locked, field))
