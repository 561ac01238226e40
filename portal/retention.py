"""How long each kind of personal record is kept, and the purge that applies it.

One table of rules (RULES), applied by `manage.py purge_expired` (daily in run_jobs and the
README's crontab; `--dry-run` counts without deleting). docs/privacy.md lists the same rules
beside the data inventory; a test keeps the two in step.

Each rule deletes in batches inside its own transaction, so the command is safe to stop,
to run twice, and to run beside the portal. Files (photos) are deleted after their row's
change is committed: a rollback never leaves a row pointing at a deleted file, and a crash
in between leaves at worst an orphan file, which the next run does not see again (logged).
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .audit import purging

logger = logging.getLogger(__name__)

BATCH = 1000


@dataclass(frozen=True)
class Rule:
    name: str
    what: str  # for the command's output and docs/privacy.md
    keep: datetime.timedelta
    apply: object  # callable(cutoff, dry_run) -> count


def _access_log(cutoff, dry_run):
    from .models import AccessLog

    expired = AccessLog.objects.filter(at__lt=cutoff)
    if dry_run:
        return expired.count()
    total = 0
    while True:
        # The trigger of migration 0006 refuses DELETE outside purging().
        with purging():
            ids = list(expired.order_by("at").values_list("pk", flat=True)[:BATCH])
            if not ids:
                return total
            AccessLog.objects.filter(pk__in=ids).delete()  # its households cascade
        total += len(ids)


def _closed_need_photos(cutoff, dry_run):
    from neighborhoods.models import Need

    expired = Need.objects.filter(
        closed__lt=cutoff, status__in=[Need.Status.RESOLVED, Need.Status.REFERRED]
    ).exclude(photo="")
    if dry_run:
        return expired.count()
    total = 0
    while True:
        with transaction.atomic():
            needs = list(expired.select_for_update(skip_locked=True)[:BATCH])
            names = [need.photo.name for need in needs]
            Need.objects.filter(pk__in=[need.pk for need in needs]).update(photo="")
        if not needs:
            return total
        storage = Need._meta.get_field("photo").storage
        for name in names:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("purge: could not delete the photo file %s", name)
        total += len(needs)


def _notice_reads(cutoff, dry_run):
    from notices.models import NoticeRead

    expired = NoticeRead.objects.filter(read_at__lt=cutoff)
    if dry_run:
        return expired.count()
    total = 0
    while True:
        ids = list(expired.values_list("pk", flat=True)[:BATCH])
        if not ids:
            return total
        NoticeRead.objects.filter(pk__in=ids).delete()
        total += len(ids)


def rules():
    """The rules with the durations of the settings (read when the purge runs)."""
    days = datetime.timedelta(days=1)
    return [
        Rule(
            "access_log",
            "personal-data access records (who saw which household)",
            settings.ACCESS_LOG_RETENTION_DAYS * days,
            _access_log,
        ),
        Rule(
            "closed_need_photos",
            "photos sent with needs, once the need is resolved or referred",
            settings.NEED_PHOTO_RETENTION_DAYS * days,
            _closed_need_photos,
        ),
        Rule(
            "notice_reads",
            "read receipts of notices (who opened which notice)",
            settings.NOTICE_READ_RETENTION_DAYS * days,
            _notice_reads,
        ),
    ]


def purge_expired(*, dry_run=False, now=None):
    """Apply every rule; returns [(rule, count)] of what was (or would be) removed."""
    now = now or timezone.now()
    return [(rule, rule.apply(now - rule.keep, dry_run)) for rule in rules()]
