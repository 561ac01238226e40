"""Visitors' pages from the shared cache (issue 14: the public pages at district scale).

A visitor (not signed in, no session, no pending messages) asking for a public page gets
the page rendered for the same address, language and text size (长辈版, the large_text
cookie) within the last few seconds (settings.VISITOR_PAGE_SECONDS), from the cache every
gunicorn worker shares (Redis in production). The page's CSRF token (the language and
text-size forms post) is stored as a placeholder and replaced by this visitor's own token,
so the forms keep working.

Correctness: every change to what these pages show (a notice published, edited or
withdrawn; an activity, a sign-up, a topic, a centre…) bumps one version number that is
part of every key (signals connected in PortalConfig.ready), so a published change is seen
by the next request (within half a second on another gunicorn worker). What changes by the
clock alone (a scheduled notice's publish time passing, an activity's sign-up window
closing) is seen within VISITOR_PAGE_SECONDS.

`fragment()` keeps pieces of signed-in people's pages the same way (see there).
"""

import hashlib
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .context_processors import LARGE_TEXT_COOKIE

VERSION_KEY = "pagecache:version"
PLACEHOLDER = b"__pagecache_csrf_token__"
_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEPT_HEADERS = ("Content-Type",)


def cacheable(request):
    return (
        settings.VISITOR_PAGE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


# The version as this process last read it, for at most VERSION_MEMO_SECONDS: a cached
# page then costs one cache round trip, not two, and a change made in another process is
# seen within half a second (one made in this process at once: bump() forgets the memo).
VERSION_MEMO_SECONDS = 0.5
_memo = {"value": None, "until": 0.0}
# The pages this process served last, for as long as the version memo: a page asked for
# again within that time comes from memory, without the cache's round trip. Keyed by the
# whole key (version included), so a change is seen exactly as above.
LOCAL_PAGES = 200
_local = {}


def _first_version():
    """A version never used before (milliseconds since the epoch): after the cache lost the
    version (evicted, flushed), no page kept under an old key is served again."""
    return int(time.time() * 1000)


def version():
    now = time.monotonic()
    if _memo["value"] is not None and now < _memo["until"]:
        return _memo["value"]
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, _first_version(), timeout=None)
        value = cache.get(VERSION_KEY, 1)
    _memo.update(value=value, until=now + VERSION_MEMO_SECONDS)
    return value


def bump(**kwargs):
    """A change to what visitors' pages show: every cached page is stale from now on."""
    forget()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet (or evicted): any new value makes the old keys unused
        cache.add(VERSION_KEY, _first_version(), timeout=None)


def forget(**kwargs):
    """Drop this process's memo of the version and its pages (a change here; settings
    changed in a test)."""
    _memo["value"] = None
    _local.clear()


def _stored(key):
    now = time.monotonic()
    local = _local.get(key)
    if local is not None and now < local[0]:
        return local[1]
    stored = cache.get(key)
    if stored is not None:
        if len(_local) >= LOCAL_PAGES:
            _local.clear()
        _local[key] = (now + VERSION_MEMO_SECONDS, stored)
    return stored


setting_changed.connect(forget, dispatch_uid="pagecache-forget")


def page_key(request, name):
    large = request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"
    address = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    return f"pagecache:{version()}:{name}:{get_language()}:{int(large)}:{address}"


def fragment(name, parts, render):
    """A piece of page that is the same for many signed-in people (a neighbourhood's
    cards on its residents' home page), from the shared cache: `render()` makes it when
    it is not there. Keyed by the version above, the language and `parts` (what the piece
    depends on), so it follows every change as the visitors' pages do."""
    if settings.VISITOR_PAGE_SECONDS <= 0:
        return render()
    key = f"pagecache:{version()}:fragment:{name}:{get_language()}:" + ":".join(map(str, parts))
    html = _stored(key)
    if html is None:
        html = render()
        cache.set(key, str(html), settings.VISITOR_PAGE_SECONDS)
    return mark_safe(html)  # noqa: S308 (our own template's output, stored as rendered)


def visitor_page(view):
    """Serve the view's page to visitors from the cache (see the module's docstring)."""
    name = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not cacheable(request):
            return view(request, *args, **kwargs)
        key = page_key(request, name)
        stored = _stored(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(
                content.replace(PLACEHOLDER, get_token(request).encode()), status=status
            )
            for header, value in headers:
                response[header] = value
            return response
        response = view(request, *args, **kwargs)
        if storable(response):
            content = response.content
            found = _TOKEN.search(content)
            if found:
                content = content.replace(found.group(1), PLACEHOLDER)
            headers = [(h, response[h]) for h in _KEPT_HEADERS if response.has_header(h)]
            cache.set(key, (response.status_code, headers, content), settings.VISITOR_PAGE_SECONDS)
        return response

    return wrapper


def storable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


def connect_signals(models):
    """Bump the version on every save, delete and many-to-many change of these models."""
    for model in models:
        post_save.connect(bump, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"pagecache-del-{model.__name__}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                bump,
                sender=field.remote_field.through,
                dispatch_uid=f"pagecache-m2m-{model.__name__}-{field.name}",
            )
