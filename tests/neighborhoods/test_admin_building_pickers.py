"""A district admin's pages that pick a building (add a household, log a visit, open a vote,
edit a household): the buildings of one neighbourhood, chosen with `?neighbourhood=` (the
first by default), never the whole district's (28,000 options, a 1.1 MB page)."""

import pytest

from neighborhoods.models import Household
from tests import factories as f

PAGES = ["/staff/households/new/", "/staff/visits/new/", "/staff/votes/new/"]


@pytest.fixture
def buildings(places):
    return {
        "gjxc": f.BuildingFactory(neighbourhood=places["gjxc"], number="7号"),
        "dhg": f.BuildingFactory(neighbourhood=places["dhg"], number="8号"),
    }


def choices(response):
    return set(response.context["form"].fields["building"].queryset)


@pytest.mark.parametrize("url", PAGES)
def test_the_buildings_are_those_of_the_neighbourhood_chosen(login, admin, places, buildings, url):
    client = login(admin)
    first = client.get(url)
    assert first.status_code == 200
    chosen = first.context["neighbourhood_form"].initial["neighbourhood"]
    assert {b.neighbourhood_id for b in choices(first)} == {chosen.pk}
    for key in ("gjxc", "dhg"):
        page = client.get(url, {"neighbourhood": places[key].pk})
        assert buildings[key] in choices(page)
        assert all(b.neighbourhood_id == places[key].pk for b in choices(page))
        assert f'<option value="{places[key].pk}" selected>' in page.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_committee_staff_get_no_choice_and_their_own_buildings(login, huyun, buildings, url):
    page = login(huyun).get(url)
    assert page.context["neighbourhood_form"] is None
    assert buildings["gjxc"] in choices(page) and buildings["dhg"] not in choices(page)


def test_a_building_of_another_neighbourhood_than_the_one_chosen_is_refused(
    login, admin, places, buildings
):
    client = login(admin)
    url = f"/staff/households/new/?neighbourhood={places['gjxc'].pk}"
    response = client.post(url, {"building": buildings["dhg"].pk, "room": "101", "seen": 0})
    assert response.status_code == 400
    assert "请选择列表中的楼栋。" in response.content.decode()
    assert not Household.objects.filter(building=buildings["dhg"], room="101").exists()
    response = client.post(url, {"building": buildings["gjxc"].pk, "room": "101", "seen": 0})
    assert response.status_code == 302
    assert Household.objects.filter(building=buildings["gjxc"], room="101").exists()


def test_editing_a_household_offers_its_own_neighbourhoods_buildings(
    login, admin, buildings, gjxc_household
):
    page = login(admin).get(f"/staff/households/{gjxc_household.pk}/edit/")
    assert page.status_code == 200
    assert buildings["gjxc"] in choices(page) and buildings["dhg"] not in choices(page)
