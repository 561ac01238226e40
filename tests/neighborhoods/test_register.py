"""Model rules of the register: care flags derived from who lives in a household."""

import datetime
import zoneinfo

import pytest
import time_machine

from neighborhoods.models import Household, Resident, age_on, birth_date_for_age
from tests import factories as f

pytestmark = pytest.mark.django_db

ALONE, ONLY, NONE = Household.Care.ELDERLY_ALONE, Household.Care.ELDERLY_ONLY, Household.Care.NONE
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def care_of(household):
    household.refresh_from_db()
    return household.care


@pytest.fixture
def household(places):
    building = f.BuildingFactory(neighbourhood=places["gjxc"], number="9号")
    return f.HouseholdFactory(building=building, room="501")


def test_it_flags_one_resident_aged_60_or_more_as_elderly_living_alone(household):
    f.ResidentFactory(household=household, birth_date=f.born_years_ago(75))
    assert care_of(household) == ALONE


def test_it_flags_two_residents_all_aged_60_or_more_as_elderly_only(household):
    f.ResidentFactory(household=household, birth_date=f.born_years_ago(75))
    f.ResidentFactory(household=household, birth_date=f.born_years_ago(68))
    assert care_of(household) == ONLY


def test_it_gives_no_flag_when_one_resident_is_younger_than_60(household):
    f.ResidentFactory(household=household, birth_date=f.born_years_ago(75))
    f.ResidentFactory(household=household, birth_date=f.born_years_ago(35))
    assert care_of(household) == NONE


def test_it_gives_no_flag_to_an_empty_household(household):
    household.refresh_care()
    assert care_of(household) == NONE
    assert household.eldest_birth_date is None


def test_it_gives_no_flag_when_a_residents_birth_date_is_unknown(household):
    f.ResidentFactory(household=household, birth_date=f.born_years_ago(80))
    f.ResidentFactory(household=household, birth_date=None)
    assert care_of(household) == NONE


def test_it_gives_no_flag_to_a_lone_resident_without_birth_date(household):
    resident = f.ResidentFactory(household=household, birth_date=None)
    assert care_of(household) == NONE
    assert household.eldest_birth_date is None
    assert resident.age is None


def test_it_stores_the_eldest_birth_date(household):
    eldest = f.born_years_ago(90)
    f.ResidentFactory(household=household, birth_date=f.born_years_ago(62))
    f.ResidentFactory(household=household, birth_date=eldest)
    care_of(household)
    assert household.eldest_birth_date == eldest


def test_it_flags_living_alone_when_the_younger_resident_moves_out(household):
    f.ResidentFactory(household=household, birth_date=f.born_years_ago(82))
    son = f.ResidentFactory(household=household, birth_date=f.born_years_ago(50))
    assert care_of(household) == NONE

    son.move_out()

    son.refresh_from_db()
    assert son.status == Resident.Status.MOVED_OUT
    assert son.status_changed_on is not None
    assert care_of(household) == ALONE


def test_it_turns_elderly_only_into_living_alone_when_a_spouse_dies(household):
    f.ResidentFactory(household=household, birth_date=f.born_years_ago(82))
    husband = f.ResidentFactory(household=household, birth_date=f.born_years_ago(85))
    assert care_of(household) == ONLY

    husband.record_death(on=datetime.date(2024, 3, 1))

    husband.refresh_from_db()
    assert husband.status == Resident.Status.DECEASED
    assert husband.status_changed_on == datetime.date(2024, 3, 1)
    assert care_of(household) == ALONE


def test_it_clears_the_flag_when_the_last_resident_dies(household):
    widow = f.ResidentFactory(household=household, birth_date=f.born_years_ago(90))
    assert care_of(household) == ALONE
    widow.record_death()
    assert care_of(household) == NONE


def test_it_recomputes_both_households_when_a_resident_moves(household, places):
    other = f.HouseholdFactory(building=household.building, room="502")
    f.ResidentFactory(household=household, birth_date=f.born_years_ago(80))
    daughter = f.ResidentFactory(household=household, birth_date=f.born_years_ago(45))
    f.ResidentFactory(household=other, birth_date=f.born_years_ago(77))
    f.ResidentFactory(household=other, birth_date=f.born_years_ago(76))
    assert (care_of(household), care_of(other)) == (NONE, ONLY)

    daughter.move_to(other)

    assert care_of(household) == ALONE
    assert care_of(other) == NONE
    daughter.refresh_from_db()
    assert daughter.household == other
    assert daughter.status == Resident.Status.PRESENT


def test_it_puts_a_moved_out_resident_back_as_present_when_moving_in(household):
    other = f.HouseholdFactory(building=household.building, room="503")
    grandpa = f.ResidentFactory(household=household, birth_date=f.born_years_ago(88))
    grandpa.move_out()
    assert care_of(household) == NONE

    grandpa.move_to(other)

    assert care_of(other) == ALONE


