from django.contrib import admin

from ..models import Opportunity, Shift, ShiftSignup


class ShiftInline(admin.TabularInline):
    model = Shift
    extra = 1
    fields = ["date", "starts", "ends", "place", "places_needed", "leader", "cancelled"]
    autocomplete_fields = ["leader"]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "centre", "neighbourhood", "active"]
    list_filter = ["active", "centre"]
    search_fields = ["title"]
    inlines = [ShiftInline]


@admin.register(ShiftSignup)
class ShiftSignupAdmin(admin.ModelAdmin):
    list_display = ["shift", "volunteer", "status", "attendance", "created"]
    list_filter = ["status", "attendance"]
    search_fields = ["volunteer__username", "volunteer__first_name", "shift__opportunity__title"]
    raw_id_fields = ["shift", "volunteer", "attendance_by"]
