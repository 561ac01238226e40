"""Admin for the daily watch (日看窗帘夜看灯).

Times and deadlines are edited on the neighbourhood (watch_day_opens, watch_day_deadline,
watch_night_opens, watch_night_deadline, watch_night_cutoff). The alert job's heartbeat
is read-only: only the job writes it.
"""

from django.contrib import admin

from portal.audit import AuditedAdminMixin

from ..models import (
    JobHeartbeat,
    WatchAlert,
    WatchAlertStep,
    WatchAssignment,
    WatchCheck,
    WatchEnrolment,
)


@admin.register(WatchEnrolment)
class WatchEnrolmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "household",
        "contact_name",
        "contact_phone",
        "active",
        "enrolled_by",
        "created",
        "stop_reason",
        "stopped_at",
    ]
    list_filter = ["active", "stop_reason", "household__building__neighbourhood"]
    search_fields = [
        "household__room",
        "household__building__number",
        "household__residents__name",
        "contact_name",
    ]
    autocomplete_fields = ["household", "enrolled_by", "stopped_by", "resumed_by"]
    list_select_related = ["household__building", "enrolled_by"]


@admin.register(WatchCheck)
class WatchCheckAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_household = "enrolment__household_id"
    list_display = ["enrolment", "date", "kind", "status", "by", "at"]
    list_filter = ["kind", "status", "date"]
    date_hierarchy = "date"
    search_fields = ["enrolment__household__room", "enrolment__household__residents__name"]
    raw_id_fields = ["enrolment"]
    autocomplete_fields = ["by"]
    list_select_related = ["enrolment__household__building", "by"]


class WatchAlertStepInline(admin.TabularInline):
    model = WatchAlertStep
    extra = 0
    autocomplete_fields = ["by"]


@admin.register(WatchAlert)
class WatchAlertAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_household = "watch_check__enrolment__household_id"
    inlines = [WatchAlertStepInline]
    list_display = ["__str__", "opened_at", "closed_at", "outcome", "closed_by"]
    list_filter = [("closed_at", admin.EmptyFieldListFilter), "outcome"]
    date_hierarchy = "opened_at"
    search_fields = ["watch_check__enrolment__household__residents__name", "steps__note"]
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


@admin.register(WatchAssignment)
class WatchAssignmentAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "volunteer", "assigned_by", "assigned_at"]
    raw_id_fields = ["enrolment", "volunteer", "assigned_by"]
