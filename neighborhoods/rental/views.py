"""Rehab-aid rental (康复辅具社区租赁): the public catalogue, a resident's request and their
loans on /me/, and the staff's side (the loans queue, each loan's steps, stock)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.exceptions import Refused
from portal.idempotency import post_once
from portal.permissions import any_staff_required, resident_required, staff_required

from ..models import AidPoint, AidUnit, Household, Loan, Resident
from ..permissions import (
    get_aid_item,
    get_kept_unit_for_user,
    get_loan_for_user,
    get_loan_page_for_user,
    get_loans_due_for_user,
    get_managed_centre_for_user,
    get_move_in_candidates_for_user,
    get_need_for_user,
    get_own_loan_for_user,
    get_resident_for_user,
)
from . import services
from .forms import (
    ApproveForm,
    BehalfLoanForm,
    BehalfSearchForm,
    LendForm,
    LoanFilterForm,
    LoanRequestForm,
    RejectForm,
    ReturnForm,
    UnitForm,
    UnitUpdateForm,
)

# --- Public: the catalogue and one item ----------------------------------------------------


@require_safe
def aid_list(request):
    user = request.user
    keeps = user.is_authenticated and (
        user.is_district_admin or user.worker is not None or user.is_centre_staff
    )
    context = {"items": services.catalogue(), "keeps_points": keeps, "nav_section": "services"}
    return render(request, "neighborhoods/aid_list.html", context)


def _item_page(request, item, form=None, status=200):
    points = services.points_holding(item)
    if form is None and request.user.is_authenticated and request.user.resident:
        form = LoanRequestForm(item=item, points=points)
    context = {
        "item": services.catalogue([item])[0],
        "form": form,
        "resident": request.user.resident if request.user.is_authenticated else None,
        "nav_section": "services",
    }
    return render(request, "neighborhoods/aid_detail.html", context, status=status)


@require_safe
def aid_detail(request, pk):
    return _item_page(request, get_aid_item(pk))


@require_POST
@resident_required
@post_once
def aid_request(request, pk):
    item = get_aid_item(pk)
    form = LoanRequestForm(request.POST, item=item, points=services.points_holding(item))
    if not form.is_valid():
        return _item_page(request, item, form, status=400)
    try:
        loan = services.loan_request(
            item=item, resident=request.user.resident, by=request.user, **form.cleaned_data
        )
    except Refused as refusal:
        form.add_error(None, str(refusal))
        return _item_page(request, item, form, status=400)
    messages.success(request, _("Thank you. Staff will look at your request soon."))
    return redirect("neighborhoods:my-loan-detail", loan.pk)


# --- Mine -------------------------------------------------------------------------------------


@require_safe
@login_required
def my_loan_detail(request, pk):
    loan = get_own_loan_for_user(request.user, pk)
    context = {"loan": loan, "events": loan.events.select_related("by"), "mine": True}
    return render(request, "neighborhoods/my_loan_detail.html", context)


@require_POST
@login_required
def my_loan_cancel(request, pk):
    loan = get_own_loan_for_user(request.user, pk)
    try:
        services.loan_cancel(loan=loan, by=request.user)
    except Refused as refusal:
        messages.info(request, str(refusal))
    else:
        messages.success(request, _("Request cancelled."))
    return redirect("neighborhoods:my-loan-detail", pk)


# --- Staff: the queue and one loan ----------------------------------------------------------


@require_safe
@any_staff_required
def loan_list(request):
    form = LoanFilterForm(request.GET or None)
    today = timezone.localdate()
    loans = Loan.objects.all()
    loans = form.filter(loans, today) if form.is_valid() else loans.open()
    loans = loans.for_list().order_by("due_date", "created", "pk")
    page = get_loan_page_for_user(request.user, loans, request.GET.get("page"), audit=request)
    context = {
        "form": form,
        "page": page,
        "today": today,
        "can_ask": request.user.is_district_admin or request.user.worker is not None,
        "nav_section": "staff",
    }
    return render(request, "neighborhoods/loan_list.html", context)


def _loan_page(request, loan, *, forms=None, status=200):
    forms = forms or {}
    context = {
        "loan": loan,
        "events": loan.events.select_related("by"),
        "approve_form": forms.get("approve") or ApproveForm(),
        "reject_form": forms.get("reject") or RejectForm(),
        "lend_form": forms.get("lend") or LendForm(loan=loan),
        "return_form": forms.get("return") or ReturnForm(),
        "today": timezone.localdate(),
        "nav_section": "staff",
    }
    return render(request, "neighborhoods/loan_detail.html", context, status=status)


@require_safe
@any_staff_required
def loan_detail(request, pk):
    return _loan_page(request, get_loan_for_user(request.user, pk, audit=request))


def _step(request, pk, name, form_class, act, done, **form_kwargs):
    """One POSTed step of a loan: bind its form, call the service, tell staff what happened."""
    loan = get_loan_for_user(request.user, pk, audit=request)
    form = form_class(request.POST, **({"loan": loan} if form_kwargs.get("with_loan") else {}))
    if not form.is_valid():
        return _loan_page(request, loan, forms={name: form}, status=400)
    try:
        act(loan, form.cleaned_data)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done)
    return redirect("neighborhoods:loan-detail", pk)


@require_POST
@any_staff_required
def loan_approve(request, pk):
    def act(loan, data):
        services.loan_approve(loan=loan, by=request.user, confirmed=data["confirmed"])

    return _step(request, pk, "approve", ApproveForm, act, _("Approved; the person is told."))


@require_POST
@any_staff_required
def loan_reject(request, pk):
    def act(loan, data):
        services.loan_reject(loan=loan, by=request.user, reason=data["reason"])

    return _step(request, pk, "reject", RejectForm, act, _("Not approved; the person is told."))


@require_POST
@any_staff_required
def loan_lend(request, pk):
    def act(loan, data):
        services.loan_lend(loan=loan, by=request.user, **data)

    done = _("Lent. The due date is on the person's page.")
    return _step(request, pk, "lend", LendForm, act, done, with_loan=True)


@require_POST
@any_staff_required
def loan_return(request, pk):
    def act(loan, data):
        _, served = services.loan_return(loan=loan, by=request.user, **data)
        for waiting in served:
            messages.info(
                request,
                _("%(name)s was next on the waiting list and is told it is ready.")
                % {"name": waiting.resident.name},
            )

    return _step(request, pk, "return", ReturnForm, act, _("Returned."))


@require_POST
@any_staff_required
def loan_renew(request, pk):
    loan = get_loan_for_user(request.user, pk, audit=None)
    try:
        loan = services.loan_renew(loan=loan, by=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Renewed until %(date)s.") % {"date": loan.due_date})
    return redirect("neighborhoods:loan-detail", pk)


@require_POST
@any_staff_required
def loan_cancel(request, pk):
    loan = get_loan_for_user(request.user, pk, audit=None)
    try:
        services.loan_cancel(loan=loan, by=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Request cancelled."))
    return redirect("neighborhoods:loan-detail", pk)


# --- Staff ask for a resident (代办), e.g. answering a need from a visit ---------------------


def _register(user):
    """Present residents of the register `user` keeps (staff ask only for their own)."""
    return Resident.objects.present().filter(household__in=Household.objects.visible_to(user))


def _chosen_resident(request, need):
    pk = request.POST.get("resident") or request.GET.get("resident")
    if pk and str(pk).isdigit():
        resident = get_resident_for_user(request.user, int(pk), audit=request)
        if resident.status == Resident.Status.PRESENT:
            return resident
    if need is not None:
        return need.household.residents.present().order_by("birth_date").first()
    return None


@require_http_methods(["GET", "POST"])
@staff_required
@post_once
def loan_create(request):
    """Ask for an item for a resident of my register; `?need=` answers a need (linked)."""
    need_pk = request.POST.get("need") or request.GET.get("need")
    need = None
    if need_pk and str(need_pk).isdigit():
        need = get_need_for_user(request.user, int(need_pk), audit=request)
    search = BehalfSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    points = AidPoint.objects.select_related("centre", "neighbourhood")
    chosen = _chosen_resident(request, need)
    form = BehalfLoanForm(
        request.POST or None,
        points=points,
        initial={"resident": chosen.pk if chosen else None, "need": need.pk if need else None},
    )
    if request.method == "POST" and form.is_valid():
        if chosen is None:
            form.add_error(None, _("Choose a resident from the search first."))
        else:
            data = {k: form.cleaned_data[k] for k in ("item", "point", "basis", "note")}
            try:
                loan = services.loan_request(resident=chosen, by=request.user, need=need, **data)
            except Refused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Asked for %(name)s.") % {"name": chosen.name})
                return redirect("neighborhoods:loan-detail", loan.pk)
    residents = _register(request.user).select_related("household__building")
    context = {
        "search": search,
        "form": form,
        "need": need,
        "chosen": chosen,
        "candidates": get_move_in_candidates_for_user(
            request.user, residents, query, audit=request
        ),
        "query": query,
        "nav_section": "staff",
    }
    status = 400 if form.errors else 200
    return render(request, "neighborhoods/loan_create.html", context, status=status)


# --- Stock: a centre's (in its workspace) and a committee's ------------------------------------


def _stock_page(request, point, back):
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_add(point=point, **form.cleaned_data)
        except Refused as refusal:
            form.add_error("code", str(refusal))
        else:
            messages.success(request, _("Unit %(code)s added.") % {"code": unit.code})
            return redirect(back)
    units = list(
        AidUnit.objects.filter(point=point).select_related("item").order_by("item__kind", "code")
    )
    for unit in units:
        unit.update_form = UnitUpdateForm(
            initial={"status": unit.status, "condition": unit.condition, "note": unit.note},
            auto_id=f"id_u{unit.pk}_%s",
        )
    context = {
        "point": point,
        "units": units,
        "form": form,
        "due": get_loans_due_for_user(request.user, point=point, audit=request),
        "queue": Loan.objects.filter(
            point=point, status__in=[Loan.Status.REQUESTED, Loan.Status.WAITING]
        ).count(),
        "back": back,
    }
    return render(
        request, "neighborhoods/aid_stock.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@login_required
def centre_aid_stock(request, pk):
    centre = get_managed_centre_for_user(request.user, pk)
    point, _created = AidPoint.objects.get_or_create(centre=centre)
    return _stock_page(request, point, request.path)


@require_http_methods(["GET", "POST"])
@staff_required
def staff_aid_stock(request):
    worker = request.user.worker
    if worker is None:
        raise PermissionDenied  # admins keep stock through Django admin or a centre's page
    point, _created = AidPoint.objects.get_or_create(neighbourhood=worker.neighbourhood)
    return _stock_page(request, point, request.path)


@require_POST
@any_staff_required
def aid_unit_update(request, pk):
    unit = get_kept_unit_for_user(request.user, pk)
    form = UnitUpdateForm(request.POST)
    back = _stock_url(unit.point)
    if not form.is_valid():
        messages.error(request, _("Choose a status and a condition."))
        return redirect(back)
    try:
        services.unit_update(unit=unit, **form.cleaned_data)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Unit %(code)s saved.") % {"code": unit.code})
    return redirect(back)


def _stock_url(point):
    if point.centre_id:
        return reverse("neighborhoods:centre-aid-stock", args=[point.centre_id])
    return reverse("neighborhoods:staff-aid-stock")
