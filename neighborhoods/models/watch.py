"""The daily watch (日看窗帘夜看灯): every day staff check that the most fragile elderly
people have opened their curtains (day check) and switched on their lights (night check).

A check marked "not seen", or not done by its deadline, opens an alert. Each step taken
(phone call → visit → family → emergency) is recorded as it happens, by whom and when;
the alert is closed with its outcome once at least one step is on record.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.phones import mask_phone
from portal.scopes import NeighbourhoodScopedQuerySet

# Deadlines are wall-clock times in Shanghai, whatever timezone is active for a request.
WATCH_TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_DAY_DEADLINE = datetime.time(10, 0)
DEFAULT_NIGHT_DEADLINE = datetime.time(21, 0)
# Default candidates for enrolment: 独居老人 aged 80 or more.
WATCH_CANDIDATE_AGE = 80


def watch_today(now=None):
    """The Shanghai calendar date of an aware datetime (the day check's watch day)."""
    return (now or timezone.now()).astimezone(WATCH_TZ).date()


# --- Time rules: which watch day a check belongs to, and when it can be marked -------------
#
# 日看窗帘夜看灯, by the clock of the check (per neighbourhood, Shanghai wall clock):
# - a day check (curtains) belongs to the calendar day it is made on, and can be marked
#   from `watch_day_opens` (default 06:00) until midnight;
# - a night check (lights) can be marked from `watch_night_opens` (default 17:00) until
#   `watch_night_cutoff` (default 04:00) the next morning: a worker who looks at the
#   window at 00:10 reports on last night, not on the evening to come;
# - a check not marked by its deadline (`watch_day_deadline`, `watch_night_deadline`)
#   becomes "missed" and opens an alert (open_watch_alerts).
# Marking, the board, the household strip and the alert job all use these functions.


def watch_day_of(kind, now, neighbourhood):
    """The watch day (a date) that a `kind` check made at `now` belongs to."""
    local = now.astimezone(WATCH_TZ)
    if kind == WatchCheck.Kind.NIGHT and local.time() < neighbourhood.watch_night_cutoff:
        return local.date() - datetime.timedelta(days=1)
    return local.date()


def check_opens(neighbourhood, day, kind):
    """The aware datetime from which the `kind` check of `day` can be marked."""
    time = (
        neighbourhood.watch_day_opens
        if kind == WatchCheck.Kind.DAY
        else neighbourhood.watch_night_opens
    )
    return datetime.datetime.combine(day, time, tzinfo=WATCH_TZ)


def check_deadline(neighbourhood, day, kind):
    """The aware datetime by which the `kind` check of `day` must be done."""
    time = (
        neighbourhood.watch_day_deadline
        if kind == WatchCheck.Kind.DAY
        else neighbourhood.watch_night_deadline
    )
    return datetime.datetime.combine(day, time, tzinfo=WATCH_TZ)


def can_mark_now(kind, now, neighbourhood):
    """Whether a `kind` check can be marked at `now` (for the day watch_day_of gives).

    The window ends by construction: after midnight a day check is the next day's, and
    after the cut-off a night check is the coming evening's, which has not opened yet.
    """
    return now >= check_opens(neighbourhood, watch_day_of(kind, now, neighbourhood), kind)


def not_open_message(kind, neighbourhood):
    """What the board says about a check that cannot be marked yet."""
    if kind == WatchCheck.Kind.DAY:
        return _("Day check can be marked from %(time)s.") % {
            "time": neighbourhood.watch_day_opens.strftime("%H:%M")
        }
    return _("Night check can be marked from %(time)s.") % {
        "time": neighbourhood.watch_night_opens.strftime("%H:%M")
    }


class WatchEnrolmentQuerySet(NeighbourhoodScopedQuerySet):
    neighbourhood_path = "household__building__neighbourhood_id"

    def active(self):
        return self.filter(active=True)

    def in_zones_of(self, worker):
        """Enrolments whose building lies in a zone held by this worker (分片包干)."""
        return self.filter(household__building__zone__worker=worker)


class StopReason(models.TextChoices):
    CARE_HOME = "care_home", _("Moved into a care home")
    DECEASED = "deceased", pgettext_lazy("left the watch", "Deceased")
    FAMILY = "family", _("Family moved in")
    OTHER = "other", _("Other")


# Taking someone off the watch by mistake can be undone for this long; after that the
# way back is to enrol again (with the contact checked again).
UNDO_STOP_WITHIN = datetime.timedelta(hours=24)


class WatchEnrolment(models.Model):
    """A household on the daily watch, with the person to call when something is wrong."""

    StopReason = StopReason

    household = models.OneToOneField(
        "neighborhoods.Household",
        on_delete=models.CASCADE,
        related_name="watch_enrolment",
        verbose_name=_("household"),
    )
    contact_name = models.CharField(_("emergency contact"), max_length=50)
    contact_phone = models.CharField(_("emergency contact phone"), max_length=30)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enrolled by"),
    )
    active = models.BooleanField(_("on the daily watch"), default=True, db_index=True)
    created = models.DateTimeField(_("enrolled at"), default=timezone.now)
    # Why, by whom and when the household was last taken off the watch; cleared when
    # it is put back on. Kept on the row so that the household page can say it.
    stop_reason = models.CharField(
        _("reason for leaving the watch"), max_length=20, choices=StopReason.choices, blank=True
    )
    stop_note = models.CharField(_("note on leaving the watch"), max_length=200, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken off the watch by"),
    )
    stopped_at = models.DateTimeField(_("taken off the watch at"), null=True, blank=True)
    # The last undo (back on the watch within UNDO_STOP_WITHIN), recorded too.
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("put back on the watch by"),
    )
    resumed_at = models.DateTimeField(_("put back on the watch at"), null=True, blank=True)

    objects = WatchEnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily-watch enrolment")
        verbose_name_plural = _("daily-watch enrolments")
        ordering = [
            "household__building__compound",
            "household__building__number",
            "household__room",
        ]

    def __str__(self):
        return str(self.household)

    @property
    def masked_contact_phone(self):
        return mask_phone(self.contact_phone)

    def can_undo_stop(self, now=None):
        """Taken off the watch less than UNDO_STOP_WITHIN ago (and not back on since)."""
        return (
            not self.active
            and self.stopped_at is not None
            and (now or timezone.now()) - self.stopped_at < UNDO_STOP_WITHIN
        )


