"""Upload fields of the notices admin: checked images, files linked through checked views."""

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.utils.html import format_html

from portal.images import process_image, validate_image_upload


class _LinkedFile:
    """A stored file as ClearableFileInput shows it, with the URL of its checked view."""

    def __init__(self, file, url):
        self.file, self.url = file, url

    def __str__(self):
        return str(self.file)


class CheckedFileInput(AdminFileWidget):
    """Links the current file through its checked view: private storage has no public URL.
    The form sets `view_url` for a saved row."""

    view_url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"] and self.view_url:
            context["widget"]["value"] = _LinkedFile(value, self.view_url)
        return context


def link_current_file(form, field_name, view_url):
    """Point the admin's "Currently:" link of `field_name` at `view_url(instance)`, the
    checked view (for a saved row that has a file)."""
    if form.instance.pk and field_name in form.fields and getattr(form.instance, field_name):
        widget = CheckedFileInput()
        # No "clear" box for a required file, as on the widget it replaces.
        widget.is_required = form.fields[field_name].required
        widget.view_url = view_url(form.instance)
        form.fields[field_name].widget = widget


def thumbnail_preview(url):
    return format_html('<img src="{}" alt="" width="120">', url) if url else "—"


class CleanPhotoForm(forms.ModelForm):
    """Admin uploads go through the same checks as the pages: real image, no EXIF, thumbnail."""

    photo_field = "image"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        link_current_file(self, self.photo_field, self.photo_view_url)

    @staticmethod
    def photo_view_url(instance):
        return instance.get_absolute_url()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get(self.photo_field)
        if upload and self.photo_field in self.changed_data:
            validate_image_upload(upload)
            full, self._thumbnail = process_image(upload)
            cleaned[self.photo_field] = full
        return cleaned

    def save(self, commit=True):
        thumbnail = getattr(self, "_thumbnail", None)
        if thumbnail is not None:
            self.instance.thumbnail.save(thumbnail.name, thumbnail, save=False)
        return super().save(commit)
