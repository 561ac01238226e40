"""The access log is append-only in the database: UPDATE and DELETE are refused by triggers.

Why a trigger: the admin and the code already never change a record, but anyone with a
database shell (a script, a mistaken `manage.py shell`, a compromised worker) could. A
trigger holds for every client of the database. Only the retention purge
(`manage.py purge_expired`) may delete, and only rows past their retention: it sets the
transaction-local setting `portal.access_log_purge` (portal.audit.purging); nothing
updates, ever.

Why a migration with plain SQL rather than django-pgtrigger: two small triggers and one
function, readable here in full, with no new dependency. PostgreSQL only: SQLite (`make run`
without DATABASE_URL) has no such setting and is for trying the portal, not for records;
the migration does nothing there.

What it does not stop: a database superuser or the tables' owner can drop the trigger or
TRUNCATE (row triggers do not fire on TRUNCATE; the test suite's flush relies on it). In
production the portal's role should not own the tables (README, "Retention").
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION portal_access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('portal.access_log_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the personal-data access log is append-only (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER portal_accesslog_append_only
    BEFORE UPDATE OR DELETE ON portal_accesslog
    FOR EACH ROW EXECUTE FUNCTION portal_access_log_append_only();

CREATE TRIGGER portal_accessloghousehold_append_only
    BEFORE UPDATE OR DELETE ON portal_accessloghousehold
    FOR EACH ROW EXECUTE FUNCTION portal_access_log_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS portal_accesslog_append_only ON portal_accesslog;
DROP TRIGGER IF EXISTS portal_accessloghousehold_append_only ON portal_accessloghousehold;
DROP FUNCTION IF EXISTS portal_access_log_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0010_user_pending_phone"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
