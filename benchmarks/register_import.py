"""Time the register import on a 10,000-row spreadsheet: the preview, the import, again.

    python benchmarks/register_import.py [--rows 10000] [--record]

It creates a uniquely named scratch database on the shared PostgreSQL server (never
restarting it), migrates it, makes one neighbourhood with 60 buildings and a committee
worker, builds an xlsx the way committees keep them (a merged title row, a header over two
rows, dates as real date cells, 1943.2.3, 1943年2月3日 and Excel serial numbers, phone
numbers with spaces and +86, one row in 200 in error), then times, in process:

- the preview (reading the file and planning against the register; writes nothing),
- the import (the confirm: lock, read again, plan, write in one transaction),
- a second preview of the same file (everything unchanged).

The issue asks for a preview in under 30 s. The database is dropped at the end, whatever
happens. Append the printed section to benchmarks/RESULTS.md with --record.
"""

import argparse
import datetime
import io
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUILDINGS = 60
BUDGET_SECONDS = 30


def spreadsheet(rows, seed=1):
    """An xlsx of `rows` residents in flats of 1–3 people, as bytes."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.append(["基准测试居民区居民花名册"])
    sheet.merge_cells("A1:I1")
    sheet.append(["房屋", None, "基本信息", None, None, None, "联系方式", "面积", "备注"])
    sheet.merge_cells("A2:B2")
    sheet.merge_cells("C2:F2")
    sheet.append(["楼号", "室号", "姓名", "性别", "出生日期", "与户主关系", "联系电话"])
    surnames, given = (
        "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗",
        "秀英桂兰建华国强美玲志明文静丽娟德",
    )
    written, flat = 0, 0
    while written < rows:
        flat += 1
        building = f"{flat % BUILDINGS + 1}号"
        room = f"{(flat // BUILDINGS) % 6 + 1}{(flat // (BUILDINGS * 6)) % 40 + 1:02d}"
        for member in range(rng.choice((1, 2, 2, 3))):
            if written == rows:
                break
            written += 1
            birth = datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(30000))
            style = written % 4
            if style == 0:
                birth_cell = datetime.datetime.combine(birth, datetime.time())
            elif style == 1:
                birth_cell = f"{birth.year}.{birth.month}.{birth.day}"
            elif style == 2:
                birth_cell = f"{birth.year}年{birth.month}月{birth.day}日"
            else:
                birth_cell = (birth - datetime.date(1899, 12, 30)).days  # Excel serial
            if written % 200 == 0:
                birth_cell = f"{birth.year}.2.30"  # a row in error
            name = rng.choice(surnames) + "".join(rng.sample(given, 2)) + str(written)
            phone = f"+86 139 {written:04d} {flat % 10000:04d}" if member == 0 else ""
            sheet.append(
                [building, room, name, rng.choice("男女"), birth_cell,
                 "户主" if member == 0 else "家属", phone, 60.5, ""]
            )  # fmt: skip
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def measure(rows):
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from neighborhoods.models import Building, Household, Resident
    from neighborhoods.registerio.services import (
        import_confirm,
        import_preview,
        upload_store,
    )
    from tests import factories as f

    call_command("migrate", verbosity=0)
    district = f.DistrictFactory(name="杨浦区")
    subdistrict = f.SubdistrictFactory(district=district, name="四平路街道")
    neighbourhood = f.NeighbourhoodFactory(subdistrict=subdistrict, name="基准测试居民区")
    user = f.UserFactory(username="bench")
    f.WorkerFactory(user=user, neighbourhood=neighbourhood)
    Building.objects.bulk_create(
        Building(neighbourhood=neighbourhood, number=f"{n}号") for n in range(1, BUILDINGS + 1)
    )
    figures = {}
    start = time.perf_counter()
    data = spreadsheet(rows)
    figures["build"] = time.perf_counter() - start
    figures["size"] = len(data)
    upload = upload_store(
        user=user, neighbourhood=neighbourhood, upload=SimpleUploadedFile("bench.xlsx", data)
    )
    start = time.perf_counter()
    plan = import_preview(upload=upload)
    figures["preview"] = time.perf_counter() - start
    figures["new"], figures["errors"] = len(plan.new), plan.error_rows
    start = time.perf_counter()
    import_confirm(upload=upload, by=user)
    figures["import"] = time.perf_counter() - start
    figures["households"] = Household.objects.count()
    figures["residents"] = Resident.objects.count()
    again = upload_store(
        user=user, neighbourhood=neighbourhood, upload=SimpleUploadedFile("bench.xlsx", data)
    )
    start = time.perf_counter()
    plan = import_preview(upload=again)
    figures["again"] = time.perf_counter() - start
    figures["unchanged"] = len(plan.unchanged)
    again.discard()
    from django.db import connections

    connections.close_all()
    return figures


def section(rows, figures):
    now = datetime.datetime.now(datetime.UTC).astimezone(
        datetime.timezone(datetime.timedelta(hours=8))
    )
    verdict = "within" if figures["preview"] < BUDGET_SECONDS else "OVER"
    return (
        f"\n## Register import of a {rows:,}-row spreadsheet "
        f"({now:%Y-%m-%d %H:%M} Asia/Shanghai)\n\n"
        "`benchmarks/register_import.py`: a scratch PostgreSQL database, one neighbourhood with "
        f"{BUILDINGS} buildings, an xlsx of {rows:,} residents ({figures['size'] / 1e6:.1f} MB: "
        "merged title row, two-row header, four date styles, one row in 200 in error), "
        f"{os.cpu_count()} cores. Budget for the preview: {BUDGET_SECONDS} s ({verdict}).\n\n"
        "| step | time | result |\n|---|---|---|\n"
        f"| preview (read + plan, nothing written) | {figures['preview']:.2f} s | "
        f"{figures['new']:,} new, {figures['errors']} rows in error |\n"
        f"| import (confirm: lock, read, plan, write) | {figures['import']:.2f} s | "
        f"{figures['households']:,} households, {figures['residents']:,} residents |\n"
        f"| preview of the same file again | {figures['again']:.2f} s | "
        f"{figures['unchanged']:,} unchanged |\n"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--record", action="store_true", help="append to benchmarks/RESULTS.md")
    args = parser.parse_args()
    name = f"portal_import_{uuid.uuid4().hex[:10]}"
    host = args.server.split("@")[-1].split(":")[0]
    os.environ.update(
        DATABASE_URL=f"{args.server.rstrip('/')}/{name}",
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="true",
        CACHE_URL="locmem://",
        DATABASE_POOL="false",
        PRIVATE_MEDIA_ROOT=tempfile.mkdtemp(prefix=f"{name}-private-"),
    )
    subprocess.run(["createdb", "-h", host, "-U", "postgres", name], check=True)
    try:
        figures = measure(args.rows)
    finally:
        subprocess.run(["dropdb", "--if-exists", "-h", host, "-U", "postgres", name], check=True)
    text = section(args.rows, figures)
    print(text)
    if args.record:
        with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as results:
            results.write(text)


if __name__ == "__main__":
    main()
