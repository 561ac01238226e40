"""Visitors' reads from a PostgreSQL streaming replica (issue 14, docs/scaling.md).

Only when DATABASE_REPLICA_URL is set (portal/settings.py adds the "replica" database,
this router and ReplicaMiddleware). A request reads the replica when it is a visitor's
GET or HEAD: no session cookie (not signed in) and no READ_PRIMARY_COOKIE. Everything
else, and everything after the first write of a request, uses the primary.

Read-your-writes: a request that writes (a visitor's language or text-size choice, a
sign-up…) sets READ_PRIMARY_COOKIE for READ_PRIMARY_SECONDS, longer than the replica's
lag, so the writer's next pages come from the primary and show what they just did. A
signed-in user always reads the primary.
"""

import contextvars

from django.conf import settings

READ_PRIMARY_COOKIE = "read_primary"
READ_PRIMARY_SECONDS = 10

_use_replica = contextvars.ContextVar("use_replica", default=False)
_wrote = contextvars.ContextVar("wrote", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica" if _use_replica.get() else "default"

    def db_for_write(self, model, **hints):
        _use_replica.set(False)
        _wrote.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        replica = (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and READ_PRIMARY_COOKIE not in request.COOKIES
        )
        replica_token, wrote_token = _use_replica.set(replica), _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get() or request.method not in ("GET", "HEAD", "OPTIONS"):
                response.set_cookie(
                    READ_PRIMARY_COOKIE,
                    "1",
                    max_age=READ_PRIMARY_SECONDS,
                    samesite="Lax",
                    secure=request.is_secure(),
                    httponly=True,
                )
            return response
        finally:
            _use_replica.reset(replica_token)
            _wrote.reset(wrote_token)
