"""Remind everyone whose rehab aid is due back within two days (`loan_due`), once per due date.

Run it once a day (run_jobs does, at 09:00), e.g. from cron::

    0 9 * * * cd /srv/portal && .venv/bin/python manage.py send_loan_reminders >/dev/null

Safe to run twice at once: each reminder is claimed by a conditional UPDATE of the loan's
reminded_for before the person is told (neighborhoods/rental/services.py reminder_send).
A renewal moves the due date, so the next reminder is sent for the new date.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from neighborhoods.rental.services import reminder_send, reminders_due


class Command(BaseCommand):
    help = (
        "Remind borrowers of rehab aids due back within two days, once per due date. "
        "Run daily; safe to run concurrently."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list the reminders due; send nothing"
        )

    def handle(self, *, dry_run, **options):
        now = timezone.now()
        due = list(reminders_due(timezone.localdate(now)))
        if dry_run:
            for loan in due:
                self.stdout.write(f"would remind: {loan} (due {loan.due_date:%Y-%m-%d})")
            self.stdout.write(f"{len(due)} loan reminders due.")
            return
        sent = sum(reminder_send(loan, now) for loan in due)
        self.stdout.write(
            f"{sent} loan reminders sent ({len(due) - sent} already sent by another run)."
        )
