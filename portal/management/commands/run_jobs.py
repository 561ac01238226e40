"""Run the portal's scheduled jobs in one long-lived process, for `make run` and small installs.

Production uses cron or systemd timers (README, "Scheduled jobs"); this is the same schedule
for a machine that has neither, and what `make run` starts beside gunicorn, so that the
daily watch's alerts open and its heartbeat stays fresh while someone tries the portal.

Every job is safe to run twice at once, so this may run beside a crontab without harm. A job
that fails is logged and tried again at its next time; the loop itself never stops for one.
"""

import datetime
import logging
import signal
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

logger = logging.getLogger(__name__)

# (command, every so many minutes) and (command, once a day at this local time).
EVERY = [
    ("open_watch_alerts", 5),
    ("requeue_deliveries", 5),
    ("tell_notice_followers", 5),
    ("refresh_dashboards", 5),
]
DAILY = [
    ("refresh_care_flags", datetime.time(1, 30)),
    ("send_activity_reminders", datetime.time(10, 0)),
    ("send_loan_reminders", datetime.time(9, 0)),
    ("send_shift_reminders", datetime.time(10, 0)),
    ("purge_expired", datetime.time(3, 0)),
]


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs (open_watch_alerts, requeue_deliveries, "
        "tell_notice_followers and refresh_dashboards every 5 minutes; refresh_care_flags, "
        "send_activity_reminders, send_loan_reminders, send_shift_reminders and purge_expired "
        "daily) until stopped. "
        "For `make run` and installs without cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="run every interval job once and stop"
        )

    def handle(self, *args, once=False, **options):
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        last_run = {}
        daily_done = {}  # a daily job whose time has passed runs at start: each is idempotent
        while not self.stopping:
            now = timezone.now()
            for name, minutes in EVERY:
                due = last_run.get(name)
                if due is None or now - due >= datetime.timedelta(minutes=minutes):
                    self._run(name)
                    last_run[name] = now
            if once:
                return
            today = timezone.localdate()
            for name, at in DAILY:
                if daily_done.get(name) != today and self._past(at):
                    self._run(name)
                    daily_done[name] = today
            self._sleep(30)

    def _past(self, at):
        return timezone.localtime().time() >= at

    def _run(self, name):
        try:
            call_command(name, stdout=self.stdout, stderr=self.stderr)
        except Exception:  # noqa: BLE001 - one failed run must not stop the schedule
            logger.exception("scheduled job %s failed", name)

    def _sleep(self, seconds):
        for _ in range(seconds):
            if self.stopping:
                return
            time.sleep(1)

    def _stop(self, *args):
        self.stopping = True
