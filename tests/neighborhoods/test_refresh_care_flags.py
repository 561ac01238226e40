"""refresh_care_flags keeps a household's care flag true as its residents grow older."""

import datetime
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from neighborhoods.models import Household
from tests import factories as f

pytestmark = pytest.mark.django_db

ALONE, ONLY, NONE = Household.Care.ELDERLY_ALONE, Household.Care.ELDERLY_ONLY, Household.Care.NONE
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def refresh(*args):
    out = StringIO()
    call_command("refresh_care_flags", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def turning_60():
    """A household of one resident who turns 60 on 15 March 2025, made the day before."""
    with time_machine.travel(datetime.datetime(2025, 3, 14, 10, tzinfo=SHANGHAI), tick=False):
        household = f.HouseholdFactory()
        f.ResidentFactory(household=household, birth_date=datetime.date(1965, 3, 15))
    household.refresh_from_db()
    assert household.care == NONE
    return household


def on_birthday():
    return time_machine.travel(datetime.datetime(2025, 3, 15, 6, tzinfo=SHANGHAI), tick=False)


def test_it_flags_a_resident_who_has_turned_60_as_living_alone(turning_60):
    with on_birthday():
        out = refresh()
    turning_60.refresh_from_db()
    assert turning_60.care == ALONE
    assert "1 updated" in out


def test_it_changes_nothing_on_a_dry_run(turning_60):
    with on_birthday():
        out = refresh("--dry-run")
    turning_60.refresh_from_db()
    assert turning_60.care == NONE
    assert "1 would be updated" in out


def test_it_clears_a_stale_flag_and_leaves_right_ones_alone(turning_60):
    Household.objects.filter(pk=turning_60.pk).update(care=ONLY)
    with time_machine.travel(datetime.datetime(2025, 3, 14, 12, tzinfo=SHANGHAI), tick=False):
        out = refresh()
        assert "every care flag is up to date" in refresh()
    turning_60.refresh_from_db()
    assert turning_60.care == NONE
    assert "1 updated" in out
