"""seed_demo builds the Yangpu district of the report (read from the session's small demo).

These tests read the demo district that tests/conftest.py builds once per session
(`demo_district`: the whole module runs against the demo database, each test rolled back).
Building it afresh (the full size, twice the same register): test_seed_demo_build.py.
refresh_care_flags on single households: test_refresh_care_flags.py.
"""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from neighborhoods.models import (
    Building,
    Centre,
    Household,
    LinkRequest,
    Neighbourhood,
    Resident,
    Subdistrict,
    Zone,
    age_on,
)
from portal.models import User
from portal.phones import mainland_mobile_validator
from tests.demo import DEMO_PASSWORD as PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]

ACCOUNTS = ["admin", "huyun", "yangying", "resident", "volunteer", "centre"]
ALONE, ONLY, NONE = Household.Care.ELDERLY_ALONE, Household.Care.ELDERLY_ONLY, Household.Care.NONE


def seed(**options):
    out = StringIO()
    call_command("seed_demo", stdout=out, **{"password": PASSWORD, **options})
    return out.getvalue()


@pytest.fixture
def demo(demo_district):
    """The demo district at a tenth of its size: what seed_demo printed when it built it."""
    return demo_district.output


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"portal", "neighborhoods", "volunteers", "auth"}
    }


def gjxc_household(building, room):
    return Household.objects.get(
        building__neighbourhood__name="公交新村居民区", building__number=building, room=room
    )


def test_it_gives_every_place_in_the_report_a_home(demo):
    homes = dict(Neighbourhood.objects.values_list("name", "subdistrict__name"))
    assert homes["公交新村居民区"] == "四平路街道"
    assert homes["阜新路居民区"] == "四平路街道"
    assert homes["定海港路居民区"] == "定海路街道"
    assert homes["文化佳园居民区"] == "长海路街道"
    assert homes["包头路居民区"] == "长海路街道"
    subdistricts = Subdistrict.objects.filter(district__name="杨浦区")
    # The register's six, and the rest of Yangpu's twelve for the district's 47 centres.
    assert set(subdistricts.values_list("name", flat=True)) >= {
        "四平路街道", "定海路街道", "长海路街道", "平凉路街道", "殷行街道", "控江路街道",
        "长白新村街道",  # 长白228街坊's, made by the demo activities (no neighbourhood of its own)
    }  # fmt: skip
    assert subdistricts.count() == 12
    compounds = set(
        Building.objects.filter(neighbourhood__name="文化佳园居民区").values_list(
            "compound", flat=True
        )
    )
    assert compounds == {"文化佳园"}


def test_it_opens_the_centres_of_the_report(demo):
    centres = {c.name: c for c in Centre.objects.select_related("subdistrict")}
    assert set(centres) >= {
        "文化佳园睦邻中心", "阜新路社区睦邻中心", "包头路社区睦邻中心",
        "平凉路街道社区第二睦邻中心", "长海路街道社区文化活动中心", "长白228街坊",
    }  # fmt: skip
    assert centres["文化佳园睦邻中心"].subdistrict.name == "长海路街道"
    assert centres["平凉路街道社区第二睦邻中心"].subdistrict.name == "平凉路街道"
    assert centres["长白228街坊"].subdistrict.name == "长白新村街道"
    for centre in centres.values():
        assert centre.address and centre.hours
    for name in [
        "文化佳园睦邻中心",
        "阜新路社区睦邻中心",
        "包头路社区睦邻中心",
        "平凉路街道社区第二睦邻中心",
    ]:
        assert centres[name].operator.startswith("上海市杨浦区")


def test_it_numbers_buildings_floors_and_rooms_like_a_shanghai_neighbourhood(demo):
    for building in Building.objects.all():
        assert building.number.endswith("号")
        assert 5 <= building.floors <= 7
    for household in Household.objects.select_related("building"):
        floor, unit = int(household.room[:-2]), int(household.room[-2:])
        assert 1 <= floor <= household.building.floors
        assert 1 <= unit <= 4


def test_it_draws_an_old_neighbourhoods_age_profile(demo):
    today = timezone.localdate()
    ages = [
        age_on(born, today)
        for born in Resident.objects.present().values_list("birth_date", flat=True)
    ]
    elderly = [age for age in ages if age >= 60]
    assert 0.30 <= len(elderly) / len(ages) <= 0.45
    assert sum(age >= 80 for age in ages) / len(elderly) >= 0.2
    assert Household.objects.filter(care=ALONE).count() > 20
    assert Household.objects.filter(care=ONLY).count() > 20


def test_it_gives_residents_valid_mainland_mobile_numbers(demo):
    phones = Resident.objects.exclude(phone="").values_list("phone", flat=True)
    assert phones.count() > Resident.objects.count() / 3
    for phone in phones:
        mainland_mobile_validator(phone)


