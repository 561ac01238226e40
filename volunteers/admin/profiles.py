from django.contrib import admin

from ..models import VolunteerNotice, VolunteerProfile


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "neighbourhood", "centre", "applied_at", "decided_at"]
    list_filter = ["status", "centre"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "skills"]
    autocomplete_fields = ["user", "decided_by"]
    list_select_related = ["user", "neighbourhood", "centre"]


@admin.register(VolunteerNotice)
class VolunteerNoticeAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "text", "created"]
    list_filter = ["kind"]
    search_fields = ["user__username", "text"]
    readonly_fields = ["user", "kind", "text", "link", "created"]
