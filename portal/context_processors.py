from django.conf import settings

LARGE_TEXT_COOKIE = "large_text"


def large_text_enabled(request):
    """Large-text mode: the account's setting when signed in, else the cookie."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.large_text:
        return True
    return request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"


def site(request):
    return {
        "large_text": large_text_enabled(request),
        "site_url": settings.SITE_URL,
    }
