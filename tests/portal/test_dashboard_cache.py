"""The dashboards' figures off the request (portal/dashboard/store.py): `refresh_dashboards`
stores every scope's figures, pages only read them and say when they were computed; with
none stored (a fresh install) a page computes them, one request at a time."""

import io
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from notices.models import Notice, NoticeRead
from portal.dashboard import services, store
from portal.dashboard.store import cached_figures
from portal.templatetags.words import stamp
from tests import factories as f

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("portal:dashboard")

# The tables the figures are counted from: a page that reads stored figures touches none.
FIGURE_TABLES = re.compile(
    r'"(neighborhoods_(resident|household|signup|need|watchalert|visit|rosterworker|starrating)'
    r'|notices_(noticeread|suggestion|support|guidequestion))"'
)


@pytest.fixture(autouse=True)
def stored_figures(settings):
    settings.DASHBOARD_FIGURES_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def district(places):
    """A linked resident in each neighbourhood; 公交新村's read a notice."""
    notice = Notice.objects.create(title="通知", body="…", district=places["district"])
    reader = f.linked_resident(places["gjxc"], "reader", name="读者")
    f.linked_resident(places["dhg"], "other", name="居民")
    NoticeRead.objects.create(notice=notice, user=reader)
    return places


def figure_queries(client, url):
    """(status, number of queries, the queries that read the figures' tables)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    sql = [q["sql"] for q in captured.captured_queries]
    banner = "neighborhoods_jobheartbeat"  # staff's banner when the watch job has stopped
    return response, len(sql), [s for s in sql if FIGURE_TABLES.search(s) and banner not in s]


def neighbourhood_page(neighbourhood):
    return reverse("portal:dashboard-neighbourhood", args=[neighbourhood.pk])


# --- The job -------------------------------------------------------------------------------


def test_the_job_stores_the_figures_of_every_scope(district):
    out = io.StringIO()
    call_command("refresh_dashboards", stdout=out)
    assert "stored for 3 scopes" in out.getvalue()  # the district and its two neighbourhoods
    for scope in [
        store.DISTRICT,
        store.of_neighbourhood(district["gjxc"].pk),
        store.of_neighbourhood(district["dhg"].pk),
    ]:
        assert cache.get(store._key(scope)) is not None, scope
    key = store._key(store.of_neighbourhood(district["gjxc"].pk))
    _fresh_until, figures, _stamp = cache.get(key)
    assert figures["neighbourhood"] == district["gjxc"]
    assert figures["row"].interaction.counts["reads"] == 1
    assert figures["rank_count"] == 2


def test_the_neighbourhood_figures_of_the_job_are_those_a_request_computes(district):
    """The job takes each neighbourhood's row and rank from the district's rows: the same
    figures as the neighbourhood page computing them alone."""
    store.refresh_all()
    gjxc = district["gjxc"]
    _fresh_until, stored, _stamp = cache.get(store._key(store.of_neighbourhood(gjxc.pk)))
    alone = services.neighbourhood_figures(gjxc, stored["as_of"])
    for name in ["row", "rank_count", "buildings", "zones", "needs", "workers", "honours"]:
        assert stored[name] == alone[name], name


def test_the_scheduled_jobs_refresh_the_dashboards(district):
    call_command("run_jobs", once=True, stdout=io.StringIO())
    assert cache.get(store._key(store.DISTRICT)) is not None


def test_two_refreshes_at_once_compute_once(district):
    with mock.patch.object(services, "district_figures", wraps=services.district_figures) as spy:
        cache.add(store._key("refreshing"), 1)  # another refresh_dashboards is running
        out = io.StringIO()
        call_command("refresh_dashboards", stdout=out)
        assert "running" in out.getvalue()
        spy.assert_not_called()
        cache.delete(store._key("refreshing"))
        call_command("refresh_dashboards", stdout=io.StringIO())
        assert spy.call_count == 1


def test_the_job_does_nothing_when_the_figures_are_not_kept(district, settings):
    settings.DASHBOARD_FIGURES_SECONDS = 0
    out = io.StringIO()
    call_command("refresh_dashboards", stdout=out)
    assert "every page computes" in out.getvalue()
    assert cache.get(store._key(store.DISTRICT)) is None


# --- Pages read them -------------------------------------------------------------------------


def test_after_the_job_the_pages_run_none_of_the_figures_queries(
    login, admin, huyun, district, django_assert_max_num_queries
):
    """After refresh_dashboards, the district page (admin) and a neighbourhood page (its
    staff) read the stored figures: no query on the tables they are counted from, and only
    the queries of any signed-in page (session, user, role, the watch job's banner)."""
    call_command("refresh_dashboards", stdout=io.StringIO())
    with (
        mock.patch.object(services, "district_figures", side_effect=AssertionError),
        mock.patch.object(services, "neighbourhood_figures", side_effect=AssertionError),
    ):
        for user, url in [
            (admin, DASHBOARD),
            (admin, neighbourhood_page(district["dhg"])),
            (huyun, DASHBOARD),
        ]:
            client = login(user)
            with django_assert_max_num_queries(6):
                response, _count, read_figures = figure_queries(client, url)
            assert response.status_code == 200, url
            assert read_figures == [], url


def test_the_pages_say_when_their_figures_were_computed(login, admin, huyun, district):
    call_command("refresh_dashboards", stdout=io.StringIO())
    _fresh_until, figures, _stamp = cache.get(store._key(store.DISTRICT))
    with translation.override("zh-hans"):
        as_of = f"截至 {stamp(figures['as_of'])}"
    assert as_of in login(admin).get(DASHBOARD).text
    assert as_of in login(huyun).get(DASHBOARD).text
    workbook = load_workbook(io.BytesIO(login(admin).get(f"{DASHBOARD}?format=xlsx").content))
    assert workbook.worksheets[0]["D1"].value == as_of


def test_a_page_shows_the_stored_figures_until_the_job_runs_again(login, admin, district):
    """Figures are those of the job's last run (with its time on the page): a new read
    counts from the next run on."""
    call_command("refresh_dashboards", stdout=io.StringIO())
    client = login(admin)
    reads = client.get(DASHBOARD).context["rows"][0].interaction.counts["reads"]
    reader = f.linked_resident(district["gjxc"], "reader2", room="102", name="读者二")
    NoticeRead.objects.create(notice=Notice.objects.get(), user=reader)
    assert client.get(DASHBOARD).context["rows"][0].interaction.counts["reads"] == reads
    call_command("refresh_dashboards", stdout=io.StringIO())
    assert client.get(DASHBOARD).context["rows"][0].interaction.counts["reads"] == reads + 1


def test_the_district_pages_tables_are_cached_until_new_figures_are_stored(login, admin, district):
    """The tables are cached under the figures' stamp: the same page from the cache while
    the figures are the same, the new figures' page as soon as the job stores them."""
    call_command("refresh_dashboards", stdout=io.StringIO())
    client = login(admin)

    def content():
        return client.get(DASHBOARD).text.split("<main", 1)[1].split("</main>", 1)[0]

    first = content()
    key = store._key(store.DISTRICT)
    fresh_until, figures, stamp_ = cache.get(key)
    # other figures under the same stamp (never so in production): the cached tables show
    cache.set(key, (fresh_until, {**figures, "overdue": 123456}, stamp_), 600)
    store._local.clear()
    assert content() == first
    store.store(store.DISTRICT, {**figures, "overdue": 987654})  # the job's next run
    assert "987654" not in first
    assert '<span class="stat">987654</span>' in content()


# --- With nothing stored: the request computes, once ---------------------------------------


def test_with_nothing_stored_a_page_computes_its_figures_and_keeps_them(
    login, admin, huyun, district
):
    for user, url in [(admin, DASHBOARD), (huyun, DASHBOARD)]:
        client = login(user)
        response, _count, read_figures = figure_queries(client, url)
        assert response.status_code == 200
        assert read_figures, "computed in the request"
        assert "截至 " in response.text
        response, _count, read_figures = figure_queries(client, url)
        assert read_figures == [], "then read"


def unstamped(figures):
    """The figures without the stamp store() adds (the fragments' key)."""
    return {key: value for key, value in figures.items() if key != "stamp"}


def test_each_store_gives_the_figures_a_new_stamp():
    first, second = store.store("district", {"n": 1}), store.store("district", {"n": 1})
    assert first["stamp"] != second["stamp"]
    assert cached_figures("district", mock.Mock())["stamp"] == second["stamp"]


def test_figures_are_computed_once_then_read():
    compute = mock.Mock(return_value={"rows": [1, 2]})
    assert unstamped(cached_figures("district", compute)) == {"rows": [1, 2]}
    assert unstamped(cached_figures("district", compute)) == {"rows": [1, 2]}
    assert compute.call_count == 1


def test_while_one_recomputes_the_others_read_the_figures_before():
    cached_figures("district", lambda: {"n": 1})
    key = store._key("district")
    _fresh_until, figures, _stamp = cache.get(key)
    # past its time (the job stopped)
    cache.set_many({key: (0, figures, "stale"), f"{key}:stamp": "stale"}, 120)
    cache.add(f"{key}:computing", 1)  # and another request is computing it
    recompute = mock.Mock(return_value={"n": 2})
    assert unstamped(cached_figures("district", recompute)) == {"n": 1}
    recompute.assert_not_called()
    cache.delete(f"{key}:computing")
    assert unstamped(cached_figures("district", recompute)) == {"n": 2}


def test_a_process_unpickles_the_figures_only_when_new_ones_are_stored():
    """Each process keeps its last read: the cache is asked for the stamp alone until the
    job stores new figures, which the next request then shows."""
    store.store("district", {"n": 1})
    assert unstamped(cached_figures("district", mock.Mock())) == {"n": 1}
    with mock.patch.object(store.cache, "get", wraps=cache.get) as get:
        assert unstamped(cached_figures("district", mock.Mock())) == {"n": 1}
    assert [c.args[0] for c in get.call_args_list] == [f"{store._key('district')}:stamp"]
    store.store("district", {"n": 2})
    assert unstamped(cached_figures("district", mock.Mock())) == {"n": 2}


def test_off_in_tests_by_default(settings):
    settings.DASHBOARD_FIGURES_SECONDS = 0
    compute = mock.Mock(return_value={})
    cached_figures("district", compute)
    cached_figures("district", compute)
    assert compute.call_count == 2
