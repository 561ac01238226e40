"""Delete personal records past their retention (portal/retention.py; docs/privacy.md)."""

from django.core.management.base import BaseCommand

from portal.retention import purge_expired


class Command(BaseCommand):
    help = (
        "Delete personal records past their retention period: access records, photos of "
        "closed needs (the files too), notice read receipts. Safe to run twice or "
        "concurrently; --dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be removed; change nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        verb = "would remove" if dry_run else "removed"
        for rule, count in purge_expired(dry_run=dry_run):
            days = rule.keep.days
            self.stdout.write(f"{rule.name}: {verb} {count} ({rule.what}; kept {days} days)")
