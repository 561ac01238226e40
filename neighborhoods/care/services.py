"""Home visits (走访) and needs (困难/诉求): keyword-only services, one transaction each."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import Refused
from portal.files import atomic_with_files

from ..models import Need, NeedAction, Visit, VisitAddendum


@atomic_with_files()
def need_raise(
    *,
    household,
    by,
    via,
    category,
    description,
    urgency=Need.Urgency.NORMAL,
    photo=None,
    visit=None,
):
    """Record a need; its owner is whoever holds the household's zone (分片包干)."""
    need = Need.objects.create(
        household=household,
        category=category,
        urgency=urgency,
        description=description,
        owner=household.holder,
        raised_by=by,
        raised_via=via,
        photo=photo or "",
        visit=visit,
    )
    NeedAction.objects.create(need=need, actor=by, kind=NeedAction.Kind.RAISED)
    return need


@atomic_with_files()
def visit_log(*, household, staff, when, kind, met, notes, needs=()):
    """A home visit and the needs raised during it, all or nothing."""
    visit = Visit.objects.create(
        household=household, staff=staff, when=when, kind=kind, met=met, notes=notes
    )
    for need in needs:
        need_raise(household=household, by=staff, via=Need.Via.VISIT, visit=visit, **need)
    return visit


def visit_correct(*, visit, when, kind, met, notes):
    visit.when, visit.kind, visit.met, visit.notes = when, kind, met, notes
    visit.save(update_fields=["when", "kind", "met", "notes", "updated"])
    return visit


def visit_add_addendum(*, visit, author, text):
    return VisitAddendum.objects.create(visit=visit, author=author, text=text)


def _locked_open_need(need):
    """The need, locked; Refused when it is closed (perhaps by a colleague a moment ago)."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if not need.is_open:
        raise Refused(_("This need is already closed."))
    return need


@transaction.atomic
def need_take(*, need, by):
    """The one taking it in hand becomes its owner, and it is in progress."""
    need = _locked_open_need(need)
    need.owner, need.status = by, Need.Status.IN_PROGRESS
    need.save(update_fields=["owner", "status"])
    NeedAction.objects.create(need=need, actor=by, kind=NeedAction.Kind.TAKEN)
    return need


def need_add_note(*, need, by, note):
    return NeedAction.objects.create(need=need, actor=by, kind=NeedAction.Kind.NOTE, note=note)


def _locked_need(need, *, allowed):
    """The need, locked; Refused unless its status (read under the lock) is `allowed`."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status not in allowed:
        if need.status == Need.Status.RESOLVED:
            raise Refused(_("This need is already closed."))
        raise Refused(_("This need is not waiting for a referral's reply."))
    return need


@transaction.atomic
def need_resolve(*, need, by, resolution):
    """Resolve an open need, or a referred one once the other body has done its part."""
    need = _locked_need(need, allowed=[*Need.OPEN_STATUSES, Need.Status.REFERRED])
    need.status, need.resolution, need.closed = Need.Status.RESOLVED, resolution, timezone.now()
    need.save(update_fields=["status", "resolution", "closed"])
    NeedAction.objects.create(need=need, actor=by, kind=NeedAction.Kind.RESOLVED, note=resolution)
    return need


@transaction.atomic
def need_refer(*, need, by, body, referred_to="", reference="", promised=None, note=""):
    """Hand a need over to another body (物业, 12345…): it waits for their reply.

    `referred_to` names the office when the body's kind alone does not (街道 which
    department); `note` is for colleagues only. What the resident is told goes on the step.
    """
    need = _locked_open_need(need)
    body_label = str(Need.Body(body).label)
    need.status, need.closed = Need.Status.REFERRED, timezone.now()
    need.referred_to = (referred_to or body_label)[:100]
    need.referral_body, need.referral_reference = body, reference
    need.referral_promised = promised
    need.referral_reply, need.referral_replied_at = "", None
    need.save(
        update_fields=[
            "status",
            "closed",
            "referred_to",
            "referral_body",
            "referral_reference",
            "referral_promised",
            "referral_reply",
            "referral_replied_at",
        ]
    )
    detail = {
        "to": need.referred_to,
        "reference": reference,
        "promised": promised.isoformat() if promised else "",
    }
    NeedAction.objects.create(
        need=need,
        actor=by,
        kind=NeedAction.Kind.REFERRED,
        note=f"{need.referred_to}\n{note}".strip(),
        detail=detail,
    )
    return need


@transaction.atomic
def need_referral_reply(*, need, by, reply):
    """Record what the other body answered (the 12345 work order's reply, say)."""
    need = _locked_need(need, allowed=[Need.Status.REFERRED])
    if need.referral_replied_at is not None:
        raise Refused(_("Their reply is already recorded; resolve or re-open the need."))
    need.referral_reply, need.referral_replied_at = reply, timezone.now()
    need.save(update_fields=["referral_reply", "referral_replied_at"])
    NeedAction.objects.create(need=need, actor=by, kind=NeedAction.Kind.REPLY, note=reply)
    return need


@transaction.atomic
def need_reopen(*, need, by, note=""):
    """A referral that did not solve it: the need is back in the committee's hands."""
    need = _locked_need(need, allowed=[Need.Status.REFERRED])
    need.status, need.closed, need.owner = Need.Status.IN_PROGRESS, None, need.owner or by
    need.save(update_fields=["status", "closed", "owner"])
    NeedAction.objects.create(need=need, actor=by, kind=NeedAction.Kind.REOPENED, note=note)
    return need
