"""The dashboards' figures from the shared cache (portal/dashboard/views.cached_figures):
computed once per DASHBOARD_FIGURES_SECONDS, by one request at a time."""

from unittest import mock

from django.core.cache import cache
from django.utils import timezone

from portal.dashboard.views import cached_figures


def test_figures_are_computed_once_then_read(settings):
    settings.DASHBOARD_FIGURES_SECONDS = 60
    compute = mock.Mock(return_value={"rows": [1, 2]})
    assert cached_figures("district", compute) == {"rows": [1, 2]}
    assert cached_figures("district", compute) == {"rows": [1, 2]}
    assert compute.call_count == 1


def test_while_one_recomputes_the_others_read_the_figures_before(settings):
    settings.DASHBOARD_FIGURES_SECONDS = 60
    cached_figures("district", lambda: {"n": 1})
    raw_key = f"dashboard:district:{timezone.localdate().isoformat()}"
    _expires, figures = cache.get(raw_key)
    cache.set(raw_key, (0, figures), 120)  # past its time
    cache.add(f"{raw_key}:computing", 1)  # and another request is computing it
    recompute = mock.Mock(return_value={"n": 2})
    assert cached_figures("district", recompute) == {"n": 1}
    recompute.assert_not_called()
    cache.delete(f"{raw_key}:computing")
    assert cached_figures("district", recompute) == {"n": 2}


def test_off_in_tests_by_default():
    compute = mock.Mock(return_value={})
    cached_figures("district", compute)
    cached_figures("district", compute)
    assert compute.call_count == 2
