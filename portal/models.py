from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

DISTRICT_ADMIN_GROUP = "district-admin"

mainland_mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$",
    _("Enter an 11-digit mainland China mobile number, such as 13812345678."),
    code="invalid_phone",
)


def mask_phone(number):
    """138****5678: lists show a mobile's first three and last four digits.

    Shorter numbers (landlines such as 65431234) would give almost every digit away that
    way, so they keep only their last two: ******34.
    """
    if not number:
        return ""
    if len(number) >= 11:
        return f"{number[:3]}****{number[-4:]}"
    if len(number) >= 6:
        return "*" * (len(number) - 2) + number[-2:]
    return "*" * len(number)


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

    @cached_property
    def is_district_admin(self):
        if not self.is_active:
            return False
        return self.is_superuser or self.groups.filter(name=DISTRICT_ADMIN_GROUP).exists()

    @cached_property
    def worker(self):
        """The active community-worker profile, or None."""
        from neighborhoods.models import CommunityWorker

        return (
            CommunityWorker.objects.select_related("neighbourhood__subdistrict__district")
            .filter(user=self, active=True)
            .first()
        )

    @property
    def is_committee_staff(self):
        return self.worker is not None

    @cached_property
    def staff_centre_ids(self):
        return list(self.centre_memberships.values_list("centre_id", flat=True))

    @property
    def is_centre_staff(self):
        return bool(self.staff_centre_ids)

    @cached_property
    def resident(self):
        """The resident record this account is linked to (上云), or None."""
        from neighborhoods.models import Resident

        return (
            Resident.objects.select_related(
                "household__building__neighbourhood__subdistrict__district"
            )
            .filter(user=self)
            .first()
        )

    @cached_property
    def home_neighbourhood(self):
        """The neighbourhood this person belongs to: where they work, else where they live."""
        if self.worker:
            return self.worker.neighbourhood
        if self.resident and self.resident.household_id:
            return self.resident.household.building.neighbourhood
        return None

    @cached_property
    def is_volunteer(self):
        from volunteers.models import VolunteerProfile

        return VolunteerProfile.objects.filter(
            user=self, status=VolunteerProfile.Status.APPROVED
        ).exists()

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
    """Who looked at which household's personal data, and when."""

    class Action(models.TextChoices):
        VIEW = "view", _("household page")
        VISIT = "visit", _("visit record")
        NEED = "need", _("need")

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="access_logs", verbose_name=_("user")
    )
    # PROTECT: the record of who saw a household's data outlives an attempt to delete it.
    household = models.ForeignKey(
        "neighborhoods.Household",
        on_delete=models.PROTECT,
        related_name="access_logs",
        verbose_name=_("household"),
    )
    action = models.CharField(
        _("what was opened"), max_length=40, choices=Action.choices, default=Action.VIEW
    )
    path = models.CharField(_("page"), max_length=300, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal-data access record")
        verbose_name_plural = _("personal-data access records")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} → {self.household} @ {self.at:%Y-%m-%d %H:%M}"
