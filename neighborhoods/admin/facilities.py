"""Admin for public facilities (公共设施) and their walks from each neighbourhood."""

from django.contrib import admin

from ..models import Facility, FacilityDistance


class FacilityDistanceInline(admin.TabularInline):
    model = FacilityDistance
    autocomplete_fields = ["neighbourhood"]
    extra = 1


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "neighbourhood", "address", "step_free", "updated"]
    list_filter = ["kind", "neighbourhood", "step_free", "lift", "accessible_toilet"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["neighbourhood"]
    list_select_related = ["neighbourhood"]
    readonly_fields = ["updated", "updated_by"]
    inlines = [FacilityDistanceInline]
