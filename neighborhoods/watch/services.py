"""The daily watch (日看窗帘夜看灯): marking checks, opening and closing alerts, the board.

Rules, in one place:
- Every active enrolment has a day check (curtains opened) and a night check (lights on)
  every day, with deadlines set per neighbourhood (default 10:00 and 21:00, Shanghai time).
- Marking a check "not seen" opens an alert at once. A check nobody marked by its deadline
  is recorded as "missed" and opens an alert too: `watch_open_missed`, run every few
  minutes by the `open_watch_alerts` command, so that nobody has to open a page for it.
- Each step taken on an alert (phoned, visited, family, 120/110, a note) is recorded when
  it happens; the alert stays open until someone closes it with the outcome, which needs
  at least one step on record.
- Taking a household off the watch says why; it can be undone for UNDO_STOP_WITHIN.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Household, Resident, WatchAlert, WatchAlertStep, WatchCheck, WatchEnrolment
from ..models.register import birth_date_for_age
from ..models.watch import WATCH_CANDIDATE_AGE, WATCH_TZ, watch_today
from .forms import WatchEnrolForm

KINDS = (WatchCheck.Kind.DAY, WatchCheck.Kind.NIGHT)
# The night check shows as due on the staff home from this long before its deadline
# (lights go on in the evening; at breakfast it is not yet "unchecked").
NIGHT_DUE_BEFORE = datetime.timedelta(hours=4)
# How far back the command looks for checks nobody marked. One day back is what makes a
# night check of yesterday that was missed become an alert when the command runs after
# midnight; a longer outage of the scheduler is not made up for (those days are history).
LOOKBACK_DAYS = 1


def check_deadline(neighbourhood, day, kind):
    """The aware datetime by which the `kind` check of `day` must be done."""
    time = (
        neighbourhood.watch_day_deadline
        if kind == WatchCheck.Kind.DAY
        else neighbourhood.watch_night_deadline
    )
    return datetime.datetime.combine(day, time, tzinfo=WATCH_TZ)


class WatchRefused(Exception):
    """What the state of an alert or enrolment forbids (closed, too late…); str() is for
    the user."""


# --- Writes -------------------------------------------------------------------------


@transaction.atomic
def watch_mark(*, enrolment, kind, status, by, now=None):
    """Record today's `kind` check as seen or not seen; "not seen" opens an alert.

    The enrolment row is locked so that a mark and the alert command never interleave on
    the same household (the command skips locked rows and comes back a few minutes later).
    A check already recorded (even "missed" by the command) is corrected, and its alert,
    if any, stays open until someone closes it with the steps taken.
    """
    now = now or timezone.now()
    enrolment = WatchEnrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
    check, created = WatchCheck.objects.get_or_create(
        enrolment=enrolment,
        date=watch_today(now),
        kind=kind,
        defaults={"status": status, "by": by, "at": now},
    )
    if not created:
        check.status, check.by, check.at = status, by, now
        check.save(update_fields=["status", "by", "at"])
    if status == WatchCheck.Status.NOT_SEEN:
        _open_alert(check, now)
    return check


def _open_alert(check, now):
    alert, created = WatchAlert.objects.get_or_create(
        watch_check=check, defaults={"opened_at": now}
    )
    if not created and not alert.is_open:
        # Seen, closed, and now "not seen" again the same day: the alert opens again; the
        # steps already recorded stay in it, the outcome is asked for again.
        alert.closed_at, alert.closed_by, alert.outcome = None, None, ""
        alert.save(update_fields=["closed_at", "closed_by", "outcome"])
    return alert


def _lock_alert(alert):
    # of=("self",): lock the alert row only, not the check and household it joins.
    return WatchAlert.objects.select_for_update(of=("self",)).get(pk=alert.pk)


@transaction.atomic
def watch_alert_step_add(*, alert, kind, by, note="", now=None):
    """Record one step taken on an open alert, by whom and when (now)."""
    locked = _lock_alert(alert)
    if not locked.is_open:
        raise WatchRefused(_("This alert was already closed; the step was not recorded."))
    return WatchAlertStep.objects.create(
        alert=locked, kind=kind, note=note, by=by, at=now or timezone.now()
    )


@transaction.atomic
def watch_alert_close(*, alert, by, outcome, note="", now=None):
    """Close an alert with its outcome; it must have at least one step on record.

    The row is locked and its state read again under the lock, so that of two people
    closing it at once only the first writes; the second is refused (WatchRefused) and
    told so, and the first one's outcome stays as recorded.
    """
    locked = _lock_alert(alert)
    if not locked.is_open:
        raise WatchRefused(_("This alert was already closed."))
    if not locked.steps.exists():
        raise WatchRefused(
            _("Record at least one step (a call, a visit…) before closing the alert.")
        )
    locked.close(by=by, outcome=outcome, note=note, now=now)
    return locked


def missing_checks(now):
    """(enrolment, day, kind) of every check whose deadline has passed and nobody marked.

    Looks at today and LOOKBACK_DAYS before it (Shanghai dates). A check is only due from
    an enrolment made before its deadline: enrolling someone at noon does not raise an
    alert for that morning's curtains.
    """
    today = watch_today(now)
    days = [today - datetime.timedelta(days=n) for n in range(LOOKBACK_DAYS, -1, -1)]
    enrolments = (
        WatchEnrolment.objects.active()
        .select_related("household__building__neighbourhood")
        .prefetch_related(
            Prefetch(
                "checks",
                queryset=WatchCheck.objects.filter(date__in=days).only("enrolment", "date", "kind"),
                to_attr="recent_checks",
            )
        )
        .order_by("pk")
    )
    for enrolment in enrolments:
        done = {(c.date, c.kind) for c in enrolment.recent_checks}
        neighbourhood = enrolment.household.building.neighbourhood
        for day in days:
            for kind in KINDS:
                deadline = check_deadline(neighbourhood, day, kind)
                if deadline <= now and enrolment.created < deadline and (day, kind) not in done:
                    yield enrolment, day, kind


def watch_open_missed(*, now=None, dry_run=False):
    """Record every overdue, unmarked check as missed and open its alert.

    Safe to run twice at once: each household is handled in one transaction that locks its
    enrolment row with SKIP LOCKED. A household locked by a concurrent run is skipped,
    since that run handles all of its checks; one locked by a staff member marking it
    right now is looked at again by the next run. The unique (enrolment, date, kind) of
    checks and the one-to-one check of alerts make a second write impossible even so.
    (Locking per household, not per check, matters: with a lock per check, two runs
    stepping through the same household could each skip a check the other had skipped.)
    Returns the (enrolment, day, kind) handled (with dry_run: those that would be).
    """
    now = now or timezone.now()
    by_enrolment = {}
    for enrolment, day, kind in missing_checks(now):
        by_enrolment.setdefault(enrolment, []).append((day, kind))
    opened = []
    for enrolment, due in by_enrolment.items():
        done = due if dry_run else _open_missed(enrolment, due, now)
        opened += [(enrolment, day, kind) for day, kind in done]
    return opened


@transaction.atomic
def _open_missed(enrolment, due, now):
    # of=("self",) and no ordering: lock the enrolment row only. The model's default
    # ordering joins household and building, and FOR UPDATE would lock those rows too,
    # so that one household in the works would make a concurrent run skip its neighbours.
    locked = (
        WatchEnrolment.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk=enrolment.pk, active=True)
        .order_by()
        .first()
    )
    if locked is None:
        return []
    opened = []
    for day, kind in due:
        check, created = WatchCheck.objects.get_or_create(
            enrolment=locked,
            date=day,
            kind=kind,
            defaults={"status": WatchCheck.Status.MISSED, "by": None, "at": now},
        )
        if created:
            _open_alert(check, now)
            opened.append((day, kind))
    return opened


@transaction.atomic
def watch_enrol(*, household, contact_name, contact_phone, by, now=None):
    """Put a household on the daily watch (again), with its emergency contact."""
    now = now or timezone.now()
    enrolment, created = WatchEnrolment.objects.select_for_update().get_or_create(
        household=household,
        defaults={
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "enrolled_by": by,
            "created": now,
        },
    )
    if not created:
        enrolment.contact_name, enrolment.contact_phone = contact_name, contact_phone
        fields = ["contact_name", "contact_phone"]
        if not enrolment.active:
            # Back on the watch from now: no alerts for the days it was off.
            enrolment.active, enrolment.enrolled_by, enrolment.created = True, by, now
            fields += ["active", "enrolled_by", "created"]
        enrolment.save(update_fields=fields)
    return enrolment


@transaction.atomic
def watch_unenrol(*, enrolment, reason, by, note="", now=None):
    """Take a household off the watch, saying why; its history (checks, alerts) is kept."""
    locked = WatchEnrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
    if not locked.active:
        raise WatchRefused(_("This household is no longer on the daily watch."))
    locked.active = False
    locked.stop_reason, locked.stop_note = reason, note
    locked.stopped_by, locked.stopped_at = by, now or timezone.now()
    locked.save(update_fields=["active", "stop_reason", "stop_note", "stopped_by", "stopped_at"])
    return locked


@transaction.atomic
def watch_resume(*, enrolment, by, now=None):
    """Undo taking off the watch, within UNDO_STOP_WITHIN: the same enrolment and contact.

    An undo is as if the household had never been taken off: `created` is kept, so a
    check whose deadline passed meanwhile and that nobody marked opens its alert at the
    next run of open_watch_alerts. Nobody looked at the curtains then; someone should.
    """
    now = now or timezone.now()
    locked = WatchEnrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
    if locked.active:
        raise WatchRefused(_("This household is already on the daily watch."))
    if not locked.can_undo_stop(now):
        raise WatchRefused(
            _("Taken off the watch more than 24 hours ago: put the household on the watch again.")
        )
    locked.active, locked.resumed_by, locked.resumed_at = True, by, now
    locked.save(update_fields=["active", "resumed_by", "resumed_at"])
    return locked


# --- Reads --------------------------------------------------------------------------


@dataclass
class BoardCell:
    kind: str
    check: WatchCheck | None
    deadline: datetime.datetime
    overdue: bool  # past the deadline and not marked

    @property
    def alert(self):
        return getattr(self.check, "alert", None) if self.check else None

    @property
    def state(self):
        """A CSS-friendly word: seen, not_seen, missed, overdue or pending."""
        if self.check:
            return self.check.status
        return "overdue" if self.overdue else "pending"


@dataclass
class BoardRow:
    enrolment: WatchEnrolment
    day: BoardCell
    night: BoardCell

    @property
    def household(self):
        return self.enrolment.household

    @property
    def cells(self):
        return (self.day, self.night)


def board_enrolments(user, *, whole_neighbourhood, day, neighbourhood=None):
    """Active enrolments on a user's board, with the day's checks and alerts prefetched.

    Neighbourhood first in the order: a district admin's board spans several, and flats
    are numbered alike in each ("1号 302室"), so ordered by building and room alone the
    rows of different neighbourhoods came in pairs that looked like one row twice.
    """
    enrolments = WatchEnrolment.objects.visible_to(user).active()
    if user.worker and not whole_neighbourhood:
        enrolments = enrolments.in_zones_of(user.worker)
    if neighbourhood is not None:
        enrolments = enrolments.filter(household__building__neighbourhood=neighbourhood)
    enrolments = enrolments.order_by(
        "household__building__neighbourhood__name", *WatchEnrolment._meta.ordering
    )
    return enrolments.select_related(
        "household__building__neighbourhood", "household__building__zone"
    ).prefetch_related(
        Prefetch("household__residents", queryset=Resident.objects.present()),
        Prefetch(
            "checks",
            queryset=WatchCheck.objects.filter(date=day).select_related("alert", "by"),
            to_attr="day_checks",
        ),
    )


def board_rows(user, *, now, whole_neighbourhood=False, neighbourhood=None):
    day = watch_today(now)
    rows = []
    enrolments = board_enrolments(
        user, whole_neighbourhood=whole_neighbourhood, day=day, neighbourhood=neighbourhood
    )
    for enrolment in enrolments:
        checks = {c.kind: c for c in enrolment.day_checks}
        neighbourhood = enrolment.household.building.neighbourhood
        cells = []
        for kind in KINDS:
            deadline = check_deadline(neighbourhood, day, kind)
            check = checks.get(kind)
            cells.append(BoardCell(kind, check, deadline, check is None and deadline <= now))
        rows.append(BoardRow(enrolment, *cells))
    return rows


def unchecked_rows(rows, now):
    """Rows with a check still to do now: the day check, and the night check once due."""
    due = []
    for row in rows:
        if row.day.check is None or (
            row.night.check is None and now >= row.night.deadline - NIGHT_DUE_BEFORE
        ):
            due.append(row)
    return due


def open_alerts(user, *, neighbourhood=None):
    alerts = WatchAlert.objects.visible_to(user).open()
    if neighbourhood is not None:
        alerts = alerts.filter(
            watch_check__enrolment__household__building__neighbourhood=neighbourhood
        )
    return list(alerts.for_list())


def watch_candidates(user, *, whole_neighbourhood=False, today=None, neighbourhood=None):
    """Households living alone aged 80+ not on the watch: the default candidates."""
    today = today or watch_today()
    households = (
        Household.objects.visible_to(user)
        .filter(
            care=Household.Care.ELDERLY_ALONE,
            eldest_birth_date__lte=birth_date_for_age(WATCH_CANDIDATE_AGE, today),
        )
        .exclude(watch_enrolment__active=True)
    )
    if user.worker and not whole_neighbourhood:
        households = households.filter(building__zone__worker=user.worker)
    if neighbourhood is not None:
        households = households.filter(building__neighbourhood=neighbourhood)
    return households.select_related("building__neighbourhood")


def is_watch_candidate(household, today=None):
    today = today or watch_today()
    return (
        household.care == Household.Care.ELDERLY_ALONE
        and household.eldest_birth_date is not None
        and household.eldest_birth_date <= birth_date_for_age(WATCH_CANDIDATE_AGE, today)
    )


def watch_home_context(user, now=None):
    """What the staff home shows first: the neighbourhood's open alerts (everyone there
    sees them, with their age), then today's checks still to do in my zone."""
    now = now or timezone.now()
    rows = board_rows(user, now=now) if user.worker else []
    return {
        "watch_now": now,
        "watch_open_alerts": open_alerts(user),
        # A district admin's alerts come from every neighbourhood: each says which.
        "watch_many_neighbourhoods": user.is_district_admin,
        "watch_unchecked": unchecked_rows(rows, now),
    }


