from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader

from neighborhoods.models import District, Neighbourhood, Subdistrict
from portal import security_log
from portal.images import MultipleFileInput, MultipleImageField
from portal.widgets import use_quick_selects

from ..models import MAX_NOTICE_IMAGES, Notice, NoticeImage
from ..permissions import publishing_scopes
from ..sanitize import editable_text

MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 200
MAX_ATTACHMENTS = 5

_SCOPE_PREFIX = {District: "district", Subdistrict: "subdistrict", Neighbourhood: "neighbourhood"}


def scope_key(place):
    return f"{_SCOPE_PREFIX[type(place)]}:{place.pk}"


def scope_label(place):
    if isinstance(place, District):
        return _("Whole district: %(name)s") % {"name": place.name}
    if isinstance(place, Subdistrict):
        return _("Subdistrict: %(name)s") % {"name": place.name}
    return _("Neighbourhood: %(name)s") % {"name": place.name}


def validate_pdf(upload):
    """A real PDF (by its first bytes, not its name) of at most MAX_PDF_BYTES."""
    try:
        _check_pdf(upload)
    except ValidationError as error:
        security_log.upload_rejected(upload, error)
        raise


def _check_pdf(upload):
    if upload.size > MAX_PDF_BYTES:
        raise ValidationError(
            _("%(name)s is %(size)s; attachments may be at most %(limit)s."),
            code="pdf_too_large",
            params={
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_PDF_BYTES),
            },
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    not_a_pdf = ValidationError(
        _("%(name)s is not a PDF file. Only PDF attachments are accepted."),
        code="not_a_pdf",
        params={"name": upload.name},
    )
    if head != b"%PDF-":
        raise not_a_pdf
    _check_pdf_structure(upload, not_a_pdf)


def _check_pdf_structure(upload, not_a_pdf):
    """Parse the PDF (pypdf, pinned): its cross-reference table, trailer and page tree.

    The first bytes say only that a file claims to be a PDF; an HTML page or a truncated
    download with "%PDF-" in front passed. Residents open these on cheap phones, so a file
    that does not parse, has no pages or more than MAX_PDF_PAGES, or is encrypted (it
    would not open without a password) is refused. The file is at most MAX_PDF_BYTES, which
    bounds the parse; pypdf raises its own errors on loops in the page tree.
    """
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("%(name)s is protected by a password; please attach an unprotected PDF."),
                code="pdf_encrypted",
                params={"name": upload.name},
            )
        pages = len(reader.pages)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many kinds for a broken file
        raise not_a_pdf from None
    finally:
        upload.seek(0)
    if pages == 0 or pages > MAX_PDF_PAGES:
        raise ValidationError(
            _("%(name)s has %(pages)d pages; attachments may have 1 to %(max)d pages."),
            code="pdf_pages",
            params={"name": upload.name, "pages": pages, "max": MAX_PDF_PAGES},
        )


class MultiplePdfField(forms.FileField):
    widget = MultipleFileInput

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": "application/pdf"}

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("You can add at most %(max)d attachments at a time."),
                code="too_many_attachments",
                params={"max": MAX_ATTACHMENTS},
            )
        errors = []
        for upload in files:
            try:
                validate_pdf(super().clean(upload, initial))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class NoticeForm(forms.ModelForm):
    scope = forms.ChoiceField(label=_("Published for"))
    images = MultipleImageField(label=_("Add images"), required=False, max_files=MAX_NOTICE_IMAGES)
    remove_images = forms.ModelMultipleChoiceField(
        label=_("Remove images"),
        queryset=NoticeImage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultiplePdfField(
        label=_("Add PDF attachments"),
        required=False,
        help_text=_("PDF files only, at most 10 MB each."),
    )

    class Meta:
        model = Notice
        fields = [
            "kind", "category", "title", "body", "audience",
            "publish_at", "expires_at", "pinned",
        ]  # fmt: skip
        widgets = {
            "publish_at": LocalDateTimeInput(),
            "expires_at": LocalDateTimeInput(),
            "body": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = {scope_key(place): place for place in publishing_scopes(user)}
        self.fields["scope"].choices = [(key, scope_label(p)) for key, p in self.places.items()]
        if self.instance.pk:
            self.initial.setdefault("scope", scope_key(self.instance.scope))
            self.initial["body"] = editable_text(self.instance.body)
            self.fields["remove_images"].queryset = self.instance.images.all()
        else:
            del self.fields["remove_images"]
        self.fields["images"].help_text = _(
            "Up to %(max)d JPEG, PNG or WebP photos, at most 5 MB each. "
            "Choose several at once. Location data is removed."
        ) % {"max": MAX_NOTICE_IMAGES}

    def clean_scope(self):
        return self.places[self.cleaned_data["scope"]]

    def clean(self):
        cleaned = super().clean()
        publish_at, expires_at = cleaned.get("publish_at"), cleaned.get("expires_at")
        if publish_at and expires_at and expires_at <= publish_at:
            self.add_error("expires_at", _("The expiry time must be after the publish time."))
        existing = self.instance.images.count() if self.instance.pk else 0
        removed = len(cleaned.get("remove_images") or [])
        added = len(cleaned.get("images") or [])
        if added and existing - removed + added > MAX_NOTICE_IMAGES:
            self.add_error(
                "images",
                ValidationError(
                    _("A notice can have at most %(max)d images; it has %(existing)d already."),
                    code="too_many_images",
                    params={"max": MAX_NOTICE_IMAGES, "existing": existing - removed},
                ),
            )
        return cleaned


class NoticeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *Notice.Category.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Notice.Kind.choices]
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        required=False,
        queryset=Neighbourhood.objects.none(),
        empty_label=_("Whole district"),
    )

    def __init__(self, *args, choose_neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_neighbourhood:
            self.fields["neighbourhood"].queryset = Neighbourhood.objects.with_places()
        else:
            del self.fields["neighbourhood"]
        use_quick_selects(self)  # the district's 300 neighbourhoods

    def filter(self, notices):
        data = self.cleaned_data
        if data.get("neighbourhood"):
            notices = notices.concerning(data["neighbourhood"])
        if data.get("category"):
            notices = notices.filter(category=data["category"])
        if data.get("kind"):
            notices = notices.filter(kind=data["kind"])
        return notices.search(data.get("q"))


class FollowCategoriesForm(forms.Form):
    """The notice categories a person wants a message about (notices/follow/)."""

    categories = forms.MultipleChoiceField(
        label=_("Tell me when a notice of these categories is published where I live"),
        choices=Notice.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
