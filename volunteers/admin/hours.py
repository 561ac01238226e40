from django.contrib import admin

from ..models import ServiceRecord, StarTier


@admin.register(ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "date", "description", "claimed_hours", "hours", "status"]
    list_filter = ["status", "centre"]
    search_fields = ["volunteer__username", "volunteer__first_name", "description"]
    raw_id_fields = ["volunteer", "signup", "decided_by"]
    date_hierarchy = "date"


@admin.register(StarTier)
class StarTierAdmin(admin.ModelAdmin):
    """The thresholds of the star tiers: check them against the municipal rules."""

    list_display = ["stars", "name", "min_hours"]
    list_editable = ["name", "min_hours"]
    ordering = ["min_hours"]
