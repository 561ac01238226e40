"""Admin for the discussion hall and guides (imported by notices/admin.py)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.images import process_image, validate_image_upload

from .models import Guide, GuideQuestion, Reply, Suggestion, Support, Topic, TopicImage


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


class TopicImageForm(CleanPhotoForm):
    class Meta:
        model = TopicImage
        fields = ["image", "position"]


class SuggestionForm(CleanPhotoForm):
    photo_field = "photo"

    @staticmethod
    def photo_view_url(instance):
        return instance.photo_url

    class Meta:
        model = Suggestion
        fields = ["topic", "author", "text", "photo", "hidden", "hidden_reason", "hidden_by"]


class TopicImageInline(admin.TabularInline):
    model = TopicImage
    form = TopicImageForm
    extra = 0
    fields = ["image", "preview", "position"]
    readonly_fields = ["preview"]

    @admin.display(description=_("thumbnail"))
    def preview(self, obj):
        return thumbnail_preview(obj.thumbnail_url if obj.pk else "")


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "neighbourhood", "status", "deadline", "outcome_published_at"]
    list_filter = ["status", "neighbourhood__subdistrict", "neighbourhood"]
    search_fields = ["title", "background", "outcome"]
    date_hierarchy = "deadline"
    autocomplete_fields = ["neighbourhood", "opened_by"]
    list_select_related = ["neighbourhood"]
    readonly_fields = ["participants_notified_at", "created"]
    inlines = [TopicImageInline]


class ReplyInline(admin.StackedInline):
    model = Reply
    extra = 0
    autocomplete_fields = ["author"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    form = SuggestionForm
    list_display = ["__str__", "topic", "author", "created", "hidden", "support_total"]
    list_filter = ["hidden", "topic__neighbourhood"]
    search_fields = ["text", "topic__title"]
    autocomplete_fields = ["topic", "author", "hidden_by"]
    list_select_related = ["topic", "author"]
    readonly_fields = ["created", "hidden_at", "preview"]
    ordering = ["-created"]
    inlines = [ReplyInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(support_total=Count("supports"))

    @admin.display(description=_("thumbnail"))
    def preview(self, obj):
        return thumbnail_preview(obj.thumbnail_url if obj.pk else "")

    @admin.display(description=_("support (附议)"), ordering="support_total")
    def support_total(self, obj):
        return obj.support_total


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin):
    list_display = ["suggestion", "user", "created"]
    search_fields = ["suggestion__text", "user__username", "user__first_name"]
    autocomplete_fields = ["suggestion", "user"]
    list_select_related = ["suggestion", "user"]


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "suggestion", "author", "created"]
    search_fields = ["text"]
    autocomplete_fields = ["suggestion", "author"]
    list_select_related = ["suggestion", "author"]


class GuideQuestionInline(admin.StackedInline):
    model = GuideQuestion
    extra = 0
    fields = ["text", "asker", "answer", "answered_by", "answered_at"]
    autocomplete_fields = ["asker", "answered_by"]


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["title", "district", "neighbourhood", "published", "position", "updated"]
    list_filter = ["published", "district", "neighbourhood"]
    list_editable = ["published", "position"]
    search_fields = ["title", "summary", "body"]
    autocomplete_fields = ["district", "neighbourhood"]
    list_select_related = ["district", "neighbourhood"]
    inlines = [GuideQuestionInline]


@admin.register(GuideQuestion)
class GuideQuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "guide", "asker", "created", "answered_at"]
    list_filter = ["guide", ("answered_at", admin.EmptyFieldListFilter)]
    search_fields = ["text", "answer"]
    autocomplete_fields = ["guide", "asker", "answered_by"]
    list_select_related = ["guide", "asker"]
