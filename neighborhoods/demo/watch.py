"""Demo data for the daily watch (日看窗帘夜看灯), built by `manage.py seed_demo`.

Every elderly person living alone aged 80+ of 公交新村 and 定海港路 is enrolled, plus a
few elderly couples by choice; three weeks of history (almost always seen, now and then
"not seen" or missed, each alert closed after its steps: a call, a visit, the family);
today's board partly done; and
one open alert, as in the report: 周阿婆 (周秀英, 公交新村) was not seen last night.

Today's checks whose deadline has already passed when the seed runs are marked seen, so
that the first run of open_watch_alerts after seeding leaves 周阿婆's as the one alert.
"""

import datetime

from django.utils import timezone

from ..models import (
    Household,
    Neighbourhood,
    Resident,
    WatchAlert,
    WatchAlertStep,
    WatchCheck,
    WatchEnrolment,
)
from ..models.register import birth_date_for_age
from ..models.watch import WATCH_CANDIDATE_AGE, WATCH_TZ
from ..watch.services import check_deadline

NEIGHBOURHOODS = ["公交新村居民区", "定海港路居民区"]
ZHOU = "周秀英"
HISTORY_DAYS = 21
BY_CHOICE = 3  # elderly-only households per neighbourhood enrolled at the family's request
CONTACT_GIVEN = ["建华", "国强", "丽萍", "海燕", "志明", "红梅", "伟民", "秀兰"]
# Each outcome with the steps that led to it: (kind, note, minutes after the alert).
STEPS = {
    WatchAlert.Outcome.PHONED_FINE: [
        ("phoned", "老人接听，说身体不适早睡了/在午睡，没开窗帘。", 5),
    ],
    WatchAlert.Outcome.VISITED_FINE: [
        ("phoned", "电话无人接。", 5),
        ("visited", "上门敲门，老人在家，助听器没戴。", 20),
    ],
    WatchAlert.Outcome.FAMILY: [
        ("phoned", "电话无人接。", 5),
        ("family_contacted", "联系紧急联系人，子女确认老人在女儿家住两天。", 15),
    ],
}


def build(*, stdout, rng, today):
    if WatchEnrolment.objects.exists():
        stdout.write("Daily watch: already there, kept it.")
        return
    now = timezone.now()
    enrolments = []
    for neighbourhood in Neighbourhood.objects.filter(name__in=NEIGHBOURHOODS):
        enrolments += _enrol(neighbourhood, rng=rng, today=today)
    if not enrolments:
        stdout.write("Daily watch: no demo neighbourhood found, nothing built.")
        return
    alerts = 0
    for enrolment in enrolments:
        alerts += _history(enrolment, rng=rng, today=today, now=now)
    zhou = next((e for e in enrolments if _is_zhou(e)), None)
    if zhou:
        _not_seen_last_night(zhou, today=today)
    stdout.write(
        f"Daily watch: {len(enrolments)} households enrolled, {HISTORY_DAYS} days of checks, "
        f"{alerts} closed alerts, 1 open alert ({ZHOU}, not seen last night)."
    )


def _enrol(neighbourhood, *, rng, today):
    households = (
        Household.objects.filter(building__neighbourhood=neighbourhood)
        .select_related("building__zone__worker__user")
        .prefetch_related("residents")
        .order_by("building__number", "room")
    )
    oldest = birth_date_for_age(WATCH_CANDIDATE_AGE, today)
    alone = [h for h in households if h.care == "alone" and h.eldest_birth_date <= oldest]
    couples = [h for h in households if h.care == "elderly"]
    chosen = alone + rng.sample(couples, min(BY_CHOICE, len(couples)))
    fallback = neighbourhood.workers.filter(active=True).select_related("user").first()
    enrolled_at = datetime.datetime.combine(
        today - datetime.timedelta(days=HISTORY_DAYS + 30), datetime.time(9), tzinfo=WATCH_TZ
    )
    enrolments = []
    for household in chosen:
        members = [r for r in household.residents.all() if r.status == Resident.Status.PRESENT]
        surname = members[0].name[0] if members else "王"
        worker = household.building.zone.worker if household.building.zone else None
        worker = worker or fallback
        enrolments.append(
            WatchEnrolment(
                household=household,
                contact_name=f"{surname}{rng.choice(CONTACT_GIVEN)}（子女）",
                contact_phone=f"139{rng.randrange(10**8):08d}",
                enrolled_by=worker.user if worker else None,
                created=enrolled_at,
            )
        )
    WatchEnrolment.objects.bulk_create(enrolments)
    return list(
        WatchEnrolment.objects.filter(household__in=chosen).select_related(
            "household__building__neighbourhood", "household__building__zone__worker__user"
        )
    )


