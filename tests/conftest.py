"""Shared personas: two neighbourhoods of one district, with staff, residents and outsiders.

- huyun: committee staff of 公交新村居民区 (zone 一片 with building 1号)
- yangying: committee staff of 定海港路居民区 (another neighbourhood: must see nothing of 公交新村)
- resident: an account linked to a 公交新村 household
- stranger: a signed-in account linked to nothing
- admin: a district admin (superuser)

And the small demo district, built once per session: `demo_district` (see its docstring).
"""

import pytest
from django.core.cache import cache
from django.test import Client

from portal.signin.mfa import mark_session_as_password_and_totp
from tests import demo
from tests import factories as f

# The personas are built by plain functions, so that a module- or session-scoped fixture
# (tests/test_role_table.py builds its object graph once per module) makes the same people
# as the function-scoped fixtures below.


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache (locmem in tests): allauth keeps its rate-limit
    counters there, and staff pages the last success of the daily-watch alert job."""
    cache.clear()
    yield
    cache.clear()


# --- Signing in: force_login stands for password + TOTP ------------------------------------
#
# Staff must have an MFA step in their session before any page with personal data
# (portal/signin/mfa.py). The suite's ~2,000 tests sign staff in with client.force_login,
# which here leaves in the session exactly what allauth records after a password and a
# TOTP code. Tests of the MFA rule itself use `force_login_without_mfa`; the browser
# journeys type a real code (tests/e2e/conftest.py).

_django_force_login = Client.force_login


def force_login_without_mfa(client, user, backend=None):
    """A session with the password step only, as after a sign-in that stopped before MFA."""
    _django_force_login(client, user, backend)


def _force_login_with_mfa(self, user, backend=None):
    _django_force_login(self, user, backend)
    session = self.session
    mark_session_as_password_and_totp(session, user)
    session.save()


Client.force_login = _force_login_with_mfa


def build_places():
    district = f.DistrictFactory(name="杨浦区")
    siping = f.SubdistrictFactory(district=district, name="四平路街道")
    dinghai = f.SubdistrictFactory(district=district, name="定海路街道")
    gjxc = f.NeighbourhoodFactory(subdistrict=siping, name="公交新村居民区")
    dhg = f.NeighbourhoodFactory(subdistrict=dinghai, name="定海港路居民区")
    return {"district": district, "gjxc": gjxc, "dhg": dhg}


def build_huyun(places):
    user = f.UserFactory(username="huyun", first_name="胡云")
    worker = f.WorkerFactory(user=user, neighbourhood=places["gjxc"], position="居委会主任")
    zone = f.ZoneFactory(neighbourhood=places["gjxc"], name="一片", worker=worker)
    f.BuildingFactory(neighbourhood=places["gjxc"], number="1号", zone=zone)
    return user


def build_yangying(places):
    user = f.UserFactory(username="yangying", first_name="杨莹")
    f.WorkerFactory(user=user, neighbourhood=places["dhg"], position="居委会主任")
    return user


def build_gjxc_household(places):
    """Room 302 of 1号 in 公交新村 (call after build_huyun, which makes the building)."""
    building = places["gjxc"].buildings.get(number="1号")
    household = f.HouseholdFactory(building=building, room="302", phone="65431234")
    f.ResidentFactory(
        household=household, name="周秀英", birth_date=f.born_years_ago(82), phone="13812345678"
    )
    return household


def build_dhg_household(places):
    building = f.BuildingFactory(neighbourhood=places["dhg"], number="5号")
    household = f.HouseholdFactory(building=building, room="101")
    f.ResidentFactory(household=household, name="王建国", birth_date=f.born_years_ago(70))
    return household


def build_resident(household):
    user = f.UserFactory(username="resident", first_name="李梅", phone="13900001111")
    f.ResidentFactory(household=household, name="李梅", birth_date=f.born_years_ago(45), user=user)
    return user


def build_stranger():
    return f.UserFactory(username="stranger", first_name="路人")


def build_admin():
    return f.UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def places(db):
    return build_places()


@pytest.fixture
def huyun(places):
    return build_huyun(places)


@pytest.fixture
def yangying(places):
    return build_yangying(places)


@pytest.fixture
def gjxc_household(places, huyun):
    return build_gjxc_household(places)


@pytest.fixture
def dhg_household(places, yangying):
    return build_dhg_household(places)


@pytest.fixture
def resident(gjxc_household):
    return build_resident(gjxc_household)


@pytest.fixture
def stranger(db):
    return build_stranger()


@pytest.fixture
def admin(db):
    return build_admin()


@pytest.fixture
def login(client):
    """login(user) signs the test client in as that user and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# --- The small demo district, once per session -------------------------------------------


@pytest.fixture(scope="session")
def demo_database(django_db_setup, django_db_blocker):
    """The small demo district (`seed_demo --small`, password demo12345), built once per
    session (per xdist worker) in a database of its own.

    Why a separate database: the demo is about 2,000 committed rows. Built into the test
    database, it would leak into every test that runs after it in the same worker (counts,
    "the first household", empty-register pages), or need a flush that also wipes what the
    migrations put there. So it is built in `<test database>_demo`, a clone of the freshly
    migrated test database (CREATE DATABASE … TEMPLATE), and dropped at the end. Use it
    through `demo_district`; the browser journeys clone it once more per journey.
    """
    with django_db_blocker.unblock():
        database = demo.build_demo_database()
        yield database
        demo.drop_database(database.name)


@pytest.fixture(scope="module")
def demo_district(demo_database):
    """Point the default connection at the demo database for a whole test module.

    Module scope, because a switch of database cannot happen inside a test's transaction:
    a module that reads the demo uses it for every test (`pytestmark =
    pytest.mark.usefixtures("demo_district")`) and keeps tests that need an empty database
    in another module. Each test still runs in its own transaction (`db`), rolled back
    after it, so a test may write (run seed_demo again, refresh flags) without changing
    what the next one sees. Not for transactional tests: their flush would empty the demo
    for the modules after them (the journeys use a copy: tests/e2e/conftest.py). Returns
    the DemoDatabase (its `output` is what seed_demo printed).
    """
    with demo.pointed_at(demo_database.name):
        yield demo_database
