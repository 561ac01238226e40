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
check per (household, day, day/night) and one alert per check. It looks back one day, so
a night check missed yesterday still becomes an alert when the first run after midnight
comes.
"""

from django.core.management.base import BaseCommand

from neighborhoods.watch.services import watch_open_missed


class Command(BaseCommand):
    help = (
        "Record daily-watch checks not done by their deadline as missed and open an alert "
        "for each. Run every few minutes (cron or a systemd timer); safe to run concurrently."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list the alerts that would open; change nothing"
        )

    def handle(self, *, dry_run, **options):
        opened = watch_open_missed(dry_run=dry_run)
        verb = "Would open" if dry_run else "Opened"
        for enrolment, day, kind in opened:
            self.stdout.write(
                f"{verb} alert: {enrolment.household} {day:%Y-%m-%d} {kind} check missed"
            )
        self.stdout.write(f"{verb} {len(opened)} alert(s).")
