"""Tell followers of a category about notices whose publish time has come (once each)."""

from django.core.management.base import BaseCommand

from notices.messages import tell_due_notice_followers


class Command(BaseCommand):
    help = "Message the followers of each notice published in the last two days, once."

    def handle(self, *args, **options):
        told = tell_due_notice_followers()
        if told:
            self.stdout.write(f"told {told} followers")
