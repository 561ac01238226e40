"""Heartbeats of scheduled jobs: when each last started, succeeded and failed.

A job run by cron can stop without anyone noticing (a server moved, a crontab lost). The
daily watch depends on `open_watch_alerts` running every few minutes, so every run writes
here, the job looks back to its last success, and staff pages and /healthz/watch say
when it has stopped (neighborhoods.watch.services.watch_job_status).
"""

import traceback

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobHeartbeat(models.Model):
    name = models.CharField(_("job"), max_length=50, unique=True)
    created = models.DateTimeField(_("first run"), default=timezone.now)
    last_started = models.DateTimeField(_("last started"), null=True, blank=True)
    last_succeeded = models.DateTimeField(_("last succeeded"), null=True, blank=True)
    last_failed = models.DateTimeField(_("last failed"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("job heartbeat")
        verbose_name_plural = _("job heartbeats")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def _record(cls, name, now, **fields):
        # update_or_create on the unique name: two runs at once (overlapping cron runs,
        # two servers) each write their own moment; neither fails on the other's row.
        return cls.objects.update_or_create(
            name=name, defaults=fields, create_defaults={"created": now, **fields}
        )[0]

    @classmethod
    def record_start(cls, name, now=None):
        now = now or timezone.now()
        return cls._record(name, now, last_started=now)

    @classmethod
    def record_success(cls, name, now=None):
        now = now or timezone.now()
        return cls._record(name, now, last_succeeded=now)

    @classmethod
    def record_failure(cls, name, error, now=None):
        now = now or timezone.now()
        text = "".join(traceback.format_exception_only(error)).strip()[:2000]
        return cls._record(name, now, last_failed=now, last_error=text)
