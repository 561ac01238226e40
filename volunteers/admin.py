from django.contrib import admin

from .models import VolunteerProfile


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "skills", "joined"]
    list_filter = ["status"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "skills"]
    autocomplete_fields = ["user"]
    ordering = ["-joined"]
