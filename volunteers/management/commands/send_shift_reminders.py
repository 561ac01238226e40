"""Remind every volunteer confirmed for tomorrow's shifts, once (daily, from run_jobs)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from volunteers.shifts.services import reminder_send, reminders_due


class Command(BaseCommand):
    help = (
        "Remind the volunteers confirmed for tomorrow's shifts, once each (on "
        "/volunteers/me/). Safe to run twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, send nothing")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        due = list(reminders_due(timezone.localdate()))
        if dry_run:
            self.stdout.write(f"{len(due)} shift reminders due.")
            return
        sent = sum(reminder_send(signup, now) for signup in due)
        self.stdout.write(f"{sent} shift reminders sent.")
