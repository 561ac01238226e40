"""The production settings (DEBUG off) with one addition for `make benchmark`: a bare
Django view at /__hello__/, the yardstick every page is compared with (benchmarks/urls.py).
Only this settings module routes there; the portal's own settings never do."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
