"""The district's workforce beyond the portal's accounts: the roster, and honours.

The workforce figures of the report (2,210 居民区社区工作者, average age 44, 89 % with
college education or above, 24 % holding the social-work certificate) are about every
community worker of the district. Only some of them have an account here (a
CommunityWorker profile, with a neighbourhood and a zone); the rest are lines of the civil
affairs bureau's roster (社区工作者名册), kept by district admins in Django admin. The
figures count both: active profiles plus roster lines, never one person twice (a worker
who gets an account has their roster line deleted).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .places import CommunityWorker, Subdistrict


class RosterWorker(models.Model):
    """A community worker on the district roster who has no account on the portal."""

    Education = CommunityWorker.Education

    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.PROTECT,
        related_name="roster_workers",
        verbose_name=_("subdistrict"),
    )
    neighbourhood_name = models.CharField(
        _("neighbourhood (as written on the roster)"), max_length=50, blank=True
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    education = models.CharField(
        _("education"), max_length=20, choices=CommunityWorker.Education.choices
    )
    social_work_certificate = models.BooleanField(
        _("social-work certificate (社工证)"), default=False
    )
    start_year = models.PositiveSmallIntegerField(
        _("started community work in"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("roster worker")
        verbose_name_plural = _("roster workers (no account)")
        ordering = ["subdistrict__name", "neighbourhood_name", "pk"]

    def __str__(self):
        return f"{self.subdistrict} · {self.neighbourhood_name or '—'} · {self.birth_year}"


class WorkerHonour(models.Model):
    """An honour given to a community worker, e.g. 2023年度杨浦区“最美居民区社区工作者”."""

    worker = models.ForeignKey(
        CommunityWorker,
        on_delete=models.CASCADE,
        related_name="honours",
        verbose_name=_("community worker"),
    )
    title = models.CharField(_("title of the honour"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    citation = models.TextField(_("citation"), blank=True)
    awarded_by = models.CharField(_("awarded by"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("worker honour")
        verbose_name_plural = _("worker honours")
        ordering = ["-year", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "title", "year"], name="one_honour_per_worker_title_year"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.title} · {self.worker.user.get_full_name()}"
