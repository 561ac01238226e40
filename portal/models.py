from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import permissions
from .phones import mainland_mobile_validator, mask_phone


class User(AbstractUser):
    """A person who signs in: a resident, or staff made by admins.

    Roles are not stored here: they follow from the records that give them
    (a community-worker profile, a centre membership, the district-admin group),
    so that taking a record away takes the role away with it.
    """

    phone = models.CharField(
        _("mobile number"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[mainland_mobile_validator],
    )
    phone_verified = models.BooleanField(_("mobile number verified"), default=False)
    # A number this account claimed at sign-up while another, unverified account held it:
    # it becomes the account's phone once the code sent to it is typed.
    pending_phone = models.CharField(
        _("mobile number awaiting its code"),
        max_length=11,
        blank=True,
        null=True,
        validators=[mainland_mobile_validator],
    )
    # Set when the owner of the number verified it and it was taken from this account.
    phone_lost = models.BooleanField(_("mobile number taken by its verified owner"), default=False)
    large_text = models.BooleanField(_("large text"), default=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    # Who this person is, cached for the request. The answers live in portal/permissions.py.
    is_district_admin = cached_property(permissions.is_district_admin)
    worker = cached_property(permissions.active_worker)
    resident = cached_property(permissions.present_resident)
    staff_centre_ids = cached_property(permissions.staff_centre_ids)
    is_volunteer = cached_property(permissions.is_volunteer)
    home_neighbourhood = cached_property(permissions.home_neighbourhood)

    @property
    def is_committee_staff(self):
        return self.worker is not None

    @property
    def is_centre_staff(self):
        return bool(self.staff_centre_ids)

    @property
    def role_label(self):
        if self.is_district_admin:
            return _("District admin")
        if self.is_committee_staff:
            return _("Committee staff")
        if self.is_centre_staff:
            return _("Centre staff")
        if self.is_volunteer:
            return _("Volunteer")
        return _("Resident")


class AccessLog(models.Model):
    """Who was shown which households' personal data, on which page, and when.

    One row per page view, written only by `portal.audit.record_access`. `households` lists
    every household the page showed (one for a household, visit, need or alert page; the
    page's rows for the register, the needs list, the watch board, the map, a notice's read
    list and the admin's lists); `household` is also set on pages about one household.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("household page")
        VISIT = "visit", _("visit record")
        NEED = "need", _("need")
        NEED_PHOTO = "need_photo", _("photo sent with a need")
        WATCH_ALERT = "watch_alert", _("watch alert")
        HOUSEHOLD_LIST = "household_list", _("household register list")
        NEED_LIST = "need_list", _("needs list")
        WATCH_BOARD = "watch_board", _("daily-watch board")
        MAP = "map", _("community map")
        NOTICE_READS = "notice_reads", _("notice's read list")
        ADMIN_LIST = "admin_list", _("admin list page")
        ADMIN_CHANGE = "admin_change", _("admin record page")
        REGISTER_EXPORT = "register_export", _("register exported (台账)")

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="access_logs", verbose_name=_("user")
    )
    # PROTECT: the record of who saw a household's data outlives an attempt to delete it.
    household = models.ForeignKey(
        "neighborhoods.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_logs",
        verbose_name=_("household"),
    )
    households = models.ManyToManyField(
        "neighborhoods.Household",
        through="AccessLogHousehold",
        related_name="listed_in_access_logs",
        verbose_name=_("households shown"),
    )
    action = models.CharField(
        _("what was opened"), max_length=40, choices=Action.choices, default=Action.VIEW
    )
    path = models.CharField(_("page"), max_length=300, blank=True)
    # An export (台账) records how many rows the file had and, for full phone numbers,
    # the reason the exporter gave.
    rows = models.PositiveIntegerField(_("rows exported"), null=True, blank=True)
    reason = models.CharField(_("reason given"), max_length=200, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal-data access record")
        verbose_name_plural = _("personal-data access records")
        ordering = ["-at"]

    def __str__(self):
        seen = self.household or self.get_action_display()
        return f"{self.user} → {seen} @ {self.at:%Y-%m-%d %H:%M}"


class AccessLogHousehold(models.Model):
    """One household shown on the page of one access record."""

    access_log = models.ForeignKey(AccessLog, on_delete=models.CASCADE, related_name="+")
    # PROTECT, as on AccessLog.household: a household that was shown cannot be deleted.
    household = models.ForeignKey(
        "neighborhoods.Household", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("household shown")
        verbose_name_plural = _("households shown")
        constraints = [
            models.UniqueConstraint(
                fields=["access_log", "household"], name="unique_household_per_access_log"
            )
        ]

    def __str__(self):
        return str(self.household_id)
