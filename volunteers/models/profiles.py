"""Volunteer profiles (志愿者): the application, its decision, and the approved volunteer.

One row per account: a resident applies (pending); committee or centre staff approve or
decline with a reason. An approved profile is what gives the account the volunteer role
(portal/permissions.py: is_volunteer).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoping import HeldQuerySet


class Skill(models.TextChoices):
    ORDER = "order", _("Keeping order at events")
    ELDERLY = "elderly", _("Visiting and looking after the elderly")
    WATCH = "watch", _("Daily watch patrol")
    CALLIGRAPHY = "calligraphy", _("Calligraphy (春联)")
    REPAIR = "repair", _("Small repairs")
    MEDICAL = "medical", _("First aid or health care")
    IT = "it", _("Helping with phones and computers")
    CULTURE = "culture", _("Culture and performances")
    OTHER = "other", _("Other")


class VolunteerProfileQuerySet(HeldQuerySet):
    """held_by(user): the profiles this user decides (admins all, committee staff their
    neighbourhood's, centre staff their centre's)."""

    def approved(self):
        return self.filter(status=VolunteerProfile.Status.APPROVED)

    def pending(self):
        return self.filter(status=VolunteerProfile.Status.PENDING)


class VolunteerProfile(models.Model):
    """A resident who volunteers (志愿者), from the application on."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        SUSPENDED = "suspended", _("Suspended")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volunteer_profile",
        verbose_name=_("account"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    skill_list = models.JSONField(_("skills"), default=list, blank=True)
    skills = models.CharField(_("other skills"), max_length=200, blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    neighbourhood = models.ForeignKey(
        "neighborhoods.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name=_("neighbourhood"),
    )
    centre = models.ForeignKey(
        "neighborhoods.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name=_("centre"),
    )
    consent_to_contact = models.BooleanField(_("agrees to be contacted"), default=False)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    joined = models.DateField(_("joined"), auto_now_add=True)

    objects = VolunteerProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")
        ordering = ["-joined", "-pk"]

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()

    @property
    def name(self):
        return str(self)

    @property
    def place(self):
        return self.centre or self.neighbourhood

    def skill_labels(self):
        labels = dict(Skill.choices)
        found = [str(labels[s]) for s in self.skill_list if s in labels]
        return found + ([self.skills] if self.skills else [])
