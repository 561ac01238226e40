from django.urls import path

from .applications import views as application_views
from .hours import views as hours_views
from .recognitions import views as recognition_views
from .shifts import views as shift_views

app_name = "volunteers"

urlpatterns = [
    path("volunteers/", shift_views.opportunity_list, name="opportunity-list"),
    path(
        "volunteers/opportunities/<int:pk>/",
        shift_views.opportunity_detail,
        name="opportunity-detail",
    ),
    path("volunteers/shifts/<int:pk>/", shift_views.shift_detail, name="shift-detail"),
    path("volunteers/shifts/<int:pk>/signup/", shift_views.shift_signup, name="shift-signup"),
    path("volunteers/shifts/<int:pk>/cancel/", shift_views.shift_cancel, name="shift-cancel"),
    path(
        "volunteers/shifts/<int:pk>/attendance/",
        shift_views.shift_attendance,
        name="shift-attendance",
    ),
    # Applying (residents) and deciding (committee or centre staff)
    path("volunteers/apply/", application_views.application_create, name="application-create"),
    path("volunteers/applications/", application_views.application_list, name="application-list"),
    path(
        "volunteers/applications/<int:pk>/",
        application_views.application_decide,
        name="application-decide",
    ),
    # My record; hours outside a shift; verification; the year's export
    path("volunteers/me/", hours_views.my_record, name="me"),
    path("volunteers/me/records/new/", hours_views.record_create, name="record-create"),
    path("volunteers/records/", hours_views.record_queue, name="record-queue"),
    path("volunteers/records/<int:pk>/", hours_views.record_decide, name="record-decide"),
    path("volunteers/records/export/", hours_views.hours_export, name="hours-export"),
    # Recognitions and certificates
    path("volunteers/recognitions/", recognition_views.recognition_list, name="recognition-list"),
    path(
        "volunteers/me/certificate/",
        recognition_views.certificate_issue,
        name="certificate-issue",
    ),
    path(
        "volunteers/certificates/<str:code>/",
        recognition_views.certificate_check,
        name="certificate-check",
    ),
    path(
        "volunteers/certificates/<str:code>/print/",
        recognition_views.certificate_print,
        name="certificate-print",
    ),
]
