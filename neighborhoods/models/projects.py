"""Governance projects (睦邻项目) with their teams and awards, neighbourhood talents
(睦邻达人) and governance advisors (社会治理顾问) — the 睦邻蓬勃计划's people and work."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .centres import Centre, SocialOrganisation
from .places import Neighbourhood


class ProjectRound(models.Model):
    """A yearly call for projects, e.g. 睦邻温度提升行动 2023 (part of the 睦邻蓬勃计划)."""

    name = models.CharField(_("name"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))
    programme = models.CharField(
        _("programme"), max_length=80, blank=True, help_text=_("e.g. 睦邻蓬勃计划")
    )

    class Meta:
        verbose_name = _("project round")
        verbose_name_plural = _("project rounds")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="unique_project_round")
        ]

    def __str__(self):
        return f"{self.year} {self.name}"


class ProjectQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("centre", "neighbourhood", "round").prefetch_related("awards")

    def services(self):
        return self.filter(is_service=True)

    def awarded(self):
        return self.filter(models.Exists(Award.objects.filter(project=models.OuterRef("pk"))))

    def newest_first(self):
        """Latest year first; in a year the awarded projects, then governance, then services."""
        return self.annotate(award_count=models.Count("awards")).order_by(
            "-year", "-award_count", "is_service", "title"
        )


class Project(models.Model):
    """A governance project (睦邻项目), run by one centre or one neighbourhood — never both."""

    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    round = models.ForeignKey(
        ProjectRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("round"),
    )
    centre = models.ForeignKey(
        Centre,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("centre"),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("neighbourhood"),
    )
    is_service = models.BooleanField(
        _("service project"),
        default=False,
        help_text=_("A regular service for residents: counts toward the 1510 standard."),
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("governance project")
        verbose_name_plural = _("governance projects")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(centre__isnull=False, neighbourhood__isnull=True)
                    | Q(centre__isnull=True, neighbourhood__isnull=False)
                ),
                name="project_run_by_centre_or_neighbourhood",
                violation_error_message=_(
                    "A project is run by either a centre or a neighbourhood, not both."
                ),
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.round_id and self.year and self.round.year != self.year:
            raise ValidationError({"round": _("The round is of another year.")})

    @property
    def runner(self):
        return self.centre or self.neighbourhood


class TeamMember(models.Model):
    """Someone on a project's team: named as they wish; an organisation may be linked."""

    class Kind(models.TextChoices):
        RESIDENT = "resident", _("Resident")
        VOLUNTEER = "volunteer", _("Volunteer")
        WORKER = "worker", _("Community worker")
        ORGANISATION = "organisation", _("Organisation")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="team", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.RESIDENT)
    role = models.CharField(_("role"), max_length=50, blank=True, help_text=_("e.g. 项目负责人"))
    organisation = models.ForeignKey(
        SocialOrganisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_places",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["project", "id"]

    def __str__(self):
        return self.name


class Award(models.Model):
    """A yearly award to a project, e.g. 2023年度十佳睦邻项目."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="awards", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["project", "title", "year"], name="unique_award")
        ]

    def __str__(self):
        return f"{self.year}年度{self.title}"


class TalentQuerySet(models.QuerySet):
    def public(self):
        """Only the profiles their people agreed to show (睦邻达人 consent)."""
        return self.filter(consented=True)


class Talent(models.Model):
    """A neighbourhood talent (睦邻达人), recognised through a yearly call.

    Only what the person agreed to show is kept: the name they chose, their skill and a
    short story. No phone, no address: the centre knows how to reach them.
    """

    display_name = models.CharField(
        _("display name"), max_length=50, help_text=_("As the person wishes to be named.")
    )
    skill = models.CharField(_("skill"), max_length=80)
    story = models.TextField(_("short story"), max_length=600, blank=True)
    year = models.PositiveSmallIntegerField(_("year of the call"))
    centre = models.ForeignKey(
        Centre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talents",
        verbose_name=_("centre"),
    )
    consented = models.BooleanField(_("agreed to a public profile"), default=False)
    consented_at = models.DateTimeField(_("agreed on"), null=True, blank=True)

    objects = TalentQuerySet.as_manager()

    class Meta:
        verbose_name = _("neighbourhood talent")
        verbose_name_plural = _("neighbourhood talents")
        ordering = ["-year", "display_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consented=False) | Q(consented_at__isnull=False),
                name="talent_consent_has_a_date",
                violation_error_message=_("Record when the person agreed."),
            )
        ]

    def __str__(self):
        return self.display_name


class Advisor(models.Model):
    """A governance advisor (社会治理顾问), by profession and by field (2023 system)."""

    class Profession(models.TextChoices):
        ACADEMIC = "academic", _("Academic (高校专家)")
        SOCIAL_WORKER = "social_worker", _("Social worker (社会工作者)")
        LAWYER = "lawyer", _("Lawyer (法律工作者)")
        JOURNALIST = "journalist", _("Journalist (媒体从业者)")
        PARTY_LEADER = "party_leader", _("Party-branch leader (居民区党组织负责人)")

    class Field(models.TextChoices):
        GUIDANCE = "guidance", _("Governance guidance (治理指导)")
        PRACTICE = "practice", _("Practice support (实践支撑)")
        PROJECT = "project", _("Project support (项目支持)")

    name = models.CharField(_("name"), max_length=50)
    profession = models.CharField(_("profession"), max_length=20, choices=Profession.choices)
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    affiliation = models.CharField(_("affiliation"), max_length=100, blank=True)
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="advisors", verbose_name=_("neighbourhoods")
    )
    projects = models.ManyToManyField(
        Project, blank=True, related_name="advisors", verbose_name=_("projects")
    )

    class Meta:
        verbose_name = _("governance advisor")
        verbose_name_plural = _("governance advisors")
        ordering = ["field", "name"]

    def __str__(self):
        return self.name
