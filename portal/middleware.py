"""Middleware of the portal: the 503 page when the database is down; NUL-free queries.

Answer 503 "briefly unavailable" when the database cannot be reached.

During a PostgreSQL restart or outage, a request that needs the database fails with an
OperationalError or InterfaceError (Django also turns the pool's PoolTimeout into an
OperationalError). Without this, that is the 500 "something went wrong" page, which looks
signed out (the error page cannot know who is signed in) and tells nobody to come back.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.log import log_response

from .context_processors import LARGE_TEXT_COOKIE

logger = logging.getLogger(__name__)

# A PostgreSQL restart takes seconds; the pool waits DATABASE_POOL_TIMEOUT for a connection.
RETRY_AFTER_SECONDS = 10


def is_database_unavailable(exception):
    return isinstance(exception, OperationalError | InterfaceError)


class DatabaseUnavailableMiddleware:
    """Turn an operational database error raised by a view into the 503 page.

    Listed last in MIDDLEWARE, so that its process_exception runs first. An error raised by
    another middleware never reaches process_exception; portal.views.server_error answers
    those the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        return database_unavailable_response(request, exception)


def database_unavailable_response(request, exception):
    """The 503 page, rendered without the database, and its one log line.

    No request is given to the template, so no context processor runs: they would load the
    session and the signed-in user, both from the database. The page shows the plain layout
    (no navigation, which would look signed out), large text from its cookie, in the
    language LocaleMiddleware chose.
    """
    context = {
        "large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
        "was_form_post": request.method == "POST",
        "retry_path": request.get_full_path(),
    }
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    with translation.override(language):
        html = render_to_string("503.html", context)
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # One line with the path and the cause, no traceback: the traceback would only say that
    # the database was away, once per request of the outage. log_response marks the
    # response as logged, so Django's handler does not log it again.
    log_response(
        "Database unavailable, answered 503 (%s): %s",
        str(exception).strip() or type(exception).__name__,
        request.path,
        response=response,
        request=request,
        logger=logger,
        level="error",
    )
    return response


class DropNulFromQueryMiddleware:
    """Remove NUL characters from the query string's values before any view reads them.

    PostgreSQL cannot store or compare a text containing NUL (0x00): a search for "%00"
    reached the database and answered 500. No link of ours carries one, so a NUL in a query
    value is noise and is dropped, here once for every search box and filter, rather than
    in each view. Forms reject NUL in POSTed fields themselves, with a message next to the
    field (Django's ProhibitNullCharactersValidator on every CharField).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pairs = list(request.GET.lists())
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in pairs):
            cleaned = QueryDict(mutable=True)
            for key, values in pairs:
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
