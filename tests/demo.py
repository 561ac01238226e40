"""The small demo district (`seed_demo --small`) in a database of its own, for the tests.

Building it takes about a second, and a dozen tests need it: tests/conftest.py builds it
once per test session (per xdist worker) into a clone of the freshly migrated test
database, `<test database>_demo`, and points the default connection at that clone for the
modules that read it. The test database the other tests use never contains the demo.

Helpers only; the fixtures are `demo_database` and `demo_district` in tests/conftest.py.
"""

import io
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

DEMO_PASSWORD = "demo12345"  # the README's password of the demo accounts


@dataclass(frozen=True)
class DemoDatabase:
    name: str  # the PostgreSQL database holding the demo
    output: str  # what seed_demo printed when it built it


def _connection():
    return connections[DEFAULT_DB_ALIAS]


def current_database():
    return _connection().settings_dict["NAME"]


def clone_database(source, target):
    """CREATE DATABASE target TEMPLATE source (a file copy: fast, and every row included).

    PostgreSQL refuses while anyone is connected to the template: our connection closes
    first, and xdist workers never share a test database. An older `target` is dropped,
    even if a live server's thread is still connected to it.
    """
    connection = _connection()
    connection.close()
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


def drop_database(name):
    connection = _connection()
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")


@contextmanager
def pointed_at(name):
    """The default connection (and threads that open one, like the live server's) use
    database `name` inside the block, the test database again after it."""
    connection = _connection()
    previous = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = previous


def build_demo_database():
    """Clone the (empty, migrated) test database and seed the small demo into the clone."""
    name = f"{current_database()}_demo"
    clone_database(current_database(), name)
    out = io.StringIO()
    with pointed_at(name):
        call_command("seed_demo", small=True, password=DEMO_PASSWORD, stdout=out)
        # The alert job has run, as it does every 5 minutes: /healthz/watch answers 200.
        call_command("open_watch_alerts", stdout=io.StringIO())
    return DemoDatabase(name=name, output=out.getvalue())
