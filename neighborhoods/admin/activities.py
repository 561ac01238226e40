"""Admin for activities (活动) and their sign-ups."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import Activity, SignUp, SignUpNotice


class SignUpInline(admin.TabularInline):
    model = SignUp
    fields = ["user", "resident", "status", "position", "made_by", "attended", "created"]
    readonly_fields = ["created"]
    autocomplete_fields = ["user", "resident", "made_by"]
    extra = 0
    show_change_link = True


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "host_name", "category", "capacity", "status"]
    list_filter = ["status", "category", "audience", "centre", "neighbourhood", "starts_at"]
    search_fields = ["title", "place", "centre__name", "neighbourhood__name"]
    autocomplete_fields = ["centre", "neighbourhood", "for_neighbourhood", "created_by"]
    list_select_related = ["centre", "neighbourhood"]
    readonly_fields = ["created", "updated", "sequence"]
    date_hierarchy = "starts_at"
    inlines = [SignUpInline]

    @admin.display(description=_("held by"))
    def host_name(self, obj):
        return str(obj.host)


@admin.register(SignUp)
class SignUpAdmin(admin.ModelAdmin):
    list_display = ["activity", "person", "status", "position", "made_by", "attended", "created"]
    list_filter = ["status", "attended", "activity__centre", "activity__neighbourhood"]
    search_fields = [
        "activity__title",
        "user__username",
        "user__first_name",
        "user__phone",
        "resident__name",
    ]
    autocomplete_fields = ["activity", "user", "resident", "made_by", "checked_in_by"]
    list_select_related = ["activity", "user", "resident", "made_by"]
    readonly_fields = ["created", "cancelled_at", "promoted_at", "checked_in_at", "reminded_at"]
    date_hierarchy = "created"

    @admin.display(description=_("person"))
    def person(self, obj):
        return obj.name


@admin.register(SignUpNotice)
class SignUpNoticeAdmin(admin.ModelAdmin):
    list_display = ["signup", "kind", "created"]
    list_filter = ["kind"]
    search_fields = ["signup__activity__title", "signup__resident__name"]
    autocomplete_fields = ["signup"]
    list_select_related = ["signup__activity", "signup__resident", "signup__user"]
