"""Admin for family members (家属): who follows which household, granted by whom."""

from django.contrib import admin

from portal.audit import AuditedAdminMixin

from ..models import FamilyGrant


@admin.register(FamilyGrant)
class FamilyGrantAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["household", "member", "relation", "via", "created", "revoked_at"]
    list_filter = ["via", "household__building__neighbourhood"]
    list_select_related = ["household__building", "member"]
    search_fields = ["household__room", "household__building__number", "member__username"]
    autocomplete_fields = ["household", "member", "granted_by", "revoked_by"]
    readonly_fields = ["created"]
