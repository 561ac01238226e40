"""Admin for the guides (办事指南) and residents' questions."""

from django.contrib import admin

from ..models import Guide, GuideQuestion


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
