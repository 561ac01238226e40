"""Rehab-aid rental: who may borrow, and every step of a loan.

The stock rule under concurrency: every step that takes or frees a unit at a point
(approve, lend, return, cancel, a unit added or back from repair) first locks the point's
row (SELECT … FOR UPDATE). Steps at one point therefore happen one after another, each
reading what the previous one committed: two staff lending the last wheelchair at once are
served in turn, and the second is told there is none left. The partial unique constraint
`one_active_loan_per_unit` keeps a unit on one loan out even if a step forgot the lock.

Telling people: each person-facing event has ONE function here, `tell_<event>(loan)`
(approved, waiting, rejected, lent, loan_due, waiting_turn). For now each only writes a
LoanNotice, which /me/ shows. That is the switch point for the messages system: the
integrator makes these call portal.messaging.send(...) (inbox, SMS, WeChat) instead of, or
as well as, the notice.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.exceptions import Refused
from portal.messaging import send

from ..models import (
    MAX_RENEWALS,
    AidItem,
    AidPoint,
    AidUnit,
    Loan,
    LoanEvent,
    LoanNotice,
    age_on,
)
from ..models.rental import DUE_SOON_DAYS

ELIGIBLE_AGE = 60
DISABILITY_TAG = "残疾"


# --- Who may borrow ----------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    """`refusal`: why not (a sentence), else None; `from_register`: the register shows it
    (no one needs to see a card); otherwise staff confirm it on approval."""

    refusal: str | None
    from_register: bool


def eligibility(*, resident, item, basis, today=None):
    """The eligibility rule, checked against the register where it knows.

    - aged 60+: the register's date of birth decides; without one, staff confirm (an ID card);
    - disability card: the register's 残疾 tag shows it; without the tag, staff see the card;
    - discharged from hospital: always a doctor's note that staff see.
    """
    today = today or timezone.localdate()
    if basis not in item.bases():
        return Eligibility(_("%(item)s is not lent on that basis.") % {"item": item.name}, False)
    if basis == Loan.Basis.AGE:
        if resident.birth_date is None:
            return Eligibility(None, False)
        if age_on(resident.birth_date, today) >= ELIGIBLE_AGE:
            return Eligibility(None, True)
        return Eligibility(
            _(
                "The household register shows %(name)s is under %(age)d. Choose another "
                "reason if one applies, or ask the residents' committee."
            )
            % {"name": resident.name, "age": ELIGIBLE_AGE},
            False,
        )
    if basis == Loan.Basis.DISABILITY:
        has_tag = any(tag.name == DISABILITY_TAG for tag in resident.tags.all())
        return Eligibility(None, has_tag)
    return Eligibility(None, False)


def overdue_refusal(resident, today=None):
    late = Loan.objects.filter(resident=resident).overdue(today).select_related("item").first()
    if late is None:
        return None
    return _(
        "%(name)s has %(item)s overdue since %(date)s. Please return it before borrowing again."
    ) % {"name": resident.name, "item": late.item.name, "date": late.due_date.isoformat()}


# --- Reading: the catalogue ----------------------------------------------------------------


def catalogue(items=None):
    """Active items, each with `stock`: [(point, free, total)] for the points holding it.

    Four queries whatever the size of the catalogue: items, points, unit counts, and the
    approved loans that hold a unit back for someone about to collect it.
    """
    items = list(items if items is not None else AidItem.objects.filter(active=True).order_by("pk"))
    points = {p.pk: p for p in AidPoint.objects.select_related("centre", "neighbourhood")}
    counts = (
        AidUnit.objects.exclude(status=AidUnit.Status.RETIRED)
        .values("item_id", "point_id")
        .annotate(
            total=Count("pk"), available=Count("pk", filter=Q(status=AidUnit.Status.AVAILABLE))
        )
    )
    approved = Loan.objects.filter(status=Loan.Status.APPROVED)
    held = {
        (row["item_id"], row["point_id"]): row["n"]
        for row in approved.values("item_id", "point_id").annotate(n=Count("pk"))
    }
    stock = {}
    for row in counts:
        key = (row["item_id"], row["point_id"])
        free = max(0, row["available"] - held.get(key, 0))
        stock.setdefault(row["item_id"], []).append((points[row["point_id"]], free, row["total"]))
    for item in items:
        item.stock = sorted(stock.get(item.pk, []), key=lambda s: s[0].name)
        item.free = sum(free for _, free, _ in item.stock)
    return items


def points_holding(item):
    return (
        AidPoint.objects.filter(units__item=item)
        .distinct()
        .select_related("centre", "neighbourhood")
    )


# --- The steps of a loan -------------------------------------------------------------------


def _lock_point(point_id):
    return AidPoint.objects.select_for_update().get(pk=point_id)


def _lock_loan(loan, *statuses):
    locked = Loan.objects.select_for_update().select_related("item", "point").get(pk=loan.pk)
    if statuses and locked.status not in statuses:
        raise Refused(
            _("This loan is now “%(status)s”; nothing was changed.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _event(loan, kind, by=None, note="", now=None):
    LoanEvent.objects.create(loan=loan, kind=kind, by=by, note=note, at=now or timezone.now())


def _free_units(item_id, point_id):
    """Units free to hand out now: available, less those held back for approved loans."""
    available = AidUnit.objects.filter(item_id=item_id, point_id=point_id).available().count()
    held = Loan.objects.filter(item_id=item_id, point_id=point_id, status=Loan.Status.APPROVED)
    return available - held.count()


def loan_request(*, item, point, resident, by, basis, note="", need=None, now=None):
    """A resident (or staff for them) asks for an item at a point. Raises Refused."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not item.active:
        raise Refused(_("This item is no longer lent."))
    if not point.units.filter(item=item).exclude(status=AidUnit.Status.RETIRED).exists():
        raise Refused(_("%(point)s does not keep this item.") % {"point": point.name})
    rule = eligibility(resident=resident, item=item, basis=basis, today=today)
    if rule.refusal:
        raise Refused(rule.refusal)
    late = overdue_refusal(resident, today)
    if late:
        raise Refused(late)
    try:
        with transaction.atomic():
            loan = Loan.objects.create(
                item=item,
                point=point,
                resident=resident,
                requested_by=by,
                basis=basis,
                basis_from_register=rule.from_register,
                note=note,
                need=need,
                created=now,
            )
            _event(loan, LoanEvent.Kind.REQUESTED, by, note, now)
    except IntegrityError:
        raise Refused(
            _("%(name)s has already asked for %(item)s; see the request on “Me”.")
            % {"name": resident.name, "item": item.name}
        ) from None
    return loan


