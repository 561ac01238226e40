"""Import the register from a spreadsheet (upload → preview → confirm); export it (台账)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.exceptions import Refused
from portal.idempotency import post_once
from portal.permissions import staff_required, staffs_neighbourhood

from ..permissions import get_register_export_for_user
from .export import register_workbook
from .forms import ImportConfirmForm, ImportUploadForm, RegisterExportForm
from .parsing import SpreadsheetError
from .services import import_confirm, import_preview, upload_for_user, upload_store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_ROWS = 100  # rows listed per kind; the counts cover the whole file


@require_http_methods(["GET", "POST"])
@staff_required
def household_import(request):
    posted = request.method == "POST"
    form = ImportUploadForm(
        request.POST if posted else None, request.FILES if posted else None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        upload = upload_store(
            user=request.user,
            neighbourhood=form.target_neighbourhood(),
            upload=form.cleaned_data["file"],
        )
        return redirect("neighborhoods:household-import-preview", token=upload.token)
    status = 400 if form.errors else 200
    return render(request, "neighborhoods/household_import.html", {"form": form}, status=status)


def _upload_or_404(request, token):
    """The user's own unexpired upload, for a neighbourhood they still staff."""
    upload = upload_for_user(request.user, token)
    if upload is None or not staffs_neighbourhood(request.user, upload.neighbourhood_id):
        raise Http404
    return upload


def _preview(request, upload, form, status=200):
    try:
        plan = import_preview(upload=upload)
    except SpreadsheetError as error:
        upload.discard()
        messages.error(request, str(error))
        return redirect("neighborhoods:household-import")
    more = {
        kind: max(0, len(getattr(plan, kind)) - PREVIEW_ROWS)
        for kind in ("errors", "new", "updated")
    }
    context = {"upload": upload, "plan": plan, "form": form, "limit": PREVIEW_ROWS, "more": more}
    return render(request, "neighborhoods/household_import_preview.html", context, status=status)


@require_safe
@staff_required
def household_import_preview(request, token):
    upload = _upload_or_404(request, token)
    return _preview(request, upload, ImportConfirmForm())


@require_POST
@staff_required
@post_once
def household_import_confirm(request, token):
    upload = _upload_or_404(request, token)
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        return _preview(request, upload, form, status=400)
    try:
        plan = import_confirm(upload=upload, by=request.user)
    except Refused as refusal:
        messages.warning(request, str(refusal))
    else:
        messages.success(request, _imported_message(plan))
    return redirect("neighborhoods:household-list")


def _imported_message(plan):
    values = {
        "new": len(plan.new),
        "households": plan.new_households,
        "updated": len(plan.updated),
        "unchanged": len(plan.unchanged),
        "errors": plan.error_rows,
    }
    return (
        _(
            "Imported: %(new)s new residents (%(households)s new households), %(updated)s "
            "updated, %(unchanged)s unchanged; %(errors)s rows in error were left out."
        )
        % values
    )


@require_http_methods(["GET", "POST"])
@staff_required
def household_export(request):
    # Bound on every POST: a masked export of one's own neighbourhood sends no field at all.
    form = RegisterExportForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        neighbourhood, data = form.target_neighbourhood(), form.cleaned_data
        residents = get_register_export_for_user(
            request.user, neighbourhood, audit=request, reason=data["reason"]
        )
        content = register_workbook(
            residents,
            by=request.user,
            neighbourhood=neighbourhood,
            full_phones=data["full_phones"],
            reason=data["reason"],
        )
        response = HttpResponse(content, content_type=XLSX)
        filename = f"register-{neighbourhood.pk}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
    status = 400 if form.errors else 200
    return render(request, "neighborhoods/household_export.html", {"form": form}, status=status)
