from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from neighborhoods.watch.health import healthz_watch

from . import views
from .dashboard import views as dashboard_views
from .messaging import views as inbox_views
from .privacy import views as privacy_views

admin.site.site_header = _("睦邻社区云 · District admin")
admin.site.site_title = _("睦邻社区云")
admin.site.index_title = _("Everything in the district")
# /admin/login/ is allauth's sign-in: the same throttle, the same MFA.
admin.site.login = secure_admin_login(admin.site.login)

portal_patterns = (
    [
        path("", views.home, name="home"),
        path("me/", views.me, name="me"),
        path("me/link/", views.link_request_new, name="link-request-new"),
        path("me/text-size/", views.text_size, name="text-size"),
        path("me/name/", views.name_change, name="name-change"),
        path("me/inbox/", inbox_views.inbox, name="inbox"),
        path("me/inbox/<int:pk>/", inbox_views.inbox_message, name="inbox-message"),
        path("me/inbox/read/", inbox_views.inbox_read, name="inbox-read"),
        path("me/inbox/read-all/", inbox_views.inbox_read_all, name="inbox-read-all"),
        path("me/inbox/settings/", inbox_views.inbox_settings, name="inbox-settings"),
        path("me/data/", privacy_views.my_data, name="my-data"),
        path("me/close/", privacy_views.account_close, name="account-close"),
        path("dashboard/", dashboard_views.dashboard, name="dashboard"),
        path("dashboard/help/", dashboard_views.dashboard_help, name="dashboard-help"),
        path(
            "dashboard/neighbourhoods/<int:pk>/",
            dashboard_views.neighbourhood_detail,
            name="dashboard-neighbourhood",
        ),
    ],
    "portal",
)

urlpatterns = [
    path("", include(portal_patterns)),
    path("", include("neighborhoods.urls")),
    path("", include("notices.urls")),
    path("", include("volunteers.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    # The daily-watch alert job: a check of its own, so a load balancer can ignore it.
    path("healthz/watch", healthz_watch, name="healthz-watch"),
]

handler403 = "portal.views.permission_denied"
handler500 = "portal.views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
