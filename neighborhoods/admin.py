from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Building,
    Centre,
    CentreStaff,
    CommunityWorker,
    District,
    Household,
    LinkRequest,
    Neighbourhood,
    Resident,
    Subdistrict,
    Zone,
)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "district"]
    list_filter = ["district"]
    search_fields = ["name"]
    autocomplete_fields = ["district"]
    ordering = ["name"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "subdistrict", "phone"]
    list_filter = ["subdistrict"]
    search_fields = ["name", "subdistrict__name"]
    autocomplete_fields = ["subdistrict"]
    list_select_related = ["subdistrict"]


class BuildingInline(admin.TabularInline):
    model = Building
    fields = ["compound", "number", "floors"]
    extra = 0
    show_change_link = True


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "neighbourhood", "worker"]
    list_filter = ["neighbourhood__subdistrict", "neighbourhood"]
    search_fields = ["name", "neighbourhood__name"]
    autocomplete_fields = ["neighbourhood", "worker"]
    list_select_related = ["neighbourhood", "worker__user"]
    inlines = [BuildingInline]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "neighbourhood", "zone", "floors"]
    list_filter = ["neighbourhood__subdistrict", "neighbourhood"]
    search_fields = ["number", "compound", "neighbourhood__name"]
    autocomplete_fields = ["neighbourhood", "zone"]
    list_select_related = ["neighbourhood", "zone"]


class ResidentInline(admin.TabularInline):
    model = Resident
    fields = ["name", "gender", "birth_date", "relation", "phone", "status", "user"]
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["__str__", "neighbourhood_name", "care", "phone"]
    list_filter = ["care", "building__neighbourhood__subdistrict", "building__neighbourhood"]
    search_fields = ["room", "building__number", "building__compound", "residents__name"]
    autocomplete_fields = ["building"]
    readonly_fields = ["care", "eldest_birth_date", "created"]
    list_select_related = ["building__neighbourhood"]
    inlines = [ResidentInline]

    @admin.display(description=_("neighbourhood"), ordering="building__neighbourhood__name")
    def neighbourhood_name(self, obj):
        return obj.building.neighbourhood.name


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["name", "household", "gender", "birth_date", "status", "user"]
    list_filter = ["status", "gender", "household__building__neighbourhood"]
    search_fields = ["name", "household__room", "household__building__number"]
    autocomplete_fields = ["household", "user"]
    list_select_related = ["household__building", "user"]
    ordering = ["name"]


@admin.register(CommunityWorker)
class CommunityWorkerAdmin(admin.ModelAdmin):
    list_display = [
        "user", "neighbourhood", "position", "birth_year", "education",
        "social_work_certificate", "start_year", "active",
    ]
    list_filter = ["active", "education", "social_work_certificate", "neighbourhood__subdistrict"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "position"]
    autocomplete_fields = ["user", "neighbourhood"]
    list_select_related = ["user", "neighbourhood"]


@admin.register(LinkRequest)
class LinkRequestAdmin(admin.ModelAdmin):
    list_display = ["name", "neighbourhood", "building", "room", "user", "status", "created"]
    list_filter = ["status", "neighbourhood"]
    search_fields = ["name", "user__username", "user__phone"]
    autocomplete_fields = ["user", "neighbourhood", "resident", "decided_by"]
    list_select_related = ["neighbourhood", "user"]
    date_hierarchy = "created"


class CentreStaffInline(admin.TabularInline):
    model = CentreStaff
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["name", "subdistrict", "operator", "hours"]
    list_filter = ["subdistrict"]
    search_fields = ["name", "operator"]
    autocomplete_fields = ["subdistrict"]
    inlines = [CentreStaffInline]
