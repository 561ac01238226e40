"""Where to send someone back after a POST: the one check of a `next` value."""

from urllib.parse import urlsplit

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, fallback, *, referer=False):
    """`next` from the POST (or, with `referer`, the Referer) if it is a page of this site,
    else `fallback` (a URL, a view name or a model with get_absolute_url).

    Only an absolute path ("/notices/") or a URL of this host is taken: "abc" would be
    resolved as a view name by redirect() (a 500), and "//evil.example" or "javascript:"
    lead off the site.
    """
    target = request.POST.get("next") or (request.META.get("HTTP_REFERER", "") if referer else "")
    if (
        target
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        parts = urlsplit(target)
        if parts.netloc or (parts.path.startswith("/") and not parts.path.startswith("//")):
            return target
    return resolve_url(fallback)