class WatchCheck(models.Model):
    class Kind(models.TextChoices):
        DAY = "day", _("Day (curtains)")
        NIGHT = "night", _("Night (lights)")

    class Status(models.TextChoices):
        SEEN = "seen", _("Seen")
        NOT_SEEN = "not_seen", _("Not seen")
        MISSED = "missed", _("Not checked by the deadline")

    enrolment = models.ForeignKey(
        WatchEnrolment, on_delete=models.CASCADE, related_name="checks", verbose_name=_("enrolment")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("check"), max_length=5, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("daily-watch check")
        verbose_name_plural = _("daily-watch checks")
        ordering = ["-date", "kind"]
        constraints = [
            # One day check and one night check per household and day: this is what
            # makes two runs of open_watch_alerts at once harmless.
            models.UniqueConstraint(fields=["enrolment", "date", "kind"], name="unique_watch_check")
        ]

    def __str__(self):
        return (
            f"{self.enrolment} {self.date} {self.get_kind_display()}: {self.get_status_display()}"
        )


class WatchAlertQuerySet(NeighbourhoodScopedQuerySet):
    neighbourhood_path = "watch_check__enrolment__household__building__neighbourhood_id"

    def open(self):
        return self.filter(closed_at__isnull=True)

    def for_list(self):
        return self.select_related(
            "watch_check__enrolment__household__building__zone__worker__user",
            "watch_check__enrolment__household__building__neighbourhood",
        ).order_by("opened_at")


class WatchAlert(models.Model):
    class Outcome(models.TextChoices):
        PHONED_FINE = "phoned_fine", _("Phoned: fine")
        VISITED_FINE = "visited_fine", _("Visited: fine")
        FAMILY = "family", _("Contacted family")
        HOSPITAL = "hospital", _("Sent to hospital")
        OTHER = "other", _("Other")

    # Not called `check`: that name is Model.check(), Django's system-check hook.
    watch_check = models.OneToOneField(
        WatchCheck, on_delete=models.CASCADE, related_name="alert", verbose_name=_("check")
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = WatchAlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily-watch alert")
        verbose_name_plural = _("daily-watch alerts")
        ordering = ["-opened_at"]
        constraints = [
            # A closed alert always says how it ended (what was done: its steps, which
            # watch_alert_close requires before closing).
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(outcome=""),
                name="closed_watch_alert_has_outcome",
            )
        ]

    def __str__(self):
        check = self.watch_check
        return f"{check.enrolment} {check.date} {check.get_kind_display()}"

    @property
    def is_open(self):
        return self.closed_at is None

    def age(self, now=None):
        return (now or timezone.now()) - self.opened_at

    def close(self, *, by, outcome, note="", now=None):
        self.closed_at = now or timezone.now()
        self.closed_by, self.outcome, self.note = by, outcome, note
        self.save(update_fields=["closed_at", "closed_by", "outcome", "note"])


class WatchAlertStep(models.Model):
    """One step taken on an alert, recorded when it happens: 打电话 → 上门 → 家属 → 120/110."""

    class Kind(models.TextChoices):
        PHONED = "phoned", _("Phoned")
        VISITED = "visited", _("Visited, knocked")
        FAMILY = "family_contacted", _("Contacted the family")
        EMERGENCY = "emergency_called", _("Called 120 / 110")
        NOTE = "note", _("Note")

    NOTE_MAX_LENGTH = 1000

    alert = models.ForeignKey(
        WatchAlert, on_delete=models.CASCADE, related_name="steps", verbose_name=_("alert")
    )
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("what happened"), max_length=NOTE_MAX_LENGTH, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("alert step")
        verbose_name_plural = _("alert steps")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["phoned", "visited", "family_contacted", "emergency_called"])
                | (Q(kind="note") & ~Q(note="")),
                name="watch_alert_step_known_kind_note_has_text",
            )
        ]

    def __str__(self):
        return f"{self.alert} · {self.get_kind_display()}"


class WatchAssignment(models.Model):
    """An approved volunteer helping the daily watch of one household (their neighbour).

    The volunteer marks curtains and lights from /volunteers/watch/ and sees only the
    households assigned to them: the name, the room and the check — never phones, ages
    or notes. Their marks are ordinary WatchChecks, shown on the staff board with who made
    them.
    """

    enrolment = models.ForeignKey(
        WatchEnrolment,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("enrolment"),
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="watch_assignments",
        verbose_name=_("volunteer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("daily-watch volunteer")
        verbose_name_plural = _("daily-watch volunteers")
        ordering = ["enrolment", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "volunteer"], name="one_watch_assignment_per_volunteer"
            )
        ]

    def __str__(self):
        return f"{self.volunteer} → {self.enrolment}"
