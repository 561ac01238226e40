"""The daily watch (日看窗帘夜看灯): marking checks, opening and closing alerts, the board.

Rules, in one place:
- Every active enrolment has a day check (curtains opened) and a night check (lights on)
  every day, with deadlines set per neighbourhood (default 10:00 and 21:00, Shanghai time).
  Which day a check belongs to and when it can be marked are the time rules of
  neighborhoods.models.watch (`watch_day_of`, `can_mark_now`); marking outside its window
  is refused with WatchNotOpen.
- Marking a check "not seen" opens an alert at once. A check nobody marked by its deadline
  is recorded as "missed" and opens an alert too: `watch_open_missed`, run every few
  minutes by the `open_watch_alerts` command, so that nobody has to open a page for it.
  It looks back to the day before its last successful run, so that no day is skipped when
  the scheduler stopped for a while; each run writes a heartbeat (JobHeartbeat), and
  staff pages and /healthz/watch say when no run has succeeded for 15 minutes.
- Each step taken on an alert (phoned, visited, family, 120/110, a note) is recorded when
  it happens; the alert stays open until someone closes it with the outcome, which needs
  at least one step on record.
- Taking a household off the watch says why; it can be undone for UNDO_STOP_WITHIN.
"""

import datetime
import logging
from dataclasses import dataclass
from functools import cached_property

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import Refused
from portal.permissions import neighbourhood_scope
from portal.queries import first_and_total

from ..family.services import family_tell_alert_closed, family_tell_alert_opened
from ..messages import tell_watch_alert_opened
from ..models import (
    Household,
    JobHeartbeat,
    Neighbourhood,
    Resident,
    WatchAlert,
    WatchAlertStep,
    WatchAssignment,
    WatchCheck,
    WatchEnrolment,
)
from ..models.register import birth_date_for_age
from ..models.watch import (  # noqa: F401 (check_deadline: used by the demo data too)
    WATCH_CANDIDATE_AGE,
    can_mark_now,
    check_deadline,
    check_opens,
    not_open_message,
    watch_day_of,
    watch_today,
)
from .forms import WatchEnrolForm

logger = logging.getLogger(__name__)

KINDS = (WatchCheck.Kind.DAY, WatchCheck.Kind.NIGHT)
# The heartbeat name of `manage.py open_watch_alerts`.
WATCH_JOB = "open_watch_alerts"
# It runs every 5 minutes: 15 minutes without a success is three runs missed.
WATCH_JOB_STALE_AFTER = datetime.timedelta(minutes=15)


class WatchNotOpen(Refused):
    """The check cannot be marked at this time of day; the message says from when."""


# --- Writes -------------------------------------------------------------------------


