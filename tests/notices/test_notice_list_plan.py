"""/notices/ for a visitor: every query on notices_notice can be served by an index, and the
paginator's count of the notices everyone may read comes from the index alone.

On the district (21,048 notices) the count read every row of the table (a sequential scan);
the partial index notice_public_published (publish and expiry times of the public notices)
answers it with an index-only scan. A test database is tiny, so the planner would pick a
sequential scan anyway: each plan is taken with sequential scans off, which shows what the
indexes can serve. Without the partial index the count is still an index scan (the
publish_at index) that reads every row it counts, which this test refuses too.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notices.models import Notice
from tests.notices.notice_fixtures import make_notice

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]

NOTICE_TABLE = re.compile(r'"notices_notice"')
SEQ_SCAN = re.compile(r"Seq Scan on notices_notice\b")


def plans_of_the_list(client):
    """(sql, plan) of every query of /notices/ that reads notices_notice."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("notices:notice-list")).status_code == 200
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in captured.captured_queries:
            sql = query["sql"]
            if sql.startswith("SELECT") and NOTICE_TABLE.search(sql):
                cursor.execute(f"EXPLAIN {sql}")
                plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
        cursor.execute("RESET enable_seqscan")
    return plans


def test_the_visitors_list_is_served_by_indexes_and_its_count_by_the_index_alone(client, places):
    now = timezone.now()
    for i in range(30):
        make_notice(
            [places["gjxc"], places["gjxc"].subdistrict, places["district"]][i % 3],
            title=f"通知{i}",
            audience=Notice.Audience.RESIDENTS if i % 4 == 0 else Notice.Audience.PUBLIC,
            publish_at=now - datetime.timedelta(days=3),
            expires_at=now - datetime.timedelta(days=1) if i % 7 == 0 else None,
        )
    plans = plans_of_the_list(client)
    counts = [plan for sql, plan in plans if sql.startswith("SELECT COUNT(*)")]
    assert len(counts) == 1, plans
    assert "Index Only Scan using notice_public_published" in counts[0], counts[0]
    for sql, plan in plans:
        assert not SEQ_SCAN.search(plan), f"{sql}\n{plan}"
