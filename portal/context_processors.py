from django.conf import settings

LARGE_TEXT_COOKIE = "large_text"


def large_text_enabled(request):
    """Large-text mode: the account's setting when signed in, else the cookie."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.large_text:
        return True
    return request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"


def nav_section(path):
    """Which main-navigation entry a page belongs to (marked aria-current in the nav)."""
    parts = [part for part in path.split("/") if part]
    if not parts:
        return "home"
    if parts[:2] == ["staff", "households"]:
        return "households"
    return parts[0]


def site(request):
    return {
        "large_text": large_text_enabled(request),
        "site_url": settings.SITE_URL,
        "nav_section": nav_section(request.path),
    }
