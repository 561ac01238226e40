"""The production settings (DEBUG off) with one addition for `make benchmark`: the
yardsticks of benchmarks/urls.py (a bare Django view at /__hello__/, which every page is
compared with, and the floors of a signed-in and of a staff page). Only this settings
module routes there; the portal's own settings never do."""

import os

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"

# The small demo's gunicorn shares the district's Redis database (benchmarks/run.py): a key
# prefix of its own keeps the two databases' cached pages and figures apart.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCHMARK_CACHE_PREFIX", "")  # noqa: F405
