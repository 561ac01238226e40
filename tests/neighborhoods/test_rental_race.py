"""The stock rule under real concurrency: threads, each on its own database connection.

Rows are committed (transaction=True) so that every connection sees them.
"""

import pytest
from django.db import IntegrityError, transaction

from neighborhoods import models as nb
from neighborhoods.rental import services
from portal.exceptions import Refused
from tests.concurrency import run_concurrently
from tests.factories import UserFactory

from .rental_fixtures import add_units, approved_loan, elder

pytestmark = pytest.mark.django_db(transaction=True)


def attempt(fn):
    try:
        return fn()
    except Refused as refusal:
        return refusal


def test_two_staff_lending_the_last_wheelchair_at_once_one_succeeds_the_other_is_told(
    huyun, places, wheelchair, gjxc_point
):
    units = add_units(gjxc_point, wheelchair, 2)
    loans = [
        approved_loan(wheelchair, gjxc_point, elder(places, name, room=room), huyun)
        for name, room in [("甲", "11"), ("乙", "12")]
    ]
    # One of the two wheelchairs goes for repair: two loans approved, one unit left.
    nb.AidUnit.objects.filter(pk=units[1].pk).update(status=nb.AidUnit.Status.REPAIR)
    colleague = UserFactory(username="colleague")
    staff = [huyun, colleague]

    outcome = run_concurrently(
        lambda i: attempt(lambda: services.loan_lend(loan=loans[i], by=staff[i])), 2
    )
    assert outcome.errors == []
    lent = [v for v in outcome.values if isinstance(v, nb.Loan)]
    told = [v for v in outcome.values if isinstance(v, Refused)]
    assert len(lent) == 1 and len(told) == 1
    assert "最后一件刚刚借出" in str(told[0]) or "just lent" in str(told[0])
    assert nb.Loan.objects.filter(status=nb.Loan.Status.LENT).count() == 1
    assert nb.AidUnit.objects.get(pk=units[0].pk).status == nb.AidUnit.Status.LENT


def test_two_staff_lending_one_loan_at_once_lend_it_once(huyun, places, wheelchair, gjxc_point):
    add_units(gjxc_point, wheelchair, 3)
    loan = approved_loan(wheelchair, gjxc_point, elder(places, "丙", room="13"), huyun)
    outcome = run_concurrently(
        lambda i: attempt(lambda: services.loan_lend(loan=loan, by=huyun)), 4
    )
    assert outcome.errors == []
    assert sum(isinstance(v, nb.Loan) for v in outcome.values) == 1
    assert nb.AidUnit.objects.filter(status=nb.AidUnit.Status.LENT).count() == 1


def test_many_approvals_at_once_never_promise_more_units_than_there_are(
    huyun, places, wheelchair, gjxc_point
):
    add_units(gjxc_point, wheelchair, 2)
    people = [elder(places, f"居民{i}", room=f"2{i:02d}") for i in range(8)]
    requests = [
        services.loan_request(
            item=wheelchair, point=gjxc_point, resident=p, by=huyun, basis=nb.Loan.Basis.AGE
        )
        for p in people
    ]
    outcome = run_concurrently(
        lambda i: services.loan_approve(loan=requests[i], by=huyun), len(requests)
    )
    assert outcome.errors == []
    statuses = list(nb.Loan.objects.values_list("status", flat=True))
    assert statuses.count(nb.Loan.Status.APPROVED) == 2
    assert statuses.count(nb.Loan.Status.WAITING) == 6


def test_the_database_keeps_a_unit_on_one_loan_out(huyun, places, wheelchair, gjxc_point):
    """Even a write that skipped the service's lock cannot put a unit on two loans out."""
    (unit,) = add_units(gjxc_point, wheelchair, 1)
    first = approved_loan(wheelchair, gjxc_point, elder(places, "丁", room="31"), huyun)
    services.loan_lend(loan=first, by=huyun)
    second = services.loan_request(
        item=wheelchair,
        point=gjxc_point,
        resident=elder(places, "戊", room="32"),
        by=huyun,
        basis=nb.Loan.Basis.AGE,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        nb.Loan.objects.filter(pk=second.pk).update(
            status=nb.Loan.Status.LENT, unit=unit, due_date=first.due_date
        )
