"""The capacity rule under real concurrency: threads, each on its own database connection.

Rows are committed (transaction=True) so that every connection sees them. The shared test
server allows 100 connections in all, so at most CONNECTIONS sign-ups hold one at a time;
the barrier still releases all of them together, and the activity's row lock is contended
throughout.
"""

import threading

import pytest
from django.db import connections

from neighborhoods.activities import services
from neighborhoods.models import SignUp
from portal.exceptions import Refused

from .activity_fixtures import ActivityFactory, residents_of

pytestmark = pytest.mark.django_db(transaction=True)

CONNECTIONS = 30
PEOPLE = 100
PLACES = 20


def run_together(fn, n):
    """fn(i) for i in 0..n-1 in n threads released by one barrier; returns (values, errors)."""
    barrier = threading.Barrier(n)
    gate = threading.BoundedSemaphore(CONNECTIONS)
    values, errors = [None] * n, []

    def worker(i):
        try:
            barrier.wait(60)
            with gate:
                try:
                    values[i] = fn(i)
                finally:
                    connections.close_all()
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return values, errors


def test_it_never_confirms_more_than_the_capacity_under_100_concurrent_sign_ups(places, fuxin):
    activity = ActivityFactory(centre=fuxin, capacity=PLACES)
    people = residents_of(places["gjxc"], PEOPLE)
    # Half of them tap twice: the second tap must be refused, never a second row.
    taps = people + people[: PEOPLE // 2]

    def sign_up(i):
        try:
            return services.signup_create(activity=activity, user=taps[i]).status
        except Refused:
            return "refused"

    values, errors = run_together(sign_up, len(taps))
    assert errors == []
    assert values.count("confirmed") == PLACES
    assert values.count("waitlisted") == PEOPLE - PLACES
    assert values.count("refused") == PEOPLE // 2
    rows = SignUp.objects.filter(activity=activity)
    assert rows.filter(status="confirmed").count() == PLACES
    assert rows.filter(status="waitlisted").count() == PEOPLE - PLACES
    assert rows.values("user").distinct().count() == rows.count() == PEOPLE
    positions = list(rows.values_list("position", flat=True))
    assert sorted(positions) == list(range(1, PEOPLE + 1))  # a strict queue, no ties


def test_it_promotes_in_order_when_cancellations_and_sign_ups_race(places, fuxin):
    activity = ActivityFactory(centre=fuxin, capacity=10)
    confirmed = residents_of(places["gjxc"], 10, prefix="c")
    waiting = residents_of(places["gjxc"], 10, prefix="w")
    newcomers = residents_of(places["gjxc"], 20, prefix="n")
    for user in confirmed + waiting:
        services.signup_create(activity=activity, user=user)
    leaving = list(SignUp.objects.filter(user__in=confirmed[:5]))
    first_waiting = [s.user_id for s in SignUp.objects.waitlisted().filter(activity=activity)][:5]

    def act(i):
        if i < len(leaving):
            return services.signup_cancel(signup=leaving[i], by=leaving[i].user)
        return services.signup_create(activity=activity, user=newcomers[i - len(leaving)])

    values, errors = run_together(act, len(leaving) + len(newcomers))
    assert errors == []
    rows = SignUp.objects.filter(activity=activity)
    assert rows.filter(status="confirmed").count() == 10
    promoted = set(rows.filter(promoted_at__isnull=False).values_list("user_id", flat=True))
    # The five places went to the first five on the waiting list, not to the newcomers.
    assert promoted == set(first_waiting)
    assert rows.filter(status="waitlisted").count() == 5 + 20
    assert rows.filter(status="cancelled").count() == 5
    assert SignUp.objects.filter(activity=activity, notices__kind="promoted").count() == 5
