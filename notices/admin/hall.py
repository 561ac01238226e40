"""Admin for the discussion hall (邻里议事厅)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import Reply, Suggestion, Support, Topic, TopicImage
from .widgets import CleanPhotoForm, thumbnail_preview


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
