"""Exporting the register as the standard 台账 (xlsx), masked unless a reason is given."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from neighborhoods.models import Resident
from portal.models import AccessLog, AccessLogHousehold
from tests.neighborhoods.import_helpers import upload

pytestmark = pytest.mark.django_db

EXPORT = reverse("neighborhoods:household-export")


def sheet_rows(response):
    assert response.status_code == 200, response.content.decode()[:300]
    workbook = load_workbook(io.BytesIO(response.content))
    return workbook, [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_it_shows_the_form(client, huyun):
    client.force_login(huyun)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert "neighbourhood" not in response.context["form"].fields  # their own, no choice


def test_it_exports_one_row_per_present_resident_with_phones_masked(
    client, huyun, resident, gjxc_household
):
    gone = gjxc_household.residents.create(name="钱老伯", phone="13700001111")
    gone.move_out()
    gjxc_household.floor_area = "56.50"
    gjxc_household.save(update_fields=["floor_area"])
    client.force_login(huyun)
    response = client.post(EXPORT, {})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook, rows = sheet_rows(response)
    assert "胡云" in rows[0][0] and "huyun" in rows[0][0]  # who exported it, and when
    assert rows[1][:5] == ["小区", "楼号", "室号", "片区", "姓名"]
    people = {row[4]: row for row in rows[2:]}
    assert set(people) == {"周秀英", "李梅"}  # not 钱老伯, who moved out
    assert people["周秀英"][8] == "138****5678"
    assert people["周秀英"][9] == "******34"  # the household's landline
    assert rows[1][11] == "建筑面积" and people["李梅"][11] == 56.5  # m², for consent votes
    assert workbook.properties.creator == "huyun"
    assert "huyun" in workbook.properties.description


def test_it_records_the_export_with_its_households_and_rows(
    client, huyun, resident, gjxc_household
):
    client.force_login(huyun)
    client.post(EXPORT, {})
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.rows, log.reason) == (huyun, "register_export", 2, "")
    shown = AccessLogHousehold.objects.filter(access_log=log)
    assert list(shown.values_list("household_id", flat=True)) == [gjxc_household.pk]


def test_full_numbers_need_a_reason(client, huyun, gjxc_household):
    client.force_login(huyun)
    response = client.post(EXPORT, {"full_phones": "on", "reason": " "})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert not AccessLog.objects.exists()


def test_full_numbers_with_a_reason_are_exported_and_the_reason_recorded(
    client, huyun, gjxc_household
):
    client.force_login(huyun)
    reason = "高温天气逐户电话关怀"
    response = client.post(EXPORT, {"full_phones": "on", "reason": reason})
    workbook, rows = sheet_rows(response)
    assert rows[2][8] == "13812345678"
    assert reason in rows[0][0]
    assert AccessLog.objects.get().reason == reason


def test_staff_export_their_own_neighbourhood_only(
    client, places, yangying, gjxc_household, dhg_household
):
    client.force_login(yangying)
    # The neighbourhood field is admins' only: a posted id of another one is not read.
    response = client.post(EXPORT, {"neighbourhood": places["gjxc"].pk})
    _workbook, rows = sheet_rows(response)
    assert [row[4] for row in rows[2:]] == ["王建国"]
    shown = AccessLogHousehold.objects.values_list("household_id", flat=True)
    assert list(shown) == [dhg_household.pk]


def test_a_district_admin_chooses_the_neighbourhood(client, places, admin, gjxc_household):
    client.force_login(admin)
    assert client.post(EXPORT, {}).status_code == 400
    response = client.post(EXPORT, {"neighbourhood": places["gjxc"].pk})
    _workbook, rows = sheet_rows(response)
    assert [row[4] for row in rows[2:]] == ["周秀英"]


def test_an_exported_register_imports_back_unchanged(client, huyun, resident, gjxc_household):
    client.force_login(huyun)
    Resident.objects.filter(household=gjxc_household).update(gender="F", relation="户主")
    content = client.post(EXPORT, {"full_phones": "on", "reason": "备份"}).content
    response = client.post(
        reverse("neighborhoods:household-import"), {"file": upload(content, "台账.xlsx")}
    )
    plan = client.get(response["Location"]).context["plan"]
    assert (plan.new, plan.updated, plan.errors) == ([], [], [])
    assert len(plan.unchanged) == 2


def test_anonymous_visitors_sign_in_first(client):
    response = client.post(EXPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_residents_are_refused(client, resident):
    client.force_login(resident)
    assert client.post(EXPORT).status_code == 403
    assert not AccessLog.objects.exists()


def test_it_takes_get_and_post_only(client, huyun):
    client.force_login(huyun)
    assert client.put(EXPORT).status_code == 405
