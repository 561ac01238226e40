"""Home visits (走访): logging, the 24-hour correction window, addenda, the household page."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from neighborhoods.models import Need, NeedAction, Visit
from tests import factories as f

from .visit_factories import NeedFactory, VisitFactory

NEW = "/staff/visits/new/"
VISIT_FORM_QUERIES = 8


def _post_data(**extra):
    data = {
        "when": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "kind": "care",
        "met": "周秀英本人",
        "notes": "精神不错，膝盖疼",
        "needs-TOTAL_FORMS": "3",
        "needs-INITIAL_FORMS": "0",
        "needs-MIN_NUM_FORMS": "0",
        "needs-MAX_NUM_FORMS": "10",
    }
    for i in range(3):
        data.update(
            {
                f"needs-{i}-category": "",
                f"needs-{i}-urgency": "normal",
                f"needs-{i}-description": "",
            }
        )
    data.update(extra)
    return data


# --- permissions ------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(client, places):
    response = client.get(NEW)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_refuses_residents(login, resident):
    assert login(resident).get(NEW).status_code == 403


def test_it_hides_a_household_of_another_neighbourhood(login, yangying, gjxc_household):
    response = login(yangying).get(f"{NEW}?household={gjxc_household.pk}")
    assert response.status_code == 404


def test_it_hides_another_neighbourhoods_visit(login, yangying, huyun, gjxc_household):
    visit = VisitFactory(household=gjxc_household, staff=huyun)
    client = login(yangying)
    assert client.get(f"/staff/visits/{visit.pk}/").status_code == 404
    assert client.get(f"/staff/visits/{visit.pk}/edit/").status_code == 404
    response = client.post(f"/staff/visits/{visit.pk}/addenda/", {"text": "x"})
    assert response.status_code == 404
    assert not visit.addenda.exists()


def test_it_refuses_residents_on_every_visit_page(login, resident, huyun, gjxc_household):
    visit = VisitFactory(household=gjxc_household, staff=huyun)
    client = login(resident)
    for url in [f"/staff/visits/{visit.pk}/", f"/staff/visits/{visit.pk}/edit/"]:
        assert client.get(url).status_code == 403
    assert client.post(f"/staff/visits/{visit.pk}/addenda/", {"text": "x"}).status_code == 403


def test_it_answers_405_to_a_get_on_the_addendum_url(login, huyun, gjxc_household):
    visit = VisitFactory(household=gjxc_household, staff=huyun)
    assert login(huyun).get(f"/staff/visits/{visit.pk}/addenda/").status_code == 405
    assert login(huyun).delete(NEW).status_code == 405


# --- logging a visit --------------------------------------------------------------------


def test_it_logs_a_visit_picked_by_building_and_room(login, huyun, gjxc_household):
    building = gjxc_household.building
    response = login(huyun).post(NEW, _post_data(building=building.pk, room="302室"))
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.household, visit.staff, visit.kind) == (gjxc_household, huyun, "care")
    assert visit.notes == "精神不错，膝盖疼"
    assert not Need.objects.exists()


def test_it_logs_a_visit_that_raises_needs(login, huyun, gjxc_household):
    data = _post_data(household=gjxc_household.pk)
    data.update(
        {
            "needs-0-category": "health",
            "needs-0-urgency": "high",
            "needs-0-description": "膝盖疼，想预约家庭医生",
            "needs-2-category": "housing",
            "needs-2-description": "卫生间漏水",
        }
    )
    response = login(huyun).post(f"{NEW}?household={gjxc_household.pk}", data)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/households/{gjxc_household.pk}/"
    visit = Visit.objects.get()
    needs = Need.objects.order_by("category")
    assert [n.category for n in needs] == ["health", "housing"]
    for need in needs:
        assert (need.visit, need.raised_via, need.raised_by) == (visit, "visit", huyun)
        assert need.owner == huyun  # the worker of the household's zone
        assert need.actions.get().kind == NeedAction.Kind.RAISED


def test_it_keeps_everything_typed_when_the_flat_does_not_exist(login, huyun, gjxc_household):
    data = _post_data(building=gjxc_household.building.pk, room="999")
    data.update({"needs-0-category": "finance", "needs-0-description": "医药费负担重"})
    response = login(huyun).post(NEW, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "999室" in page  # 户籍登记中没有 1号 999室。
    assert 'value="999"' in page
    assert "精神不错，膝盖疼" in page
    assert "医药费负担重" in page
    assert not Visit.objects.exists() and not Need.objects.exists()


def test_it_does_not_resolve_a_flat_of_another_neighbourhood(login, huyun, dhg_household):
    response = login(huyun).post(NEW, _post_data(building=dhg_household.building.pk, room="101"))
    assert response.status_code == 400
    assert not Visit.objects.exists()


def test_it_asks_for_a_description_of_a_started_need_row(login, huyun, gjxc_household):
    data = _post_data(household=gjxc_household.pk, **{"needs-1-category": "dispute"})
    response = login(huyun).post(f"{NEW}?household={gjxc_household.pk}", data)
    assert response.status_code == 400
    assert 'id="id_needs-1-description"' in response.content.decode()
    assert not Visit.objects.exists()


def test_it_refuses_a_visit_in_the_future(login, huyun, gjxc_household):
    later = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = login(huyun).post(
        f"{NEW}?household={gjxc_household.pk}", _post_data(household=gjxc_household.pk, when=later)
    )
    assert response.status_code == 400
    assert later in response.content.decode()


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "1999-12-31T23:59"])
def test_it_refuses_a_visit_before_2000(login, huyun, gjxc_household, when):
    """A year-1 date was stored, then made the household page fail for good (500)."""
    client = login(huyun)
    response = client.post(
        f"{NEW}?household={gjxc_household.pk}", _post_data(household=gjxc_household.pk, when=when)
    )
    assert response.status_code == 400
    assert when in response.content.decode()
    assert not Visit.objects.exists()
    assert client.get(f"/staff/households/{gjxc_household.pk}/").status_code == 200


def test_it_prefills_the_household_from_its_page(login, huyun, gjxc_household):
    response = login(huyun).get(f"{NEW}?household={gjxc_household.pk}")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'name="household" value="{gjxc_household.pk}"' in page
    assert 'id="id_building"' not in page


def test_it_finds_the_household_by_a_residents_name(login, huyun, gjxc_household, dhg_household):
    """The third way to the household (besides building + room, and its own page)."""
    f.ResidentFactory(household=dhg_household, name="周建华")
    response = login(huyun).get(NEW, {"q": "周"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="?household={gjxc_household.pk}"' in page and "周秀英" in page
    assert "周建华" not in page  # another neighbourhood's household


def test_it_says_when_no_household_matches(login, huyun, gjxc_household):
    page = login(huyun).get(NEW, {"q": "没有这个人"}).content.decode()
    assert "没有找到符合的住户" in page
    assert 'value="没有这个人"' in page


def test_it_searches_within_a_query_budget(login, huyun, gjxc_household):
    """Session, user, worker, the building choices, the matches and their residents: the
    same number of queries for 3 matches as for 9."""
    client = login(huyun)
    counts, made = [], 0
    for total in (3, 9):
        while made < total:
            made += 1
            household = f.HouseholdFactory(building=gjxc_household.building, room=f"90{made}")
            f.ResidentFactory(household=household, name="沈阿婆")
        with CaptureQueriesContext(connection) as queries:
            page = client.get(NEW, {"q": "沈阿婆"}).content.decode()
        assert page.count(" · 沈阿婆") == total
        counts.append(len(queries))
    assert counts[0] == counts[1] <= VISIT_FORM_QUERIES


# --- the 24-hour correction window -------------------------------------------------------


def test_it_lets_the_author_correct_a_visit_within_24_hours(login, huyun, gjxc_household):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        visit = VisitFactory(household=gjxc_household, staff=huyun)
        traveller.shift(datetime.timedelta(hours=23, minutes=59))
        data = {
            "when": timezone.localtime(visit.when).strftime("%Y-%m-%dT%H:%M"),
            "kind": "follow_up",
            "met": "女儿",
            "notes": "补充：已联系女儿",
        }
        response = login(huyun).post(f"/staff/visits/{visit.pk}/edit/", data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.kind, visit.met) == ("follow_up", "女儿")


def test_it_records_the_opening_of_the_correction_form(login, huyun, gjxc_household):
    from portal.models import AccessLog

    visit = VisitFactory(household=gjxc_household, staff=huyun, notes="膝盖疼")
    response = login(huyun).get(f"/staff/visits/{visit.pk}/edit/")
    assert "膝盖疼" in response.content.decode()
    assert AccessLog.objects.filter(
        user=huyun, household=gjxc_household, path=f"/staff/visits/{visit.pk}/edit/"
    ).exists()


def test_it_makes_a_visit_read_only_after_24_hours(login, huyun, gjxc_household):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        visit = VisitFactory(household=gjxc_household, staff=huyun, notes="原记录")
        traveller.shift(datetime.timedelta(hours=24, seconds=1))
        client = login(huyun)
        data = {"when": "2020-01-01T10:00", "kind": "care", "met": "x", "notes": "改掉"}
        response = client.post(f"/staff/visits/{visit.pk}/edit/", data)
        assert response.status_code == 302
        assert response["Location"] == f"/staff/visits/{visit.pk}/"
        page = client.get(f"/staff/visits/{visit.pk}/").content.decode()
    visit.refresh_from_db()
    assert visit.notes == "原记录"
    assert f"/staff/visits/{visit.pk}/edit/" not in page


def test_it_lets_only_the_author_correct(login, huyun, zone2, gjxc_household):
    visit = VisitFactory(household=gjxc_household, staff=huyun, notes="原记录")
    colleague = zone2.worker.user
    data = {"when": "2020-01-01T10:00", "kind": "care", "met": "x", "notes": "改掉"}
    response = login(colleague).post(f"/staff/visits/{visit.pk}/edit/", data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.notes == "原记录"


def test_it_lets_any_staff_of_the_neighbourhood_add_an_addendum(
    login, huyun, zone2, gjxc_household
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        visit = VisitFactory(household=gjxc_household, staff=huyun)
        traveller.shift(datetime.timedelta(days=30))
        response = login(zone2.worker.user).post(
            f"/staff/visits/{visit.pk}/addenda/", {"text": "后来得知已住院"}
        )
    assert response.status_code == 302
    addendum = visit.addenda.get()
    assert (addendum.author, addendum.text) == (zone2.worker.user, "后来得知已住院")


def test_it_shows_an_empty_addendum_as_an_error(login, huyun, gjxc_household):
    visit = VisitFactory(household=gjxc_household, staff=huyun)
    response = login(huyun).post(f"/staff/visits/{visit.pk}/addenda/", {"text": ""})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


# --- the household page -------------------------------------------------------------------


def test_it_shows_visits_newest_first_and_open_needs(login, huyun, gjxc_household):
    now = timezone.now()
    VisitFactory(
        household=gjxc_household,
        staff=huyun,
        when=now - datetime.timedelta(days=40),
        notes="旧的走访",
    )
    VisitFactory(household=gjxc_household, staff=huyun, when=now, notes="新的走访")
    NeedFactory(household=gjxc_household, description="需要助餐", owner=huyun)
    NeedFactory(
        household=gjxc_household, description="已解决的事", status="resolved", resolution="已修好"
    )
    page = login(huyun).get(f"/staff/households/{gjxc_household.pk}/").content.decode()
    assert page.index("新的走访") < page.index("旧的走访")
    open_section = page[page.index('id="open-needs"') : page.index('id="visits"')]
    assert "需要助餐" in open_section and "已解决的事" not in open_section


def _household_with_history(huyun, building, n):
    household = f.HouseholdFactory(building=building)
    f.ResidentFactory(household=household)
    for _ in range(n):
        visit = VisitFactory(household=household, staff=huyun)
        visit.addenda.create(author=huyun, text="补记")
        NeedFactory(household=household, owner=huyun, visit=visit)
        NeedFactory(household=household, status="resolved", resolution="ok")
    return household


@pytest.mark.parametrize("n", [2, 6])
def test_it_keeps_the_household_page_within_a_query_budget(
    login, huyun, places, n, django_assert_max_num_queries
):
    """The household page reads visits (with addenda), open and closed needs in a fixed
    number of queries, whether a household has 2 or 6 of each; and its activity sign-ups
    (one query, neighborhoods/includes/household_activities.html); the members' tags (one)
    and the register history (the latest changes and their count: two)."""
    building = places["gjxc"].buildings.get(number="1号")
    household = _household_with_history(huyun, building, n)
    client = login(huyun)
    client.get(f"/staff/households/{household.pk}/")  # warm up session and caches
    # 20 + the family members granted the household (neighborhoods/includes/household_family)
    with django_assert_max_num_queries(21):
        response = client.get(f"/staff/households/{household.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count('class="addendum"') == n
