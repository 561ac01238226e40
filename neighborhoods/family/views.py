"""Family members (家属): /me/family/ for residents and family members; staff on households."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.exceptions import Refused
from portal.idempotency import post_once
from portal.permissions import staff_required

from ..models import FamilyGrant
from ..permissions import (
    get_household_for_user,
    get_revocable_grant_for_user,
    get_staff_grant_for_user,
)
from . import services
from .forms import FamilyGrantForm, StaffFamilyGrantForm


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@post_once
def my_family(request):
    """A resident's family members (add, remove); and the households this account follows."""
    resident = request.user.resident
    form = FamilyGrantForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if resident is None:
            messages.info(request, _("Link your account to your household first."))
            return redirect("portal:me")
        if form.is_valid():
            try:
                grant = services.family_grant_add(
                    household=resident.household,
                    by=request.user,
                    via=FamilyGrant.Via.RESIDENT,
                    **form.grant_kwargs(),
                )
            except Refused as refusal:
                form.add_error("account", str(refusal))
            else:
                messages.success(
                    request, _("%(name)s will be told what you chose.") % {"name": grant.member}
                )
                return redirect("neighborhoods:my-family")
    context = {
        "resident": resident,
        "grants": services.household_family(resident.household) if resident else [],
        "form": form,
        "followed": services.followed_households(request.user),
    }
    return render(
        request, "neighborhoods/my_family.html", context, status=400 if form.errors else 200
    )


@require_POST
@login_required
def my_family_revoke(request, pk):
    grant = get_revocable_grant_for_user(request.user, pk)
    try:
        services.family_grant_revoke(grant=grant, by=request.user)
    except Refused as refusal:
        messages.info(request, str(refusal))
    else:
        if grant.member_id == request.user.pk:
            messages.success(request, _("You no longer follow this household."))
        else:
            messages.success(
                request, _("%(name)s is no longer told anything.") % {"name": grant.member}
            )
    return redirect("neighborhoods:my-family")


def _family_section(household):
    return redirect(reverse("neighborhoods:household-detail", args=[household.pk]) + "#family")


@require_POST
@staff_required
@post_once
def household_family_add(request, pk):
    """Staff add a family member on an elder's behalf, recording how the elder agreed."""
    household = get_household_for_user(request.user, pk, audit=None)  # address only
    form = StaffFamilyGrantForm(request.POST)
    if form.is_valid():
        try:
            services.family_grant_add(
                household=household,
                by=request.user,
                via=FamilyGrant.Via.STAFF,
                **form.grant_kwargs(),
            )
        except Refused as refusal:
            form.add_error("account", str(refusal))
        else:
            messages.success(request, _("Family member added, with the elder's consent recorded."))
            return _family_section(household)
    context = {"household": household, "form": form}
    return render(request, "neighborhoods/household_family_form.html", context, status=400)


@require_POST
@staff_required
def household_family_revoke(request, pk, grant_pk):
    household = get_household_for_user(request.user, pk, audit=None)  # redirects only
    grant = get_staff_grant_for_user(request.user, household, grant_pk)
    try:
        services.family_grant_revoke(grant=grant, by=request.user)
    except Refused as refusal:
        messages.info(request, str(refusal))
    else:
        messages.success(request, _("Family member removed: they are told nothing from now."))
    return _family_section(household)
