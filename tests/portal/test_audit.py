"""The personal-data access log: every page that shows residents' data writes exactly one
record (who, which page, what was opened, which households); HEAD, 404s, redirects after a
POST and pages that show nothing write none; and the log has one writer, portal/audit.py."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from neighborhoods.models import Household, NeedAction, VisitAddendum, WatchAlert, WatchCheck
from portal.audit import purging
from portal.models import AccessLog
from tests import factories as f
from tests.images import image_upload
from tests.neighborhoods.visit_factories import NeedFactory, VisitFactory
from tests.neighborhoods.watch_helpers import enrol
from tests.notices.notice_fixtures import make_notice

pytestmark = pytest.mark.django_db

Action = AccessLog.Action


@pytest.fixture
def data(places, huyun, gjxc_household, dhg_household):
    """One of everything around 公交新村 1号 302 (周秀英, 82, on the watch with an open
    alert), a second household in the zone, and 定海港路 101 for the 404s."""
    building = gjxc_household.building
    other = f.HouseholdFactory(building=building, room="303")
    f.ResidentFactory(household=other, name="赵大伯", birth_date=f.born_years_ago(74))
    visit = VisitFactory(household=gjxc_household, staff=huyun)
    VisitAddendum.objects.create(visit=visit, author=huyun, text="补记：电话已核实")
    need = NeedFactory(household=gjxc_household, owner=huyun, raised_by=huyun, visit=visit)
    need.actions.create(actor=huyun, kind=NeedAction.Kind.RAISED)
    need.photo.save("kitchen.jpg", image_upload())
    enrolment = enrol(gjxc_household)
    check = WatchCheck.objects.create(
        enrolment=enrolment,
        date=timezone.localdate(),
        kind=WatchCheck.Kind.DAY,
        status=WatchCheck.Status.NOT_SEEN,
        by=huyun,
        at=timezone.now(),
    )
    alert = WatchAlert.objects.create(watch_check=check, opened_at=timezone.now())
    notice = make_notice(places["gjxc"])
    return {
        "household": gjxc_household,
        "other": other,
        "outside": dhg_household,
        "visit": visit,
        "need": need,
        "enrolment": enrolment,
        "check": check,
        "alert": alert,
        "notice": notice,
    }


def one_record(client, url):
    """GET `url` and return the one record it wrote (failing if it wrote none or more)."""
    with purging():
        AccessLog.objects.all().delete()
    response = client.get(url)
    assert response.status_code == 200, url
    records = list(AccessLog.objects.all())
    assert len(records) == 1, f"{url} wrote {len(records)} access records"
    return records[0]


def households(record):
    return set(record.households.values_list("pk", flat=True))


# --- Pages about one household ------------------------------------------------------------

ONE_HOUSEHOLD_PAGES = [
    ("neighborhoods:household-detail", "household", Action.VIEW),
    ("neighborhoods:visit-detail", "visit", Action.VISIT),
    ("neighborhoods:visit-edit", "visit", Action.VISIT),
    ("neighborhoods:need-detail", "need", Action.NEED),
    ("neighborhoods:need-photo", "need", Action.NEED_PHOTO),
    ("neighborhoods:alert-detail", "alert", Action.WATCH_ALERT),
]


@pytest.mark.parametrize(("name", "obj", "action"), ONE_HOUSEHOLD_PAGES)
def test_it_records_each_page_about_one_household_once(login, huyun, data, name, obj, action):
    url = reverse(name, args=[data[obj].pk])
    record = one_record(login(huyun), url)
    assert (record.user, record.action, record.path) == (huyun, action, url)
    assert record.household == data["household"]
    assert households(record) == {data["household"].pk}


@pytest.mark.parametrize(("name", "obj", "action"), ONE_HOUSEHOLD_PAGES)
def test_it_records_nothing_for_a_head_request(login, huyun, data, name, obj, action):
    """HEAD answers no body (or 405 on the pages that take GET and POST): nothing shown."""
    response = login(huyun).head(reverse(name, args=[data[obj].pk]))
    assert response.status_code in (200, 405)
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(("name", "obj", "action"), ONE_HOUSEHOLD_PAGES)
def test_it_records_nothing_for_another_neighbourhoods_page(
    login, yangying, data, name, obj, action
):
    assert login(yangying).get(reverse(name, args=[data[obj].pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_it_records_a_form_error_that_shows_the_need_again(login, huyun, data):
    """A POST re-rendering the need page shows its data: one record (a POST need not
    follow a recorded GET)."""
    url = reverse("neighborhoods:need-note", args=[data["need"].pk])
    response = login(huyun).post(url, {"note": ""})
    assert response.status_code == 400
    record = AccessLog.objects.get()
    assert (record.action, record.path, record.household) == (Action.NEED, url, data["household"])


def test_it_records_nothing_for_a_post_that_redirects(login, huyun, data):
    """A successful POST redirects; the page it goes to is what shows the data."""
    url = reverse("neighborhoods:need-note", args=[data["need"].pk])
    response = login(huyun).post(url, {"note": "已联系物业"})
    assert response.status_code == 302
    assert not AccessLog.objects.exists()


def test_it_records_nothing_when_the_photo_file_is_gone(login, huyun, data):
    need = data["need"]
    need.photo.storage.delete(need.photo.name)
    assert login(huyun).get(reverse("neighborhoods:need-photo", args=[need.pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_it_records_nothing_for_forms_that_show_only_the_address(login, huyun, data):
    client = login(huyun)
    pk = data["household"].pk
    assert client.get(reverse("neighborhoods:visit-create"), {"household": pk}).status_code == 200
    assert client.get(reverse("neighborhoods:need-create"), {"household": pk}).status_code == 200
    assert not AccessLog.objects.exists()


def test_it_records_every_view_and_keeps_the_user_path_and_time(login, huyun, data):
    client = login(huyun)
    url = reverse("neighborhoods:household-detail", args=[data["household"].pk])
    client.get(url)
    client.get(url)
    assert AccessLog.objects.filter(user=huyun, path=url, at__isnull=False).count() == 2


# --- Pages that show many households ------------------------------------------------------


def test_it_records_the_register_page_with_the_households_listed(login, huyun, data):
    record = one_record(login(huyun), reverse("neighborhoods:household-list"))
    assert (record.user, record.action, record.household) == (huyun, Action.HOUSEHOLD_LIST, None)
    assert households(record) == {data["household"].pk, data["other"].pk}


def test_it_records_only_the_page_of_the_register_that_was_shown(login, huyun, data):
    building = data["household"].building
    for room in range(settings.HOUSEHOLDS_PER_PAGE + 5):
        f.HouseholdFactory(building=building, room=str(500 + room))
    record = one_record(login(huyun), reverse("neighborhoods:household-list") + "?page=2")
    assert len(households(record)) == 7  # 2 + 25 + 5 households; page 2 shows the last 7


def test_it_records_a_filter_with_no_result_with_no_household(login, huyun, data):
    record = one_record(login(huyun), reverse("neighborhoods:household-list") + "?q=没有这个人")
    assert record.action == Action.HOUSEHOLD_LIST
    assert households(record) == set()


def test_it_records_the_needs_list(login, huyun, data):
    record = one_record(login(huyun), reverse("neighborhoods:need-list"))
    assert record.action == Action.NEED_LIST
    assert households(record) == {data["household"].pk}


def test_it_records_the_watch_board(login, huyun, data):
    """The board shows the watched rows, the open alerts and the candidates (80+, alone)."""
    candidate = f.HouseholdFactory(building=data["household"].building, room="601")
    f.ResidentFactory(household=candidate, birth_date=f.born_years_ago(88))
    record = one_record(login(huyun), reverse("neighborhoods:watch-board"))
    assert record.action == Action.WATCH_BOARD
    assert households(record) == {data["household"].pk, candidate.pk}


def test_it_records_every_flat_drawn_on_the_map(login, huyun, data):
    record = one_record(login(huyun), reverse("neighborhoods:map") + "?layer=care")
    assert record.action == Action.MAP
    assert households(record) == {data["household"].pk, data["other"].pk}


def test_it_records_the_households_on_a_notices_read_list(login, huyun, data):
    url = reverse("notices:notice-reads", args=[data["notice"].pk])
    record = one_record(login(huyun), url)
    assert (record.action, record.path) == (Action.NOTICE_READS, url)
    assert households(record) == {data["household"].pk, data["other"].pk}


def test_it_records_what_a_district_admin_sees(login, admin, data):
    """An admin's register is one neighbourhood at a time: the record lists that one's."""
    shown = {}
    for key in ("household", "other", "outside"):
        neighbourhood = data[key].building.neighbourhood_id
        url = reverse("neighborhoods:household-list") + f"?neighbourhood={neighbourhood}"
        response = login(admin).get(url)
        record = AccessLog.objects.latest("pk")
        assert record.user == admin
        assert households(record) == {h.pk for h in response.context["page"].object_list}
        shown.update(dict.fromkeys(households(record)))
    assert set(shown) == {data["household"].pk, data["other"].pk, data["outside"].pk}


@pytest.mark.parametrize(
    "name", ["neighborhoods:household-list", "neighborhoods:watch-board", "neighborhoods:map"]
)
def test_it_records_no_list_for_a_head_request(login, huyun, data, name):
    assert login(huyun).head(reverse(name)).status_code == 200
    assert not AccessLog.objects.exists()


def test_it_records_nothing_on_pages_without_personal_data(login, huyun, data):
    client = login(huyun)
    for url in ["/", "/notices/", reverse("notices:notice-detail", args=[data["notice"].pk])]:
        assert client.get(url).status_code == 200
    assert not AccessLog.objects.exists()


# --- Django admin ---------------------------------------------------------------------------

ADMIN_MODELS = [
    ("household", "household"),
    ("resident", None),
    ("visit", "visit"),
    ("visitaddendum", None),
    ("need", "need"),
    ("needaction", None),
    ("watchenrolment", "enrolment"),
    ("watchcheck", "check"),
    ("watchalert", "alert"),
]


def admin_object(data, model, key):
    if key:
        return data[key]
    return {
        "resident": lambda: data["household"].residents.get(),
        "visitaddendum": lambda: data["visit"].addenda.get(),
        "needaction": lambda: data["need"].actions.get(),
    }[model]()


@pytest.mark.parametrize(("model", "key"), ADMIN_MODELS)
def test_it_records_an_admin_change_page(login, admin, data, model, key):
    obj = admin_object(data, model, key)
    url = reverse(f"admin:neighborhoods_{model}_change", args=[obj.pk])
    record = one_record(login(admin), url)
    assert (record.user, record.action, record.path) == (admin, Action.ADMIN_CHANGE, url)
    assert record.household == data["household"]
    assert households(record) == {data["household"].pk}


@pytest.mark.parametrize(("model", "key"), ADMIN_MODELS)
def test_it_records_an_admin_list_page_with_its_rows(login, admin, data, model, key):
    url = reverse(f"admin:neighborhoods_{model}_changelist")
    record = one_record(login(admin), url)
    assert (record.action, record.path, record.household) == (Action.ADMIN_LIST, url, None)
    assert data["household"].pk in households(record)


def test_it_records_only_the_rows_an_admin_list_shows(login, admin, data):
    url = reverse("admin:neighborhoods_household_changelist") + "?q=303"
    assert households(one_record(login(admin), url)) == {data["other"].pk}


def test_it_records_nothing_for_an_admin_add_page(login, admin, data):
    assert login(admin).get(reverse("admin:neighborhoods_household_add")).status_code == 200
    assert not AccessLog.objects.exists()


def test_it_shows_the_listed_households_in_the_read_only_log(login, admin, huyun, data):
    login(huyun).get(reverse("neighborhoods:household-list"))
    record = AccessLog.objects.get()
    client = login(admin)
    page = client.get(reverse("admin:portal_accesslog_change", args=[record.pk])).content.decode()
    assert str(data["household"]) in page and str(data["other"]) in page
    listing = client.get(reverse("admin:portal_accesslog_changelist")).content.decode()
    assert "/staff/households/" in listing


# --- Query cost and the guarantee that records outlive households ---------------------------


def test_it_costs_one_statement_whatever_the_number_of_households(login, huyun, data):
    """The record and its households in one statement (PostgreSQL), for 2 or 27 rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(huyun)
    url = reverse("neighborhoods:household-list")

    def inserts():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return [q["sql"] for q in queries if 'INSERT INTO "portal_accesslog' in q["sql"]]

    assert len(inserts()) == 1
    shown = AccessLog.objects.latest("pk").households
    assert shown.count() == Household.objects.visible_to(huyun).count() == 2
    for room in range(25):
        f.HouseholdFactory(building=data["household"].building, room=str(700 + room))
    assert len(inserts()) == 1
    assert AccessLog.objects.latest("pk").households.count() == 25  # the first page of 27


