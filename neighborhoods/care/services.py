"""Home visits (走访) and needs (困难/诉求): keyword-only services, one transaction each."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import Refused
from portal.files import atomic_with_files
from portal.messaging import send

from .. import messages as message_kinds
from ..models import CommunityWorker, Need, NeedAction, Visit, VisitAddendum


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
    sensitive_consent_at=None,
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
        sensitive_consent_at=sensitive_consent_at,
    )
    NeedAction.objects.create(need=need, actor=by, kind=NeedAction.Kind.RAISED)
    if urgency == Need.Urgency.URGENT and via == Need.Via.RESIDENT:
        need_tell_urgent(need)
    return need


def urgent_need_recipients(need):
    """Who is told at once of an urgent need: the zone's worker (分片包干) and the
    neighbourhood's directors, who answer for it when nobody else does. With no worker
    on the zone, every active worker of the neighbourhood."""
    household = need.household
    workers = CommunityWorker.objects.filter(
        neighbourhood_id=household.building.neighbourhood_id, active=True
    ).select_related("user")
    workers = list(workers)
    holder = household.holder
    chosen = [w.user for w in workers if w.is_director or w.user_id == getattr(holder, "pk", None)]
    if holder is None:
        chosen = [w.user for w in workers]
    return list({user.pk: user for user in chosen}.values())


def need_tell_urgent(need):
    """Message the zone's worker and the directors now (a staff alert: not switched off)."""
    return send(
        message_kinds.NEED_URGENT,
        recipients=urgent_need_recipients(need),
        context={
            "household": str(need.household),
            "category": need.category,
            "description": need.description[:300],
            "time": timezone.localtime(need.created).strftime("%H:%M"),
            "need": need.pk,
        },
        url=f"/staff/needs/{need.pk}/",
        urgent=True,
        dedupe_key=f"need_urgent:{need.pk}",
    )


def need_tell_household(need, action):
    """Tell the household's residents with an account of one step of their request, in the
    same plain words /me/needs/ uses (never a staff-internal note)."""
    recipients = message_kinds.household_accounts(need.household)
    detail = action.detail or {}
    return send(
        message_kinds.NEED_STATUS_CHANGED,
        recipients=recipients,
        context={
            "step": action.kind,
            "category": need.category,
            "to": detail.get("to") or need.referred_to,
            "reference": detail.get("reference", ""),
            "promised": detail.get("promised", ""),
            "text": "" if action.kind == NeedAction.Kind.REFERRED else action.note[:300],
            "need": need.pk,
        },
        url="/me/needs/",
        dedupe_key=f"need:{need.pk}:{action.kind}:{action.pk}",
    )


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
    was_open = need.status == Need.Status.OPEN
    need.owner, need.status = by, Need.Status.IN_PROGRESS
    need.save(update_fields=["owner", "status"])
    action = NeedAction.objects.create(need=need, actor=by, kind=NeedAction.Kind.TAKEN)
    if was_open:  # a hand-over between colleagues is not news for the household
        need_tell_household(need, action)
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
    action = NeedAction.objects.create(
        need=need, actor=by, kind=NeedAction.Kind.RESOLVED, note=resolution
    )
    need_tell_household(need, action)
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
    action = NeedAction.objects.create(
        need=need,
        actor=by,
        kind=NeedAction.Kind.REFERRED,
        note=f"{need.referred_to}\n{note}".strip(),
        detail=detail,
    )
    need_tell_household(need, action)
    return need


@transaction.atomic
def need_referral_reply(*, need, by, reply):
    """Record what the other body answered (the 12345 work order's reply, say)."""
    need = _locked_need(need, allowed=[Need.Status.REFERRED])
    if need.referral_replied_at is not None:
        raise Refused(_("Their reply is already recorded; resolve or re-open the need."))
    need.referral_reply, need.referral_replied_at = reply, timezone.now()
    need.save(update_fields=["referral_reply", "referral_replied_at"])
    action = NeedAction.objects.create(need=need, actor=by, kind=NeedAction.Kind.REPLY, note=reply)
    need_tell_household(need, action)
    return need


@transaction.atomic
def need_reopen(*, need, by, note=""):
    """A referral that did not solve it: the need is back in the committee's hands."""
    need = _locked_need(need, allowed=[Need.Status.REFERRED])
    need.status, need.closed, need.owner = Need.Status.IN_PROGRESS, None, need.owner or by
    need.save(update_fields=["status", "closed", "owner"])
    action = NeedAction.objects.create(
        need=need, actor=by, kind=NeedAction.Kind.REOPENED, note=note
    )
    need_tell_household(need, action)
    return need
