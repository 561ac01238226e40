"""Yearly recognitions (staff), the printable certificate, and its public check."""

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.exceptions import Refused
from portal.permissions import any_staff_required, volunteer_required

from ..models import Certificate, ServiceRecord
from ..models.scoping import held_by_q
from ..permissions import get_ranking_for_user
from . import services
from .forms import AwardForm, YearForm


@require_http_methods(["GET", "HEAD", "POST"])
@any_staff_required
def recognition_list(request):
    """The ranked list of a year (verified hours, shifts), and recording an award."""
    if request.method == "POST":
        form = AwardForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            # Only a volunteer whose records this user holds can be chosen.
            volunteer = get_object_or_404(
                get_user_model(),
                pk__in=ServiceRecord.objects.held_by(request.user).values("volunteer"),
                pk=data["volunteer"],
            )
            try:
                services.recognition_award(
                    volunteer=volunteer, year=data["year"], title=data["title"],
                    citation=data["citation"], by=request.user,
                )  # fmt: skip
            except Refused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(
                    request, _("Award recorded for %(name)s.") % {"name": volunteer.get_full_name()}
                )
            return redirect(f"{request.path}?year={data['year']}")
        messages.error(request, _("Please give the award a title."))
        return redirect(request.path)
    year = YearForm(request.GET or None).chosen()
    rows = get_ranking_for_user(request.user, year, audit=request)
    context = {
        "rows": rows,
        "year": year,
        "year_form": YearForm(initial={"year": year}),
        "award_form": AwardForm(initial={"year": year}),
    }
    return render(request, "volunteers/recognition_list.html", context)


@require_POST
@volunteer_required
def certificate_issue(request):
    year = YearForm(request.POST).chosen()
    try:
        certificate = services.certificate_issue(volunteer=request.user, year=year)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("volunteers:me")
    return redirect("volunteers:certificate-print", code=certificate.code)


def _qr_svg(url):
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=10,
        border=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    return image.to_string(encoding="unicode")


def _holds(user, certificate):
    if user.is_district_admin:
        return True
    return Certificate.objects.filter(pk=certificate.pk).filter(held_by_q(user)).exists()


def _certificate(code):
    return get_object_or_404(
        Certificate.objects.select_related("volunteer", "centre", "neighbourhood"),
        code=code,
        revoked=False,
    )


@require_safe
def certificate_print(request, code):
    """The printable A4 certificate: the volunteer themself and the staff who hold it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    certificate = _certificate(code)
    mine = certificate.volunteer_id == request.user.pk
    if not (mine or _holds(request.user, certificate)):
        raise Http404
    url = settings.SITE_URL.rstrip("/") + certificate.get_absolute_url()
    context = {"certificate": certificate, "url": url, "qr_svg": _qr_svg(url),
               **services.certificate_facts(certificate)}  # fmt: skip
    return render(request, "volunteers/certificate_print.html", context)


@require_safe
def certificate_check(request, code):
    """Public: whether a certificate is genuine; only the name, tier and year are shown."""
    certificate = Certificate.objects.select_related("volunteer").filter(code=code).first()
    facts = (
        services.certificate_facts(certificate) if certificate and not certificate.revoked else None
    )
    context = {"certificate": certificate, "tier": facts["tier"] if facts else None,
               "genuine": facts is not None, "today": timezone.localdate()}  # fmt: skip
    return render(
        request, "volunteers/certificate_check.html", context, status=200 if facts else 404
    )
