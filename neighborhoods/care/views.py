"""Home visits (走访) and needs (困难/诉求): staff pages, and the resident's /me/needs/."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.audit import Action
from portal.exceptions import Refused
from portal.files import private_file_response
from portal.idempotency import post_once
from portal.params import object_id
from portal.permissions import resident_required, staff_required
from portal.ratelimits import form_status, over_limit

from ..models import Household, Need, Resident
from ..permissions import (
    can_edit_visit,
    get_household_for_user,
    get_need_for_user,
    get_need_page_for_user,
    get_own_need_for_user,
    get_visit_for_user,
)
from ..register.forms import buildings_for, neighbourhood_choice_for
from . import services
from .forms import (
    AddendumForm,
    NeedFilterForm,
    NeedForm,
    NeedFormSet,
    NeedNoteForm,
    NeedReferForm,
    NeedReopenForm,
    NeedReplyForm,
    NeedResolveForm,
    ResidentNeedForm,
    VisitForm,
)


def _household_from_query(request):
    """The household a visit or need is for; its forms show only the flat's address."""
    household_id = object_id(request.GET.get("household") or request.POST.get("household"))
    if household_id is not None:
        return get_household_for_user(request.user, household_id, audit=None)
    return None


# --- Visits -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
@post_once
def visit_create(request):
    household = _household_from_query(request)
    choice, neighbourhood = (None, None) if household else neighbourhood_choice_for(request)
    form = VisitForm(
        request.POST or None,
        households=Household.objects.visible_to(request.user),
        buildings=buildings_for(request.user, neighbourhood),
        fixed_household=household,
    )
    formset = NeedFormSet(request.POST or None, prefix="needs")
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        data = form.cleaned_data
        needs = [row.cleaned_data for row in formset if row.has_changed() and row.cleaned_data]
        visit = services.visit_log(
            household=form.household_chosen,
            staff=request.user,
            when=data["when"],
            kind=data["kind"],
            met=data["met"],
            notes=data["notes"],
            needs=needs,
        )
        messages.success(
            request, _("Visit recorded.") if not needs else _("Visit and needs recorded.")
        )
        return redirect("neighborhoods:household-detail", visit.household_id)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "formset": formset,
        "household": household,
        "neighbourhood_form": choice,
    }
    if household is None:
        context.update(_household_search(request))
    return render(request, "neighborhoods/visit_form.html", context, status=status)


VISIT_SEARCH_RESULTS = 10


def _household_search(request):
    """The visit form's other way to the household: by a resident's name or the room."""
    search = request.GET.get("q", "").strip()[:50]
    if not search:
        return {"search": "", "found": None}
    found = (
        Household.objects.visible_to(request.user)
        .search(search)
        .select_related("building")
        .prefetch_related(
            Prefetch("residents", queryset=Resident.objects.present(), to_attr="present")
        )
    )
    return {"search": search, "found": list(found[:VISIT_SEARCH_RESULTS])}


@require_safe
@staff_required
def visit_detail(request, pk):
    visit = get_visit_for_user(request.user, pk, audit=request)
    return _render_visit(request, visit, AddendumForm())


