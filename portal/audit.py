"""The one writer of the personal-data access log (AccessLog).

Who calls it: the access helpers that hand out personal data (`get_household_for_user(user,
pk, audit=request)` and the other `get_<obj>_for_user` / `get_<list>_for_user` helpers of
neighborhoods/permissions.py and notices/permissions.py) and `AuditedAdminMixin` below.
Views do not: they pass `audit=request` to the helper. A caller whose response shows nothing
of the object (a form showing only the flat's address) passes `audit=None`, in plain sight.

What is recorded: one row per page view that shows the data, with the user, the page (path)
and every household the page showed. The helper notes the access when it hands out the data;
`AccessLogMiddleware` writes the row once the response is known to show it:

- GET answered with a page (2xx): recorded.
- HEAD: never (the response has no body; nothing is shown).
- POST that redirects (the action succeeded): not recorded; the page it redirects to is.
- POST re-rendering the page with a form error (400, or Django admin's 200): recorded, since
  the re-rendered page shows the data again and a POST need not follow a recorded GET.
- 404, 403, 5xx after the helper passed (say, a photo file that is gone): not recorded.

Cost: one statement per page view on PostgreSQL, whatever the number of households (the
row and its households in one INSERT … RETURNING / INSERT … SELECT unnest), two elsewhere;
none on a page that shows no personal data.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router, transaction
from django.template.response import TemplateResponse
from django.utils import timezone

from .models import AccessLog, AccessLogHousehold

Action = AccessLog.Action

_PENDING = "_pending_access_record"


@dataclass
class _Pending:
    user: object
    action: str
    household_id: int | None
    household_ids: dict = field(default_factory=dict)  # insertion-ordered set
    rows: int | None = None
    reason: str = ""


def _pk(household):
    return household if isinstance(household, int) else household.pk


def record_access(request, *, action, household=None, households=()):
    """Record that the response to `request` shows `household` (a page about one household)
    or `households` (a list page: Household objects or ids; may be empty).

    `request` None means "nothing is shown" and records nothing. Several calls during one
    request make one row: the first call's action, every household named.
    """
    if not isinstance(action, Action):
        raise TypeError(f"record_access: action must be an AccessLog.Action, not {action!r}")
    if request is None or request.method == "HEAD":
        return
    if not hasattr(request, _PENDING):
        raise ImproperlyConfigured(
            "portal.audit.AccessLogMiddleware must be in MIDDLEWARE: without it the access "
            "log would silently stay empty."
        )
    ids = [_pk(h) for h in (household, *households) if h is not None]
    pending = getattr(request, _PENDING)
    if pending is None:
        pending = _Pending(
            user=request.user,
            action=action.value,
            household_id=_pk(household) if household is not None else None,
        )
        setattr(request, _PENDING, pending)
    pending.household_ids.update(dict.fromkeys(ids))


def record_export(request, *, households, rows, reason=""):
    """Record that the response to `request` is an export file (台账) of `rows` rows, with
    the residents of `households`; `reason` is why full phone numbers were asked for."""
    record_access(request, action=Action.REGISTER_EXPORT, households=households)
    pending = getattr(request, _PENDING, None) if request is not None else None
    if pending is not None:
        pending.rows, pending.reason = rows, reason


def shows_page(request, response):
    """Whether the response shows the page (and so the data noted while making it)."""
    if request.method not in ("GET", "POST"):
        return False
    return 200 <= response.status_code < 300 or response.status_code == 400


def _write(request, pending):
    fields = {
        "user_id": pending.user.pk,
        "household_id": pending.household_id,
        "action": pending.action,
        "path": request.path[: AccessLog._meta.get_field("path").max_length],
        "rows": pending.rows,
        "reason": pending.reason[: AccessLog._meta.get_field("reason").max_length],
    }
    connection = connections[router.db_for_write(AccessLog)]
    if connection.vendor == "postgresql":
        _write_in_one_statement(connection, fields, list(pending.household_ids))
        return
    log = AccessLog.objects.create(**fields)
    if pending.household_ids:
        AccessLogHousehold.objects.bulk_create(
            [AccessLogHousehold(access_log=log, household_id=pk) for pk in pending.household_ids]
        )


def _write_in_one_statement(connection, fields, household_ids):
    """The record and its households in one INSERT … RETURNING and one INSERT … SELECT
    unnest(array) of the same statement: one round trip and one commit, whatever the
    number of households (the map shows 1,700 in one neighbourhood at district size)."""
    quote = connection.ops.quote_name
    log, shown = quote(AccessLog._meta.db_table), quote(AccessLogHousehold._meta.db_table)
    columns = ", ".join(quote(name) for name in [*fields, "at"])
    sql = (
        f"WITH log AS (INSERT INTO {log} ({columns}) "  # noqa: S608 (our own table names)
        f"VALUES ({', '.join(['%s'] * (len(fields) + 1))}) RETURNING id) "
        f"INSERT INTO {shown} (access_log_id, household_id) "
        "SELECT log.id, shown.id FROM log, unnest(%s::bigint[]) AS shown(id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*fields.values(), timezone.now(), household_ids])


class AccessLogMiddleware:
    """Writes the access noted by `record_access` once the response shows the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        setattr(request, _PENDING, None)
        response = self.get_response(request)
        pending = getattr(request, _PENDING)
        if pending is not None and shows_page(request, response):
            _write(request, pending)
        return response


def _follow(obj, path):
    """obj.a.b.c for path "a__b__c"."""
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


class AuditedAdminMixin:
    """Django admin pages of personal data record who saw them: the list page the households
    of its rows (that page only), the change page its object's household.

    `audit_household` is the path from the model to its household id, e.g.
    "watch_check__enrolment__household_id"; keep the list's `list_select_related` covering
    it, so that the list reads it without a query per row.
    """

    audit_household = "household_id"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if isinstance(response, TemplateResponse) and isinstance(changelist, ChangeList):
            households = [_follow(obj, self.audit_household) for obj in changelist.result_list]
            record_access(request, action=Action.ADMIN_LIST, households=households)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original")
        if isinstance(response, TemplateResponse) and original is not None:
            record_access(
                request,
                action=Action.ADMIN_CHANGE,
                household=_follow(original, self.audit_household),
            )
        return response


@contextmanager
def purging(using="default"):
    """A transaction in which the retention purge may delete access records.

    The database refuses UPDATE and DELETE on the access log (migration 0006's trigger)
    unless the transaction-local setting portal.access_log_purge is on. Only
    `manage.py purge_expired` (and tests cleaning up) use this. On SQLite there is no
    trigger and nothing to set.
    """
    connection = connections[using]
    with transaction.atomic(using=using):
        _set_purge(connection, "on")
        yield
        # Off again before the block ends: inside a longer transaction (a test's), what
        # follows is not the purge.
        _set_purge(connection, "off")


def _set_purge(connection, value):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('portal.access_log_purge', %s, true)", [value])