def test_it_keeps_a_listed_household_from_being_deleted(login, huyun, data):
    """As for a household page (migration 0003): a household shown on a list cannot be
    deleted from under the record of who saw it."""
    from django.db.models import ProtectedError

    login(huyun).get(reverse("neighborhoods:household-list"))
    other = data["other"]
    other.residents.all().delete()
    with pytest.raises(ProtectedError):
        other.delete()


def test_it_keeps_the_time_of_each_record(login, huyun, data):
    before = timezone.now() - datetime.timedelta(seconds=1)
    login(huyun).get(reverse("neighborhoods:household-list"))
    assert AccessLog.objects.get().at >= before


# --- One writer ------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
APPS = ["portal", "neighborhoods", "notices", "volunteers"]
WRITES = re.compile(
    r"(?<!class )AccessLog(Household)?\s*\(|AccessLog(Household)?\.objects\.(create|bulk_create|"
    r"get_or_create|update_or_create)|access_logs\.(create|add)|households\.(add|set)\("
)
# Views that still call the writer themselves, each with the reason. Keep this short.
VIEWS_CALLING_THE_WRITER = set()  # none: every view passes audit=request to a helper


def source_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, path.relative_to(ROOT).as_posix()


def test_nothing_but_portal_audit_writes_the_access_log():
    offenders = [
        name
        for path, name in source_files()
        if name != "portal/audit.py" and WRITES.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "write access records through portal.audit.record_access"


def test_views_leave_the_writer_to_the_access_helpers():
    offenders = {
        name
        for path, name in source_files()
        if "views" in name and "record_access" in path.read_text(encoding="utf-8")
    }
    assert offenders <= VIEWS_CALLING_THE_WRITER, (
        "views pass audit=request to an access helper (neighborhoods/permissions.py, "
        "notices/permissions.py); they do not call record_access"
    )


def test_the_writer_is_installed():
    assert "portal.audit.AccessLogMiddleware" in settings.MIDDLEWARE


def test_the_writer_takes_only_the_action_enum(rf, huyun):
    from portal.audit import record_access

    request = rf.get("/staff/households/")
    request.user = huyun
    with pytest.raises(TypeError):
        record_access(request, action="visit", households=[])
