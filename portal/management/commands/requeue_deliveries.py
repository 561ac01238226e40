"""Hand the message queue every delivery that is due but has no task (see portal.messaging)."""

from django.core.management.base import BaseCommand

from portal.messaging.delivery import requeue_due


class Command(BaseCommand):
    help = (
        "Queue again deliveries that are due (held for quiet hours, waiting to be retried) "
        "or were left half-sent by a worker that stopped. Safe to run at any time."
    )

    def handle(self, *args, **options):
        ids = requeue_due()
        if ids:
            self.stdout.write(f"requeued {len(ids)} deliveries")
