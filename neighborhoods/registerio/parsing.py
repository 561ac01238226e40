"""Reading a committee's register spreadsheet (xlsx or csv) into clean rows.

The committees keep their 台账 in Excel, each a little differently: a title row above the
header ("公交新村居民区居民花名册"), a header over two rows with merged group cells
("基本信息" above 姓名, 性别 …), dates typed as 1943.2.3 or 1943年2月3日 or kept as real
date cells or as Excel's serial numbers, phone numbers with spaces or +86. This module finds
the header row by the column names it knows, normalises every cell, and reports a bad cell
as a row error in the reader's language, naming the spreadsheet's own row number.
Nothing here touches the database.
"""

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

# Column → the names committees give it. Matched after removing spaces, "*" and colons.
COLUMNS = {
    "compound": ("小区", "小区名称"),
    "building": ("楼号", "楼栋", "楼栋号", "幢号", "楼"),
    "room": ("室号", "房号", "房间号", "室"),
    "name": ("姓名", "居民姓名"),
    "gender": ("性别",),
    "birth_date": ("出生日期", "出生年月日", "生日"),
    "relation": ("与户主关系", "关系"),
    "phone": ("联系电话", "手机", "手机号", "手机号码", "电话"),
    "notes": ("备注",),
    # Known but not kept: the register has no field for them (listed in the preview).
    "area": ("面积", "建筑面积", "住房面积"),
}
NOT_KEPT = {"area"}
REQUIRED = ("building", "room", "name")
HEADER_SEARCH_ROWS = 20
MAX_ROWS = 20000

