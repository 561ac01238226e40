"""The dashboards' figures, computed off the request and kept in the shared cache.

At district scale one computation reads every household, resident and sign-up of the
district: seconds of work (issue 14). So `manage.py refresh_dashboards`, every 5 minutes,
computes the figures of every scope the dashboard shows — the district (the admins' page)
and each neighbourhood (its staff's page, open to admins too) — and stores them with the
time they were computed, which the pages show ("截至 …"). Requests read them.

A request computes only when its scope has no figures younger than
DASHBOARD_FIGURES_SECONDS: a fresh install before the job's first run, or the job stopped.
Then one request at a time computes; while it does, the others show the figures before
(kept twice as long) or, with none at all, wait for that one computation rather than start
their own. DASHBOARD_FIGURES_SECONDS = 0 turns the store off: every request computes.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from neighborhoods.models import Neighbourhood

from . import services

# Part of every key: raise it when the figures' shape changes, so that a deploy never reads
# figures pickled by the code before it.
VERSION = 2
# How long a request waits for another one computing the same figures (cold cache).
FIGURES_WAIT_SECONDS = 60
# At most one refresh at a time (run_jobs beside a crontab): the second one stops at once.
REFRESH_LOCK_SECONDS = 15 * 60

DISTRICT = "district"


def of_neighbourhood(pk):
    """The scope of one neighbourhood's page."""
    return f"neighbourhood:{pk}"


def _key(scope):
    return f"dashboard:v{VERSION}:{scope}"


def store(scope, figures):
    """Keep `figures` of `scope` for requests: fresh for DASHBOARD_FIGURES_SECONDS."""
    seconds = settings.DASHBOARD_FIGURES_SECONDS
    cache.set(_key(scope), (time.time() + seconds, figures), 2 * seconds)


def cached_figures(scope, compute):
    """The stored figures of `scope`; computed here (`compute()`) only when there are none
    fresh, by one request at a time."""
    seconds = settings.DASHBOARD_FIGURES_SECONDS
    if seconds <= 0:
        return compute()
    key = _key(scope)
    stored = cache.get(key)
    if stored is not None and stored[0] > time.time():
        return stored[1]
    if cache.add(f"{key}:computing", 1, timeout=FIGURES_WAIT_SECONDS):
        try:
            figures = compute()
            store(scope, figures)
            return figures
        finally:
            cache.delete(f"{key}:computing")
    if stored is not None:
        return stored[1]  # being computed again: the figures before, a few minutes old
    deadline = time.monotonic() + FIGURES_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.2)
        stored = cache.get(key)
        if stored is not None:
            return stored[1]
    return compute()


def refresh_all(now=None):
    """Compute and store the figures of every scope: the district, then each neighbourhood
    (its rank and row taken from the district's rows, so the district's grouped queries run
    once). Returns the number of scopes stored, or None when another refresh is running."""
    lock = _key("refreshing")
    if not cache.add(lock, 1, timeout=REFRESH_LOCK_SECONDS):
        return None
    try:
        now = now or timezone.now()
        district = services.district_figures(now)
        store(DISTRICT, district)
        neighbourhoods = Neighbourhood.objects.select_related("subdistrict__district")
        stored = 1
        for neighbourhood in neighbourhoods.order_by("pk"):
            figures = services.neighbourhood_figures(neighbourhood, now, rows=district["rows"])
            store(of_neighbourhood(neighbourhood.pk), figures)
            stored += 1
        return stored
    finally:
        cache.delete(lock)