def assert_care_flags_match_the_register():
    today = timezone.localdate()
    for household in Household.objects.prefetch_related("residents"):
        present = [r for r in household.residents.all() if r.status == Resident.Status.PRESENT]
        assert household.care == household.care_for(present, today), household
        births = [r.birth_date for r in present]
        assert household.eldest_birth_date == min(births, default=None)


def test_it_stores_the_same_care_flags_as_household_care_for(demo):
    assert_care_flags_match_the_register()


def test_it_registers_zhou_apo_living_alone_in_gongjiao_xincun(demo):
    household = gjxc_household("2号", "201")
    (zhou,) = household.residents.present()
    assert zhou.name == "周秀英"
    assert zhou.age >= 80
    assert "周阿婆" in household.notes
    assert household.care == ALONE


def test_it_gives_every_demo_account_the_password(demo):
    for username in ACCOUNTS:
        assert authenticate(username=username, password=PASSWORD) is not None, username


def test_it_writes_chinese_names_whole_so_they_read_in_the_right_order(demo):
    assert User.objects.get(username="huyun").get_full_name() == "胡云"
    assert str(User.objects.get(username="yangying")) == "杨莹"


def test_it_makes_huyun_and_yangying_committee_staff_of_their_neighbourhoods(demo):
    huyun = User.objects.get(username="huyun")
    assert huyun.is_committee_staff
    assert huyun.worker.neighbourhood.name == "公交新村居民区"
    assert (huyun.worker.position, huyun.worker.start_year) == ("居委会主任", 2018)
    assert huyun.worker.zones.exists()
    yangying = User.objects.get(username="yangying")
    assert yangying.worker.neighbourhood.name == "定海港路居民区"
    assert yangying.worker.position == "党总支书记、居委会主任"
    assert yangying.worker.start_year == 2015


def test_it_gives_every_zone_an_owner_from_its_own_neighbourhood(demo):
    for zone in Zone.objects.select_related("worker"):
        assert zone.worker is not None, zone
        assert zone.worker.neighbourhood_id == zone.neighbourhood_id


def test_it_links_the_resident_account_to_her_gongjiao_xincun_household(demo):
    user = User.objects.get(username="resident")
    assert user.resident.name == user.get_full_name() == "李梅"
    assert user.resident.household == gjxc_household("1号", "302")
    assert user.phone == user.resident.phone
    assert not user.is_committee_staff


def test_it_makes_ling_jianmei_an_approved_volunteer_of_wenhua_jiayuan(demo):
    user = User.objects.get(username="volunteer")
    assert user.is_volunteer
    assert user.volunteer_profile.skills == "维持秩序、协调人员"
    assert user.resident.name == "凌建梅"
    assert user.resident.household.building.compound == "文化佳园"


def test_it_makes_centre_staff_and_a_district_admin(demo):
    centre = User.objects.get(username="centre")
    assert centre.is_centre_staff
    assert centre.centre_memberships.get().centre.name == "文化佳园睦邻中心"
    admin = User.objects.get(username="admin")
    assert admin.is_district_admin and admin.is_staff


def test_it_leaves_huyun_a_queue_with_a_matching_and_an_unmatched_link_request(demo):
    huyun = User.objects.get(username="huyun")
    pending = LinkRequest.objects.visible_to(huyun).pending()
    matches = {request.name: list(request.candidates()) for request in pending}
    assert [r.name for r in matches["张建华"]] == ["张建华"]
    assert matches["陈晓燕"] == []


def test_it_adds_no_rows_when_run_again_and_resets_the_passwords(demo):
    before = row_counts()
    out = seed(small=True, password="another-pw-2")
    assert row_counts() == before
    assert "already there" in out
    assert authenticate(username="huyun", password="another-pw-2") is not None


def test_it_does_nothing_with_if_empty_when_a_district_exists(demo):
    before = row_counts()
    out = seed(password="another-pw-2", if_empty=True)
    assert row_counts() == before
    assert "nothing to do" in out
    assert authenticate(username="huyun", password=PASSWORD) is not None


def test_it_prints_the_counts_and_the_accounts(demo):
    assert "households" in demo and "独居老人" in demo
    for username in ACCOUNTS:
        assert f"  {username} " in demo


# refresh_care_flags


def refresh(*args):
    out = StringIO()
    call_command("refresh_care_flags", *args, stdout=out)
    return out.getvalue()


def test_it_refreshes_the_whole_district_in_a_few_queries(demo, django_assert_max_num_queries):
    """Two reads and at most one write per 2,000 households, not a query per household."""
    Household.objects.update(care=NONE)
    with django_assert_max_num_queries(12):
        refresh()
    assert_care_flags_match_the_register()
