"""Register upkeep: households and residents kept by their committee's staff, each change
in the household's history; care flags after each event; tags; zones; races."""

import datetime

import pytest
from django.utils import timezone

from neighborhoods.models import Household, RegisterChange, Resident, ResidentTag
from neighborhoods.permissions import visible_tags
from neighborhoods.register import services
from tests import factories as f
from tests.concurrency import run_concurrently


def _version(household):
    return services.household_version(household)


def _couple(places, ages=(78, 76)):
    building = places["gjxc"].buildings.get(number="1号")
    household = f.HouseholdFactory(building=building, room="501")
    husband = f.ResidentFactory(
        household=household, name="陈志明", birth_date=f.born_years_ago(ages[0])
    )
    wife = f.ResidentFactory(
        household=household, name="林美华", birth_date=f.born_years_ago(ages[1])
    )
    household.refresh_from_db()
    return household, husband, wife


# --- Households --------------------------------------------------------------------------


def test_it_adds_a_household_and_records_it(login, huyun, places):
    building = places["gjxc"].buildings.get(number="1号")
    response = login(huyun).post(
        "/staff/households/new/",
        {"building": building.pk, "room": "601室", "floor_area": "56.5", "seen": 0},
    )
    household = Household.objects.get(room="601")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/households/{household.pk}/"
    assert str(household.floor_area) == "56.50"
    change = household.changes.get()
    assert change.kind == "created" and change.by == huyun
    assert change.changes["room"] == ["", "601"]


