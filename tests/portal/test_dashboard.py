"""/dashboard/: who sees which figures, the formulas on a small hand-computed example, the
ranking, and a query budget that holds as the district grows."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from neighborhoods.models import (
    CentreStaff,
    Resident,
    RosterWorker,
    WatchAlert,
    WatchCheck,
    WorkerHonour,
)
from notices.models import Guide, GuideQuestion, Notice, NoticeRead, Suggestion, Support, Topic
from portal.dashboard import services, views
from portal.dashboard.services import medians_to_close, watch_alerts
from tests import factories as f
from tests.neighborhoods.watch_helpers import enrol

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("portal:dashboard")
HELP = reverse("portal:dashboard-help")


def page(neighbourhood):
    return reverse("portal:dashboard-neighbourhood", args=[neighbourhood.pk])


# --- Who sees what -------------------------------------------------------------------------


def test_it_sends_visitors_to_sign_in(client, places):
    for url in [DASHBOARD, HELP, page(places["gjxc"])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_it_refuses_residents_and_centre_staff(login, resident, stranger, places):
    centre_user = f.UserFactory(username="centre")
    centre = places["gjxc"].subdistrict.centres.create(name="某睦邻中心")
    CentreStaff.objects.create(centre=centre, user=centre_user)
    for user in [resident, stranger, centre_user]:
        client = login(user)
        for url in [DASHBOARD, HELP, page(places["gjxc"])]:
            assert client.get(url).status_code == 403, (user, url)


def test_it_shows_committee_staff_their_own_neighbourhood(login, huyun, places):
    response = login(huyun).get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["neighbourhood"] == places["gjxc"]
    assert "公交新村居民区数据看板" in response.text
    assert login(huyun).get(page(places["gjxc"])).status_code == 200


def test_it_hides_another_neighbourhood_from_its_staff(login, yangying, places):
    assert login(yangying).get(page(places["gjxc"])).status_code == 404
    assert login(yangying).get(page(places["dhg"])).status_code == 200


def test_it_shows_admins_the_district_and_every_neighbourhood(login, admin, places):
    response = login(admin).get(DASHBOARD)
    assert response.status_code == 200
    assert "全区数据看板" in response.text
    names = [row.neighbourhood.name for row in response.context["rows"]]
    assert sorted(names) == ["公交新村居民区", "定海港路居民区"]
    assert login(admin).get(page(places["dhg"])).status_code == 200


def test_it_answers_post_with_405(login, admin, places):
    for url in [DASHBOARD, HELP, page(places["gjxc"])]:
        assert login(admin).post(url).status_code == 405


def test_it_explains_the_formulas_in_plain_chinese(login, huyun):
    text = login(huyun).get(HELP).text
    assert "不满 14 岁的孩子不算在内" in text
    assert "每户得分最高的居民区记为100" in text


def test_it_puts_the_figures_in_the_staff_nav(login, huyun, resident):
    assert DASHBOARD in login(huyun).get("/").text
    assert f'href="{DASHBOARD}"' not in login(resident).get("/").text


# --- The formulas on a small example ----------------------------------------------------------


@pytest.fixture
def example(places, huyun, yangying):
    """Two neighbourhoods, counted by hand.

    公交新村, building 1号 (zone 一片):
      flat 101: 40-year-old with an account, 40-year-old without, a 10-year-old (not
                counted: under 14), a 30-year-old who moved out with an account (not counted)
      flat 102: 70-year-old with an account, someone of unknown age without one (counted)
      → 上云率 = 2 linked ÷ 4 counted = 50.00 %; linked households: 101 and 102 = 2.
    定海港路, building 5号:
      flat 101: two 30-year-olds with accounts, a 70-year-old without one
      → 上云率 = 2 ÷ 3 = 66.67 %; linked households: 1.
    District: 4 ÷ 7 = 57.14 %.

    Events of the last 30 days (and one older, not counted):
      公交新村: 3 notices read by flat 101 (3 × 1), a suggestion by flat 102 (1 × 3),
                its support by flat 101 (1 × 1), a read 40 days ago (not counted)
                → 7 points ÷ 2 households = 3.5 per household
      定海港路: 1 notice read (1 × 1), 1 question on a guide (1 × 2)
                → 3 points ÷ 1 household = 3.0 per household
    互动指数: 公交新村 3.5 is the best = 100; 定海港路 100 × 3.0 ÷ 3.5 = 85.7 → 86.
    """
    gjxc, dhg = places["gjxc"], places["dhg"]
    building = gjxc.buildings.get(number="1号")
    flat_101 = f.HouseholdFactory(building=building, room="101")
    flat_102 = f.HouseholdFactory(building=building, room="102")
    a = f.UserFactory(username="a")
    b = f.UserFactory(username="b")
    gone = f.UserFactory(username="gone")
    f.ResidentFactory(household=flat_101, user=a, birth_date=f.born_years_ago(40))
    f.ResidentFactory(household=flat_101, birth_date=f.born_years_ago(40))
    f.ResidentFactory(household=flat_101, birth_date=f.born_years_ago(10))
    f.ResidentFactory(
        household=flat_101, user=gone, birth_date=f.born_years_ago(30),
        status=Resident.Status.MOVED_OUT,
    )  # fmt: skip
    f.ResidentFactory(household=flat_102, user=b, birth_date=f.born_years_ago(70))
    f.ResidentFactory(household=flat_102, birth_date=None)
    dhg_flat = f.HouseholdFactory(building=f.BuildingFactory(neighbourhood=dhg, number="5号"))
    c = f.UserFactory(username="c")
    d = f.UserFactory(username="d")
    f.ResidentFactory(household=dhg_flat, user=c, birth_date=f.born_years_ago(30))
    f.ResidentFactory(household=dhg_flat, user=d, birth_date=f.born_years_ago(30))
    f.ResidentFactory(household=dhg_flat, birth_date=f.born_years_ago(70))

    now = timezone.now()
    notices = [
        Notice.objects.create(title=f"通知{i}", body="…", district=places["district"])
        for i in range(4)
    ]
    for notice in notices[:3]:
        NoticeRead.objects.create(notice=notice, user=a, read_at=now - datetime.timedelta(days=2))
    NoticeRead.objects.create(notice=notices[3], user=a, read_at=now - datetime.timedelta(days=40))
    NoticeRead.objects.create(notice=notices[0], user=c, read_at=now - datetime.timedelta(days=1))
    topic = Topic.objects.create(
        neighbourhood=gjxc, title="红屋顶花园怎么设计？", deadline=timezone.localdate(),
        opened_by=huyun,
    )  # fmt: skip
    suggestion = Suggestion.objects.create(topic=topic, author=b, text="多种花")
    Support.objects.create(suggestion=suggestion, user=a)
    guide = Guide.objects.create(
        district=places["district"], title="加装电梯", body="…", published=True
    )
    GuideQuestion.objects.create(guide=guide, asker=c, text="要多少户同意？")
    return {"gjxc": gjxc, "dhg": dhg}


def test_it_counts_the_registration_rate_by_hand(example):
    rates = services.registration_rates("neighbourhood")
    gjxc, dhg = rates[example["gjxc"].pk], rates[example["dhg"].pk]
    assert (gjxc.linked, gjxc.counted, gjxc.percent) == (2, 4, 50.0)
    assert (dhg.linked, dhg.counted, dhg.percent) == (2, 3, 66.67)
    (district,) = services.registration_rates("district").values()
    assert (district.linked, district.counted, district.percent) == (4, 7, 57.14)
    (building,) = services.registration_rates("building", neighbourhood=example["gjxc"]).values()
    assert (building.linked, building.counted) == (2, 4)


def test_it_computes_the_interaction_index_by_hand(example):
    index = services.interaction_index()
    gjxc, dhg = index[example["gjxc"].pk], index[example["dhg"].pk]
    assert gjxc.counts["reads"] == 3
    assert (gjxc.points, gjxc.households, gjxc.per_household) == (7, 2, 3.5)
    assert (dhg.points, dhg.households, dhg.per_household) == (3, 1, 3.0)
    assert (gjxc.index, gjxc.rank) == (100, 1)
    assert (dhg.index, dhg.rank) == (86, 2)


def test_it_ranks_the_neighbourhoods_for_admins(login, admin, example):
    response = login(admin).get(DASHBOARD)
    rows = response.context["rows"]
    assert [(r.neighbourhood.name, r.interaction.index) for r in rows] == [
        ("公交新村居民区", 100),
        ("定海港路居民区", 86),
    ]
    assert [r.neighbourhood.name for r in response.context["by_rate"]] == [
        "定海港路居民区",
        "公交新村居民区",
    ]
    assert "57.14%" in response.text  # the district's rate
    assert "<svg" in response.text and "<table" in response.text


def test_it_shows_the_ranking_a_page_at_a_time_and_downloads_all_of_it(
    login, admin, example, monkeypatch
):
    """~300 neighbourhoods are a page at a time (30), ranks counted across the district; the
    download has every one."""
    monkeypatch.setattr(views, "NEIGHBOURHOODS_PER_PAGE", 1)
    client = login(admin)
    first = client.get(DASHBOARD)
    assert [(rank, r.neighbourhood.name) for rank, r in first.context["ranked"]] == [
        (1, "公交新村居民区")
    ]
    assert 'href="?page=2"' in first.text
    second = client.get(DASHBOARD, {"page": 2})
    assert [(rank, r.neighbourhood.name) for rank, r in second.context["ranked"]] == [
        (2, "定海港路居民区")
    ]
    assert "公交新村居民区" not in _ranking_table(second.text)
    ranked = _sheets(client.get(DASHBOARD, {"format": "xlsx"}))["按互动指数排名的居民区"]
    assert [row[:2] for row in ranked[2:]] == [
        [1, "公交新村居民区 四平路街道"],
        [2, "定海港路居民区 定海路街道"],
    ]


def test_it_shows_one_subdistricts_neighbourhoods_with_their_district_rank(login, admin, example):
    client = login(admin)
    dinghai = example["dhg"].subdistrict
    assert f'href="?subdistrict={dinghai.pk}#neighbourhoods"' in client.get(DASHBOARD).text
    response = client.get(DASHBOARD, {"subdistrict": dinghai.pk})
    assert response.context["chosen"] == dinghai
    assert [(rank, r.neighbourhood.name) for rank, r in response.context["ranked"]] == [
        (2, "定海港路居民区")
    ]
    assert "定海路街道的居民区（全区排名）" in response.text
    assert client.get(DASHBOARD, {"subdistrict": 999999}).status_code == 404
    assert client.get(DASHBOARD, {"subdistrict": "x"}).status_code == 404


def _ranking_table(html):
    start = html.index("按互动指数排名的居民区")
    return html[start : html.index("</table>", start)]


def test_it_shows_staff_their_rank_and_zones(login, huyun, example):
    response = login(huyun).get(DASHBOARD)
    assert response.context["row"].interaction.index == 100
    assert "全区第 1 名" in response.text
    ((zone, rate),) = response.context["zones"]
    assert (zone.name, rate.percent) == ("一片", 50.0)


# --- Workforce ----------------------------------------------------------------------------------


def test_it_counts_workers_with_and_without_accounts(places, huyun, yangying):
    """胡云 and 杨莹 (factories: born 1985, bachelor's, no certificate) plus two roster
    lines in 四平路: born 1975 with a certificate and secondary school, born 1995 college.
    4 workers; ages (Y−1985)·2 + (Y−1975) + (Y−1995) → average Y − 1985; college or
    above 3 of 4 = 75 %; certificate 1 of 4 = 25 %. 四平路 has 胡云 and both lines: 3."""
    siping = places["gjxc"].subdistrict
    RosterWorker.objects.create(
        subdistrict=siping, birth_year=1975, education="secondary", social_work_certificate=True
    )
    RosterWorker.objects.create(subdistrict=siping, birth_year=1995, education="college")
    per_subdistrict, district = services.workforce()
    year = timezone.localdate().year
    assert district.count == 4
    assert district.average_age == year - 1985
    assert (district.college_percent, district.certified_percent) == (75, 25)
    assert per_subdistrict[siping.pk].count == 3


def test_it_lists_honours(login, admin, huyun):
    WorkerHonour.objects.create(worker=huyun.worker, title="最美居民区社区工作者", year=2023)
    text = login(admin).get(DASHBOARD).text
    assert "最美居民区社区工作者" in text and "胡云" in text


# --- Query budget -----------------------------------------------------------------------------


def grow(places, n, start):
    """n more neighbourhoods, each with a linked resident who read a notice."""
    notice = Notice.objects.create(title="通知", body="…", district=places["district"])
    for i in range(start, start + n):
        neighbourhood = f.NeighbourhoodFactory(subdistrict=places["gjxc"].subdistrict)
        user = f.linked_resident(neighbourhood, f"grown{i}", name=f"居民{i}")
        NoticeRead.objects.create(notice=notice, user=user)
        f.ZoneFactory(neighbourhood=neighbourhood)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_its_pages_keep_their_query_budget_as_the_district_grows(login, admin, huyun, places):
    """Every figure is a grouped query over all neighbourhoods (no query per neighbourhood,
    building or zone): the district page and a neighbourhood page cost the same number
    of queries with 3 and with 9 neighbourhoods, and stay under 40."""
    grow(places, 3, 0)
    admin_client = login(admin)
    small = queries(admin_client, DASHBOARD), queries(admin_client, page(places["gjxc"]))
    grow(places, 6, 3)
    large = queries(admin_client, DASHBOARD), queries(admin_client, page(places["gjxc"]))
    assert small == large
    assert max(large) <= 40, large


def test_it_counts_from_the_rows_so_a_new_link_shows_at_once(login, admin, example):
    """No stored counter: linking the 40-year-old of flat 101 (3 of 4 = 75 %) shows at once,
    and so does moving the 70-year-old of flat 102 out (2 of 3 = 66.67 %)."""
    flat_101_unlinked = Resident.objects.get(
        household__room="101", household__building__neighbourhood=example["gjxc"],
        user__isnull=True, birth_date=f.born_years_ago(40),
    )  # fmt: skip
    flat_101_unlinked.user = f.UserFactory(username="e")
    flat_101_unlinked.save(update_fields=["user"])
    assert services.registration_rates("neighbourhood")[example["gjxc"].pk].percent == 75.0
    Resident.objects.get(user__username="b").move_out()
    assert services.registration_rates("neighbourhood")[example["gjxc"].pk].percent == 66.67


def test_the_median_time_to_close_alerts_is_the_same_without_postgresql(
    places, huyun, gjxc_household, monkeypatch
):
    """Alerts closed after 1, 2 and 6 hours: the median is 2 hours, computed by PostgreSQL
    (PERCENTILE_CONT) or, on SQLite (`make run`'s try-out database), in Python."""
    enrolment = enrol(gjxc_household)
    now = timezone.now()
    for day, hours in enumerate([1, 2, 6], start=1):
        opened = now - datetime.timedelta(days=day)
        check = WatchCheck.objects.create(
            enrolment=enrolment, date=opened.date(), kind="day", status="not_seen", by=huyun
        )
        WatchAlert.objects.create(
            watch_check=check,
            opened_at=opened,
            closed_at=opened + datetime.timedelta(hours=hours),
            closed_by=huyun,
            outcome="phoned_fine",
        )
    gjxc = places["gjxc"].pk
    on_postgresql = watch_alerts(now=now)[gjxc]
    monkeypatch.setattr(connection, "vendor", "sqlite")
    elsewhere = watch_alerts(now=now)[gjxc]
    assert on_postgresql.median_to_close == elsewhere.median_to_close == datetime.timedelta(hours=2)
    assert (on_postgresql.opened, on_postgresql.still_open) == (elsewhere.opened, 0) == (3, 0)
    district = medians_to_close(WatchAlert.objects.all()).get(None)
    assert district == datetime.timedelta(hours=2)


def _sheets(response):
    book = load_workbook(io.BytesIO(response.content))
    return {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in book
    }


def test_it_downloads_the_districts_tables_as_a_workbook(login, admin, example):
    """One sheet per table of the page, with its caption as the sheet's name and the same
    figures (numbers as numbers)."""
    client = login(admin)
    page = client.get("/dashboard/").content.decode()
    response = client.get("/dashboard/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheets = _sheets(response)
    assert len(sheets) == page.count("<table")
    ranked = sheets["按互动指数排名的居民区"]
    names = " ".join(str(row[1]) for row in ranked[2:])
    assert "公交新村居民区" in names and "定海港路居民区" in names
    assert any(isinstance(value, int | float) for row in ranked[2:] for value in row[2:])


def test_staff_download_their_own_neighbourhoods_tables_only(login, huyun, yangying, example):
    client = login(huyun)
    page = client.get("/dashboard/").content.decode()
    response = client.get("/dashboard/?format=xlsx")
    assert response.status_code == 200
    assert len(_sheets(response)) == page.count("<table") >= 3
    gjxc = example["gjxc"]
    other = login(yangying).get(f"/dashboard/neighbourhoods/{gjxc.pk}/?format=xlsx")
    assert other.status_code == 404


def test_residents_and_visitors_get_no_workbook(client, login, resident):
    assert client.get("/dashboard/?format=xlsx").status_code == 302
    assert login(resident).get("/dashboard/?format=xlsx").status_code == 403
