"""seed_demo --scale district at a tiny scale factor, on top of the session's small demo:
the counts grow as planned and the generated rows hang together (the full size is built
and timed by `make benchmark`, not here)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from neighborhoods.demo.register import PLACES
from neighborhoods.models import (
    CommunityWorker,
    Household,
    Neighbourhood,
    Resident,
    SignUp,
    Visit,
    WatchEnrolment,
    Zone,
)
from portal import demo_district
from portal.models import Message, User
from tests.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]

FACTOR = 0.003


def orphans(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def test_a_tiny_district_is_consistent():
    before = demo_district.counts()
    out = StringIO()
    call_command(
        "seed_demo", scale="district", scale_factor=FACTOR, password=DEMO_PASSWORD, stdout=out
    )
    after = demo_district.counts()
    plan = demo_district.Plan.at(FACTOR, len(PLACES), before["workers"])
    assert after["neighbourhoods"] == before["neighbourhoods"] + plan.new_neighbourhoods
    assert after["workers"] == before["workers"] + plan.new_workers
    assert after["subdistricts"] == 12
    for table in ("households", "residents", "visits", "needs", "notices", "activities",
                  "signups", "volunteers", "service_records", "messages", "watch"):  # fmt: skip
        assert after[table] > before[table], table
    new = Neighbourhood.objects.exclude(name__in=[p.name for p in PLACES])
    households = Household.objects.filter(building__neighbourhood__in=new)
    # about households_per_neighbourhood each (buildings of 10–28 flats)
    assert abs(households.count() - plan.new_neighbourhoods * plan.households_per_neighbourhood) < (
        28 * plan.new_neighbourhoods
    )
    residents = Resident.objects.filter(household__in=households).count()
    assert 2.2 < residents / households.count() < 2.8

    # Every row points at rows that exist (the foreign keys were added again and checked;
    # these say the same in plain words).
    assert not orphans(
        "SELECT count(*) FROM neighborhoods_resident r LEFT JOIN neighborhoods_household h "
        "ON h.id = r.household_id WHERE h.id IS NULL"
    )
    assert not orphans(
        "SELECT count(*) FROM neighborhoods_visit v LEFT JOIN portal_user u "
        "ON u.id = v.staff_id WHERE u.id IS NULL"
    )
    # Staff belong to the neighbourhoods they work in: each new worker owns one zone of
    # their neighbourhood, every new building is in a zone of its own neighbourhood, and a
    # household's visits are made by its zone's worker.
    for worker in CommunityWorker.objects.filter(neighbourhood__in=new):
        assert list(Zone.objects.filter(worker=worker).values_list("neighbourhood", flat=True)) == [
            worker.neighbourhood_id
        ]
    for household in households.select_related("building__zone__worker")[:50]:
        zone = household.building.zone
        assert zone.neighbourhood_id == household.building.neighbourhood_id
        staff = set(Visit.objects.filter(household=household).values_list("staff", flat=True))
        assert staff == {zone.worker.user_id}
    # Care flags as refresh_care() would store them.
    today = timezone.localdate()
    for household in households.prefetch_related("residents")[:300]:
        present = list(household.residents.all())
        assert household.care == household.care_for(present, today), household.pk
        assert household.eldest_birth_date == min(r.birth_date for r in present)
    # Watch: the elderly aged 80+ living alone.
    enrolled = WatchEnrolment.objects.filter(household__in=households)
    assert enrolled.exists()
    assert not enrolled.exclude(household__care=Household.Care.ELDERLY_ALONE).exists()
    # Accounts: each linked to one adult of the register; sign-ups within capacity, by
    # accounts of the activity's neighbourhood; unread counters match the inboxes.
    accounts = User.objects.filter(
        username__startswith="u", resident_record__household__in=households
    )
    assert accounts.exists()
    eighteen = today - datetime.timedelta(days=18 * 366)
    assert not accounts.filter(resident_record__birth_date__gt=eighteen).exists()
    for signup in SignUp.objects.filter(activity__neighbourhood__in=new).select_related(
        "activity", "resident__household__building"
    )[:200]:
        assert signup.resident.user_id == signup.user_id
        assert (
            signup.resident.household.building.neighbourhood_id == signup.activity.neighbourhood_id
        )
    assert not orphans(
        "SELECT count(*) FROM neighborhoods_activity a WHERE a.capacity < "
        "(SELECT count(*) FROM neighborhoods_signup s WHERE s.activity_id = a.id "
        "AND s.status = 'confirmed')"
    )
    for user in accounts.filter(unread_messages__gt=0)[:50]:
        unread = Message.objects.filter(recipient=user, read_at__isnull=True).count()
        assert user.unread_messages == unread
    # The demo accounts are still there and still where they were.
    assert (
        CommunityWorker.objects.get(user__username="huyun").neighbourhood.name == "公交新村居民区"
    )
    assert "Grew 杨浦区" in out.getvalue()


def test_the_same_rows_every_time():
    """Two builds on the same base (each rolled back) make the same register and visits."""

    def snapshot():
        with transaction.atomic():
            demo_district.build(password_hash="!", factor=FACTOR)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT md5(string_agg(r.id || r.name || r.birth_date || h.room || h.care, "
                    "',' ORDER BY r.id)) FROM neighborhoods_resident r "
                    "JOIN neighborhoods_household h ON h.id = r.household_id"
                )
                residents = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT md5(string_agg(id::text || household_id || \"when\"::text, ',' "
                    "ORDER BY id)), count(*) FROM neighborhoods_visit"
                )
                visits = cursor.fetchone()
            transaction.set_rollback(True)
        return residents, visits

    assert snapshot() == snapshot()
