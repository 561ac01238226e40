"""Admin for the daily watch (日看窗帘夜看灯).

Times and deadlines are edited on the neighbourhood (watch_day_opens, watch_day_deadline,
watch_night_opens, watch_night_deadline, watch_night_cutoff). The alert job's heartbeat
is read-only: only the job writes it.
"""

from django.contrib import admin

from ..models import JobHeartbeat, WatchAlert, WatchCheck, WatchEnrolment


@admin.register(WatchEnrolment)
class WatchEnrolmentAdmin(admin.ModelAdmin):
    list_display = [
        "household",
        "contact_name",
        "contact_phone",
        "active",
        "enrolled_by",
        "created",
    ]
    list_filter = ["active", "household__building__neighbourhood"]
    search_fields = [
        "household__room",
        "household__building__number",
        "household__residents__name",
        "contact_name",
    ]
    autocomplete_fields = ["household", "enrolled_by"]
    list_select_related = ["household__building", "enrolled_by"]


@admin.register(WatchCheck)
class WatchCheckAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "date", "kind", "status", "by", "at"]
    list_filter = ["kind", "status", "date"]
    date_hierarchy = "date"
    search_fields = ["enrolment__household__room", "enrolment__household__residents__name"]
    raw_id_fields = ["enrolment"]
    autocomplete_fields = ["by"]
    list_select_related = ["enrolment__household__building", "by"]


@admin.register(WatchAlert)
class WatchAlertAdmin(admin.ModelAdmin):
    list_display = ["__str__", "opened_at", "closed_at", "outcome", "closed_by"]
    list_filter = [("closed_at", admin.EmptyFieldListFilter), "outcome"]
    date_hierarchy = "opened_at"
    search_fields = ["watch_check__enrolment__household__residents__name", "steps"]
    raw_id_fields = ["watch_check"]
    autocomplete_fields = ["closed_by"]
    list_select_related = ["watch_check__enrolment__household__building", "closed_by"]


@admin.register(JobHeartbeat)
class JobHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_started", "last_succeeded", "last_failed"]
    readonly_fields = ["name", "created", "last_started", "last_succeeded", "last_failed"]
    fields = readonly_fields + ["last_error"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