_LABELS = {label: key for key, labels in COLUMNS.items() for label in labels}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TIME = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PHONE_NOISE = re.compile(r"[\s\-().·]")
_BUILDING_SUFFIX = re.compile(r"(号楼|号|幢|栋|楼)$")
GENDERS = {"男": "M", "女": "F", "M": "M", "F": "F", "男性": "M", "女性": "F"}
MAX_LENGTH = {"name": 50, "relation": 20, "room": 20}


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, no header row)."""


@dataclass
class Row:
    number: int  # the spreadsheet's row number, as Excel shows it
    compound: str = ""
    building: str = ""  # normalised: "12号楼" → "12"
    building_label: str = ""  # as written, for messages
    room: str = ""
    name: str = ""
    gender: str = ""
    birth_date: datetime.date | None = None
    relation: str = ""
    phone: str = ""
    notes: str = ""


@dataclass
class Sheet:
    rows: list = field(default_factory=list)  # Row
    errors: list = field(default_factory=list)  # (row number, message)
    unknown_columns: list = field(default_factory=list)
    not_kept_columns: list = field(default_factory=list)


def text(value):
    """A cell as clean text: full-width characters made ordinary, 302.0 → "302"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def plain(value):
    """A cell of free text (a name, a note) as typed, without the spaces around it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def label_key(value):
    label = re.sub(r"[\s*:：]", "", text(value))
    return _LABELS.get(label)


def normalise_building(value):
    return _BUILDING_SUFFIX.sub("", text(value).replace(" ", ""))


def normalise_room(value):
    return text(value).replace(" ", "").removesuffix("室")


def normalise_phone(value):
    """ "139 1234 5678", "+86 139-1234-5678", 13912345678.0 → "13912345678"; None if not a
    mainland mobile number."""
    number = _PHONE_NOISE.sub("", text(value))
    for prefix in ("+86", "0086", "86"):
        if number.startswith(prefix) and len(number) == len(prefix) + 11:
            number = number[len(prefix) :]
            break
    return number if _MOBILE.match(number) else None


def parse_date(value, today=None):
    """A birth date from a cell: a real date, an Excel serial number, or text written
    1943-02-03, 1943/2/3, 1943.2.3, 1943年2月3日 or 19430203. None if it is none of those
    or not a real day (1943.2.30) or not a plausible birth date."""
    today = today or datetime.date.today()
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # Serial numbers below 3000 (1908) are more likely a year typed alone (1943).
        if not 3000 <= value < 100000:
            return None
        day = from_excel(value).date()
    else:
        raw = _TIME.sub("", text(value))  # "1943-02-03 00:00:00" from a csv
        match = _DATE.match(raw) or _COMPACT_DATE.match(raw)
        if not match:
            if raw.isdigit() and len(raw) == 5:  # a serial number kept as text
                return parse_date(int(raw), today)
            return None
        try:
            day = datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    if not datetime.date(1900, 1, 1) <= day <= today:
        return None
    return day


def read_table(upload_name, data):
    """The cell values of the first sheet (xlsx) or of the file (csv), row by row."""
    if upload_name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves csv as GBK
            try:
                decoded = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            return list(csv.reader(io.StringIO(decoded)))
        raise SpreadsheetError(_("The csv file is neither UTF-8 nor GBK text."))
    try:
        # read_only: a 10,000-row file is read in seconds; merged cells then read as the
        # top-left cell's value and empty cells, which the header search expects.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise SpreadsheetError(_("This file could not be read as an xlsx workbook.")) from error
    try:
        worksheet = workbook.worksheets[0]
        worksheet.reset_dimensions()  # some programs write a wrong size; read every row
        return [list(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def find_header(table):
    """(column index → key, first data row index, unknown labels, not-kept labels).

    The header is the first row among the top ones that names the required columns. A
    header over two rows (a merged group cell above, or a cell merged down over both) is
    read as one: each column takes the name found in either row.
    """
    for top in range(min(HEADER_SEARCH_ROWS, len(table))):
        rows = table[top : top + 2]
        width = max(len(row) for row in rows)
        columns, labels = {}, {}
        for index in range(width):
            cells = [row[index] if index < len(row) else None for row in rows]
            for depth, cell in enumerate(cells):
                key = label_key(cell)
                if key and key not in columns.values():
                    columns[index], labels[index] = key, (depth, text(cell))
                    break
        if not all(key in columns.values() for key in REQUIRED):
            continue
        # Two header rows only if some column is named in the second one.
        used = rows if any(depth for depth, _label in labels.values()) else rows[:1]
        unknown = []
        for index in range(width):
            if index in columns:
                continue
            names = [text(row[index]) for row in used if index < len(row) and text(row[index])]
            if names:
                unknown.append(names[-1])
        not_kept = [labels[i][1] for i, key in columns.items() if key in NOT_KEPT]
        return columns, top + len(used), unknown, not_kept
    raise SpreadsheetError(
        _("No header row found: the sheet needs columns named 楼号, 室号 and 姓名.")
    )


def read_sheet(upload_name, data, today=None):
    table = read_table(upload_name, data)
    columns, start, unknown, not_kept = find_header(table)
    sheet = Sheet(unknown_columns=unknown, not_kept_columns=not_kept)
    if len(table) - start > MAX_ROWS:
        raise SpreadsheetError(
            _("The file has more than %(count)s rows; split it into smaller files.")
            % {"count": MAX_ROWS}
        )
    for offset, cells in enumerate(table[start:]):
        values = {key: cells[i] if i < len(cells) else None for i, key in columns.items()}
        if all(text(value) == "" for value in values.values()):
            continue  # blank rows between blocks, or the sheet's empty tail
        number = start + offset + 1
        row, errors = clean_row(number, values, today)
        if errors:
            sheet.errors.extend((number, error) for error in errors)
        else:
            sheet.rows.append(row)
    return sheet


def clean_row(number, values, today=None):
    """A Row, and the list of what is wrong with it (messages start "第 14 行：")."""
    row, errors = Row(number=number), []
    where = {"row": number}

    def error(message, **values):
        errors.append(message % {**where, **values})

    row.compound = plain(values.get("compound"))
    row.building = normalise_building(values.get("building"))
    row.building_label = plain(values.get("building"))
    row.room = normalise_room(values.get("room"))
    row.name = plain(values.get("name")).replace(" ", "").replace("\u3000", "")
    row.relation = plain(values.get("relation"))
    row.notes = plain(values.get("notes"))
    for key, label in (("building", _("building")), ("room", _("room")), ("name", _("name"))):
        if not getattr(row, key):
            error(_("Row %(row)s: the %(column)s is missing."), column=label)
    for key, limit in MAX_LENGTH.items():
        if len(getattr(row, key)) > limit:
            error(
                _("Row %(row)s: '%(value)s' is longer than %(limit)s characters."),
                value=getattr(row, key),
                limit=limit,
            )
    gender = text(values.get("gender"))
    if gender:
        row.gender = GENDERS.get(gender.upper(), "")
        if not row.gender:
            error(_("Row %(row)s: gender '%(value)s' is not 男 or 女."), value=gender)
    birth = values.get("birth_date")
    if text(birth):
        row.birth_date = parse_date(birth, today)
        if row.birth_date is None:
            error(
                _("Row %(row)s: date of birth '%(value)s' is not a valid date."), value=text(birth)
            )
    phone = values.get("phone")
    if text(phone):
        row.phone = normalise_phone(phone) or ""
        if not row.phone:
            error(
                _("Row %(row)s: phone number '%(value)s' is not an 11-digit mobile number."),
                value=text(phone),
            )
    return row, errors
