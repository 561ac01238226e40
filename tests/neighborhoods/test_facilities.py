"""Facilities (公共设施): the directory near a neighbourhood, /services/, and staff upkeep."""

import pytest
from django.urls import reverse

from neighborhoods import models as nb


def facility(neighbourhood, name, kind="park", walks=None):
    made = nb.Facility.objects.create(
        neighbourhood=neighbourhood, kind=kind, name=name, address=f"{name}路1号"
    )
    for where, minutes in (walks or {}).items():
        nb.FacilityDistance.objects.create(facility=made, neighbourhood=where, minutes=minutes)
    return made


@pytest.fixture
def around(places):
    gjxc, dhg = places["gjxc"], places["dhg"]
    facility(gjxc, "红屋顶花园", walks={gjxc: 3})
    facility(gjxc, "卫生服务中心", kind="health", walks={gjxc: 12, dhg: 20})
    facility(dhg, "定海菜场", kind="market", walks={dhg: 8})
    return places


def names(response):
    return [f.name for f in response.context["facilities"]]


def test_it_lists_the_facilities_near_my_neighbourhood_nearest_first(client, resident, around):
    client.force_login(resident)
    response = client.get(reverse("neighborhoods:facility-list"))
    assert names(response) == ["红屋顶花园", "卫生服务中心"]
    assert "步行3分钟" in response.content.decode()


def test_a_visitor_chooses_a_neighbourhood(client, around):
    url = reverse("neighborhoods:facility-list")
    assert len(names(client.get(url))) == 3  # nothing chosen: every facility, by type
    chosen = client.get(url, {"neighbourhood": around["dhg"].pk})
    assert names(chosen) == ["定海菜场", "卫生服务中心"]
    by_kind = client.get(url, {"neighbourhood": around["dhg"].pk, "kind": "market"})
    assert names(by_kind) == ["定海菜场"]


def test_a_bad_choice_is_a_form_error_not_a_500(client, around):
    response = client.get(reverse("neighborhoods:facility-list"), {"neighbourhood": "abc"})
    assert response.status_code == 200 and response.context["form"].errors


def test_services_shows_facilities_near_me_first_and_the_aids(client, resident, around):
    nb.AidItem.objects.create(kind="wheelchair", name="轮椅")
    client.force_login(resident)
    response = client.get(reverse("notices:service-list"))
    page = response.content.decode()
    assert [f.name for f in response.context["facilities"]] == ["红屋顶花园", "卫生服务中心"]
    assert "轮椅" in page and "办事指南" in page


def test_services_lets_a_visitor_choose_a_neighbourhood(client, around):
    response = client.get(reverse("notices:service-list"))
    assert (
        response.context["facilities"] == [] and 'name="neighbourhood"' in response.content.decode()
    )
    chosen = client.get(reverse("notices:service-list"), {"neighbourhood": around["dhg"].pk})
    assert [f.name for f in chosen.context["facilities"]] == ["定海菜场", "卫生服务中心"]


def test_staff_add_a_facility_for_their_neighbourhood(client, huyun, places):
    client.force_login(huyun)
    data = {"kind": "parcel", "name": "快递驿站", "address": "四平路1028弄3号", "walk_minutes": 2}
    response = client.post(reverse("neighborhoods:facility-create"), data)
    assert response.status_code == 302
    made = nb.Facility.objects.get()
    assert made.neighbourhood == places["gjxc"] and made.updated_by == huyun
    assert made.distances.get().minutes == 2
    again = client.post(reverse("neighborhoods:facility-create"), data)
    assert again.status_code == 400 and "快递驿站" in again.content.decode()


def test_staff_keep_only_their_own_neighbourhoods_facilities(client, huyun, yangying, around):
    mine = nb.Facility.objects.get(name="红屋顶花园")
    client.force_login(yangying)
    assert client.get(reverse("neighborhoods:facility-edit", args=[mine.pk])).status_code == 404
    client.force_login(huyun)
    url = reverse("neighborhoods:facility-edit", args=[mine.pk])
    data = {"kind": "park", "name": "红屋顶花园", "address": "小区中心", "walk_minutes": 4,
            "step_free": "on"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    mine.refresh_from_db()
    assert mine.step_free and mine.distances.get(neighbourhood=around["gjxc"]).minutes == 4


def test_a_missing_walk_is_shown_next_to_the_field(client, huyun, places):
    client.force_login(huyun)
    data = {"kind": "park", "name": "健身点", "address": "四平路", "walk_minutes": ""}
    response = client.post(reverse("neighborhoods:facility-create"), data)
    assert response.status_code == 400 and "健身点" in response.content.decode()
    assert not nb.Facility.objects.exists()
