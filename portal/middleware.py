"""Middleware of the portal: the 503 page when the database is down; NUL-free queries;
request bodies bounded before they are read; no-store on signed-in pages.

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
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.log import log_response

from .audit import _PENDING as ACCESS_PENDING
from .context_processors import LARGE_TEXT_COOKIE
from .ratelimits import consume

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


class RequestBodyLimitMiddleware:
    """Refuse a request whose body is larger than settings.MAX_REQUEST_BODY_BYTES, unread.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files: a 300 MB POST was
    streamed to a temporary file before any form said no. The declared Content-Length is
    checked before the body is touched. A body longer than it declared is never read past
    Content-Length (Django reads wsgi.input through a LimitedStream of that length; one
    without Content-Length reads as empty). nginx's client_max_body_size is the first line.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BODY_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return request_too_large_response(request, limit)
        return self.get_response(request)


def request_too_large_response(request, limit):
    """The 413 page, rendered without the session or the user (the body was not read)."""
    context = {
        "large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
        "limit": limit,
    }
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    with translation.override(language):
        html = render_to_string("413.html", context)
    response = HttpResponse(html, status=413)
    # The body is left unread: the connection cannot carry another request after it.
    response["Connection"] = "close"
    add_never_cache_headers(response)
    return response


class NoStoreForPersonalDataMiddleware:
    """`Cache-Control: no-store` on every page shown to a signed-in person.

    A signed-in page carries personal data (a name in the header, one's household, or the
    register for staff); on a shared family phone or a centre's computer, a page kept in
    the browser's cache can be read back after signing out. So a response to a signed-in
    user that says nothing about caching gets `private, no-store`; one that shows
    personal data of households (noted through portal.audit.record_access) gets it
    whatever it said, including the photo files of needs. Static files and public notice
    images keep their own rules (they are not personal data).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 500:
            # Error pages carry never-cache headers already, and the 503 page must not
            # touch the session or the user (the database is away).
            return response
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        shows_personal_data = getattr(request, ACCESS_PENDING, None) is not None
        if shows_personal_data or (signed_in and not response.has_header("Cache-Control")):
            response["Cache-Control"] = "private, no-store"
        if signed_in:
            patch_vary_headers(response, ["Cookie"])
        return response


class UploadRateLimitMiddleware:
    """At most portal.ratelimits.LIMITS["upload"] uploaded files per account and hour.

    Counted for every POST with files, whatever the form (notices, the hall, needs, the
    admin), before the view decodes any of them. Over the limit: a 429 page saying when to
    try again; the form is still there behind the Back button.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # In process_view, after CsrfViewMiddleware's: a forged POST is refused before it
        # could spend the victim's allowance.
        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        files = sum(len(uploads) for _name, uploads in request.FILES.lists())
        if files and not consume(user, "upload", files):
            return too_many_uploads_response(request)
        return None


def too_many_uploads_response(request):
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "3600"
    return response
