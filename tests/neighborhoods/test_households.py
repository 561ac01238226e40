"""The household register pages: scoping, filters, search, pages, masked phones, access log."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from neighborhoods.models import Household, ResidentTag
from neighborhoods.permissions import tag_dictionary_for
from neighborhoods.register.forms import HouseholdFilterForm
from portal.models import AccessLog
from tests import factories as f

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def register(places, huyun, gjxc_household):
    """公交新村: zone 一片 (1号: 302 周秀英 82 alone, 303 a couple of 70s, 401 a family) and
    zone 二片 (2号: 101 陈明 45)."""
    gjxc = places["gjxc"]
    one = gjxc.buildings.get(number="1号")
    two_zone = f.ZoneFactory(neighbourhood=gjxc, name="二片")
    two = f.BuildingFactory(neighbourhood=gjxc, number="2号", zone=two_zone)
    couple = f.HouseholdFactory(building=one, room="303")
    f.ResidentFactory(household=couple, name="赵大伯", birth_date=f.born_years_ago(74))
    f.ResidentFactory(household=couple, name="赵大妈", birth_date=f.born_years_ago(71))
    family = f.HouseholdFactory(building=one, room="401")
    f.ResidentFactory(household=family, name="孙丽", birth_date=f.born_years_ago(38))
    f.ResidentFactory(household=family, name="孙小明", birth_date=f.born_years_ago(9))
    chen = f.HouseholdFactory(building=two, room="101")
    f.ResidentFactory(household=chen, name="陈明", birth_date=f.born_years_ago(45))
    return {
        "alone": gjxc_household,
        "couple": couple,
        "family": family,
        "chen": chen,
        "zone_one": one.zone,
        "zone_two": two_zone,
        "one": one,
        "two": two,
    }


def listed(response):
    return [str(h) for h in response.context["page"].object_list]


def test_it_lists_only_the_households_of_the_staff_members_neighbourhood(
    login, register, dhg_household
):
    response = login(register["alone"].building.neighbourhood.workers.get().user).get(
        "/staff/households/"
    )
    assert response.status_code == 200
    assert listed(response) == ["1号 302室", "1号 303室", "1号 401室", "2号 101室"]
    assert str(dhg_household) not in response.content.decode()


def test_a_district_admin_gets_one_neighbourhood_at_a_time(
    login, admin, places, register, dhg_household
):
    """At district size the whole district in one list (500,000 households, 28,000
    buildings to choose from) was a 1.2 MB page of 1.7 s: an admin chooses a
    neighbourhood, the first by default (as on the map), and its zones and buildings."""
    client = login(admin)
    first = client.get("/staff/households/")  # by subdistrict: 四平路街道 (公交新村) first
    assert first.context["form"].neighbourhood == places["gjxc"]
    assert "2号 101室" in listed(first) and str(dhg_household) not in listed(first)
    assert f'<option value="{places["gjxc"].pk}" selected>' in first.content.decode()
    assert set(first.context["form"].fields["zone"].queryset) == {
        register["zone_one"],
        register["zone_two"],
    }
    dhg = client.get("/staff/households/", {"neighbourhood": places["dhg"].pk})
    assert listed(dhg) == [str(dhg_household)]
    assert list(dhg.context["form"].fields["building"].queryset) == [dhg_household.building]
    assert first.context["page"].paginator.count + dhg.context["page"].paginator.count == 5
    # A zone of another neighbourhood than the one chosen is not a choice.
    other = client.get(
        "/staff/households/",
        {"neighbourhood": places["dhg"].pk, "zone": register["zone_two"].pk},
    )
    assert other.context["form"].errors["zone"]


@pytest.mark.parametrize("value", ["abc", "999999"])
def test_an_unknown_neighbourhood_is_a_form_error(login, admin, register, value):
    response = login(admin).get("/staff/households/", {"neighbourhood": value})
    assert response.status_code == 200
    assert response.context["form"].errors["neighbourhood"]
    assert "请从列出的居民区中选择一个。" in response.content.decode()


def test_staff_get_no_neighbourhood_choice(login, huyun, register):
    assert "neighbourhood" not in login(huyun).get("/staff/households/").context["form"].fields


def test_it_does_not_offer_another_neighbourhoods_zones_or_buildings(login, yangying, register):
    response = login(yangying).get("/staff/households/")
    form = response.context["form"]
    assert list(form.fields["zone"].queryset) == []
    assert list(form.fields["building"].queryset) == []
    response = login(yangying).get("/staff/households/", {"zone": register["zone_one"].pk})
    assert response.context["form"].errors
    assert listed(response) == []


def test_it_filters_by_zone(login, huyun, register):
    response = login(huyun).get("/staff/households/", {"zone": register["zone_two"].pk})
    assert listed(response) == ["2号 101室"]


def test_it_filters_by_building(login, huyun, register):
    response = login(huyun).get("/staff/households/", {"building": register["one"].pk})
    assert listed(response) == ["1号 302室", "1号 303室", "1号 401室"]


@pytest.mark.parametrize(
    ("care", "expected"),
    [(Household.Care.ELDERLY_ALONE, ["1号 302室"]), (Household.Care.ELDERLY_ONLY, ["1号 303室"])],
)
def test_it_filters_by_care_flag(login, huyun, register, care, expected):
    response = login(huyun).get("/staff/households/", {"care": care})
    assert listed(response) == expected


def test_it_combines_filters(login, huyun, register):
    response = login(huyun).get(
        "/staff/households/", {"zone": register["zone_two"].pk, "care": "alone"}
    )
    assert listed(response) == []
    assert (
        "No household matches these filters."
        in login(huyun)
        .get("/staff/households/", {"zone": register["zone_two"].pk, "care": "alone"}, **EN)
        .content.decode()
    )


def tag(name):
    return ResidentTag.objects.get(name=name)


def offered(form):
    return {value for value, label in form.fields["tag"].choices if value}


def test_it_filters_by_a_resident_tag(login, huyun, register):
    """Households with a present resident who has the tag; one row however many have it."""
    register["couple"].residents.get(name="赵大伯").tags.add(tag("高龄"))
    register["couple"].residents.get(name="赵大妈").tags.add(tag("高龄"))
    register["family"].residents.get(name="孙丽").tags.add(tag("低保"))
    client = login(huyun)
    assert listed(client.get("/staff/households/", {"tag": tag("高龄").pk})) == ["1号 303室"]
    assert listed(client.get("/staff/households/", {"tag": tag("低保").pk})) == ["1号 401室"]
    response = client.get(
        "/staff/households/", {"tag": tag("高龄").pk, "zone": register["zone_two"].pk}
    )
    assert listed(response) == []


def test_it_does_not_find_a_household_by_a_former_residents_tag(login, huyun, register):
    chen = register["chen"].residents.get()
    chen.tags.add(tag("高龄"))
    chen.move_out()
    assert listed(login(huyun).get("/staff/households/", {"tag": tag("高龄").pk})) == []


def test_it_offers_the_tags_of_the_tag_dictionary_rule(login, huyun, admin, resident):
    """The choices are tag_dictionary_for(user): staff and admins get the sensitive ones
    too; anyone else (the form is not reachable for them, but the rule is the same) not."""
    for user in (huyun, admin):
        form = login(user).get("/staff/households/").context["form"]
        assert offered(form) == {t.pk for t in tag_dictionary_for(user)}
        assert tag("低保").pk in offered(form)
    form = HouseholdFilterForm(user=resident)
    assert tag("低保").pk not in offered(form)
    assert tag("高龄").pk in offered(form)


@pytest.mark.parametrize("value", ["999999", "abc", "1;drop", "%00"])
def test_it_answers_an_unknown_tag_with_a_form_error(login, huyun, register, value):
    response = login(huyun).get("/staff/households/", {"tag": value}, **EN)
    assert response.status_code == 200
    assert "Choose one of the tags listed." in response.context["form"].errors["tag"]
    assert "Choose one of the tags listed." in response.content.decode()


def test_it_keeps_a_tag_filtered_list_within_the_query_budget(
    login, huyun, places, django_assert_max_num_queries
):
    zone = huyun.worker.zones.get()
    make_households(places["gjxc"], zone, 60)
    elderly = tag("高龄")
    for household in Household.objects.filter(building__zone=zone):
        household.residents.first().tags.add(elderly)
    client = login(huyun)
    with django_assert_max_num_queries(HOUSEHOLD_LIST_BUDGET):
        response = client.get("/staff/households/", {"tag": elderly.pk})
    assert len(response.context["page"].object_list) == settings.HOUSEHOLDS_PER_PAGE


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("周秀英", ["1号 302室"]),
        ("赵", ["1号 303室"]),
        ("401", ["1号 401室"]),
        ("2号", ["2号 101室"]),
        ("  孙小明 ", ["1号 401室"]),
    ],
)
def test_it_searches_by_name_or_room(login, huyun, register, q, expected):
    response = login(huyun).get("/staff/households/", {"q": q})
    assert listed(response) == expected


def test_it_does_not_find_a_household_by_a_former_residents_name(login, huyun, register):
    register["chen"].residents.get().move_out()
    response = login(huyun).get("/staff/households/", {"q": "陈明"})
    assert listed(response) == []


def test_it_keeps_the_filters_in_the_page_links(login, huyun, register, settings):
    settings.HOUSEHOLDS_PER_PAGE = 2
    response = login(huyun).get("/staff/households/", {"building": register["one"].pk})
    html = response.content.decode()
    assert listed(response) == ["1号 302室", "1号 303室"]
    assert f"?building={register['one'].pk}&amp;page=2" in html
    second = login(huyun).get("/staff/households/", {"building": register["one"].pk, "page": 2})
    assert listed(second) == ["1号 401室"]


def test_it_pages_the_list(login, huyun, register, settings):
    settings.HOUSEHOLDS_PER_PAGE = 3
    client = login(huyun)
    first = client.get("/staff/households/")
    assert listed(first) == ["1号 302室", "1号 303室", "1号 401室"]
    assert first.context["page"].paginator.num_pages == 2
    assert listed(client.get("/staff/households/", {"page": 2})) == ["2号 101室"]
    # A page number out of range or not a number gives the nearest page, not an error.
    assert listed(client.get("/staff/households/", {"page": 99})) == ["2号 101室"]
    assert listed(client.get("/staff/households/", {"page": "x"})) == listed(first)


def test_it_masks_phone_numbers_in_the_list(login, huyun, register):
    html = login(huyun).get("/staff/households/").content.decode()
    assert "138****5678" in html
    assert "13812345678" not in html


def test_it_masks_the_household_phone_when_no_resident_has_a_mobile(login, huyun, register):
    household = register["alone"]
    household.residents.update(phone="")
    html = login(huyun).get("/staff/households/").content.decode()
    assert "******34" in html
    assert "65431234" not in html


def test_it_shows_the_full_numbers_on_the_detail_page(login, huyun, register):
    response = login(huyun).get(f"/staff/households/{register['alone'].pk}/", **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "13812345678" in html
    assert "65431234" in html
    assert "周秀英" in html
    assert "82 years" in html
    assert "Elderly living alone" in html


def test_it_lists_former_members_apart(login, huyun, register):
    register["couple"].residents.get(name="赵大伯").record_death()
    response = login(huyun).get(f"/staff/households/{register['couple'].pk}/")
    assert [r.name for r in response.context["members"]] == ["赵大妈"]
    assert [r.name for r in response.context["former"]] == ["赵大伯"]


def test_it_hides_another_neighbourhoods_household_from_staff(login, yangying, register):
    response = login(yangying).get(f"/staff/households/{register['alone'].pk}/")
    assert response.status_code == 404
    assert "13812345678" not in response.content.decode()
    assert not AccessLog.objects.exists()


def test_it_lets_a_district_admin_open_any_household(login, admin, register, dhg_household):
    client = login(admin)
    assert client.get(f"/staff/households/{register['alone'].pk}/").status_code == 200
    assert client.get(f"/staff/households/{dhg_household.pk}/").status_code == 200


def test_it_writes_an_access_record_for_every_view(login, huyun, register):
    client = login(huyun)
    url = f"/staff/households/{register['alone'].pk}/"
    client.get(url)
    client.get(url)
    logs = list(AccessLog.objects.all())
    assert len(logs) == 2
    assert {(log.user, log.household, log.path) for log in logs} == {
        (huyun, register["alone"], url)
    }
    assert all(log.at is not None for log in logs)


def test_it_writes_one_access_record_for_the_list_with_the_households_shown(login, huyun, register):
    login(huyun).get("/staff/households/")
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.household) == (huyun, AccessLog.Action.HOUSEHOLD_LIST, None)
    assert set(log.households.all()) == {
        register[key] for key in ("alone", "couple", "family", "chen")
    }


def test_it_keeps_the_access_records_read_only_in_the_admin(login, admin, huyun, register):
    log = AccessLog.objects.create(user=huyun, household=register["alone"], path="/x/")
    client = login(admin)
    changelist = client.get("/admin/portal/accesslog/")
    assert changelist.status_code == 200
    assert "胡云" in changelist.content.decode() or "huyun" in changelist.content.decode()
    assert client.get("/admin/portal/accesslog/add/").status_code == 403
    assert (
        client.post(f"/admin/portal/accesslog/{log.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    response = client.post(f"/admin/portal/accesslog/{log.pk}/change/", {"path": "/changed/"})
    assert response.status_code == 403
    log.refresh_from_db()
    assert log.path == "/x/"
    # The change page opens as a read-only view.
    view = client.get(f"/admin/portal/accesslog/{log.pk}/change/")
    assert view.status_code == 200
    assert 'name="path"' not in view.content.decode()


def make_households(neighbourhood, zone, count):
    """`count` households in buildings of four, each with two residents (one elderly)."""
    for number in range(count):
        building = f.BuildingFactory(neighbourhood=neighbourhood, zone=zone)
        household = f.HouseholdFactory(building=building, room=f"{101 + number}")
        f.ResidentFactory(household=household, birth_date=f.born_years_ago(72))
        f.ResidentFactory(household=household, birth_date=f.born_years_ago(44))


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url", ["/staff/households/", "/staff/households/?q=张&care=", "/staff/households/?tag=1"]
)
def test_it_uses_the_same_number_of_queries_for_10_and_60_households(login, huyun, places, url):
    """The list must not query per household: a page of 10 and a full page (out of 60)
    cost the same number of queries."""
    client = login(huyun)
    zone = huyun.worker.zones.get()
    make_households(places["gjxc"], zone, 10)
    small = count_queries(client, url)
    make_households(places["gjxc"], zone, 50)
    large = count_queries(client, url)
    assert small == large


# Measured on a full page of households (of 60): session, user, district-admin group check,
# worker profile (staff check and scoping), the filter form's zones and buildings, the
# paginator's count, the visit-coverage summary of the visits work, the page of households,
# the prefetch of their present residents, the tag dictionary of the tag filter (one query,
# whether a tag is chosen or not), and the daily-watch alert job's heartbeat (the red banner
# of staff pages, one query) = 12; plus 1 for the access record (the row and the page's
# households in one statement: portal/audit.py) = 13, and one to spare = 14. It must not
# depend on the number of households (see the test above); raise it only for a new
# fixed-cost query, never per row.
HOUSEHOLD_LIST_BUDGET = 14


def test_it_keeps_the_household_list_within_its_query_budget(
    login, huyun, places, django_assert_max_num_queries
):
    """HOUSEHOLD_LIST_BUDGET queries for a full page of households out of 60: the count
    does not depend on the number of households (see the test above)."""
    make_households(places["gjxc"], huyun.worker.zones.get(), 60)
    client = login(huyun)
    with django_assert_max_num_queries(HOUSEHOLD_LIST_BUDGET):
        response = client.get("/staff/households/")
    assert len(response.context["page"].object_list) == settings.HOUSEHOLDS_PER_PAGE


def test_it_keeps_access_records_when_a_household_would_be_deleted(login, huyun, gjxc_household):
    """The access log is an audit trail: a household that was looked at cannot be deleted
    from under it (residents move out instead)."""
    from django.db.models import ProtectedError

    login(huyun).get(f"/staff/households/{gjxc_household.pk}/")
    with pytest.raises(ProtectedError):
        gjxc_household.residents.all().delete()
        gjxc_household.delete()
