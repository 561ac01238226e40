"""Admin for home visits (走访) and needs."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.audit import AuditedAdminMixin

from ..models import CareLevel, Household, Need, NeedAction, Visit, VisitAddendum


@admin.register(CareLevel)
class CareLevelAdmin(admin.ModelAdmin):
    list_display = ["kind", "max_gap_days"]
    list_editable = ["max_gap_days"]
    search_fields = ["kind"]


class VisitAddendumInline(admin.TabularInline):
    model = VisitAddendum
    fields = ["author", "text", "created"]
    readonly_fields = ["created"]
    autocomplete_fields = ["author"]
    extra = 0


class VisitNeedInline(admin.TabularInline):
    model = Need
    fields = ["category", "urgency", "status", "owner"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Visit)
class VisitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["household", "when", "kind", "staff", "neighbourhood_name"]
    list_filter = ["kind", "household__building__neighbourhood", "when"]
    search_fields = ["household__room", "household__building__number", "staff__first_name", "met"]
    autocomplete_fields = ["household", "staff"]
    list_select_related = ["household__building__neighbourhood", "staff"]
    readonly_fields = ["created", "updated"]
    date_hierarchy = "when"
    inlines = [VisitAddendumInline, VisitNeedInline]

    @admin.display(description=_("neighbourhood"), ordering="household__building__neighbourhood")
    def neighbourhood_name(self, obj):
        return obj.household.building.neighbourhood.name

    def delete_queryset(self, request, queryset):
        """The bulk delete skips Visit.delete(): keep the households' last visit here."""
        households = set(queryset.values_list("household_id", flat=True))
        super().delete_queryset(request, queryset)
        Household.objects.filter(pk__in=households).refresh_last_visit()


@admin.register(VisitAddendum)
class VisitAddendumAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_household = "visit__household_id"
    list_display = ["visit", "author", "created"]
    search_fields = ["text", "visit__household__room"]
    autocomplete_fields = ["visit", "author"]
    list_select_related = ["visit__household__building", "author"]


class NeedActionInline(admin.TabularInline):
    model = NeedAction
    fields = ["created", "kind", "actor", "note"]
    autocomplete_fields = ["actor"]
    extra = 0


@admin.register(Need)
class NeedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["household", "category", "urgency", "status", "owner", "raised_via", "created"]
    list_filter = [
        "status",
        "category",
        "urgency",
        "raised_via",
        "household__building__neighbourhood",
    ]
    search_fields = ["description", "household__room", "household__building__number", "referred_to"]
    autocomplete_fields = ["household", "owner", "raised_by", "visit"]
    list_select_related = ["household__building", "owner"]
    readonly_fields = ["created", "closed"]
    date_hierarchy = "created"
    inlines = [NeedActionInline]


@admin.register(NeedAction)
class NeedActionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_household = "need__household_id"
    list_display = ["need", "kind", "actor", "created"]
    list_filter = ["kind"]
    search_fields = ["note", "need__description"]
    autocomplete_fields = ["need", "actor"]
    list_select_related = ["need__household__building", "actor"]
