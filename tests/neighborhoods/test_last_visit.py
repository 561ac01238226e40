"""Household.last_visit: the newest visit's time, kept with every write of a visit.

The overdue list, the coverage figures and the map read it instead of the visits, so it
must follow every way a visit changes: logged, corrected, moved to another household in
admin, deleted, written in bulk (the demo data), and two visits logged at the same moment.
"""

import datetime
import threading
import time

import pytest
from django.contrib.admin import site
from django.db import connections, transaction
from django.utils import timezone

from neighborhoods.admin.care import VisitAdmin
from neighborhoods.care import services
from neighborhoods.models import Household, Visit
from tests import factories as f

from .visit_factories import VisitFactory

NOW = timezone.now().replace(microsecond=0)


def last_visit(household):
    household.refresh_from_db(fields=["last_visit"])
    return household.last_visit


@pytest.mark.django_db
class TestKeptByEachWrite:
    def test_a_new_household_has_none(self):
        assert last_visit(f.HouseholdFactory()) is None

    def test_logging_a_visit_sets_it_and_an_older_one_does_not_lower_it(self):
        household, staff = f.HouseholdFactory(), f.UserFactory()
        services.visit_log(
            household=household, staff=staff, when=NOW, kind="routine", met="", notes=""
        )
        assert last_visit(household) == NOW
        services.visit_log(
            household=household,
            staff=staff,
            when=NOW - datetime.timedelta(days=3),
            kind="routine",
            met="",
            notes="",
        )
        assert last_visit(household) == NOW

    def test_correcting_the_newest_visits_time_moves_it_back(self):
        household = f.HouseholdFactory()
        VisitFactory(household=household, when=NOW - datetime.timedelta(days=9))
        newest = VisitFactory(household=household, when=NOW)
        services.visit_correct(
            visit=Visit.objects.get(pk=newest.pk),
            when=NOW - datetime.timedelta(days=2),
            kind="routine",
            met="",
            notes="",
        )
        assert last_visit(household) == NOW - datetime.timedelta(days=2)

    def test_moving_a_visit_to_another_household_updates_both(self):
        first, second = f.HouseholdFactory(), f.HouseholdFactory()
        visit = VisitFactory(household=first, when=NOW)
        visit = Visit.objects.get(pk=visit.pk)  # as admin's change form loads it
        visit.household = second
        visit.save()
        assert last_visit(first) is None
        assert last_visit(second) == NOW

    def test_deleting_the_newest_visit_falls_back_to_the_one_before(self):
        household = f.HouseholdFactory()
        VisitFactory(household=household, when=NOW - datetime.timedelta(days=30))
        Visit.objects.get(pk=VisitFactory(household=household, when=NOW).pk).delete()
        assert last_visit(household) == NOW - datetime.timedelta(days=30)

    def test_bulk_writes_are_put_right_by_refresh_last_visit(self):
        household, staff = f.HouseholdFactory(), f.UserFactory()
        Visit.objects.bulk_create([Visit(household=household, staff=staff, when=NOW)])
        assert last_visit(household) is None  # bulk_create bypasses Visit.save()
        Household.objects.filter(pk=household.pk).refresh_last_visit()
        assert last_visit(household) == NOW

    def test_the_admins_bulk_delete_keeps_it(self, rf, admin):
        household = f.HouseholdFactory()
        VisitFactory(household=household, when=NOW - datetime.timedelta(days=5))
        newest = VisitFactory(household=household, when=NOW)
        request = rf.post("/admin/neighborhoods/visit/")
        request.user = admin
        VisitAdmin(Visit, site).delete_queryset(request, Visit.objects.filter(pk=newest.pk))
        assert last_visit(household) == NOW - datetime.timedelta(days=5)


@pytest.mark.django_db(transaction=True)
def test_an_older_visit_saved_while_a_newer_one_commits_does_not_win():
    """The interleaving that a plain UPDATE … SET last_visit = (newest visit) gets wrong:
    worker A has logged the newer visit and not yet committed; worker B logs an older one
    and waits for A's lock on the household. Were B's newest-visit query taken before the
    lock, it would not see A's visit and would write the older time."""
    household, staff = f.HouseholdFactory(), f.UserFactory()
    logged, commit = threading.Event(), threading.Event()
    errors = []

    def log(when, hold=False):
        try:
            with transaction.atomic():
                services.visit_log(
                    household=Household.objects.get(pk=household.pk),
                    staff=staff,
                    when=when,
                    kind="routine",
                    met="",
                    notes="",
                )
                if hold:
                    logged.set()
                    commit.wait(30)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    newer = threading.Thread(target=log, args=(NOW, True))
    older = threading.Thread(target=log, args=(NOW - datetime.timedelta(days=1),))
    newer.start()
    assert logged.wait(30)
    older.start()
    time.sleep(0.5)  # B is now waiting for the household's row
    commit.set()
    newer.join(30)
    older.join(30)
    assert errors == []
    assert last_visit(household) == NOW
