from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AccessLog, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "phone",
        "email",
        "is_staff",
        "is_active",
    ]
    search_fields = ["username", "first_name", "last_name", "email", "phone"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Portal"), {"fields": ["phone", "phone_verified", "large_text"]}),
    ]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the record of who opened which household's personal data."""

    list_display = ["at", "user", "household", "action", "path"]
    list_filter = ["action", "household__building__neighbourhood"]
    search_fields = ["user__username", "user__first_name", "household__room"]
    date_hierarchy = "at"
    list_select_related = ["user", "household__building"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