def test_it_recomputes_both_households_on_a_plain_save_with_a_changed_household(household):
    """What the admin form does: set the household field and save()."""
    other = f.HouseholdFactory(building=household.building, room="504")
    f.ResidentFactory(household=household, birth_date=f.born_years_ago(70))
    young = f.ResidentFactory(household=household, birth_date=f.born_years_ago(30))
    young.household = other
    young.save()
    assert care_of(household) == ALONE
    assert care_of(other) == NONE


def test_it_recomputes_when_the_admin_changes_a_residents_household(household, admin, login):
    other = f.HouseholdFactory(building=household.building, room="505")
    f.ResidentFactory(household=household, birth_date=f.born_years_ago(70))
    young = f.ResidentFactory(
        household=household, name="小王", birth_date=f.born_years_ago(30), phone="13911112222"
    )
    client = login(admin)
    response = client.post(
        f"/admin/neighborhoods/resident/{young.pk}/change/",
        {
            "household": other.pk,
            "name": "小王",
            "gender": "M",
            "birth_date": young.birth_date.isoformat(),
            "relation": "",
            "phone": "13911112222",
            "status": "present",
            "status_changed_on": "",
            "user": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert care_of(household) == ALONE
    assert care_of(other) == NONE


def test_it_recomputes_when_the_admin_edits_a_birth_date_in_the_household_inline(
    household, admin, login
):
    person = f.ResidentFactory(
        household=household, name="老李", birth_date=f.born_years_ago(40), phone="13911113333"
    )
    assert care_of(household) == NONE
    data = {
        "building": household.building_id,
        "room": household.room,
        "phone": "",
        "notes": "",
        "residents-TOTAL_FORMS": "1",
        "residents-INITIAL_FORMS": "1",
        "residents-MIN_NUM_FORMS": "0",
        "residents-MAX_NUM_FORMS": "1000",
        "residents-0-id": person.pk,
        "residents-0-household": household.pk,
        "residents-0-name": "老李",
        "residents-0-gender": "M",
        "residents-0-birth_date": f.born_years_ago(71).isoformat(),
        "residents-0-relation": "",
        "residents-0-phone": "13911113333",
        "residents-0-status": "present",
        "residents-0-user": "",
    }
    response = login(admin).post(f"/admin/neighborhoods/household/{household.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert care_of(household) == ALONE


def test_it_recomputes_when_a_resident_is_deleted(household):
    f.ResidentFactory(household=household, birth_date=f.born_years_ago(66))
    lodger = f.ResidentFactory(household=household, birth_date=f.born_years_ago(25))
    assert care_of(household) == NONE
    lodger.delete()
    assert care_of(household) == ALONE


@pytest.mark.parametrize(
    ("today", "care"),
    [
        (datetime.date(2024, 6, 14), NONE),  # the day before the 60th birthday
        (datetime.date(2024, 6, 15), ALONE),  # the 60th birthday
        (datetime.date(2024, 6, 16), ALONE),
    ],
)
def test_it_counts_someone_as_elderly_from_their_60th_birthday(household, today, care):
    with time_machine.travel(datetime.datetime(2024, 6, 1, 9, tzinfo=SHANGHAI), tick=False):
        f.ResidentFactory(household=household, birth_date=datetime.date(1964, 6, 15))
        assert care_of(household) == NONE
    with time_machine.travel(
        datetime.datetime.combine(today, datetime.time(9), SHANGHAI), tick=False
    ):
        household.refresh_care()
        assert care_of(household) == care


def test_it_uses_the_shanghai_date_for_the_60th_birthday(household):
    """At 23:30 UTC on 14 June it is already 15 June in Shanghai."""
    f.ResidentFactory(household=household, birth_date=datetime.date(1964, 6, 15))
    with time_machine.travel(
        datetime.datetime(2024, 6, 14, 23, 30, tzinfo=datetime.UTC), tick=False
    ):
        household.refresh_care()
    assert care_of(household) == ALONE


def test_it_computes_ages_on_a_day():
    assert age_on(datetime.date(1964, 6, 15), datetime.date(2024, 6, 14)) == 59
    assert age_on(datetime.date(1964, 6, 15), datetime.date(2024, 6, 15)) == 60
    assert birth_date_for_age(60, datetime.date(2024, 2, 29)) == datetime.date(1964, 2, 29)
    assert birth_date_for_age(61, datetime.date(2024, 2, 29)) == datetime.date(1963, 2, 28)


def test_it_matches_link_request_candidates_by_building_room_and_name(gjxc_household, stranger):
    from neighborhoods.models import LinkRequest

    request = LinkRequest.objects.create(
        user=stranger,
        neighbourhood=gjxc_household.building.neighbourhood,
        building=" 1 ",
        room="302室",
        name="周秀英",
    )
    assert [r.name for r in request.candidates()] == ["周秀英"]
    request.name = "周秀"
    assert list(request.candidates()) == []
