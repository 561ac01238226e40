"""The access log is append-only in PostgreSQL; the retention purge (finding 8)."""

import datetime
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from neighborhoods.models import Need
from portal.audit import purging
from portal.management.commands.run_jobs import DAILY
from portal.models import AccessLog, AccessLogHousehold
from tests.images import image_bytes
from tests.neighborhoods.visit_factories import NeedFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@pytest.fixture
def record(huyun, gjxc_household):
    log = AccessLog.objects.create(user=huyun, household=gjxc_household, path="/staff/x/")
    AccessLogHousehold.objects.create(access_log=log, household=gjxc_household)
    return log


def raw(sql, params=()):
    """Run SQL in a savepoint, as anyone with a database shell would."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE portal_accesslog SET path = '/forged/' WHERE id = %s",
        "UPDATE portal_accesslog SET user_id = user_id WHERE id = %s",
        "DELETE FROM portal_accesslog WHERE id = %s",
        "DELETE FROM portal_accessloghousehold WHERE access_log_id = %s",
        "UPDATE portal_accessloghousehold SET household_id = household_id WHERE access_log_id = %s",
    ],
)
def test_it_refuses_changing_the_access_log_in_plain_sql(record, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        raw(sql, [record.pk])
    record.refresh_from_db()
    assert record.path == "/staff/x/"
    assert AccessLogHousehold.objects.filter(access_log=record).count() == 1


def test_it_refuses_the_orm_too(record):
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=record.pk).update(path="/forged/")
    with pytest.raises(DatabaseError), transaction.atomic():
        record.delete()
    assert AccessLog.objects.filter(pk=record.pk, path="/staff/x/").exists()


def test_it_still_appends(record, huyun):
    raw(
        "INSERT INTO portal_accesslog (user_id, action, path, reason, at) "
        "VALUES (%s, 'view', '/staff/', '', now())",
        [huyun.pk],
    )
    assert AccessLog.objects.count() == 2


def test_it_lets_the_purge_delete_but_never_update(record):
    with pytest.raises(DatabaseError), purging():
        AccessLog.objects.filter(pk=record.pk).update(path="/forged/")
    with purging():
        AccessLog.objects.filter(pk=record.pk).delete()
    assert not AccessLog.objects.exists()


def test_it_switches_the_purge_off_after_its_block(record, huyun):
    other = AccessLog.objects.create(user=huyun, path="/staff/")
    with purging():
        other.delete()
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM portal_accesslog WHERE id = %s", [record.pk])


# --- The purge -----------------------------------------------------------------------------


def purge(*args):
    out = StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def aged_log(record):
    """auto_now_add ignores `at=`: backdate them with the triggers lifted for one statement
    (session_replication_role, a superuser's switch: the test database's owner has it)."""
    logs = []
    for days in (100, 200, 400):
        log = AccessLog.objects.create(user=record.user, path=f"/old/{days}/")
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(
                "UPDATE portal_accesslog SET at = now() - %s * interval '1 day' WHERE id = %s",
                [days, log.pk],
            )
            cursor.execute("SET session_replication_role = origin")
        logs.append(log)
    return logs


def test_it_keeps_access_records_a_year_and_purges_older(settings, aged_log, record):
    settings.ACCESS_LOG_RETENTION_DAYS = 365
    output = purge("--dry-run")
    assert "access_log: would remove 1" in output
    assert AccessLog.objects.count() == 4
    output = purge()
    assert "access_log: removed 1" in output
    assert set(AccessLog.objects.values_list("path", flat=True)) == {
        "/staff/x/",
        "/old/100/",
        "/old/200/",
    }
    assert "access_log: removed 0" in purge()  # safe to run twice


def test_it_never_keeps_the_access_log_under_six_months():
    import portal.settings as portal_settings

    assert portal_settings.ACCESS_LOG_RETENTION_DAYS >= 183


@pytest.fixture
def closed_need_with_photo(gjxc_household, huyun):
    need = NeedFactory(household=gjxc_household, owner=huyun)
    need.photo.save("home.jpg", ContentFile(image_bytes("JPEG")), save=False)
    need.status = Need.Status.RESOLVED
    need.resolution = "修好了"
    need.closed = timezone.now() - datetime.timedelta(days=800)
    need.save()
    return need


def test_it_removes_closed_needs_photos_and_their_files(settings, closed_need_with_photo):
    need = closed_need_with_photo
    storage, name = need.photo.storage, need.photo.name
    assert storage.exists(name)
    open_need = NeedFactory(household=need.household)
    open_need.photo.save("open.jpg", ContentFile(image_bytes("JPEG")))
    assert "closed_need_photos: would remove 1" in purge("--dry-run")
    assert storage.exists(name)
    assert "closed_need_photos: removed 1" in purge()
    need.refresh_from_db()
    assert not need.photo and need.resolution == "修好了"  # the record stays, the photo goes
    assert not storage.exists(name)
    open_need.refresh_from_db()
    assert open_need.photo and storage.exists(open_need.photo.name)


def test_it_keeps_a_recently_closed_needs_photo(closed_need_with_photo):
    Need.objects.filter(pk=closed_need_with_photo.pk).update(closed=timezone.now())
    assert "closed_need_photos: removed 0" in purge()
    closed_need_with_photo.refresh_from_db()
    assert closed_need_with_photo.photo


def test_it_is_scheduled_daily_in_run_jobs():
    assert "purge_expired" in [name for name, _at in DAILY]


def test_every_rule_is_in_the_data_inventory():
    from pathlib import Path

    from portal.retention import rules

    inventory = (Path(__file__).resolve().parents[2] / "docs" / "privacy.md").read_text()
    for rule in rules():
        assert f"`{rule.name}`" in inventory, rule.name