def _is_zhou(enrolment):
    return enrolment.household.residents.filter(name=ZHOU, status=Resident.Status.PRESENT).exists()


def _history(enrolment, *, rng, today, now):
    """Checks from HISTORY_DAYS ago to today. Returns the number of (closed) alerts made."""
    neighbourhood = enrolment.household.building.neighbourhood
    zone = enrolment.household.building.zone
    staff = zone.worker.user if zone and zone.worker else enrolment.enrolled_by
    checks, alert_for = [], []
    for back in range(HISTORY_DAYS, -1, -1):
        day = today - datetime.timedelta(days=back)
        for kind in (WatchCheck.Kind.DAY, WatchCheck.Kind.NIGHT):
            deadline = check_deadline(neighbourhood, day, kind)
            early = datetime.timedelta(minutes=rng.randrange(10, 150))
            if back == 0 and deadline > now:
                # Today, before the deadline: the board is partly done.
                if rng.random() < 0.5 and deadline - early < now:
                    checks.append(_check(enrolment, day, kind, "seen", staff, deadline - early))
                continue
            roll = rng.random()
            if back == 0 or roll >= 0.05:
                checks.append(_check(enrolment, day, kind, "seen", staff, deadline - early))
            elif roll < 0.03:
                check = _check(enrolment, day, kind, "not_seen", staff, deadline - early)
                checks.append(check)
                alert_for.append(check)
            else:
                check = _check(enrolment, day, kind, "missed", None, deadline)
                checks.append(check)
                alert_for.append(check)
    WatchCheck.objects.bulk_create(checks)
    alerts, steps = [], []
    for check in alert_for:
        outcome = rng.choice(list(STEPS))
        minute = datetime.timedelta(minutes=1)
        closed = check.at + (STEPS[outcome][-1][2] + rng.randrange(2, 20)) * minute
        alert = WatchAlert(watch_check=check, opened_at=check.at, outcome=outcome)
        alert.closed_at, alert.closed_by = closed, staff
        alerts.append(alert)
        steps += [
            WatchAlertStep(alert=alert, kind=kind, note=note, by=staff, at=check.at + m * minute)
            for kind, note, m in STEPS[outcome]
        ]
    WatchAlert.objects.bulk_create(alerts)
    WatchAlertStep.objects.bulk_create(steps)
    return len(alerts)


def _check(enrolment, day, kind, status, by, at):
    return WatchCheck(enrolment=enrolment, date=day, kind=kind, status=status, by=by, at=at)


def _not_seen_last_night(enrolment, *, today):
    """周阿婆: 胡云 saw no light in her window last night; the alert is still open."""
    yesterday = today - datetime.timedelta(days=1)
    neighbourhood = enrolment.household.building.neighbourhood
    at = check_deadline(neighbourhood, yesterday, WatchCheck.Kind.NIGHT) - datetime.timedelta(
        minutes=25
    )
    zone = enrolment.household.building.zone
    by = zone.worker.user if zone and zone.worker else enrolment.enrolled_by
    check, _ = WatchCheck.objects.update_or_create(
        enrolment=enrolment,
        date=yesterday,
        kind=WatchCheck.Kind.NIGHT,
        defaults={"status": WatchCheck.Status.NOT_SEEN, "by": by, "at": at},
    )
    WatchAlert.objects.filter(watch_check=check).delete()
    WatchAlert.objects.create(watch_check=check, opened_at=at)
