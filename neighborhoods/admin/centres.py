"""Admin for centres (睦邻中心), their organisations, contracts, star ratings and walks."""

from django.contrib import admin
from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from ..models import (
    Centre,
    CentreStaff,
    OperatingContract,
    SocialOrganisation,
    StarRating,
    WalkingDistance,
)
from .resources import CentreResource


class CentreStaffInline(admin.TabularInline):
    model = CentreStaff
    autocomplete_fields = ["user"]
    extra = 0


class StarRatingInline(admin.TabularInline):
    """One row per year, newest first: last year's rating stays as history."""

    model = StarRating
    extra = 1
    ordering = ["-year"]
    fields = ["year", "stars", "note"]


class ContractInline(admin.TabularInline):
    model = OperatingContract
    autocomplete_fields = ["organisation"]
    extra = 0
    ordering = ["-start"]


class WalkingDistanceInline(admin.TabularInline):
    model = WalkingDistance
    autocomplete_fields = ["neighbourhood"]
    extra = 0


class LatestStarsFilter(admin.SimpleListFilter):
    title = _("stars in the latest rating year")
    parameter_name = "stars"

    def lookups(self, request, model_admin):
        return [(str(n), "★" * n) for n in range(5, 0, -1)]

    def queryset(self, request, queryset):
        if self.value() in {str(n) for n in range(1, 6)}:
            year = StarRating.objects.aggregate(year=Max("year"))["year"]
            return queryset.filter(ratings__year=year, ratings__stars=int(self.value()))
        return queryset


@admin.register(Centre)
class CentreAdmin(ImportExportModelAdmin):
    resource_classes = [CentreResource]
    list_display = ["name", "subdistrict", "organisation", "phone", "hours"]
    list_filter = ["subdistrict", LatestStarsFilter, "organisation__kind"]
    search_fields = ["name", "address", "operator", "organisation__name"]
    autocomplete_fields = ["subdistrict", "organisation", "neighbourhoods"]
    list_select_related = ["subdistrict", "organisation"]
    fieldsets = [
        (None, {"fields": ["name", "subdistrict", "address", "hours", "phone"]}),
        (_("Operator"), {"fields": ["organisation", "operator"]}),
        (_("Neighbourhoods served"), {"fields": ["neighbourhoods"]}),
    ]
    inlines = [StarRatingInline, ContractInline, WalkingDistanceInline, CentreStaffInline]


class OrganisationContractInline(admin.TabularInline):
    model = OperatingContract
    autocomplete_fields = ["centre"]
    extra = 0
    ordering = ["-start"]


@admin.register(SocialOrganisation)
class SocialOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "contact_person", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "contact_person"]
    inlines = [OrganisationContractInline]


@admin.register(OperatingContract)
class OperatingContractAdmin(admin.ModelAdmin):
    list_display = ["centre", "organisation", "start", "end"]
    list_filter = ["organisation__kind", "centre__subdistrict"]
    search_fields = ["centre__name", "organisation__name"]
    autocomplete_fields = ["centre", "organisation"]
    list_select_related = ["centre", "organisation"]
    date_hierarchy = "start"


@admin.register(StarRating)
class StarRatingAdmin(admin.ModelAdmin):
    list_display = ["centre", "year", "stars", "note"]
    list_filter = ["year", "stars", "centre__subdistrict"]
    search_fields = ["centre__name"]
    autocomplete_fields = ["centre"]
    list_select_related = ["centre"]


@admin.register(WalkingDistance)
class WalkingDistanceAdmin(admin.ModelAdmin):
    list_display = ["neighbourhood", "centre", "minutes"]
    list_filter = ["centre__subdistrict"]
    search_fields = ["neighbourhood__name", "centre__name"]
    autocomplete_fields = ["neighbourhood", "centre"]
    list_select_related = ["neighbourhood", "centre"]
