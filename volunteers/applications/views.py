"""Applying to volunteer (residents) and deciding applications (committee or centre staff)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.exceptions import Refused
from portal.idempotency import post_once
from portal.permissions import any_staff_required, resident_neighbourhood, resident_required

from ..permissions import get_application_for_user, get_applications_for_user
from . import services
from .forms import ApplicationForm, DecisionForm


@require_http_methods(["GET", "HEAD", "POST"])
@resident_required
@post_once
def application_create(request):
    refusal = services.application_refusal(request.user)
    if refusal:
        messages.info(request, refusal)
        return redirect("volunteers:me")
    form = ApplicationForm(request.POST or None, home=resident_neighbourhood(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(user=request.user, **form.service_fields())
        except Refused as refusal:
            messages.error(request, str(refusal))
            return redirect("volunteers:me")
        messages.success(
            request, _("Thank you! Your application was sent; staff will decide soon.")
        )
        return redirect("volunteers:me")
    status = 400 if form.is_bound else 200
    return render(request, "volunteers/application_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD"])
@any_staff_required
def application_list(request):
    applications = get_applications_for_user(request.user, audit=request)
    return render(request, "volunteers/application_list.html", {"applications": applications})


@require_http_methods(["GET", "HEAD", "POST"])
@any_staff_required
def application_decide(request, pk):
    profile = get_application_for_user(request.user, pk, audit=request)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_decide(
                profile=profile,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except Refused as refusal:
            messages.error(request, str(refusal))
            return redirect("volunteers:application-list")
        messages.success(request, _("Decision recorded; %(name)s is told.") % {"name": profile})
        return redirect("volunteers:application-list")
    context = {"profile": profile, "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "volunteers/application_decide.html", context, status=status)
