from django import forms
from django.utils.translation import gettext_lazy as _

from portal.permissions import neighbourhood_scope, staffs_neighbourhood

from ..models import Neighbourhood

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
EXTENSIONS = (".xlsx", ".csv")


class NeighbourhoodFieldMixin:
    """District admins choose the neighbourhood; committee staff work on their own one."""

    def add_neighbourhood_field(self, user):
        self.user = user
        if user.is_district_admin:
            self.fields["neighbourhood"] = forms.ModelChoiceField(
                queryset=neighbourhood_scope(Neighbourhood.objects.all(), user, "pk"),
                label=_("Neighbourhood"),
                error_messages={"invalid_choice": _("Choose one of the neighbourhoods listed.")},
            )
            self.order_fields(["neighbourhood"])

    def target_neighbourhood(self):
        if self.user.is_district_admin:
            return self.cleaned_data["neighbourhood"]
        return self.user.worker.neighbourhood


class ImportUploadForm(NeighbourhoodFieldMixin, forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (xlsx or csv)"),
        help_text=_(
            "The first sheet is read. It needs the columns 楼号, 室号 and 姓名; "
            "性别, 出生日期, 与户主关系, 联系电话 and 备注 are read when present."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_neighbourhood_field(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(
                _("Upload an xlsx or csv file (an old .xls: save it as .xlsx first)."),
                code="file_type",
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."), code="file_size")
        return upload


class ImportConfirmForm(forms.Form):
    """Says only "import it": the data is read again from the file kept on the server."""

    confirm = forms.BooleanField(widget=forms.HiddenInput, initial=True)


class RegisterExportForm(NeighbourhoodFieldMixin, forms.Form):
    full_phones = forms.BooleanField(
        label=_("Full phone numbers (otherwise masked: 138****5678)"), required=False
    )
    reason = forms.CharField(
        label=_("Reason for full numbers"),
        required=False,
        max_length=200,
        help_text=_("Required for full numbers; it is recorded with the export."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_neighbourhood_field(user)

    def clean(self):
        data = super().clean()
        if not data.get("full_phones"):
            data["reason"] = ""
            return data
        if not data.get("reason", "").strip():
            self.add_error(
                "reason",
                forms.ValidationError(_("Say why full numbers are needed."), code="reason"),
            )
        neighbourhood = data.get("neighbourhood") if self.user.is_district_admin else None
        neighbourhood = neighbourhood or (self.user.worker and self.user.worker.neighbourhood)
        # Only the neighbourhood's own committee staff, or an admin, may see full numbers.
        if neighbourhood and not staffs_neighbourhood(self.user, neighbourhood.pk):
            self.add_error(
                "full_phones", _("Only this neighbourhood's staff may export full numbers.")
            )
        return data