@dataclass
class StripDay:
    date: datetime.date
    day: WatchCheck | None
    night: WatchCheck | None


def watch_strip(enrolment, *, today, days=30):
    """The last `days` days (oldest first), each with its day and night check, if any."""
    start = today - datetime.timedelta(days=days - 1)
    checks = {
        (c.date, c.kind): c
        for c in WatchCheck.objects.filter(enrolment=enrolment, date__gte=start, date__lte=today)
    }
    return [
        StripDay(d, checks.get((d, WatchCheck.Kind.DAY)), checks.get((d, WatchCheck.Kind.NIGHT)))
        for d in (start + datetime.timedelta(days=n) for n in range(days))
    ]


def watch_household_context(household, *, user, now=None):
    """The watch section of a household page: enrolment, 30-day strip, forms."""
    now = now or timezone.now()
    today = watch_today(now)
    enrolment = (
        WatchEnrolment.objects.filter(household=household)
        .select_related("stopped_by", "resumed_by")
        .first()
    )
    initial = {}
    if enrolment:
        initial = {"contact_name": enrolment.contact_name, "contact_phone": enrolment.contact_phone}
    return {
        "watch_enrolment": enrolment,
        "watch_strip": watch_strip(enrolment, today=today) if enrolment else [],
        "watch_candidate": is_watch_candidate(household, today),
        "watch_can_undo": bool(enrolment and enrolment.can_undo_stop(now)),
        "watch_form": WatchEnrolForm(initial=initial),
    }
