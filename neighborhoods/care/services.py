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


@transaction.atomic
def need_resolve(*, need, by, resolution):
    need = _locked_open_need(need)
    need.status, need.resolution, need.closed = Need.Status.RESOLVED, resolution, timezone.now()
    need.save(update_fields=["status", "resolution", "closed"])
    NeedAction.objects.create(need=need, actor=by, kind=NeedAction.Kind.RESOLVED, note=resolution)
    return need


@transaction.atomic
def need_refer(*, need, by, referred_to, note=""):
    need = _locked_open_need(need)
    need.status, need.referred_to, need.closed = Need.Status.REFERRED, referred_to, timezone.now()
    need.save(update_fields=["status", "referred_to", "closed"])
    NeedAction.objects.create(
        need=need, actor=by, kind=NeedAction.Kind.REFERRED, note=f"{referred_to}\n{note}".strip()
    )
    return need
