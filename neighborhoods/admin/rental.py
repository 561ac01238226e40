"""Admin for rehab-aid rental: the catalogue, points, stock and loans (with their timeline)."""

from django.contrib import admin

from portal.audit import AuditedAdminMixin

from ..models import AidItem, AidPoint, AidUnit, Loan, LoanEvent, LoanNotice


@admin.register(AidItem)
class AidItemAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "deposit", "daily_fee", "loan_days", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]


@admin.register(AidPoint)
class AidPointAdmin(admin.ModelAdmin):
    list_display = ["__str__", "centre", "neighbourhood"]
    autocomplete_fields = ["centre", "neighbourhood"]
    list_select_related = ["centre", "neighbourhood"]
    search_fields = ["centre__name", "neighbourhood__name"]
    ordering = ["pk"]  # the autocomplete pages through them


@admin.register(AidUnit)
class AidUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "item", "point", "status", "condition"]
    list_filter = ["status", "condition", "item"]
    search_fields = ["code"]
    autocomplete_fields = ["item", "point"]
    list_select_related = ["item", "point__centre", "point__neighbourhood"]


class LoanEventInline(admin.TabularInline):
    model = LoanEvent
    extra = 0
    readonly_fields = ["kind", "by", "note", "at"]
    can_delete = False


@admin.register(Loan)
class LoanAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_household = "resident__household_id"
    list_display = ["item", "resident", "point", "status", "due_date", "created"]
    list_filter = ["status", "item"]
    search_fields = ["resident__name", "unit__code"]
    autocomplete_fields = ["resident", "unit", "requested_by"]
    raw_id_fields = ["need"]
    list_select_related = ["item", "resident", "point__centre", "point__neighbourhood"]
    inlines = [LoanEventInline]


@admin.register(LoanNotice)
class LoanNoticeAdmin(admin.ModelAdmin):
    list_display = ["loan", "kind", "created"]
    list_filter = ["kind"]
    list_select_related = ["loan__item", "loan__resident"]
    raw_id_fields = ["loan"]