def test_it_keeps_what_was_typed_on_a_bad_floor_area(login, huyun, places):
    building = places["gjxc"].buildings.get(number="1号")
    response = login(huyun).post(
        "/staff/households/new/",
        {"building": building.pk, "room": "602", "floor_area": "0", "notes": "新搬来", "seen": 0},
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("floor_area", "min_value")
    assert "新搬来" in response.content.decode()
    assert not Household.objects.filter(room="602").exists()


def test_it_refuses_a_building_of_another_neighbourhood(login, yangying, huyun, places):
    building = places["gjxc"].buildings.get(number="1号")
    response = login(yangying).post(
        "/staff/households/new/", {"building": building.pk, "room": "603", "seen": 0}
    )
    assert response.status_code == 400
    assert not Household.objects.filter(room="603").exists()


def test_it_edits_a_household_with_old_and_new_values(login, huyun, gjxc_household):
    client = login(huyun)
    data = {
        "building": gjxc_household.building_id,
        "room": "302",
        "floor_area": "48",
        "phone": "65439999",
        "notes": "",
        "seen": _version(gjxc_household),
    }
    response = client.post(f"/staff/households/{gjxc_household.pk}/edit/", data)
    assert response.status_code == 302
    change = gjxc_household.changes.get(kind="edited")
    assert change.changes == {"floor_area": ["", "48"], "phone": ["65431234", "65439999"]}
    page = client.get(f"/staff/households/{gjxc_household.pk}/").content.decode()
    assert "65431234" in page and "65439999" in page  # old → new in the history


def test_wrong_methods_answer_405(login, huyun, gjxc_household):
    client = login(huyun)
    assert client.put("/staff/households/new/").status_code == 405
    assert client.post(f"/staff/households/{gjxc_household.pk}/history/").status_code == 405
    assert client.get("/staff/zones/buildings/1/").status_code == 405


# --- Residents and their events: care flags follow ---------------------------------------


def test_the_survivor_of_an_elderly_couple_becomes_elderly_alone(login, huyun, places):
    household, husband, wife = _couple(places)
    assert household.care == Household.Care.ELDERLY_ONLY
    response = login(huyun).post(
        f"/staff/residents/{husband.pk}/death/",
        {"on": timezone.localdate().isoformat(), "seen": _version(household)},
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.care == Household.Care.ELDERLY_ALONE
    change = household.changes.get(kind="died")
    assert change.resident == husband
    assert change.changes["status"][1] == str(Resident.Status.DECEASED.label)


def test_a_death_before_birth_is_a_form_error(login, huyun, places):
    household, husband, _wife = _couple(places)
    response = login(huyun).post(
        f"/staff/residents/{husband.pk}/death/",
        {"on": "1900-01-01", "seen": _version(household)},
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("on", "before_birth")
    husband.refresh_from_db()
    assert husband.status == Resident.Status.PRESENT


def test_a_move_out_leaves_the_other_alone(login, huyun, places):
    household, _husband, wife = _couple(places)
    login(huyun).post(
        f"/staff/residents/{wife.pk}/move-out/",
        {"on": timezone.localdate().isoformat(), "seen": _version(household)},
    )
    household.refresh_from_db()
    assert household.care == Household.Care.ELDERLY_ALONE
    assert household.changes.get().kind == "moved_out"


def test_a_newborn_ends_the_elderly_only_flag(login, huyun, places):
    household, _h, _w = _couple(places)
    response = login(huyun).post(
        f"/staff/households/{household.pk}/residents/new/",
        {
            "kind": "born",
            "name": "陈小宝",
            "gender": "M",
            "birth_date": timezone.localdate().isoformat(),
            "relation": "孙子女",
            "seen": _version(household),
        },
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.care == Household.Care.NONE
    change = household.changes.get(kind="born")
    assert change.resident.name == "陈小宝" and change.changes["relation"] == ["", "孙子女"]


def test_a_birth_date_in_the_future_is_refused_next_to_the_field(login, huyun, gjxc_household):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(huyun).post(
        f"/staff/households/{gjxc_household.pk}/residents/new/",
        {
            "kind": "born",
            "name": "周小宝",
            "birth_date": tomorrow.isoformat(),
            "phone": "12345",
            "seen": _version(gjxc_household),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error("birth_date", "future")
    assert form.has_error("phone", "invalid_phone")
    assert page.count('class="error" id="id_') >= 2  # each message next to its field
    assert 'value="周小宝"' in page


def test_someone_moving_in_from_another_flat_changes_both_households(login, huyun, places):
    household, husband, wife = _couple(places)
    alone = f.HouseholdFactory(building=household.building, room="502")
    daughter = f.ResidentFactory(household=alone, name="陈丽", birth_date=f.born_years_ago(50))
    response = login(huyun).post(
        f"/staff/households/{household.pk}/move-in/",
        {
            "resident": daughter.pk,
            "on": timezone.localdate().isoformat(),
            "q": "陈丽",
            "seen": _version(household),
        },
    )
    assert response.status_code == 302
    daughter.refresh_from_db()
    household.refresh_from_db()
    assert daughter.household == household
    assert household.care == Household.Care.NONE  # no longer elderly-only
    assert alone.changes.get().kind == "moved_out"
    assert household.changes.get().kind == "moved_in"


def test_a_resident_of_another_neighbourhood_cannot_move_in(login, huyun, places, dhg_household):
    household, _h, _w = _couple(places)
    stranger = dhg_household.residents.get()
    response = login(huyun).post(
        f"/staff/households/{household.pk}/move-in/",
        {"resident": stranger.pk, "on": timezone.localdate().isoformat(), "seen": 0},
    )
    assert response.status_code == 400
    stranger.refresh_from_db()
    assert stranger.household == dhg_household


def test_editing_a_resident_records_old_and_new(login, huyun, gjxc_household):
    resident = gjxc_household.residents.get()
    tag = ResidentTag.objects.get(name="低保")
    response = login(huyun).post(
        f"/staff/residents/{resident.pk}/edit/",
        {
            "name": "周秀英",
            "birth_date": resident.birth_date.isoformat(),
            "phone": "13900002222",
            "relation": "户主",
            "tags": [tag.pk],
            "seen": _version(gjxc_household),
        },
    )
    assert response.status_code == 302
    change = gjxc_household.changes.get()
    assert change.kind == "edited"
    assert change.changes["phone"] == ["13812345678", "13900002222"]
    assert change.changes["tags"] == ["", "低保"]


def test_a_stale_form_is_refused_not_overwriting_a_colleagues_change(login, huyun, gjxc_household):
    resident = gjxc_household.residents.get()
    stale = _version(gjxc_household)
    services.resident_update(
        resident=resident,
        fields={"relation": "户主"},
        tags=[],
        by=huyun,
        seen=stale,
    )
    response = login(huyun).post(
        f"/staff/residents/{resident.pk}/edit/",
        {"name": "周秀英", "relation": "配偶", "seen": stale},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.relation == "户主"


# --- Tags ---------------------------------------------------------------------------------


def test_the_dictionary_is_seeded(db):
    assert ResidentTag.objects.filter(name="低保", sensitive=True).exists()
    assert ResidentTag.objects.filter(name="高龄", sensitive=False).exists()


def test_sensitive_tags_only_for_the_neighbourhoods_staff(huyun, yangying, admin, resident):
    record = resident.resident_record
    record.tags.set(ResidentTag.objects.filter(name__in=["低保", "高龄"]))
    assert {t.name for t in visible_tags(huyun, record)} == {"低保", "高龄"}
    assert {t.name for t in visible_tags(admin, record)} == {"低保", "高龄"}
    assert {t.name for t in visible_tags(yangying, record)} == {"高龄"}
    assert {t.name for t in visible_tags(resident, record)} == {"高龄"}


def test_the_household_page_shows_tags(login, huyun, gjxc_household):
    gjxc_household.residents.get().tags.set(ResidentTag.objects.filter(name="失独"))
    page = login(huyun).get(f"/staff/households/{gjxc_household.pk}/").content.decode()
    assert "失独" in page


# --- History: newest first, limited, a fixed number of queries ---------------------------


def _changes(household, user, n):
    resident = household.residents.get()
    for i in range(n):
        services.resident_update(
            resident=resident,
            fields={"relation": f"户主{i}"},
            tags=[],
            by=user,
            seen=None,
        )


@pytest.mark.parametrize("n", [4, 12])
def test_the_history_section_costs_a_fixed_number_of_queries(
    login, huyun, gjxc_household, n, django_assert_max_num_queries
):
    """The history section is two queries (the latest changes with who and whom; their
    count) however many changes there are, and the page as a whole stays within budget."""
    _changes(gjxc_household, huyun, n)
    client = login(huyun)
    client.get(f"/staff/households/{gjxc_household.pk}/")
    with django_assert_max_num_queries(20):
        response = client.get(f"/staff/households/{gjxc_household.pk}/")
    page = response.content.decode()
    assert page.count('class="register-change"') == min(n, 10)
    assert page.index(f"户主{n - 1}") < page.index(f"户主{n - 2}")  # newest first
    assert (f"/staff/households/{gjxc_household.pk}/history/" in page) == (n > 10)


def test_the_history_page_is_paginated(login, huyun, gjxc_household):
    _changes(gjxc_household, huyun, 30)
    client = login(huyun)
    first = client.get(f"/staff/households/{gjxc_household.pk}/history/").content.decode()
    second = client.get(f"/staff/households/{gjxc_household.pk}/history/?page=2")
    assert first.count('class="register-change"') == 25
    assert second.content.decode().count('class="register-change"') == 5


# --- Zones --------------------------------------------------------------------------------


def test_a_director_moves_a_building_and_sets_a_worker(login, huyun, places):
    gjxc = places["gjxc"]
    zone2 = f.ZoneFactory(neighbourhood=gjxc, name="二片")
    colleague = f.WorkerFactory(neighbourhood=gjxc, position="社区工作者")
    building = gjxc.buildings.get(number="1号")
    client = login(huyun)
    assert client.get("/staff/zones/").status_code == 200
    response = client.post(f"/staff/zones/buildings/{building.pk}/", {"zone": zone2.pk})
    assert response.status_code == 302
    building.refresh_from_db()
    assert building.zone == zone2
    client.post(f"/staff/zones/{zone2.pk}/worker/", {"worker": colleague.pk})
    zone2.refresh_from_db()
    assert zone2.worker == colleague


def test_a_worker_who_is_not_a_director_is_refused(client, places):
    worker = f.WorkerFactory(neighbourhood=places["gjxc"], position="党总支副书记")
    client.force_login(worker.user)
    assert client.get("/staff/zones/").status_code == 403


def test_the_director_rule_reads_the_position():
    assert f.WorkerFactory.build(position="党总支书记、居委会主任").is_director
    assert not f.WorkerFactory.build(position="居委会副主任").is_director


# --- Races: two staff on one household at once --------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_staff_adding_the_same_newborn_at_once_add_one(places_committed):
    household, staff = places_committed
    seen = _version(household)
    born = timezone.localdate()

    def add(i):
        try:
            services.resident_add(
                household=household,
                fields={"name": "刘小宝", "birth_date": born, "relation": "子女"},
                by=staff[i],
                seen=seen,
                kind="born",
            )
        except services.Refused:
            return "refused"
        return "added"

    results = run_concurrently(add, 2)
    assert results.errors == []
    assert sorted(results.values) == ["added", "refused"]
    assert household.residents.filter(name="刘小宝").count() == 1
    assert RegisterChange.objects.filter(household=household, kind="born").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_edits_at_once_lose_nothing(places_committed):
    household, staff = places_committed
    resident = household.residents.get()
    seen = _version(household)

    def edit(i):
        try:
            services.resident_update(
                resident=resident,
                fields={"phone": f"1390000000{i}"},
                tags=[],
                by=staff[i],
                seen=seen,
            )
        except services.Refused:
            return "refused"
        return "saved"

    results = run_concurrently(edit, 2)
    assert results.errors == []
    assert sorted(results.values) == ["refused", "saved"]
    resident.refresh_from_db()
    change = RegisterChange.objects.get(household=household)
    assert change.changes["phone"][1] == resident.phone  # the history matches the row


@pytest.fixture
def places_committed(transactional_db):
    from tests import conftest as personas

    places = personas.build_places()
    huyun = personas.build_huyun(places)
    household = personas.build_gjxc_household(places)
    colleague = f.WorkerFactory(neighbourhood=places["gjxc"], position="社区工作者").user
    return household, [huyun, colleague]
