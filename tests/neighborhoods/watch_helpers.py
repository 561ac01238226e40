"""Helpers for the daily-watch tests: enrolments made at a chosen moment, Shanghai times."""

import datetime

from neighborhoods.models import WatchEnrolment
from neighborhoods.models.watch import WATCH_TZ
from tests import factories as f

LONG_AGO = datetime.datetime(2020, 1, 1, tzinfo=WATCH_TZ)


def sh(year, month, day, hour=0, minute=0):
    """An aware datetime on the Shanghai wall clock."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=WATCH_TZ)


def enrol(household, *, created=LONG_AGO, **kwargs):
    kwargs.setdefault("contact_name", "周建华")
    kwargs.setdefault("contact_phone", "13900002222")
    return WatchEnrolment.objects.create(household=household, created=created, **kwargs)


def watched_households(building, count, *, start=1):
    """`count` households in `building`, each with one resident aged 85, all enrolled."""
    enrolments = []
    for n in range(start, start + count):
        household = f.HouseholdFactory(building=building, room=f"{n // 4 + 1}{n % 4 + 1:02d}")
        f.ResidentFactory(household=household, birth_date=f.born_years_ago(85))
        enrolments.append(enrol(household))
    return enrolments
