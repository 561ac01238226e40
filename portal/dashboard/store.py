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

Each process also keeps the figures it read last, with the stamp they were stored under:
a request reads only the stamp from the cache (a few bytes) and unpickles the figures
again only when the job has stored new ones. The district's figures are 300 neighbourhoods'
rows; unpickling them was half the admins' page.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from neighborhoods.models import Neighbourhood

from . import services

# Part of every key: raise it when the figures' shape changes, so that a deploy never reads
# figures pickled by the code before it.
VERSION = 4
# How long a request waits for another one computing the same figures (cold cache).
FIGURES_WAIT_SECONDS = 60
# At most one refresh at a time (run_jobs beside a crontab): the second one stops at once.
REFRESH_LOCK_SECONDS = 15 * 60

DISTRICT = "district"


def of_neighbourhood(pk):
    """The scope of one neighbourhood's page."""
    return f"neighbourhood:{pk}"


# This process's last read of each scope: key → (stamp, figures); at most LOCAL_SCOPES.
_local = {}
LOCAL_SCOPES = 32


def _key(scope):
    return f"dashboard:v{VERSION}:{scope}"


def store(scope, figures):
    """Keep `figures` of `scope` for requests: fresh for DASHBOARD_FIGURES_SECONDS. They
    are stored, and returned, with their `stamp`: the pages' cached fragments are keyed
    by it (a new computation, a new key)."""
    seconds = settings.DASHBOARD_FIGURES_SECONDS
    key, stamp = _key(scope), uuid.uuid4().hex
    figures = {**figures, "stamp": stamp}
    cache.set_many({key: (time.time() + seconds, figures, stamp), f"{key}:stamp": stamp},
                   2 * seconds)  # fmt: skip
    return figures


def _read(key):
    """(fresh until, figures) stored under `key`, or None; unpickled only when the stamp
    differs from this process's last read."""
    stamp = cache.get(f"{key}:stamp")
    local = _local.get(key)
    if stamp is not None and local is not None and local[0] == stamp:
        return local[1]
    stored = cache.get(key)
    if stored is None:
        return None
    fresh_until, figures, stamp = stored
    if len(_local) >= LOCAL_SCOPES:
        _local.clear()
    _local[key] = (stamp, (fresh_until, figures))
    return fresh_until, figures


def cached_figures(scope, compute):
    """The stored figures of `scope`; computed here (`compute()`) only when there are none
    fresh, by one request at a time."""
    seconds = settings.DASHBOARD_FIGURES_SECONDS
    if seconds <= 0:
        return compute()
    key = _key(scope)
    stored = _read(key)
    if stored is not None and stored[0] > time.time():
        return stored[1]
    if cache.add(f"{key}:computing", 1, timeout=FIGURES_WAIT_SECONDS):
        try:
            return store(scope, compute())
        finally:
            cache.delete(f"{key}:computing")
    if stored is not None:
        return stored[1]  # being computed again: the figures before, a few minutes old
    deadline = time.monotonic() + FIGURES_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.2)
        stored = _read(key)
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
