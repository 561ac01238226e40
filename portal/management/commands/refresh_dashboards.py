"""Compute the dashboards' figures off the request: every 5 minutes (README, "Scheduled jobs").

    */5 * * * * cd /srv/portal && .venv/bin/python manage.py refresh_dashboards >/dev/null

portal/dashboard/store.py says what is stored and how the pages read it.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.dashboard import store


class Command(BaseCommand):
    help = (
        "Compute and store the figures of /dashboard/ for the district and every "
        "neighbourhood, so that the pages only read them. Run every 5 minutes; safe to run "
        "twice at once (the second one stops)."
    )

    def handle(self, *args, **options):
        if settings.DASHBOARD_FIGURES_SECONDS <= 0:
            self.stdout.write("DASHBOARD_FIGURES_SECONDS is 0: every page computes its figures.")
            return
        started = time.monotonic()
        stored = store.refresh_all()
        if stored is None:
            self.stdout.write("Another refresh_dashboards is running; nothing done.")
            return
        seconds = time.monotonic() - started
        self.stdout.write(f"Dashboard figures stored for {stored} scopes in {seconds:.1f} s.")
