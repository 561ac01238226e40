"""Spreadsheets for the register import tests, made in memory with openpyxl."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

HEADER = ["楼号", "室号", "姓名", "性别", "出生日期", "与户主关系", "联系电话", "备注"]


def xlsx_bytes(rows, *, header=HEADER, title=None):
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def messy_xlsx(zhou_birth):
    """A committee's sheet as they come: a merged title row, a header over two rows with
    merged group cells (备注 merged down over both), mixed date formats including a real
    date cell and an Excel serial number, an unknown column (身份证号), 面积, bad rows.

    Data rows are 4–13 (the spreadsheet's numbering).
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["公交新村居民区居民花名册（2026年）"])
    sheet.merge_cells("A1:J1")
    sheet.append(
        ["房屋", None, "基本信息", None, None, None, "联系方式", "面积", "身份证号", "备注"]
    )
    sheet.merge_cells("A2:B2")
    sheet.merge_cells("C2:F2")
    sheet.merge_cells("H2:H3")
    sheet.merge_cells("I2:I3")
    sheet.merge_cells("J2:J3")
    sheet.append(["楼号", "室号", "姓名", "性别", "出生日期", "与户主关系", "联系电话"])
    rows = [
        # 4: already in the register, same values → unchanged
        ["1号", "302", "周秀英", "女", zhou_birth, "户主", "13812345678", 45, "", ""],
        # 5, 6: a new household of two elderly residents (纯老家庭)
        [1, "501室", "王建华", "男", datetime.datetime(1943, 2, 3), "户主", "139 1234 5678", 52.5,
         "310110194302030011", "独居？已核实"],
        ["1号楼", 501, "李桂英", "女", "1945年3月8日", "配偶", "+86 139-1234-5679", None, "", ""],
        # 7: a new household of one elderly resident, born on an Excel serial date
        ["1", "601", "陈美玲", "女", 16105, "户主", "", None, "", ""],
        # 8: an impossible date
        ["1号", "602", "张三", "男", "1943.2.30", "户主", "", None, "", ""],
        # 9: a building the neighbourhood does not have
        ["99号", "101", "李四", "男", "1950/1/2", "户主", "", None, "", ""],
        # 10: a phone number that is not a mobile
        ["1号", "603", "王五", "男", "1960-05-06", "户主", "12345", None, "", ""],
        # 11: gender neither 男 nor 女
        ["1号", "604", "赵六", "X", "1943.2.3", "户主", "", None, "", ""],
        # 12: a blank row in the middle
        [None] * 10,
        # 13: a young resident, date with slashes
        ["1号", "605", "孙七", "男", "1990/2/3", "户主", "139-1234-5670", None, "", ""],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(data, name="花名册.xlsx"):
    content_type = "text/csv" if name.endswith(".csv") else "application/octet-stream"
    return SimpleUploadedFile(name, data, content_type=content_type)


def read_xlsx(data):
    sheet = load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]
