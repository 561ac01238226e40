from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import AccessLog, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "phone",
        "phone_verified",
        "email",
        "is_staff",
        "is_active",
    ]
    list_filter = [*DjangoUserAdmin.list_filter, "phone_verified"]
    search_fields = ["username", "first_name", "last_name", "email", "phone"]
    readonly_fields = ["pending_phone", "phone_lost"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Portal"),
            {"fields": ["phone", "phone_verified", "pending_phone", "phone_lost", "large_text"]},
        ),
    ]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the record of who was shown which households' personal data."""

    list_display = ["at", "user", "action", "path", "household", "household_count"]
    list_filter = ["action", "households__building__neighbourhood"]
    search_fields = ["user__username", "user__first_name", "households__room", "path"]
    date_hierarchy = "at"
    list_select_related = ["user", "household__building"]
    fields = ["at", "user", "action", "path", "household", "rows", "reason", "households_shown"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(household_count=Count("households"))

    @admin.display(description=_("households shown"), ordering="household_count")
    def household_count(self, obj):
        return obj.household_count

    @admin.display(description=_("households shown"))
    def households_shown(self, obj):
        households = obj.households.select_related("building").order_by("pk")
        return ", ".join(str(household) for household in households) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
