"""The dashboard's tables as an xlsx workbook: one sheet per table of the page, same numbers.

The workbook is made from the page the person was allowed to see, table by table (each
`<table>`'s caption names its sheet), so the download can never show more, or other
figures, than the page: there is one source of the figures, the template.
"""

import io
import re
from html.parser import HTMLParser

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from ..templatetags.words import stamp

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class _Tables(HTMLParser):
    """Collects (caption, rows) of every <table>; rows are lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self._table, self._row, self._cell, self._caption = [], None, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = {"caption": "", "rows": []}
        elif self._table is not None and tag == "caption":
            self._caption = []
        elif self._table is not None and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self._table["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table["rows"].append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def _value(text):
    """Numbers as numbers (a percentage as its number), everything else as text."""
    plain = text.removesuffix("%").replace(",", "")
    if NUMBER.match(plain):
        return float(plain) if "." in plain else int(plain)
    return text


def workbook_of(html, *, title, user, as_of=None):
    """An xlsx (bytes) with one sheet per table of `html`, who made it and when, and when
    its figures were computed (`as_of`)."""
    parser = _Tables()
    parser.feed(html)
    book = Workbook()
    book.remove(book.active)
    book.properties.creator = user.get_username()
    book.properties.title = title
    made = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    heading = [title, made, str(user)]
    if as_of is not None:
        heading.append(_("As of %(time)s") % {"time": stamp(as_of)})
    seen = set()
    for number, table in enumerate(parser.tables, start=1):
        name = SHEET_TITLE_FORBIDDEN.sub(" ", table["caption"] or str(number))[:28]
        while name in seen:
            name = f"{name[:25]}-{number}"
        seen.add(name)
        sheet = book.create_sheet(name)
        sheet.append(heading)
        for row in table["rows"]:
            sheet.append([_value(cell) for cell in row])
    if not parser.tables:
        book.create_sheet(title[:28] or "figures")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