@transaction.atomic
def watch_mark(*, enrolment, kind, status, by, now=None):
    """Record the `kind` check of its watch day as seen or not seen; "not seen" opens an
    alert. Raises WatchNotOpen outside the check's window (a night check at 15:30).

    The watch day is the one the clock of the check gives (watch_day_of): at 00:10 the
    night check is last night's. The enrolment row is locked so that a mark and the alert
    command never interleave on the same household (the command skips locked rows and
    comes back a few minutes later).
    A check already recorded (even "missed" by the command) is corrected, and its alert,
    if any, stays open until someone closes it with the steps taken.
    """
    now = now or timezone.now()
    enrolment = (
        WatchEnrolment.objects.select_for_update(of=("self",))
        .select_related("household__building__neighbourhood")
        .get(pk=enrolment.pk)
    )
    neighbourhood = enrolment.household.building.neighbourhood
    if not can_mark_now(kind, now, neighbourhood):
        raise WatchNotOpen(not_open_message(kind, neighbourhood))
    check, created = WatchCheck.objects.get_or_create(
        enrolment=enrolment,
        date=watch_day_of(kind, now, neighbourhood),
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
    """Open the check's alert (or open it again); the family who chose watch alerts are told
    in the same transaction (their messages commit with the alert, or neither)."""
    alert, created = WatchAlert.objects.get_or_create(
        watch_check=check, defaults={"opened_at": now}
    )
    if not created and not alert.is_open:
        # Seen, closed, and now "not seen" again the same day: the alert opens again; the
        # steps already recorded stay in it, the outcome is asked for again.
        alert.closed_at, alert.closed_by, alert.outcome = None, None, ""
        alert.save(update_fields=["closed_at", "closed_by", "outcome"])
        created = True
    if created:
        family_tell_alert_opened(alert, at=now)
        tell_watch_alert_opened(alert, now)
    return alert


def _lock_alert(alert):
    # of=("self",): lock the alert row only, not the check and household it joins.
    return WatchAlert.objects.select_for_update(of=("self",)).get(pk=alert.pk)


@transaction.atomic
def watch_alert_step_add(*, alert, kind, by, note="", now=None):
    """Record one step taken on an open alert, by whom and when (now)."""
    locked = _lock_alert(alert)
    if not locked.is_open:
        raise Refused(_("This alert was already closed; the step was not recorded."))
    return WatchAlertStep.objects.create(
        alert=locked, kind=kind, note=note, by=by, at=now or timezone.now()
    )


@transaction.atomic
def watch_alert_close(*, alert, by, outcome, note="", now=None):
    """Close an alert with its outcome; it must have at least one step on record.

    The row is locked and its state read again under the lock, so that of two people
    closing it at once only the first writes; the second is refused (Refused) and
    told so, and the first one's outcome stays as recorded.
    """
    locked = _lock_alert(alert)
    if not locked.is_open:
        raise Refused(_("This alert was already closed."))
    if not locked.steps.exists():
        raise Refused(_("Record at least one step (a call, a visit…) before closing the alert."))
    locked.close(by=by, outcome=outcome, note=note, now=now)
    family_tell_alert_closed(locked)
    return locked


def lookback_start(now):
    """The first watch day the alert job looks at.

    The day before its last successful run: a stopped scheduler (three days without cron)
    must not leave those days' checks unmarked and without alerts, and the day before
    covers last evening's night check and a household a run skipped because it was locked.
    Never run here (or never succeeded): from the day before its first run, or yesterday.
    """
    today = watch_today(now)
    heartbeat = JobHeartbeat.objects.filter(name=WATCH_JOB).first()
    since = heartbeat and (heartbeat.last_succeeded or heartbeat.created)
    start = watch_today(since) if since else today
    return min(start, today) - datetime.timedelta(days=1)


def missing_checks(now):
    """(enrolment, day, kind) of every check whose deadline has passed and nobody marked.

    Looks at every day from lookback_start to today (Shanghai dates). A check is only due
    from an enrolment made before its deadline: enrolling someone at noon does not raise
    an alert for that morning's curtains, nor for any day before the enrolment.
    """
    first = lookback_start(now)
    today = watch_today(now)
    enrolments = (
        WatchEnrolment.objects.active()
        .select_related("household__building__neighbourhood")
        .prefetch_related(
            Prefetch(
                "checks",
                queryset=WatchCheck.objects.filter(date__gte=first).only(
                    "enrolment", "date", "kind"
                ),
                to_attr="recent_checks",
            )
        )
        .order_by("pk")
    )
    for enrolment in enrolments:
        done = {(c.date, c.kind) for c in enrolment.recent_checks}
        neighbourhood = enrolment.household.building.neighbourhood
        start = max(first, watch_today(enrolment.created))
        days = [start + datetime.timedelta(days=n) for n in range((today - start).days + 1)]
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
        raise Refused(_("This household is no longer on the daily watch."))
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
        raise Refused(_("This household is already on the daily watch."))
    if not locked.can_undo_stop(now):
        raise Refused(
            _("Taken off the watch more than 24 hours ago: put the household on the watch again.")
        )
    locked.active, locked.resumed_by, locked.resumed_at = True, by, now
    locked.save(update_fields=["active", "resumed_by", "resumed_at"])
    return locked


# --- Reads --------------------------------------------------------------------------


# Marks and words of a check's state (the CSS class is the state itself).
STATE_WORDS = {
    "seen": lambda: "✓ " + _("Seen"),
    "not_seen": lambda: "✗ " + _("Not seen"),
    "missed": lambda: "! " + _("Not checked by the deadline"),
    "overdue": lambda: "! " + _("Overdue: not checked yet"),
    "pending": lambda: _("Not checked yet"),
}


@dataclass
class BoardCell:
    kind: str
    date: datetime.date  # the watch day this check belongs to (last night's after 00:00)
    check: WatchCheck | None
    deadline: datetime.datetime
    overdue: bool  # past the deadline and not marked
    can_mark: bool  # within its window now (can_mark_now)
    opens_message: str = ""  # when it cannot be marked: from when it can
    refusal: str = ""  # a tap on it was just refused: why (shown in the cell, role="alert")

    @property
    def alert(self):
        return getattr(self.check, "alert", None) if self.check else None

    @cached_property
    def state(self):
        """A CSS-friendly word: seen, not_seen, missed, overdue, pending or not_open."""
        if self.check:
            return self.check.status
        if self.overdue:
            return "overdue"
        return "pending" if self.can_mark else "not_open"

    @property
    def state_words(self):
        """The state in words, as the board, the staff home and a volunteer's watch say it
        (never colour alone)."""
        if self.state == "not_open":
            return self.opens_message
        return STATE_WORDS.get(self.state, STATE_WORDS["pending"])()


@dataclass
class BoardRow:
    enrolment: WatchEnrolment
    day: BoardCell
    night: BoardCell

    @property
    def household(self):
        return self.enrolment.household

    @property
    def still_to_check(self):
        """A check that can be marked now, or is past its deadline, is not done yet."""
        return any(cell.state in ("pending", "overdue") for cell in (self.day, self.night))

    @property
    def cells(self):
        return (self.day, self.night)

    @property
    def members_with_ages(self):
        """ "王秀英 86岁、…": who lives there, as the board's row says it."""
        years = _("%(age)s years")
        return "、".join(
            member.name if member.age is None else f"{member.name} {years % {'age': member.age}}"
            for member in self.household.residents.all()
        )


def board_enrolments(user, *, whole_neighbourhood, days, neighbourhood=None):
    """Active enrolments on a user's board, with these days' checks and alerts prefetched.

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
            queryset=WatchCheck.objects.filter(date__in=days).select_related("alert", "by"),
            to_attr="day_checks",
        ),
    )


def board_cell(enrolment, kind, checks, now):
    """One check of a board row, for the watch day the clock gives (watch_day_of)."""
    neighbourhood = enrolment.household.building.neighbourhood
    day = watch_day_of(kind, now, neighbourhood)
    check = checks.get((day, kind))
    deadline = check_deadline(neighbourhood, day, kind)
    can_mark = can_mark_now(kind, now, neighbourhood)
    return BoardCell(
        kind=kind,
        date=day,
        check=check,
        deadline=deadline,
        overdue=check is None and deadline <= now,
        can_mark=can_mark,
        opens_message="" if can_mark else not_open_message(kind, neighbourhood),
    )


def board_rows(user, *, now, whole_neighbourhood=False, neighbourhood=None):
    today = watch_today(now)
    # After midnight the night check is last night's: fetch yesterday's checks too.
    days = [today - datetime.timedelta(days=1), today]
    rows = []
    enrolments = board_enrolments(
        user, whole_neighbourhood=whole_neighbourhood, days=days, neighbourhood=neighbourhood
    )
    for enrolment in enrolments:
        checks = {(c.date, c.kind): c for c in enrolment.day_checks}
        cells = [board_cell(enrolment, kind, checks, now) for kind in KINDS]
        rows.append(BoardRow(enrolment, *cells))
    return rows


@dataclass
class NeighbourhoodWatch:
    """One line of a district admin's board of the whole district."""

    neighbourhood: Neighbourhood
    enrolled: int = 0
    to_check: int = 0  # rows whose check of now is still to do (BoardRow.still_to_check)
    open_alerts: int = 0


def due_checks(neighbourhood, now):
    """The (kind, watch day) pairs whose board cell counts as still to do when no check is
    recorded: the check can be marked now, or its deadline has passed (BoardCell.state
    "pending" or "overdue")."""
    due = []
    for kind in KINDS:
        day = watch_day_of(kind, now, neighbourhood)
        if (
            can_mark_now(kind, now, neighbourhood)
            or check_deadline(neighbourhood, day, kind) <= now
        ):
            due.append((kind, day))
    return tuple(due)


def board_summary(user, *, now):
    """A district admin's board of the whole district: per neighbourhood, the households on
    the watch, those still to check now and the open alerts. The rows themselves (29,000 at
    district size) are on each neighbourhood's board.

    Neighbourhoods with the same check times share one grouped query (usually all of them):
    which checks are due depends on those times."""
    neighbourhoods = list(
        neighbourhood_scope(Neighbourhood.objects.all(), user, "pk")
        .select_related("subdistrict")
        .order_by("subdistrict__name", "name")
    )
    lines = {n.pk: NeighbourhoodWatch(n) for n in neighbourhoods}
    by_due = {}
    for neighbourhood in neighbourhoods:
        by_due.setdefault(due_checks(neighbourhood, now), []).append(neighbourhood.pk)
    for due, ids in by_due.items():
        missing = Q()
        for kind, day in due:
            missing |= ~Exists(
                WatchCheck.objects.filter(enrolment=OuterRef("pk"), kind=kind, date=day)
            )
        counts = {"enrolled": Count("pk")}
        if due:
            counts["to_check"] = Count("pk", filter=missing)
        rows = (
            WatchEnrolment.objects.active()
            .filter(household__building__neighbourhood__in=ids)
            .values("household__building__neighbourhood")
            .annotate(**counts)
            .order_by()
        )
        for row in rows:
            line = lines[row["household__building__neighbourhood"]]
            line.enrolled, line.to_check = row["enrolled"], row.get("to_check", 0)
    alerts = (
        WatchAlert.objects.visible_to(user)
        .open()
        .values("watch_check__enrolment__household__building__neighbourhood")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in alerts:
        lines[row["watch_check__enrolment__household__building__neighbourhood"]].open_alerts = row[
            "count"
        ]
    return list(lines.values())


STAFF_HOME_UNCHECKED = 10  # rows on the staff home; the rest are on the board


def unchecked_in_zones(user, *, now, limit):
    """A committee worker's board rows still to check now, in their zones: (the first
    `limit` rows, how many in all). A row is still to check when one of its checks can be
    marked now and none is recorded; that is asked of the database, so that the staff home
    stays the same size as the zone grows (the board has them all)."""
    neighbourhood = user.worker.neighbourhood
    markable = [
        (kind, watch_day_of(kind, now, neighbourhood))
        for kind in KINDS
        if can_mark_now(kind, now, neighbourhood)
    ]
    if not markable:
        return [], 0
    missing = Q()
    for kind, day in markable:
        missing |= ~Exists(WatchCheck.objects.filter(enrolment=OuterRef("pk"), kind=kind, date=day))
    today = watch_today(now)
    enrolments = board_enrolments(
        user, whole_neighbourhood=False, days=[today - datetime.timedelta(days=1), today]
    ).filter(missing)
    shown, total = first_and_total(enrolments, limit)
    rows = []
    for enrolment in shown:
        checks = {(c.date, c.kind): c for c in enrolment.day_checks}
        rows.append(BoardRow(enrolment, *(board_cell(enrolment, k, checks, now) for k in KINDS)))
    return rows, total


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
    rows, total = (
        unchecked_in_zones(user, now=now, limit=STAFF_HOME_UNCHECKED) if user.worker else ([], 0)
    )
    return {
        "watch_now": now,
        "watch_open_alerts": open_alerts(user),
        # A district admin's alerts come from every neighbourhood: each says which.
        "watch_many_neighbourhoods": user.is_district_admin,
        "watch_unchecked": rows,
        "watch_unchecked_count": total,
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


# --- Is the alert job running? ----------------------------------------------------------


@dataclass
class WatchJobStatus:
    last_succeeded: datetime.datetime | None
    now: datetime.datetime

    @property
    def age(self):
        """How long since the last success; None if it never succeeded."""
        return self.now - self.last_succeeded if self.last_succeeded else None

    @property
    def stale(self):
        return self.age is None or self.age > WATCH_JOB_STALE_AFTER


def watch_job_status(now=None):
    """When open_watch_alerts last succeeded, and whether that is too long ago."""
    last = (
        JobHeartbeat.objects.filter(name=WATCH_JOB).values_list("last_succeeded", flat=True).first()
    )
    return _noted(WatchJobStatus(last_succeeded=last, now=now or timezone.now()))


def watch_job_stale_for(user, now=None):
    """The job's status if it is stale and someone is on the watch in `user`'s
    neighbourhood (a district admin: in any); else None.

    Read by every staff page: one query, the heartbeat as a subquery of the first visible
    active enrolment (none: nobody here depends on the job, no banner).
    """
    last = JobHeartbeat.objects.filter(name=WATCH_JOB).values("last_succeeded")[:1]
    rows = list(
        WatchEnrolment.objects.visible_to(user)
        .active()
        .order_by()
        .annotate(job_last_succeeded=Subquery(last))
        .values_list("job_last_succeeded", flat=True)[:1]
    )
    if not rows:
        return None
    status = _noted(WatchJobStatus(last_succeeded=rows[0], now=now or timezone.now()))
    return status if status.stale else None


def _noted(status):
    """Log a stale job at ERROR, once per stale period (per cache: with the local-memory
    cache of development, once per process). Until the portal has a messages system,
    that log and the banner shown to staff and district admins are how admins are told."""
    if status.stale:
        period = status.last_succeeded.isoformat() if status.last_succeeded else "never"
        try:
            first = cache.add(f"watch-job:stale-logged:{period}", True, timeout=None)
        except Exception:  # a broken cache must not hide a stopped job: log every time
            first = True
        if first:
            logger.error(
                "open_watch_alerts has not succeeded since %s: missed daily-watch checks "
                "are not becoming alerts. Check its cron job or systemd timer.",
                period,
            )
    return status


# --- Volunteers helping the watch (志愿者协助): only their assigned households ---------


def volunteer_watch_rows(user, *, now):
    """The households assigned to this volunteer, with today's two checks. The rows carry
    no phone numbers, ages or notes: the template shows the name, the room and the check."""
    today = watch_today(now)
    days = [today - datetime.timedelta(days=1), today]
    enrolments = (
        WatchEnrolment.objects.active()
        .filter(assignments__volunteer=user)
        .select_related("household__building__neighbourhood")
        .prefetch_related(
            Prefetch("household__residents", queryset=Resident.objects.present()),
            Prefetch(
                "checks",
                queryset=WatchCheck.objects.filter(date__in=days).select_related("by"),
                to_attr="day_checks",
            ),
        )
        .order_by(*WatchEnrolment._meta.ordering)
    )
    rows = []
    for enrolment in enrolments:
        checks = {(c.date, c.kind): c for c in enrolment.day_checks}
        rows.append(BoardRow(enrolment, *[board_cell(enrolment, k, checks, now) for k in KINDS]))
    return rows


def watch_assign(*, enrolment, volunteer, by):
    """Give a watched household to an approved volunteer of its neighbourhood."""
    from volunteers.models import VolunteerProfile

    neighbourhood_id = enrolment.household.building.neighbourhood_id
    approved = VolunteerProfile.objects.approved().filter(user=volunteer)
    if not approved.filter(neighbourhood_id=neighbourhood_id).exists() and not (
        approved.filter(
            user__resident_record__household__building__neighbourhood_id=neighbourhood_id
        ).exists()
    ):
        raise Refused(_("Only an approved volunteer of this neighbourhood can help its watch."))
    assignment, created = WatchAssignment.objects.get_or_create(
        enrolment=enrolment, volunteer=volunteer, defaults={"assigned_by": by}
    )
    if not created:
        raise Refused(_("This volunteer already helps with this household."))
    return assignment
