from django.contrib import admin

from ..models import Certificate, Recognition


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "volunteer", "hours", "centre", "neighbourhood"]
    list_filter = ["year", "centre"]
    search_fields = ["volunteer__username", "volunteer__first_name", "title"]
    raw_id_fields = ["volunteer", "awarded_by"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["year", "volunteer", "code", "issued_at", "revoked"]
    list_filter = ["year", "revoked"]
    search_fields = ["volunteer__username", "volunteer__first_name", "code"]
    raw_id_fields = ["volunteer"]
