"""The portal's URLs plus the yardsticks, reachable only with
DJANGO_SETTINGS_MODULE=benchmarks.settings:

- /__hello__/: a view that returns a short text, through the same middleware;
- /__hello__/signed-in/: the same for a signed-in account (its session and user read);
- /__hello__/staff/: the floor of a staff page that shows the register: the staff checks
  (session, account, TOTP step, worker profile) and the access record such a page writes.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from portal.audit import record_access
from portal.models import AccessLog
from portal.permissions import staff_required
from portal.urls import handler403, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


@login_required
def hello_signed_in(request):
    return hello(request)


@staff_required
def hello_staff(request):
    record_access(request, action=AccessLog.Action.HOUSEHOLD_LIST, households=[])
    return hello(request)


urlpatterns = [
    path("__hello__/", hello),
    path("__hello__/signed-in/", hello_signed_in),
    path("__hello__/staff/", hello_staff),
    *portal_urlpatterns,
]
