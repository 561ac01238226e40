import uuid

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.images import process_image, validate_image_upload

from ..board.forms import validate_pdf
from ..models import Notice, NoticeAttachment, NoticeImage, NoticeRead
from .widgets import link_current_file, thumbnail_preview


class NoticeImageAdminForm(forms.ModelForm):
    """Admin uploads go through the same checks as staff pages: real image, no EXIF, thumbnail."""

    class Meta:
        model = NoticeImage
        fields = ["image", "caption", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        link_current_file(self, "image", NoticeImage.get_absolute_url)

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if upload and "image" in self.changed_data:
            validate_image_upload(upload)
            full, self._thumbnail = process_image(upload)
            return full
        return upload

    def save(self, commit=True):
        thumbnail = getattr(self, "_thumbnail", None)
        if thumbnail is not None:
            self.instance.thumbnail.save(thumbnail.name, thumbnail, save=False)
        return super().save(commit)


class NoticeAttachmentAdminForm(forms.ModelForm):
    class Meta:
        model = NoticeAttachment
        fields = ["file", "title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        link_current_file(self, "file", NoticeAttachment.get_absolute_url)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and "file" in self.changed_data:
            validate_pdf(upload)
            self.instance.size = upload.size
            # Stored under a random .pdf name, as on the staff pages: the uploaded name could
            # be "x.html" (and be served as a web page from /media/) or hold personal details.
            upload.name = f"{uuid.uuid4().hex}.pdf"
        return upload


class NoticeImageInline(admin.TabularInline):
    model = NoticeImage
    form = NoticeImageAdminForm
    extra = 0
    max_num = 9
    fields = ["image", "preview", "caption", "position"]
    readonly_fields = ["preview"]

    @admin.display(description=_("thumbnail"))
    def preview(self, obj):
        return thumbnail_preview(obj.thumbnail_url if obj.pk else "")


class NoticeAttachmentInline(admin.TabularInline):
    model = NoticeAttachment
    form = NoticeAttachmentAdminForm
    extra = 0


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = [
        "title", "kind", "category", "audience", "scope_name", "publish_at", "expires_at",
        "pinned",
    ]  # fmt: skip
    list_filter = ["kind", "category", "audience", "pinned", "subdistrict", "neighbourhood"]
    search_fields = ["title", "body"]
    date_hierarchy = "publish_at"
    autocomplete_fields = ["district", "subdistrict", "neighbourhood", "author"]
    list_select_related = ["district", "subdistrict", "neighbourhood"]
    inlines = [NoticeImageInline, NoticeAttachmentInline]
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (_("Scope (exactly one)"), {"fields": ["district", "subdistrict", "neighbourhood"]}),
        (None, {"fields": ["kind", "category", "title", "body", "audience"]}),
        (_("Schedule"), {"fields": ["publish_at", "expires_at", "pinned"]}),
        (None, {"fields": ["author", "created", "updated"]}),
    ]

    @admin.display(description=_("for"))
    def scope_name(self, obj):
        return obj.scope


@admin.register(NoticeImage)
class NoticeImageAdmin(admin.ModelAdmin):
    form = NoticeImageAdminForm
    list_display = ["__str__", "notice", "position"]
    search_fields = ["notice__title", "caption"]
    autocomplete_fields = ["notice"]
    list_select_related = ["notice"]

    def get_fields(self, request, obj=None):
        return ["notice", "image", "caption", "position"]


@admin.register(NoticeAttachment)
class NoticeAttachmentAdmin(admin.ModelAdmin):
    form = NoticeAttachmentAdminForm
    list_display = ["title", "notice", "size"]
    search_fields = ["title", "notice__title"]
    autocomplete_fields = ["notice"]
    list_select_related = ["notice"]

    def get_fields(self, request, obj=None):
        return ["notice", "file", "title"]


@admin.register(NoticeRead)
class NoticeReadAdmin(admin.ModelAdmin):
    list_display = ["notice", "user", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["notice__title", "user__username", "user__first_name", "user__phone"]
    autocomplete_fields = ["notice", "user"]
    list_select_related = ["notice", "user"]
    date_hierarchy = "read_at"