def _render_visit(request, visit, addendum_form, status=200):
    context = {
        "visit": visit,
        "addenda": visit.addenda.select_related("author"),
        "needs": visit.needs.all(),
        "can_edit": can_edit_visit(request.user, visit),
        "addendum_form": addendum_form,
    }
    return render(request, "neighborhoods/visit_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def visit_edit(request, pk):
    # The form shows what was learned in the home: a view of personal data, like the visit.
    visit = get_visit_for_user(request.user, pk, audit=request)
    if not can_edit_visit(request.user, visit):
        messages.info(request, _("This visit can no longer be corrected; add an addendum instead."))
        return redirect("neighborhoods:visit-detail", visit.pk)
    form = VisitForm(
        request.POST or None, instance=visit, households=Household.objects.none(), buildings=None
    )
    if request.method == "POST" and form.is_valid():
        services.visit_correct(
            visit=visit, **{k: form.cleaned_data[k] for k in ("when", "kind", "met", "notes")}
        )
        messages.success(request, _("Visit corrected."))
        return redirect("neighborhoods:visit-detail", visit.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "visit": visit, "household": visit.household}
    return render(request, "neighborhoods/visit_form.html", context, status=status)


@require_POST
@staff_required
def visit_addendum(request, pk):
    visit = get_visit_for_user(request.user, pk, audit=request)
    form = AddendumForm(request.POST)
    if not form.is_valid():
        return _render_visit(request, visit, form, status=400)
    services.visit_add_addendum(visit=visit, author=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Addendum added."))
    return redirect("neighborhoods:visit-detail", visit.pk)


# --- Needs (staff) --------------------------------------------------------------------------


@require_safe
@staff_required
def need_list(request):
    user = request.user
    form = NeedFilterForm(request.GET, user=user)
    needs = Need.objects.visible_to(user).for_list().order_by("-created")
    # A filter that does not validate (a stale bookmark's zone) shows its error and no rows,
    # rather than every need of every status.
    needs = form.filter(needs) if form.is_valid() else needs.none()
    page = get_need_page_for_user(user, needs, request.GET.get("page"), audit=request)
    context = {"form": form, "page": page}
    return render(request, "neighborhoods/need_list.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
@post_once
def need_create(request):
    household = _household_from_query(request)
    if household is None:
        messages.info(request, _("Open the household first, then raise the need from its page."))
        return redirect("neighborhoods:household-list")
    form = NeedForm(request.POST or None, request.FILES or None, on_behalf_choice=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        need = services.need_raise(
            household=household,
            by=request.user,
            via=Need.Via.ON_BEHALF if data.get("on_behalf") else Need.Via.STAFF,
            category=data["category"],
            urgency=data["urgency"],
            description=data["description"],
            photo=data.get("photo"),
        )
        messages.success(request, _("Need recorded."))
        return redirect("neighborhoods:need-detail", need.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "household": household}
    return render(request, "neighborhoods/need_form.html", context, status=status)


def _render_need(request, need, status=200, **forms):
    context = {
        "need": need,
        "actions": need.actions.select_related("actor"),
        "note_form": forms.get("note_form") or NeedNoteForm(),
        "resolve_form": forms.get("resolve_form") or NeedResolveForm(),
        "refer_form": forms.get("refer_form") or NeedReferForm(),
        # A need answered by a rehab-aid loan ("需要借轮椅"): the loans linked to it.
        "loans": need.loans.select_related("item", "point__centre", "point__neighbourhood"),
        "reply_form": forms.get("reply_form") or NeedReplyForm(),
        "reopen_form": forms.get("reopen_form") or NeedReopenForm(),
    }
    return render(request, "neighborhoods/need_detail.html", context, status=status)


@require_safe
@staff_required
def need_detail(request, pk):
    return _render_need(request, get_need_for_user(request.user, pk, audit=request))


@require_POST
@staff_required
def need_take(request, pk):
    need = get_need_for_user(request.user, pk, audit=request)
    try:
        services.need_take(need=need, by=request.user)
    except Refused as refusal:
        messages.info(request, str(refusal))
    else:
        messages.success(request, _("You are following this need."))
    return redirect("neighborhoods:need-detail", need.pk)


@require_POST
@staff_required
def need_note(request, pk):
    need = get_need_for_user(request.user, pk, audit=request)
    form = NeedNoteForm(request.POST)
    if not form.is_valid():
        return _render_need(request, need, status=400, note_form=form)
    services.need_add_note(need=need, by=request.user, note=form.cleaned_data["note"])
    messages.success(request, _("Note added."))
    return redirect("neighborhoods:need-detail", need.pk)


def _act_on_need(request, pk, *, form_class, form_name, act, done, statuses=Need.OPEN_STATUSES):
    """Resolve, refer, record a referral's reply, re-open: each from the need's page.

    `statuses` are those the need must be in (as read on the page; the service checks again
    under its row lock, for a colleague who acted a moment before)."""
    need = get_need_for_user(request.user, pk, audit=request)
    if need.status not in statuses:
        messages.info(
            request,
            _("This need is already closed.")
            if need.status == Need.Status.RESOLVED or Need.Status.REFERRED not in statuses
            else _("This need is not waiting for a referral's reply."),
        )
        return redirect("neighborhoods:need-detail", need.pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_need(request, need, status=400, **{form_name: form})
    try:
        act(need=need, by=request.user, **form.cleaned_data)
    except Refused as refusal:  # a colleague acted between the page and the tap
        messages.info(request, str(refusal))
    else:
        messages.success(request, done)
    return redirect("neighborhoods:need-detail", need.pk)


@require_POST
@staff_required
def need_resolve(request, pk):
    return _act_on_need(
        request,
        pk,
        form_class=NeedResolveForm,
        form_name="resolve_form",
        act=services.need_resolve,
        done=_("Need resolved."),
        statuses=[*Need.OPEN_STATUSES, Need.Status.REFERRED],
    )


@require_POST
@staff_required
def need_refer(request, pk):
    return _act_on_need(
        request,
        pk,
        form_class=NeedReferForm,
        form_name="refer_form",
        act=services.need_refer,
        done=_("Need referred."),
    )


@require_POST
@staff_required
def need_reply(request, pk):
    return _act_on_need(
        request,
        pk,
        form_class=NeedReplyForm,
        form_name="reply_form",
        act=services.need_referral_reply,
        done=_("Their reply is recorded. Resolve the need, or re-open it."),
        statuses=[Need.Status.REFERRED],
    )


@require_POST
@staff_required
def need_reopen(request, pk):
    return _act_on_need(
        request,
        pk,
        form_class=NeedReopenForm,
        form_name="reopen_form",
        act=services.need_reopen,
        done=_("Need re-opened: it is in your hands again."),
        statuses=[Need.Status.REFERRED],
    )


@require_safe
@staff_required
def need_photo(request, pk):
    """Photos of people's homes are served only to those who may see the need."""
    need = get_need_for_user(request.user, pk, audit=request, action=Action.NEED_PHOTO)
    return private_file_response(need.photo, personal=True)


# --- Needs (residents: 小事快办) -------------------------------------------------------------


@require_safe
@resident_required
def my_need_list(request):
    needs = Need.objects.for_resident(request.user).prefetch_public_actions().order_by("-created")
    return render(request, "neighborhoods/my_need_list.html", {"needs": needs})


@require_http_methods(["GET", "POST"])
@resident_required
@post_once
def my_need_create(request):
    form = ResidentNeedForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and not over_limit(request, form, "need"):
        data = form.cleaned_data
        services.need_raise(
            household=request.user.resident.household,
            by=request.user,
            via=Need.Via.RESIDENT,
            category=data["category"],
            urgency=data["urgency"],
            description=data["description"],
            photo=data.get("photo"),
            sensitive_consent_at=timezone.now() if form.consent_given else None,
        )
        messages.success(request, _("Thank you. The residents' committee has your report."))
        return redirect("neighborhoods:my-need-list")
    status = form_status(request, form)
    context = {
        "form": form,
        "committee_phone": request.user.resident.household.building.neighbourhood.phone,
    }
    return render(request, "neighborhoods/my_need_form.html", context, status=status)


@require_safe
@resident_required
def my_need_photo(request, pk):
    return private_file_response(get_own_need_for_user(request.user, pk).photo, personal=True)
