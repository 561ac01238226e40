"""Query budgets: the activity list, the centre's workspace and the check-in list cost the
same with 3× the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from neighborhoods.models import SignUp

from .activity_fixtures import ActivityFactory, in_days, residents_of

pytestmark = pytest.mark.django_db

LIST_BUDGET = 8
WORKSPACE_BUDGET = 10
CHECKIN_BUDGET = 10


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_activities(fuxin, places, n, start=0):
    for i in range(start, start + n):
        host = {"centre": fuxin} if i % 2 else {"neighbourhood": places["gjxc"]}
        ActivityFactory(title=f"活动{i}", starts_at=in_days(1 + i % 10), **host)


@pytest.mark.parametrize("persona", [None, "resident", "centre_staff"])
def test_it_lists_activities_within_a_fixed_budget(request, client, fuxin, places, persona):
    """/activities/: session and user, the filter form's choices, the count, one page with its
    hosts and sign-up counts (one annotated query). 5 and 15 activities: the same count."""
    if persona:
        client.force_login(request.getfixturevalue(persona))
    url = reverse("neighborhoods:activity-list")
    add_activities(fuxin, places, 5)
    few = count(client, url + "?places=on")
    add_activities(fuxin, places, 10, start=5)
    many = count(client, url + "?places=on")
    assert few == many <= LIST_BUDGET


def test_it_shows_the_workspace_within_a_fixed_budget(client, fuxin, centre_staff, places):
    """/centres/<id>/manage/: session, user, the centre, its activities with sign-up and
    attendance counts in one query. 4 and 12 activities with sign-ups: the same count."""
    client.force_login(centre_staff)
    people = residents_of(places["gjxc"], 3)

    def add(n, start):
        for i in range(start, start + n):
            activity = ActivityFactory(centre=fuxin, title=f"活动{i}", starts_at=in_days(i % 9))
            for position, user in enumerate(people, start=1):
                SignUp.objects.create(activity=activity, user=user, position=position)

    url = reverse("neighborhoods:centre-manage", args=[fuxin.pk])
    add(4, 0)
    few = count(client, url)
    add(8, 4)
    assert count(client, url) == few <= WORKSPACE_BUDGET


def test_it_shows_the_check_in_list_within_a_fixed_budget(client, activity, centre_staff, places):
    """The check-in list: session, user, the activity, its confirmed people with their
    accounts and register records (one query). 10 and 30 people: the same count."""
    client.force_login(centre_staff)
    url = reverse("neighborhoods:activity-checkin", args=[activity.pk])
    activity.capacity = None
    activity.save()
    for position, user in enumerate(residents_of(places["gjxc"], 10), start=1):
        SignUp.objects.create(
            activity=activity, user=user, resident=user.resident_record, position=position
        )
    few = count(client, url)
    for position, user in enumerate(residents_of(places["gjxc"], 20, prefix="m"), start=11):
        SignUp.objects.create(
            activity=activity, user=user, resident=user.resident_record, position=position
        )
    assert count(client, url) == few <= CHECKIN_BUDGET
    sheet = reverse("neighborhoods:activity-sheet", args=[activity.pk])
    assert count(client, sheet) <= CHECKIN_BUDGET
