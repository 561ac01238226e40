"""Request clean-up that every view relies on."""

from django.http import QueryDict


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
