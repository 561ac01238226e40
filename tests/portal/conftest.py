import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth keeps its rate-limit counters in the cache (locmem in tests): start clean."""
    cache.clear()
    yield
    cache.clear()
