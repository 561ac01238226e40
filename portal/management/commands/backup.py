"""Back up the database and every uploaded file into one folder, with a manifest.

Restoring the database alone leaves every photo and PDF answering 404: they live in
PRIVATE_MEDIA_ROOT, not in the database. So one backup holds both (see portal/backups.py for
the layout), and `manage.py restore_drill <folder>` proves that it can be restored.

Run it nightly from cron and keep two weeks of folders, copied off the machine as well (a
backup on the database's own disk does not survive that disk): the cron lines are in the
README, "Backups and the restore drill". Needs pg_dump of the server's major version or
newer (Debian: postgresql-client).
"""

import datetime
import json
import os
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import IsolationLevel, sql

from portal.backups import (
    DUMP,
    LATEST_MIGRATIONS,
    MANIFEST,
    MANIFEST_FORMAT,
    archive_folder,
    connect,
    database_settings,
    folder_files,
    human_size,
    libpq_env,
    media_archives,
    model_tables,
    sha256_file,
)


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump -Fc) and the uploaded files (PRIVATE_MEDIA_ROOT, and "
        "MEDIA_ROOT when it holds files) into one folder with a manifest.json of migrations, "
        "row counts and sha256 checksums. Check a backup with `manage.py restore_drill FOLDER`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            type=Path,
            help="folder to write into, new or empty (default: var/backups/<UTC time>/)",
        )

    def handle(self, *args, to=None, **options):
        db = database_settings()
        started = time.monotonic()
        created = datetime.datetime.now(datetime.UTC)
        target = to or Path(settings.BASE_DIR) / "var" / "backups" / created.strftime(
            "%Y%m%dT%H%M%SZ"
        )
        target = target.resolve()
        self._refuse_inside_media(target)
        made_folder = self._prepare(target)
        try:
            manifest = self._back_up(db, target, created)
        except BaseException:
            self._remove_partial(target, made_folder)
            raise
        seconds = time.monotonic() - started
        self._report(target, manifest, seconds)

    def _refuse_inside_media(self, target):
        for _archive, (setting, root) in media_archives().items():
            if target.is_relative_to(Path(root).resolve()):
                raise CommandError(
                    f"{target} is inside {setting}: the backup would archive itself."
                )

    def _prepare(self, target):
        """Create the folder (owner only: it holds the household register) or accept an empty
        one; never write over an earlier backup."""
        if target.exists():
            if not target.is_dir() or any(target.iterdir()):
                raise CommandError(f"{target} exists and is not an empty folder; choose another.")
            made = False
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.mkdir(mode=0o700)  # fails if a concurrent run took the same name
            made = True
        target.chmod(0o700)
        return made

    def _remove_partial(self, target, made_folder):
        for name in [DUMP, MANIFEST, f"{MANIFEST}.tmp", *media_archives()]:
            (target / name).unlink(missing_ok=True)
        if made_folder:
            target.rmdir()

    def _back_up(self, db, target, created):
        dump = target / DUMP
        # One REPEATABLE READ snapshot for pg_dump and for the row counts and migration state,
        # so the manifest describes exactly what is in the dump even while people keep
        # writing. The session must outlive pg_dump's start, hence no idle timeout.
        with connect(db, options="-c idle_in_transaction_session_timeout=0") as conn:
            conn.isolation_level = IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            self._pg_dump(db, dump, snapshot)
            counts = self._row_counts(conn)
            migrations = dict(conn.execute(LATEST_MIGRATIONS).fetchall())
            database = self._database_facts(conn)
        database.update({"file": DUMP, "size": dump.stat().st_size, "sha256": sha256_file(dump)})

        # Files after the database: an upload made meanwhile is an extra file nobody refers to,
        # whereas archiving first would leave rows of the dump pointing at files it lacks.
        archives = {}
        for name, (setting, root) in media_archives().items():
            if name != "private-media.tar" and not folder_files(root):
                continue
            files = archive_folder(root, target / name)
            archives[name] = {
                "setting": setting,
                "root": str(root),
                "size": (target / name).stat().st_size,
                "sha256": sha256_file(target / name),
                "files": files,
            }

        manifest = {
            "format": MANIFEST_FORMAT,
            "created": created.isoformat(timespec="seconds"),
            "database": database,
            "migrations": migrations,
            "row_counts": counts,
            "archives": archives,
        }
        # Written last and renamed into place: a folder with a manifest is a whole backup.
        partial = target / f"{MANIFEST}.tmp"
        partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True))
        os.replace(partial, target / MANIFEST)
        for path in target.iterdir():
            path.chmod(0o600)
        return manifest

    def _pg_dump(self, db, dump, snapshot):
        command = ["pg_dump", "--format=custom", "--no-password", f"--snapshot={snapshot}"]
        try:
            subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [*command, f"--file={dump}"],
                env=libpq_env(db),
                check=True,
                capture_output=True,
                text=True,
            )
        except FileNotFoundError:
            raise CommandError(
                "pg_dump not found: install the PostgreSQL client (postgresql-client)."
            ) from None
        except subprocess.CalledProcessError as error:
            raise CommandError(f"pg_dump failed: {error.stderr.strip()}") from None

    def _row_counts(self, conn):
        counts = {}
        for table in model_tables():
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            counts[table] = conn.execute(query).fetchone()[0]
        return counts

    def _database_facts(self, conn):
        name, encoding, collate, ctype, version = conn.execute(
            "SELECT datname, pg_encoding_to_char(encoding), datcollate, datctype, "
            "current_setting('server_version') FROM pg_database WHERE datname = current_database()"
        ).fetchone()
        return {
            "name": name,
            "encoding": encoding,
            "lc_collate": collate,
            "lc_ctype": ctype,
            "server_version": version,
        }

    def _report(self, target, manifest, seconds):
        database = manifest["database"]
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(f"Backed up {database['name']} to {target}")
        self.stdout.write(
            f"  {DUMP:<18} {human_size(database['size']):>10}  "
            f"{len(manifest['row_counts'])} tables, {rows} rows"
        )
        for name, archive in manifest["archives"].items():
            self.stdout.write(
                f"  {name:<18} {human_size(archive['size']):>10}  "
                f"{len(archive['files'])} files from {archive['setting']}"
            )
        self.stdout.write(f"  {MANIFEST}")
        self.stdout.write(self.style.SUCCESS(f"Backup done in {seconds:.1f} s."))
