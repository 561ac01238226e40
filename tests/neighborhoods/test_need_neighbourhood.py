"""Need.neighbourhood: the household's, stored for the needs lists' scope. It must follow the
household wherever it is registered, or the needs would show to the wrong committee."""

import pytest

from neighborhoods.care import services
from neighborhoods.models import Need
from tests import factories as f

pytestmark = pytest.mark.django_db


def raise_need(household, by):
    return services.need_raise(
        household=household, by=by, via=Need.Via.STAFF, category="housing", description="漏水"
    )


def test_a_need_is_of_its_households_neighbourhood(places, huyun, gjxc_household):
    need = raise_need(gjxc_household, huyun)
    assert need.neighbourhood == places["gjxc"]
    assert list(Need.objects.visible_to(huyun)) == [need]


def test_a_household_moved_to_another_neighbourhood_takes_its_needs(
    places, huyun, yangying, gjxc_household
):
    need = raise_need(gjxc_household, huyun)
    gjxc_household.building = f.BuildingFactory(neighbourhood=places["dhg"], number="9号")
    gjxc_household.save()
    need.refresh_from_db()
    assert need.neighbourhood == places["dhg"]
    assert not Need.objects.visible_to(huyun).exists()
    assert list(Need.objects.visible_to(yangying)) == [need]


def test_a_building_moved_to_another_neighbourhood_takes_its_needs(
    places, huyun, yangying, gjxc_household
):
    need = raise_need(gjxc_household, huyun)
    building = gjxc_household.building
    building.neighbourhood, building.zone = places["dhg"], None
    building.save()
    need.refresh_from_db()
    assert need.neighbourhood == places["dhg"]
    assert list(Need.objects.visible_to(yangying)) == [need]
    assert not Need.objects.visible_to(huyun).exists()


def test_saving_a_household_in_place_leaves_its_needs(places, huyun, gjxc_household):
    need = raise_need(gjxc_household, huyun)
    gjxc_household.phone = "65439999"
    gjxc_household.save()
    need.refresh_from_db()
    assert need.neighbourhood == places["gjxc"]
