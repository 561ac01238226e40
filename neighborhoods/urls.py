from django.urls import path

from . import views

app_name = "neighborhoods"

urlpatterns = [
    path("staff/", views.staff_home, name="staff-home"),
    path("staff/households/", views.household_list, name="household-list"),
    path("staff/households/<int:pk>/", views.household_detail, name="household-detail"),
    path("staff/links/", views.link_request_list, name="link-request-list"),
    path("staff/links/<int:pk>/", views.link_request_decide, name="link-request-decide"),
]
