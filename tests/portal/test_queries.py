"""portal.queries.first_and_total: a short list and its total in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import User
from portal.queries import first_and_total
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_first_rows_in_order_and_the_total_of_all_in_one_query():
    for n in range(7):
        f.UserFactory(username=f"u{n}")
    with CaptureQueriesContext(connection) as queries:
        rows, total = first_and_total(User.objects.order_by("-username"), 3)
    assert len(queries) == 1
    assert [user.username for user in rows] == ["u6", "u5", "u4"]
    assert total == 7


def test_fewer_rows_than_the_limit_and_none():
    f.UserFactory(username="only")
    rows, total = first_and_total(User.objects.all(), 3)
    assert ([user.username for user in rows], total) == (["only"], 1)
    assert first_and_total(User.objects.none(), 3) == ([], 0)
    assert first_and_total(User.objects.filter(username="nobody"), 3) == ([], 0)


def test_a_distinct_queryset_is_refused_rather_than_miscounted():
    with pytest.raises(ValueError):
        first_and_total(User.objects.distinct(), 3)
