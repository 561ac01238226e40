"""seed_demo built afresh, on an empty database: the full district, and the same register
every time. (What the demo contains is read from the session's demo: test_seed_demo.py.
How long the full build takes is measured by benchmarks/run.py, not asserted here.)"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from neighborhoods.models import Household, Resident, Zone

pytestmark = pytest.mark.django_db


def seed(**options):
    out = StringIO()
    call_command("seed_demo", stdout=out, **{"password": "seed-demo-pw-1", **options})
    return out.getvalue()


def test_it_builds_the_full_district_with_about_1400_households_at_dinghaigang_road():
    seed()
    dinghai = Household.objects.filter(building__neighbourhood__name="定海港路居民区").count()
    assert 1380 <= dinghai <= 1420
    zone_sizes = [zone.buildings.count() for zone in Zone.objects.all()]
    assert all(8 <= size <= 15 for size in zone_sizes), zone_sizes


class Rollback(Exception):
    pass


def register_fingerprint():
    """Build the small district, read the whole register back, and undo it all."""
    try:
        with transaction.atomic():
            seed(small=True)
            fingerprint = list(
                Resident.objects.order_by("pk").values_list(
                    "household__building__neighbourhood__name", "household__building__number",
                    "household__room", "name", "gender", "birth_date", "phone", "relation",
                    "status",
                )
            )  # fmt: skip
            raise Rollback
    except Rollback:
        return fingerprint


def test_it_builds_the_same_register_every_time(db):
    assert register_fingerprint() == register_fingerprint()
