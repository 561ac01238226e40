"""The standard register (台账) as an xlsx workbook: one row per present resident.

The sheet says who exported it and when, in its first line and in the workbook's
properties, so that a copy found on a shared drive can be traced to its exporter. Phone
numbers are masked (138****5678) unless the exporter asked for full numbers with a reason.
Its header row uses the import's column names: an exported 台账 imports back unchanged.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from portal.phones import mask_phone

HEADER = [
    "小区",
    "楼号",
    "室号",
    "片区",
    "姓名",
    "性别",
    "出生日期",
    "与户主关系",
    "联系电话",
    "户电话",
    "关怀标识",
    "建筑面积",  # m², from the household; the import reads it but does not keep it (yet)
]
GENDER = {"M": "男", "F": "女"}
CARE = {"alone": "独居老人", "elderly": "纯老家庭"}


def exporter_line(*, by, neighbourhood, at, full_phones, reason):
    who = by.get_full_name() or by.get_username()
    line = _("%(neighbourhood)s register, exported by %(who)s (%(username)s) at %(at)s.") % {
        "neighbourhood": neighbourhood.name,
        "who": who,
        "username": by.get_username(),
        "at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
    }
    if full_phones:
        return line + " " + _("Full phone numbers; reason: %(reason)s") % {"reason": reason}
    return line + " " + _("Phone numbers masked.")


def register_workbook(residents, *, by, neighbourhood, full_phones, reason, at=None):
    """The xlsx file (bytes) of `residents` (present residents, with household__building
    and its zone selected)."""
    at = at or timezone.now()
    workbook = Workbook(write_only=True)
    line = exporter_line(
        by=by, neighbourhood=neighbourhood, at=at, full_phones=full_phones, reason=reason
    )
    workbook.properties.creator = by.get_username()
    workbook.properties.lastModifiedBy = by.get_username()
    workbook.properties.title = _("%(neighbourhood)s register") % {
        "neighbourhood": neighbourhood.name
    }
    workbook.properties.description = line
    workbook.properties.created = timezone.localtime(at).replace(tzinfo=None)
    sheet = workbook.create_sheet("台账")
    sheet.column_dimensions["G"].width = 12
    sheet.column_dimensions["I"].width = 14
    title = WriteOnlyCell(sheet, value=line)
    title.font = Font(bold=True)
    sheet.append([title])
    sheet.append(HEADER)
    show = (lambda number: number) if full_phones else mask_phone
    for resident in residents:
        household = resident.household
        building = household.building
        sheet.append(
            [
                building.compound,
                building.number,
                household.room,
                building.zone.name if building.zone else "",
                resident.name,
                GENDER.get(resident.gender, ""),
                resident.birth_date,
                resident.relation,
                show(resident.phone),
                show(household.phone),
                CARE.get(household.care, ""),
                household.floor_area,
            ]
        )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
