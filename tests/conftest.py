"""Shared personas: two neighbourhoods of one district, with staff, residents and outsiders.

- huyun: committee staff of 公交新村居民区 (zone 一片 with building 1号)
- yangying: committee staff of 定海港路居民区 (another neighbourhood: must see nothing of 公交新村)
- resident: an account linked to a 公交新村 household
- stranger: a signed-in account linked to nothing
- admin: a district admin (superuser)
"""

import pytest
from django.core.cache import cache

from tests import factories as f


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache (locmem in tests): allauth keeps its rate-limit
    counters there, and staff pages the last success of the daily-watch alert job."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def places(db):
    district = f.DistrictFactory(name="杨浦区")
    siping = f.SubdistrictFactory(district=district, name="四平路街道")
    dinghai = f.SubdistrictFactory(district=district, name="定海路街道")
    gjxc = f.NeighbourhoodFactory(subdistrict=siping, name="公交新村居民区")
    dhg = f.NeighbourhoodFactory(subdistrict=dinghai, name="定海港路居民区")
    return {"district": district, "gjxc": gjxc, "dhg": dhg}


@pytest.fixture
def huyun(places):
    user = f.UserFactory(username="huyun", first_name="胡云")
    worker = f.WorkerFactory(user=user, neighbourhood=places["gjxc"], position="居委会主任")
    zone = f.ZoneFactory(neighbourhood=places["gjxc"], name="一片", worker=worker)
    f.BuildingFactory(neighbourhood=places["gjxc"], number="1号", zone=zone)
    return user


@pytest.fixture
def yangying(places):
    user = f.UserFactory(username="yangying", first_name="杨莹")
    f.WorkerFactory(user=user, neighbourhood=places["dhg"], position="居委会主任")
    return user


@pytest.fixture
def gjxc_household(places, huyun):
    building = places["gjxc"].buildings.get(number="1号")
    household = f.HouseholdFactory(building=building, room="302", phone="65431234")
    f.ResidentFactory(
        household=household, name="周秀英", birth_date=f.born_years_ago(82), phone="13812345678"
    )
    return household


@pytest.fixture
def dhg_household(places, yangying):
    building = f.BuildingFactory(neighbourhood=places["dhg"], number="5号")
    household = f.HouseholdFactory(building=building, room="101")
    f.ResidentFactory(household=household, name="王建国", birth_date=f.born_years_ago(70))
    return household


@pytest.fixture
def resident(gjxc_household):
    user = f.UserFactory(username="resident", first_name="李梅", phone="13900001111")
    f.ResidentFactory(
        household=gjxc_household, name="李梅", birth_date=f.born_years_ago(45), user=user
    )
    return user


@pytest.fixture
def stranger(db):
    return f.UserFactory(username="stranger", first_name="路人")


@pytest.fixture
def admin(db):
    return f.UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def login(client):
    """login(user) signs the test client in as that user and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: `post_once` keys must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
