"""Facilities (公共设施): the public directory near a neighbourhood, and staff upkeep."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from portal.exceptions import Refused
from portal.permissions import staff_required

from ..models import Facility
from ..permissions import get_kept_facility_for_user
from . import services
from .forms import FacilityForm, NearForm


@require_safe
def facility_list(request):
    """Nearest first for the chosen neighbourhood (default: my own); else all, by type."""
    mine = request.user.home_neighbourhood if request.user.is_authenticated else None
    form = NearForm(request.GET or None, initial={"neighbourhood": mine})
    near, kind = mine, ""
    if form.is_bound and form.is_valid():
        near = form.cleaned_data["neighbourhood"] if "neighbourhood" in request.GET else mine
        kind = form.cleaned_data["kind"]
    elif form.is_bound:
        near = None
    facilities = services.facilities_near(near, kind) if near else services.facility_directory(kind)
    context = {
        "form": form,
        "near": near,
        "facilities": list(facilities),
        "nav_section": "services",
    }
    return render(request, "neighborhoods/facility_list.html", context)


@require_safe
@staff_required
def staff_facility_list(request):
    facilities = Facility.objects.visible_to(request.user).select_related("neighbourhood")
    context = {"facilities": facilities, "worker": request.user.worker, "nav_section": "staff"}
    return render(request, "neighborhoods/staff_facility_list.html", context)


def _form_page(request, form, facility=None, status=200):
    context = {"form": form, "facility": facility, "nav_section": "staff"}
    return render(request, "neighborhoods/facility_form.html", context, status=status)


def _save(request, form, facility, neighbourhood):
    try:
        services.facility_save(
            facility=facility,
            neighbourhood=neighbourhood,
            walk_minutes=form.cleaned_data["walk_minutes"],
            by=request.user,
        )
    except Refused as refusal:
        form.add_error("name", str(refusal))
        return None
    messages.success(request, _("Saved. Residents see it under Services."))
    return redirect("neighborhoods:staff-facility-list")


@require_http_methods(["GET", "POST"])
@staff_required
def facility_create(request):
    """Committee staff add a facility for their neighbourhood (admins use Django admin)."""
    worker = request.user.worker
    if worker is None:
        raise PermissionDenied
    form = FacilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, form.instance, worker.neighbourhood)
        if done:
            return done
    return _form_page(request, form, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@staff_required
def facility_edit(request, pk):
    facility = get_kept_facility_for_user(request.user, pk)
    initial = {"walk_minutes": services.walk_from_own(facility)}
    form = FacilityForm(request.POST or None, instance=facility, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, form.instance, facility.neighbourhood)
        if done:
            return done
    return _form_page(request, form, facility, status=400 if form.errors else 200)
