"""Importing the register from a committee's spreadsheet: upload → preview → confirm."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from neighborhoods.models import Household, RegisterChange, Resident
from neighborhoods.registerio.parsing import normalise_phone, parse_date
from neighborhoods.registerio.services import UPLOAD_LIFETIME, upload_for_user
from tests import factories as f
from tests.neighborhoods.import_helpers import messy_xlsx, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

IMPORT = reverse("neighborhoods:household-import")


def preview_url(token):
    return reverse("neighborhoods:household-import-preview", args=[token])


def confirm_url(token):
    return reverse("neighborhoods:household-import-confirm", args=[token])


def token_of(response):
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"].rstrip("/").split("/")[-1]


@pytest.fixture
def zhou(gjxc_household):
    resident = gjxc_household.residents.get(name="周秀英")
    Resident.objects.filter(pk=resident.pk).update(gender="F", relation="户主")
    resident.refresh_from_db()
    return resident


@pytest.fixture
def messy(zhou):
    return messy_xlsx(zhou.birth_date)


def send(client, data, name="花名册.xlsx", **fields):
    return client.post(IMPORT, {"file": upload(data, name), **fields})


# --- The preview ---------------------------------------------------------------------------


def test_it_previews_a_messy_spreadsheet_without_writing_anything(client, huyun, messy):
    client.force_login(huyun)
    residents, households = Resident.objects.count(), Household.objects.count()
    response = client.get(preview_url(token_of(send(client, messy))))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert [p.row.name for p in plan.new] == ["王建华", "李桂英", "陈美玲", "孙七"]
    assert plan.new_households == 3  # 501, 601, 605
    assert [p.row.name for p in plan.unchanged] == ["周秀英"]
    assert plan.updated == []
    assert [number for number, _message in plan.errors] == [8, 9, 10, 11]
    assert plan.unknown_columns == ["身份证号"]
    assert plan.not_kept_columns == ["面积"]
    # Dates: a real date cell, 1945年3月8日, an Excel serial number, 1990/2/3.
    births = [p.row.birth_date for p in plan.new]
    assert births == [
        datetime.date(1943, 2, 3),
        datetime.date(1945, 3, 8),
        datetime.date(1944, 2, 3),
        datetime.date(1990, 2, 3),
    ]
    assert [p.row.phone for p in plan.new] == ["13912345678", "13912345679", "", "13912345670"]
    assert (Resident.objects.count(), Household.objects.count()) == (residents, households)


def test_it_gives_the_reasons_of_rows_in_error_in_chinese(client, huyun, messy):
    client.force_login(huyun)
    page = client.get(preview_url(token_of(send(client, messy)))).content.decode()
    assert "第 8 行：出生日期 &#x27;1943.2.30&#x27; 不是有效日期" in page
    assert "第 9 行：楼号 &#x27;99号&#x27; 不是本居民区的楼栋" in page
    assert "第 10 行：联系电话 &#x27;12345&#x27; 不是 11 位手机号码" in page
    assert "第 11 行：性别 &#x27;X&#x27; 不是“男”或“女”" in page
    assert "身份证号" in page  # the unknown column, listed


def test_it_reports_a_row_without_a_name_and_a_repeated_person(client, huyun):
    client.force_login(huyun)
    data = xlsx_bytes([["1号", "701", "", "男"], ["1号", "702", "钱八"], ["1号", "702室", "钱八"]])
    plan = client.get(preview_url(token_of(send(client, data)))).context["plan"]
    assert [number for number, _m in plan.errors] == [2, 4]
    assert [p.row.name for p in plan.new] == ["钱八"]


def test_it_reads_a_csv_saved_by_excel_in_gbk(client, huyun):
    client.force_login(huyun)
    data = "楼号,室号,姓名,出生日期,联系电话\n1号,801,吴九,1950.1.2,139 1234 5671\n".encode("gbk")
    plan = client.get(preview_url(token_of(send(client, data, "花名册.csv")))).context["plan"]
    assert [(p.row.name, p.row.birth_date) for p in plan.new] == [
        ("吴九", datetime.date(1950, 1, 2))
    ]


def test_it_refuses_a_file_that_is_not_a_spreadsheet(client, huyun):
    client.force_login(huyun)
    response = send(client, b"not a spreadsheet", "花名册.pdf")
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_it_sends_back_to_the_upload_a_file_that_cannot_be_read(client, huyun):
    client.force_login(huyun)
    token = token_of(send(client, b"PK\x03\x04 broken"))
    response = client.get(preview_url(token), follow=True)
    assert response.redirect_chain[-1][0] == IMPORT
    assert "xlsx" in response.content.decode()
    assert upload_for_user(huyun, token) is None  # the unreadable file is not kept


def test_it_needs_the_header_columns(client, huyun):
    client.force_login(huyun)
    data = xlsx_bytes([["1号", "302"]], header=["地址", "房间"])
    response = client.get(preview_url(token_of(send(client, data))), follow=True)
    assert "楼号" in response.content.decode()


# --- Confirming ----------------------------------------------------------------------------


def test_it_imports_on_confirm_with_the_care_flags_right(client, huyun, messy):
    client.force_login(huyun)
    token = token_of(send(client, messy))
    response = client.post(confirm_url(token), {"confirm": "True"})
    assert response.status_code == 302
    assert response["Location"] == reverse("neighborhoods:household-list")
    building = huyun.worker.neighbourhood.buildings.get(number="1号")
    flat = Household.objects.get(building=building, room="501")
    assert sorted(flat.residents.values_list("name", flat=True)) == ["李桂英", "王建华"]
    assert flat.care == Household.Care.ELDERLY_ONLY
    assert flat.eldest_birth_date == datetime.date(1943, 2, 3)
    assert flat.notes == "独居？已核实"
    assert Household.objects.get(building=building, room="601").care == Household.Care.ELDERLY_ALONE
    assert Household.objects.get(building=building, room="605").care == Household.Care.NONE
    assert Resident.objects.get(name="王建华").phone == "13912345678"
    assert upload_for_user(huyun, token) is None  # consumed


def test_a_second_import_of_the_same_file_changes_nothing(client, huyun, messy):
    client.force_login(huyun)
    client.post(confirm_url(token_of(send(client, messy))), {"confirm": "True"})
    count = Resident.objects.count()
    plan = client.get(preview_url(token_of(send(client, messy)))).context["plan"]
    assert (plan.new, plan.updated) == ([], [])
    assert len(plan.unchanged) == 5
    assert Resident.objects.count() == count


def test_it_updates_a_matched_resident_and_keeps_what_a_cell_leaves_empty(client, huyun, zhou):
    client.force_login(huyun)
    data = xlsx_bytes([["1号", "302", "周秀英", "女", zhou.birth_date, "母亲", "13900009999"]])
    token = token_of(send(client, data))
    plan = client.get(preview_url(token)).context["plan"]
    assert plan.updated[0].changes == {"relation": "母亲", "phone": "13900009999"}
    client.post(confirm_url(token), {"confirm": "True"})
    zhou.refresh_from_db()
    assert (zhou.phone, zhou.relation) == ("13900009999", "母亲")
    empty = xlsx_bytes([["1号", "302", "周秀英", "", zhou.birth_date, "", ""]])
    plan = client.get(preview_url(token_of(send(client, empty)))).context["plan"]
    assert [p.row.name for p in plan.unchanged] == ["周秀英"]


def test_a_confirm_sent_twice_imports_once(client, huyun, messy):
    client.force_login(huyun)
    token = token_of(send(client, messy))
    before = Resident.objects.count()
    first = client.post(confirm_url(token), {"confirm": "True"})
    second = client.post(confirm_url(token), {"confirm": "True"})  # the double tap
    assert second["Location"] == first["Location"]
    assert Resident.objects.count() == before + 4


def test_a_confirm_sent_again_later_is_refused(client, huyun, messy):
    client.force_login(huyun)
    token = token_of(send(client, messy))
    before = Resident.objects.count()
    client.post(confirm_url(token), {"confirm": "True"})
    cache.clear()  # past post_once's window: the consumed token answers
    response = client.post(confirm_url(token), {"confirm": "True"})
    assert response.status_code == 404  # the upload is gone
    assert Resident.objects.count() == before + 4


def test_an_empty_confirm_shows_the_preview_again(client, huyun, messy):
    client.force_login(huyun)
    count = Resident.objects.count()
    response = client.post(confirm_url(token_of(send(client, messy))), {})
    assert response.status_code == 400
    assert Resident.objects.count() == count


def test_an_upload_expires(client, huyun, messy):
    client.force_login(huyun)
    token = token_of(send(client, messy))
    later = timezone.now() + UPLOAD_LIFETIME + datetime.timedelta(minutes=1)
    with time_machine.travel(later):
        client.force_login(huyun)  # a staff session ends after 30 idle minutes
        assert client.get(preview_url(token)).status_code == 404
        assert client.post(confirm_url(token), {"confirm": "True"}).status_code == 404


# --- Who may import where --------------------------------------------------------------------


def test_staff_import_into_their_own_neighbourhood_only(client, places, yangying, dhg_household):
    client.force_login(yangying)
    data = xlsx_bytes([["1号", "901", "郑十"], ["5号", "102", "冯十一"]])
    # A neighbourhood in the POST is not theirs to choose: the field is admins' only.
    response = send(client, data, neighbourhood=places["gjxc"].pk)
    plan = client.get(preview_url(token_of(response))).context["plan"]
    assert plan.neighbourhood == places["dhg"]
    assert [p.row.name for p in plan.new] == ["冯十一"]
    assert [n for n, _m in plan.errors] == [2]  # 定海港路 has no 1号


def test_staff_of_another_neighbourhood_cannot_preview_or_confirm_an_upload(
    client, huyun, yangying, messy
):
    client.force_login(huyun)
    token = token_of(send(client, messy))
    client.force_login(yangying)
    count = Resident.objects.count()
    assert client.get(preview_url(token)).status_code == 404
    assert client.post(confirm_url(token), {"confirm": "True"}).status_code == 404
    assert Resident.objects.count() == count


def test_a_district_admin_chooses_the_neighbourhood(client, places, huyun, admin):
    client.force_login(admin)
    data = xlsx_bytes([["1号", "902", "褚十二"]])
    assert send(client, data).status_code == 400  # no neighbourhood chosen
    token = token_of(send(client, data, neighbourhood=places["gjxc"].pk))
    client.post(confirm_url(token), {"confirm": "True"})
    assert Resident.objects.get(name="褚十二").household.building.neighbourhood == places["gjxc"]


def test_anonymous_visitors_sign_in_first(client, huyun, messy):
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_residents_are_refused(client, resident):
    client.force_login(resident)
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT).status_code == 403


def test_the_confirm_takes_posts_only(client, huyun, messy):
    client.force_login(huyun)
    token = token_of(send(client, messy))
    assert client.get(confirm_url(token)).status_code == 405
    assert client.post(preview_url(token)).status_code == 405
    assert client.put(IMPORT).status_code == 405


# --- Reading cells ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("139 1234 5678", "13912345678"),
        ("+86 139 1234 5678", "13912345678"),
        ("+8613912345678", "13912345678"),
        ("0086-139-1234-5678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        ("（139）1234 5678", "13912345678"),
        (13912345678, "13912345678"),
        (13912345678.0, "13912345678"),
        ("１３９１２３４５６７８", "13912345678"),  # full-width digits
        ("12912345678", None),
        ("1391234567", None),
        ("65431234", None),  # a landline is not a mobile number
        ("139123456789", None),
    ],
)
def test_it_normalises_phone_numbers(value, expected):
    assert normalise_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1943-02-03", datetime.date(1943, 2, 3)),
        ("1943/2/3", datetime.date(1943, 2, 3)),
        ("1943.2.3", datetime.date(1943, 2, 3)),
        ("1943年2月3日", datetime.date(1943, 2, 3)),
        ("1943 年 2 月 3 日", datetime.date(1943, 2, 3)),
        ("19430203", datetime.date(1943, 2, 3)),
        ("1943-02-03 00:00:00", datetime.date(1943, 2, 3)),
        (datetime.datetime(1943, 2, 3), datetime.date(1943, 2, 3)),
        (datetime.date(1943, 2, 3), datetime.date(1943, 2, 3)),
        (15740, datetime.date(1943, 2, 3)),  # Excel's serial number
        ("15740", datetime.date(1943, 2, 3)),
        (1943, None),  # a year alone
        ("1943", None),
        ("1943.2.30", None),
        ("1943.13.1", None),
        ("二月三日", None),
        ("2999-01-01", None),  # in the future
        ("1850-01-01", None),
    ],
)
def test_it_reads_dates_as_chinese_spreadsheets_write_them(value, expected):
    assert parse_date(value, today=datetime.date(2026, 12, 1)) == expected


def test_a_building_number_matches_whatever_its_suffix(client, places, huyun):
    f.BuildingFactory(neighbourhood=places["gjxc"], number="12号楼")
    client.force_login(huyun)
    data = xlsx_bytes(
        [["12", "101", "卫十三"], ["12号", "102", "蒋十四"], ["１２幢", "103", "沈十五"]]
    )
    plan = client.get(preview_url(token_of(send(client, data)))).context["plan"]
    assert len(plan.new) == 3 and plan.errors == []


def test_an_import_writes_each_resident_into_the_households_history(client, huyun, messy):
    """The import records its changes as the register's own forms do: one per resident."""
    client.force_login(huyun)
    token = token_of(send(client, messy))
    plan = client.get(preview_url(token)).context["plan"]
    client.post(confirm_url(token), {"confirm": "True"})
    added = RegisterChange.objects.filter(kind=RegisterChange.Kind.CREATED, by=huyun)
    assert added.count() == len(plan.new) > 0
    assert set(added.values_list("resident__name", flat=True)) >= {"李桂英", "王建华"}
