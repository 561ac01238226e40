"""Private uploads: where they live, and the one way they are sent to a browser.

Files live in `settings.STORAGES["private"]`, outside MEDIA_ROOT, and are never published
by a web server; the portal serves each one through a view that checks the same
permission as the page it belongs to. Model fields refer to the callable
(`storage=private_storage`) so migrations do not depend on the settings.
"""

from django.core.files.storage import storages
from django.http import FileResponse, Http404


def private_storage():
    """Storage outside MEDIA_ROOT (settings.STORAGES["private"]): never served by a proxy."""
    return storages["private"]


def private_file_response(field, **kwargs):
    """The file of `field` for the one person allowed to see it.

    404 when the record has no file or outlived it (a restore, a cleanup). Browsers may keep
    it an hour but shared caches may not, and it is never sniffed into another type.
    """
    if not field:
        raise Http404
    try:
        response = FileResponse(field.open("rb"), **kwargs)
    except FileNotFoundError:
        raise Http404 from None
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
