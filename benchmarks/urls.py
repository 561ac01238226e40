"""The portal's URLs plus /__hello__/ (a view that returns a short text, through the same
middleware), reachable only with DJANGO_SETTINGS_MODULE=benchmarks.settings."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import handler403, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("__hello__/", hello), *portal_urlpatterns]
