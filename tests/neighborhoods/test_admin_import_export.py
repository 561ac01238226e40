"""District admins import and export reference data in Django admin: centres, workers."""

import pytest
import tablib
from django.urls import reverse

from neighborhoods.admin.resources import CentreResource, CommunityWorkerResource
from neighborhoods.models import Centre, CommunityWorker
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def fuxin_centre(places):
    return Centre.objects.create(
        subdistrict=places["gjxc"].subdistrict, name="阜新路社区睦邻中心", hours="8:30–20:00"
    )


def centres_sheet(*rows):
    headers = ["name", "subdistrict", "address", "hours", "phone", "organisation", "operator"]
    return tablib.Dataset(*rows, headers=headers)


def test_it_exports_the_centres_with_their_places_named(fuxin_centre):
    data = CentreResource().export()
    assert data.dict[0]["name"] == "阜新路社区睦邻中心"
    assert data.dict[0]["subdistrict"] == "四平路街道"


def test_it_previews_an_import_without_writing_then_imports_once(places, fuxin_centre):
    sheet = centres_sheet(
        ["阜新路社区睦邻中心", "四平路街道", "阜新路1号", "8:00–21:00", "", "", ""],
        ["定海睦邻中心", "定海路街道", "定海路2号", "9:00–17:00", "", "", ""],
    )
    preview = CentreResource().import_data(sheet, dry_run=True)
    assert not preview.has_errors()
    assert (preview.totals["new"], preview.totals["update"]) == (1, 1)
    assert not Centre.objects.filter(name="定海睦邻中心").exists()
    CentreResource().import_data(sheet, dry_run=False)
    assert Centre.objects.get(name="定海睦邻中心").subdistrict == places["dhg"].subdistrict
    assert Centre.objects.get(name="阜新路社区睦邻中心").hours == "8:00–21:00"
    again = CentreResource().import_data(sheet, dry_run=True)
    assert (again.totals["new"], again.totals["update"], again.totals["skip"]) == (0, 0, 2)


def test_a_row_naming_an_unknown_place_is_an_error_and_nothing_is_written(places):
    sheet = centres_sheet(["新中心", "不存在的街道", "", "", "", "", ""])
    result = CentreResource().import_data(sheet, dry_run=False)
    assert result.has_validation_errors() or result.has_errors()
    assert not Centre.objects.filter(name="新中心").exists()


def test_it_imports_worker_profiles_by_account_name(places, huyun):
    sheet = tablib.Dataset(
        ["huyun", "公交新村居民区", "党总支书记、居委会主任", 1975, "bachelor", True, 2001, True],
        headers=[
            "user", "neighbourhood", "position", "birth_year", "education",
            "social_work_certificate", "start_year", "active",
        ],
    )  # fmt: skip
    CommunityWorkerResource().import_data(sheet, dry_run=False)
    worker = CommunityWorker.objects.get(user=huyun)
    assert (worker.birth_year, worker.social_work_certificate) == (1975, True)
    assert CommunityWorker.objects.count() == 1


@pytest.mark.parametrize("model", ["centre", "communityworker", "rosterworker"])
def test_the_admin_pages_are_for_admins_only(client, admin, huyun, model):
    for action in ("import", "export"):
        url = reverse(f"admin:neighborhoods_{model}_{action}")
        client.force_login(admin)
        assert client.get(url).status_code == 200
        client.force_login(huyun)  # committee staff are not Django admin users
        assert client.get(url).status_code == 302


def test_a_stranger_cannot_reach_the_import(client):
    client.force_login(f.UserFactory(username="someone"))
    response = client.get(reverse("admin:neighborhoods_centre_import"))
    assert response.status_code == 302
