"""What `manage.py backup` and `manage.py restore_drill` share.

A backup is one folder:

- ``database.dump``: ``pg_dump -Fc`` of the default database;
- ``private-media.tar``: every file under PRIVATE_MEDIA_ROOT, paths relative to it
  (uploads: notice images and PDFs, discussion-hall photos, photos sent with a need);
- ``media.tar``: the same for MEDIA_ROOT, only when it holds files (none at present);
- ``manifest.json``, written last (a folder without one is an incomplete backup): when it
  was made, the latest applied migration per app, the row count of every model table, and
  the sha256 of the dump, of each archive and of every file inside each archive.

The archives are plain tar: photos and PDFs are compressed already, and gzip would cost
minutes of CPU on a full district to save a few per cent.
"""

import hashlib
import os
import tarfile
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg
from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections

MANIFEST = "manifest.json"
DUMP = "database.dump"
MANIFEST_FORMAT = 1
LATEST_MIGRATIONS = (
    "SELECT DISTINCT ON (app) app, name FROM django_migrations ORDER BY app, id DESC"
)
# Connection options dj-database-url may put in OPTIONS that libpq (psycopg, pg_dump,
# pg_restore) understands too; Django's own ones (pool, isolation_level…) are left out.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def media_archives():
    """Archive name → (setting name, folder) for every folder of uploads."""
    return {
        "private-media.tar": ("PRIVATE_MEDIA_ROOT", Path(settings.PRIVATE_MEDIA_ROOT)),
        "media.tar": ("MEDIA_ROOT", Path(settings.MEDIA_ROOT)),
    }


def database_settings():
    """settings.DATABASES['default'], or a CommandError unless it is PostgreSQL."""
    db = connections[DEFAULT_DB_ALIAS].settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise CommandError(
            f"Backups and restore drills need PostgreSQL, the database of record; "
            f"DATABASES['default'] uses {db['ENGINE']}. Set DATABASE_URL=postgres://…"
        )
    return db


def _libpq_options(db):
    return {key: str(db["OPTIONS"][key]) for key in LIBPQ_OPTIONS if key in db.get("OPTIONS", {})}


def libpq_env(db, dbname=None):
    """The environment for pg_dump / pg_restore. The password goes in PGPASSWORD, never
    on a command line, where every user of the machine can read it with `ps`."""
    env = dict(os.environ)
    values = {
        "PGHOST": db["HOST"],
        "PGPORT": db["PORT"],
        "PGUSER": db["USER"],
        "PGPASSWORD": db["PASSWORD"],
        "PGDATABASE": dbname or db["NAME"],
    }
    values.update({LIBPQ_OPTIONS[key]: value for key, value in _libpq_options(db).items()})
    # An empty setting leaves libpq's own default (or an inherited PG* variable), as Django does.
    env.update({name: str(value) for name, value in values.items() if value})
    return env


def connect(db, dbname=None, **kwargs):
    """A psycopg connection with Django's connection parameters, to another database if asked."""
    params = {
        "dbname": dbname or db["NAME"],
        "user": db["USER"],
        "password": db["PASSWORD"],
        "host": db["HOST"],
        "port": db["PORT"],
        **_libpq_options(db),
    }
    try:
        return psycopg.connect(**{key: value for key, value in params.items() if value}, **kwargs)
    except psycopg.OperationalError as error:
        raise CommandError(f"Cannot connect to the database {params['dbname']}: {error}") from None


def database_url(db, dbname):
    """A DATABASE_URL for settings.py pointing at another database on the same server."""
    userinfo = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        userinfo += ":" + quote(db["PASSWORD"], safe="")
    host = quote(
        db["HOST"] or "", safe=""
    )  # a socket folder becomes %2F…, as dj-database-url expects
    port = f":{db['PORT']}" if db["PORT"] else ""
    query = urlencode(_libpq_options(db))
    return f"postgres://{userinfo}@{host}{port}/{quote(dbname)}" + (f"?{query}" if query else "")


def model_tables():
    """The table of every concrete model of every installed app, many-to-many tables included."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def folder_files(root):
    """Regular files under root (symbolic links are not followed), by relative POSIX path."""
    root = Path(root)
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


class _HashingReader:
    """Hands tarfile the file's bytes and hashes exactly those, so the manifest describes
    what went into the archive even if the file changes while it is read."""

    def __init__(self, file):
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.file.read(size)
        self.digest.update(data)
        return data


def archive_folder(root, path):
    """Write every file under root into a new tar at path, names relative to root.
    Returns {name: {"sha256": …, "size": …}}."""
    files = {}
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, source in folder_files(root).items():
            info = tar.gettarinfo(source, arcname=name)
            with open(source, "rb") as file:
                reader = _HashingReader(file)
                tar.addfile(info, reader)
            files[name] = {"sha256": reader.digest.hexdigest(), "size": info.size}
    return files


def human_size(size):
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