def loan_approve(*, loan, by, confirmed=False, now=None):
    """Approve a request: ready to collect if a unit is free, else on the waiting list.

    When the register does not show the basis, `confirmed` says staff saw the card or the
    doctor's note; without it the approval is refused.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _lock_point(loan.point_id)
        loan = _lock_loan(loan, Loan.Status.REQUESTED)
        if not loan.basis_from_register and not confirmed:
            raise Refused(_("Confirm that you have seen the card or the doctor's note first."))
        late = overdue_refusal(loan.resident, timezone.localdate(now))
        if late:
            raise Refused(late)
        fields = ["status"]
        if not loan.basis_from_register:
            loan.basis_confirmed_by = by
            fields.append("basis_confirmed_by")
        if _free_units(loan.item_id, loan.point_id) > 0:
            loan.status = Loan.Status.APPROVED
            loan.save(update_fields=fields)
            _event(loan, LoanEvent.Kind.APPROVED, by, now=now)
            tell_loan_approved(loan)
        else:
            loan.status, loan.waiting_since = Loan.Status.WAITING, now
            loan.save(update_fields=[*fields, "waiting_since"])
            _event(loan, LoanEvent.Kind.WAITING, by, now=now)
            tell_loan_waiting(loan)
    return loan


def loan_reject(*, loan, by, reason, now=None):
    with transaction.atomic():
        loan = _lock_loan(loan, Loan.Status.REQUESTED, Loan.Status.WAITING)
        loan.status, loan.reason = Loan.Status.REJECTED, reason
        loan.save(update_fields=["status", "reason"])
        _event(loan, LoanEvent.Kind.REJECTED, by, reason, now)
        tell_loan_rejected(loan)
    return loan


def loan_lend(*, loan, by, unit=None, due_date=None, now=None):
    """Hand a unit over (`unit`, or any free one of the item at the point); due back on
    `due_date` (default: the item's loan period). Raises Refused when none is free."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        _lock_point(loan.point_id)
        loan = _lock_loan(loan, Loan.Status.APPROVED)
        late = overdue_refusal(loan.resident, today)
        if late:
            raise Refused(late)
        units = AidUnit.objects.select_for_update().filter(item=loan.item, point=loan.point)
        if unit is not None:
            unit = units.filter(pk=unit.pk).first()
            if unit is None or unit.status != AidUnit.Status.AVAILABLE:
                raise Refused(_("That unit is not free any more; choose another."))
        else:
            unit = units.available().order_by("code").first()
            if unit is None:
                raise Refused(
                    _("No %(item)s is free at %(point)s now: the last one was just lent.")
                    % {"item": loan.item.name, "point": loan.point.name}
                )
        due_date = due_date or today + datetime.timedelta(days=loan.item.loan_days)
        if due_date <= today:
            raise Refused(_("The due date must be after today."))
        unit.status = AidUnit.Status.LENT
        unit.save(update_fields=["status"])
        loan.status, loan.unit, loan.lent_at, loan.due_date = Loan.Status.LENT, unit, now, due_date
        try:
            with transaction.atomic():
                loan.save(update_fields=["status", "unit", "lent_at", "due_date"])
        except IntegrityError:
            raise Refused(_("That unit is already out on another loan.")) from None
        _event(loan, LoanEvent.Kind.LENT, by, unit.code, now)
        tell_loan_lent(loan)
    return loan


def loan_return(*, loan, by, condition, note="", now=None):
    """Take a unit back (its condition noted); the waiting list is served in order."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_point(loan.point_id)
        loan = _lock_loan(loan, Loan.Status.LENT)
        unit = AidUnit.objects.select_for_update().get(pk=loan.unit_id)
        damaged = condition == AidUnit.Condition.DAMAGED
        unit.status = AidUnit.Status.REPAIR if damaged else AidUnit.Status.AVAILABLE
        unit.condition = condition
        unit.save(update_fields=["status", "condition"])
        loan.status, loan.returned_at, loan.return_condition = (
            Loan.Status.RETURNED,
            now,
            condition,
        )
        loan.save(update_fields=["status", "returned_at", "return_condition"])
        text = f"{unit.code} · {unit.get_condition_display()}" + (f" · {note}" if note else "")
        _event(loan, LoanEvent.Kind.RETURNED, by, text, now)
        served = _serve_waiting(loan.item_id, loan.point_id, now)
    return loan, served


def loan_renew(*, loan, by, now=None):
    """Keep it one more loan period; refused past MAX_RENEWALS or when others are waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_point(loan.point_id)
        loan = _lock_loan(loan, Loan.Status.LENT)
        if loan.renewals >= MAX_RENEWALS:
            raise Refused(
                _("This loan has been renewed %(n)d times already, the most allowed.")
                % {"n": MAX_RENEWALS}
            )
        waiting = Loan.objects.filter(
            item_id=loan.item_id, point_id=loan.point_id, status=Loan.Status.WAITING
        )
        if waiting.exists():
            raise Refused(_("Others are waiting for this item: it cannot be renewed."))
        start = max(loan.due_date, timezone.localdate(now))
        loan.due_date = start + datetime.timedelta(days=loan.item.loan_days)
        loan.renewals += 1
        loan.save(update_fields=["due_date", "renewals"])
        _event(loan, LoanEvent.Kind.RENEWED, by, loan.due_date.isoformat(), now)
    return loan


def loan_cancel(*, loan, by, now=None):
    """The person (or staff) calls off a request not yet lent; a held unit goes to the next."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_point(loan.point_id)
        loan = _lock_loan(loan, Loan.Status.REQUESTED, Loan.Status.WAITING, Loan.Status.APPROVED)
        held = loan.status == Loan.Status.APPROVED
        loan.status = Loan.Status.CANCELLED
        loan.save(update_fields=["status"])
        _event(loan, LoanEvent.Kind.CANCELLED, by, now=now)
        if held:
            _serve_waiting(loan.item_id, loan.point_id, now)
    return loan


def _serve_waiting(item_id, point_id, now):
    """Give free units to the waiting list, first come first served. Caller holds the lock."""
    free = _free_units(item_id, point_id)
    if free <= 0:
        return []
    waiting = Loan.objects.filter(
        item_id=item_id, point_id=point_id, status=Loan.Status.WAITING
    ).order_by("waiting_since", "pk")[:free]
    served = list(waiting.select_related("item", "point"))
    for loan in served:
        loan.status = Loan.Status.APPROVED
        loan.save(update_fields=["status"])
        _event(loan, LoanEvent.Kind.TURN, None, now=now)
        tell_waiting_turn(loan)
    return served


# --- Stock -------------------------------------------------------------------------------


def unit_add(*, point, item, code, condition, note=""):
    with transaction.atomic():
        _lock_point(point.pk)
        try:
            with transaction.atomic():
                unit = AidUnit.objects.create(
                    point=point, item=item, code=code, condition=condition, note=note
                )
        except IntegrityError:
            taken = _("Another unit already has the code %(code)s.") % {"code": code}
            raise Refused(taken) from None
        _serve_waiting(item.pk, point.pk, timezone.now())
    return unit


def unit_update(*, unit, status, condition, note):
    """Mark a unit for repair, back in use or retired; a unit back in use serves the queue."""
    with transaction.atomic():
        _lock_point(unit.point_id)
        unit = AidUnit.objects.select_for_update().get(pk=unit.pk)
        if AidUnit.Status.LENT in (unit.status, status):
            raise Refused(_("A unit goes out and comes back through its loan."))
        unit.status, unit.condition, unit.note = status, condition, note
        unit.save(update_fields=["status", "condition", "note"])
        if status == AidUnit.Status.AVAILABLE:
            _serve_waiting(unit.item_id, unit.point_id, timezone.now())
    return unit


# --- Due reminders (the daily job) ---------------------------------------------------------


def reminders_due(today=None):
    """Loans out, due within DUE_SOON_DAYS, whose reminder for this due date is not sent."""
    today = today or timezone.localdate()
    return (
        Loan.objects.due_within(DUE_SOON_DAYS, today)
        .exclude(reminded_for=F("due_date"))
        .select_related("item", "point")
    )


def reminder_send(loan, now=None):
    """Claim the reminder by a conditional UPDATE (one run sends it), then tell the person."""
    with transaction.atomic():
        claimed = (
            Loan.objects.filter(pk=loan.pk, status=Loan.Status.LENT, due_date=loan.due_date)
            .exclude(reminded_for=loan.due_date)
            .update(reminded_for=loan.due_date)
        )
        if not claimed:
            return False
        _event(loan, LoanEvent.Kind.REMINDED, None, loan.due_date.isoformat(), now)
        tell_loan_due(loan)
    return True


# --- Telling people: ONE function per event (the switch point for portal.messaging) ---------


def tell_loan_approved(loan):
    """Approved, ready to collect."""
    _notice(loan, LoanNotice.Kind.APPROVED)


def tell_loan_waiting(loan):
    """Approved but on the waiting list."""
    _notice(loan, LoanNotice.Kind.WAITING)


def tell_loan_rejected(loan):
    """Not approved (with the reason)."""
    _notice(loan, LoanNotice.Kind.REJECTED)


def tell_loan_lent(loan):
    """Lent, with its due date."""
    _notice(loan, LoanNotice.Kind.LENT)


def tell_loan_due(loan):
    """`loan_due`: due back within DUE_SOON_DAYS."""
    _notice(loan, LoanNotice.Kind.DUE)


def tell_waiting_turn(loan):
    """A unit came back: their turn on the waiting list."""
    _notice(loan, LoanNotice.Kind.TURN)


_MESSAGE_KINDS = {
    LoanNotice.Kind.APPROVED: "loan_approved",
    LoanNotice.Kind.WAITING: "loan_waiting",
    LoanNotice.Kind.REJECTED: "loan_rejected",
    LoanNotice.Kind.LENT: "loan_lent",
    LoanNotice.Kind.DUE: "loan_due",
    LoanNotice.Kind.TURN: "loan_turn",
}
_SUBJECTS = {
    LoanNotice.Kind.APPROVED: gettext_noop("Your request was approved"),
    LoanNotice.Kind.WAITING: gettext_noop("Your request was approved; you are on the waiting list"),
    LoanNotice.Kind.REJECTED: gettext_noop("Your request was not approved"),
    LoanNotice.Kind.LENT: gettext_noop("Lent to you"),
    LoanNotice.Kind.DUE: gettext_noop("Due back soon"),
    LoanNotice.Kind.TURN: gettext_noop("Your turn: a unit is ready to collect"),
}
# What each notice says in a message (the same words as LoanNotice.Kind's labels, then a
# sentence with the item), rendered in the recipient's language (templates/portal/messages/).
_SENTENCES = {
    LoanNotice.Kind.APPROVED: gettext_noop("%(item)s: approved. Please collect it at %(point)s."),
    LoanNotice.Kind.WAITING: gettext_noop(
        "%(item)s: approved, and you are on the waiting list. We will tell you when one is free."
    ),
    LoanNotice.Kind.REJECTED: gettext_noop("%(item)s: not approved. %(reason)s"),
    LoanNotice.Kind.LENT: gettext_noop("%(item)s: lent to you, due back on %(due)s."),
    LoanNotice.Kind.DUE: gettext_noop("%(item)s: due back on %(due)s, at %(point)s."),
    LoanNotice.Kind.TURN: gettext_noop(
        "%(item)s: your turn. One is ready to collect at %(point)s."
    ),
}


def _notice(loan, kind):
    """The notice on /me/ and the message to the borrower (and whoever asked for them)."""
    notice = LoanNotice.objects.create(loan=loan, kind=kind)
    recipients = {user.pk: user for user in (loan.resident.user, loan.requested_by) if user}
    asker = loan.requested_by
    if asker and (asker.worker is not None or asker.is_centre_staff or asker.is_district_admin):
        recipients.pop(asker.pk, None)  # staff who asked on the resident's behalf
    if not recipients:
        return
    params = {
        "item": loan.item.name,
        "point": str(loan.point),
        "reason": loan.reason,
        "due": f"{loan.due_date:%Y-%m-%d}" if loan.due_date else "",
    }
    send(
        _MESSAGE_KINDS[kind],
        recipients=list(recipients.values()),
        context={"subject": _SUBJECTS[kind], "text": _SENTENCES[kind], "params": params},
        url=reverse("neighborhoods:my-loan-detail", args=[loan.pk]),
        dedupe_key=f"loan-notice:{notice.pk}",
    )


# --- Pages that gather loans ------------------------------------------------------------------


def my_loans_context(user):
    """/me/: my requests and loans with their due dates, and what I was told lately."""
    if not user.is_authenticated:
        return {"my_loans": [], "loan_notices": []}
    mine = Loan.objects.of_person(user)
    return {
        "my_loans": list(mine.open().for_list().order_by("due_date", "-created")),
        "loan_notices": list(
            LoanNotice.objects.filter(loan__in=mine).select_related("loan__item")[:5]
        ),
    }


def staff_due_this_week(user, today=None):
    """Loans out at the points `user` keeps, overdue or due within seven days."""
    today = today or timezone.localdate()
    week = today + datetime.timedelta(days=7)
    return (
        Loan.objects.visible_to(user)
        .out()
        .filter(due_date__lte=week)
        .for_list()
        .order_by("due_date", "pk")
    )
