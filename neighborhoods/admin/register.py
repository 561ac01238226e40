"""Admin for places, the register and staff (centres: centres.py)."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin

from portal.audit import AuditedAdminMixin

from ..models import (
    Building,
    CommunityWorker,
    District,
    Household,
    LinkRequest,
    Neighbourhood,
    Resident,
    ResidentTag,
    RosterWorker,
    Subdistrict,
    WorkerHonour,
    Zone,
)
from ..register import services
from .resources import CommunityWorkerResource, RosterWorkerResource


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
    fieldsets = [
        (None, {"fields": ["subdistrict", "name", "address", "phone"]}),
        (
            _("Daily watch times (Asia/Shanghai)"),
            {
                "fields": [
                    ("watch_day_opens", "watch_day_deadline"),
                    ("watch_night_opens", "watch_night_deadline"),
                    "watch_night_cutoff",
                ]
            },
        ),
    ]


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

    def save_model(self, request, obj, form, change):
        # A new worker for the zone: its open needs follow (services.zone_set_worker).
        if change and "worker" in form.changed_data:
            new_worker, obj.worker_id = obj.worker, form.initial.get("worker")
            super().save_model(request, obj, form, change)
            moved = services.zone_set_worker(zone=obj, worker=new_worker, by=request.user)
            obj.refresh_from_db()
            _report_handover(self, request, moved)
        else:
            super().save_model(request, obj, form, change)


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "neighbourhood", "zone", "floors"]
    list_filter = ["neighbourhood__subdistrict", "neighbourhood"]
    search_fields = ["number", "compound", "neighbourhood__name"]
    autocomplete_fields = ["neighbourhood", "zone"]
    list_select_related = ["neighbourhood", "zone"]

    actions = ["move_to_zone"]

    @admin.action(description=_("Move to another zone (open needs follow)"))
    def move_to_zone(self, request, queryset):
        """Two steps: choose the zone on an intermediate page, then hand over."""
        neighbourhood_ids = set(queryset.values_list("neighbourhood_id", flat=True))
        if len(neighbourhood_ids) != 1:
            self.message_user(
                request, _("Choose buildings of one neighbourhood at a time."), messages.ERROR
            )
            return None
        zones = Zone.objects.filter(neighbourhood_id__in=neighbourhood_ids)
        if "apply" in request.POST:
            zone = zones.filter(pk=request.POST.get("zone") or None).first()
            moved = services.zone_reassign(buildings=list(queryset), zone=zone, by=request.user)
            self.message_user(request, _("Buildings moved."))
            _report_handover(self, request, moved)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Move to another zone"),
            "buildings": queryset,
            "zones": zones.select_related("worker__user"),
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/neighborhoods/building/move_to_zone.html", context)

    def save_model(self, request, obj, form, change):
        # Moved to another zone: its open needs follow (services.zone_reassign).
        if change and "zone" in form.changed_data:
            new_zone, obj.zone_id = obj.zone, form.initial.get("zone")
            super().save_model(request, obj, form, change)
            moved = services.zone_reassign(buildings=[obj], zone=new_zone, by=request.user)
            obj.refresh_from_db()
            _report_handover(self, request, moved)
        else:
            super().save_model(request, obj, form, change)


class ResidentInline(admin.TabularInline):
    model = Resident
    fields = ["name", "gender", "birth_date", "relation", "phone", "status", "user"]
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Household)
class HouseholdAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_household = "pk"
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
class ResidentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "household", "gender", "birth_date", "status", "user"]
    list_filter = ["status", "gender", "household__building__neighbourhood"]
    search_fields = ["name", "household__room", "household__building__number"]
    autocomplete_fields = ["household", "user"]
    list_select_related = ["household__building", "user"]
    ordering = ["name"]
    filter_horizontal = ["tags"]


@admin.register(ResidentTag)
class ResidentTagAdmin(admin.ModelAdmin):
    """The 社区云 tag dictionary; a sensitive tag is shown only to the neighbourhood's staff."""

    list_display = ["name", "sensitive", "description"]
    list_filter = ["sensitive"]
    search_fields = ["name"]


@admin.register(CommunityWorker)
class CommunityWorkerAdmin(ImportExportModelAdmin):
    resource_classes = [CommunityWorkerResource]
    list_display = [
        "user",
        "neighbourhood",
        "position",
        "birth_year",
        "education",
        "social_work_certificate",
        "start_year",
        "active",
    ]
    list_filter = ["active", "education", "social_work_certificate", "neighbourhood__subdistrict"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "position"]
    autocomplete_fields = ["user", "neighbourhood"]
    list_select_related = ["user", "neighbourhood"]
    actions = ["mark_as_left"]

    def save_model(self, request, obj, form, change):
        # Unticking "active" is a worker leaving: zones and open needs are handed over.
        if change and "active" in form.changed_data and not obj.active:
            obj.active = True
            super().save_model(request, obj, form, change)
            moved = services.worker_leave(worker=obj, by=request.user)
            obj.refresh_from_db()
            _report_handover(self, request, moved)
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description=_("Mark as left (hand over zones and open needs)"))
    def mark_as_left(self, request, queryset):
        moved = 0
        for worker in queryset.filter(active=True):
            moved += services.worker_leave(worker=worker, by=request.user)
        _report_handover(self, request, moved)


@admin.register(LinkRequest)
class LinkRequestAdmin(admin.ModelAdmin):
    list_display = ["name", "neighbourhood", "building", "room", "user", "status", "created"]
    list_filter = ["status", "neighbourhood"]
    search_fields = ["name", "user__username", "user__phone"]
    autocomplete_fields = ["user", "neighbourhood", "resident", "decided_by"]
    list_select_related = ["neighbourhood", "user"]
    date_hierarchy = "created"


def _report_handover(model_admin, request, moved):
    if moved:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d open need was handed over to the zone's worker.",
                "%(count)d open needs were handed over to the zones' workers.",
                moved,
            )
            % {"count": moved},
        )


@admin.register(RosterWorker)
class RosterWorkerAdmin(ImportExportModelAdmin):
    resource_classes = [RosterWorkerResource]
    list_display = [
        "subdistrict",
        "neighbourhood_name",
        "birth_year",
        "education",
        "social_work_certificate",
        "start_year",
    ]
    list_filter = ["subdistrict", "education", "social_work_certificate"]
    search_fields = ["neighbourhood_name"]
    list_select_related = ["subdistrict"]


@admin.register(WorkerHonour)
class WorkerHonourAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "worker", "awarded_by"]
    list_filter = ["year", "title"]
    search_fields = ["title", "worker__user__first_name", "worker__user__username"]
    autocomplete_fields = ["worker"]
    list_select_related = ["worker__user"]
