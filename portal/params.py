"""Reading ids from a query string or a form field without a 500.

`str.isdigit()` is True for "²" and "٣", which `int()` refuses or reads as another number;
a 25-digit id overflows PostgreSQL's integer. `object_id` accepts only what our own links
carry: ASCII digits of a positive id that fits a database key.
"""

MAX_ID = 2**63 - 1  # bigint; a smaller value simply finds nothing


def object_id(raw):
    """The id in `raw` (a str from GET or POST), or None when it is not a plain positive id."""
    if raw is None:
        return None
    raw = str(raw).strip()
    if not raw or not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None
