"""Open an alert for every daily-watch check nobody marked by its deadline.

日看窗帘夜看灯: a household whose curtains nobody saw opened by 10:00, or whose lights
nobody saw on by 21:00 (per-neighbourhood deadlines, Asia/Shanghai), must reach a person
even if no one opens the watch board. Run this every few minutes.

cron (every 5 minutes; crontab of the application user, with the same environment
variables as the web process, e.g. from /srv/portal/.env)::

    */5 * * * * cd /srv/portal && .venv/bin/python manage.py open_watch_alerts >/dev/null

systemd: /etc/systemd/system/open-watch-alerts.service::

    [Unit]
    Description=Open daily-watch alerts for missed checks

    [Service]
    Type=oneshot
    User=portal
    WorkingDirectory=/srv/portal
    EnvironmentFile=/srv/portal/.env
    ExecStart=/srv/portal/.venv/bin/python manage.py open_watch_alerts

and /etc/systemd/system/open-watch-alerts.timer::

    [Unit]
    Description=Open daily-watch alerts every 5 minutes

    [Timer]
    OnCalendar=*:0/5
    Persistent=true

    [Install]
    WantedBy=timers.target

then ``systemctl enable --now open-watch-alerts.timer``.

Safe to run twice at once (an overlapping cron run, two servers): each household is
handled in its own transaction under a SKIP LOCKED row lock, and the database allows one
check per (household, day, day/night) and one alert per check.

No day is skipped: it looks back over every day since the day before its last successful
run (never before a household was enrolled), so that after the scheduler stopped for
three days the first run makes every missed check of those days an alert. Every run
records its start, success or failure in JobHeartbeat ("open_watch_alerts"); when none has
succeeded for 15 minutes, staff pages show a red banner and /healthz/watch answers 503.
A --dry-run changes nothing, its heartbeat included.
"""

import contextlib

from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils import timezone

from neighborhoods.models import JobHeartbeat
from neighborhoods.watch.services import WATCH_JOB, watch_open_missed


class Command(BaseCommand):
    help = (
        "Record daily-watch checks not done by their deadline as missed and open an alert "
        "for each, for every day since the last successful run. Run every few minutes "
        "(cron or a systemd timer); safe to run concurrently."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list the alerts that would open; change nothing"
        )

    def handle(self, *, dry_run, **options):
        if dry_run:
            self.report(watch_open_missed(dry_run=True), "Would open")
            return
        now = timezone.now()
        JobHeartbeat.record_start(WATCH_JOB, now)
        try:
            opened = watch_open_missed(now=now)
        except Exception as error:
            # If the database is what failed, the error raised below says so.
            with contextlib.suppress(DatabaseError):
                JobHeartbeat.record_failure(WATCH_JOB, error)
            raise
        JobHeartbeat.record_success(WATCH_JOB)
        self.report(opened, "Opened")

    def report(self, opened, verb):
        for enrolment, day, kind in opened:
            self.stdout.write(
                f"{verb} alert: {enrolment.household} {day:%Y-%m-%d} {kind} check missed"
            )
        self.stdout.write(f"{verb} {len(opened)} alert(s).")
