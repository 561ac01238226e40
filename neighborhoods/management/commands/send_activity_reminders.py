"""Remind everyone confirmed for tomorrow's activities, once each.

Run it once a day (or more often: it only sends what is still due), e.g. at 10:00::

    0 10 * * * cd /srv/portal && .venv/bin/python manage.py send_activity_reminders >/dev/null

Safe to run twice at once (an overlapping cron run, two servers): each reminder is claimed
by a conditional UPDATE of the sign-up's reminded_at before it is sent, so the database lets
only one run send it. A reminder shows on the person's /me/ page and goes by email where
the account has an address.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from neighborhoods.activities.services import reminder_send, reminders_due


class Command(BaseCommand):
    help = (
        "Remind everyone confirmed for tomorrow's activities (Asia/Shanghai), once each. "
        "Run daily from cron; safe to run concurrently."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list the reminders due; send nothing"
        )

    def handle(self, *, dry_run, **options):
        now = timezone.now()
        due = list(reminders_due(timezone.localdate(now)))
        if dry_run:
            for signup in due:
                self.stdout.write(f"would remind: {signup}")
            self.stdout.write(f"{len(due)} reminders due.")
            return
        sent = sum(reminder_send(signup, now) for signup in due)
        self.stdout.write(f"{sent} reminders sent ({len(due) - sent} already sent by another run).")
