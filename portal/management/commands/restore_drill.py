"""Prove that a backup made by `manage.py backup` can be restored, without touching the portal.

It checks the dump's sha256, restores it into a scratch database on the same server
(`<name>_drill_<random>`), compares every table's row count with the manifest, runs
`migrate --check` against it, unpacks the archives into a scratch folder and checks every
file's sha256. Then it drops the scratch database and folder (also when something fails,
unless --keep) and fails with a non-zero exit status if anything did not match.

Run it weekly from cron on the newest backup (the cron line is in the README, "Backups and
the restore drill"). The database user needs the CREATEDB privilege; pg_restore must be of
the server's major version or newer.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql

from portal.backups import (
    DUMP,
    LATEST_MIGRATIONS,
    MANIFEST,
    MANIFEST_FORMAT,
    connect,
    database_settings,
    database_url,
    folder_files,
    libpq_env,
    sha256_file,
)


class Command(BaseCommand):
    help = (
        "Restore a backup folder made by `manage.py backup` into a scratch database and a "
        "scratch folder, check row counts, migrations and every file's sha256 against its "
        "manifest, report, and clean up. Exits non-zero if anything does not match."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a backup folder (holding manifest.json)")
        parser.add_argument(
            "--keep",
            action="store_true",
            help="keep the scratch database and folder for inspection (drop them yourself)",
        )

    def handle(self, *args, folder, keep=False, **options):
        db = database_settings()
        manifest = self._read_manifest(folder)
        started = time.monotonic()
        self.problems = []
        self.stdout.write(
            f"Restore drill of {folder.resolve()} "
            f"(backup of {manifest['database']['name']}, made {manifest['created']})"
        )
        if self._step("dump checksum", self._check_dump, folder, manifest):
            scratch_db = f"{db['NAME'][:40]}_drill_{secrets.token_hex(4)}"
            scratch_dir = Path(tempfile.mkdtemp(prefix="restore_drill_"))
            created_db = False
            try:
                created_db = self._create_database(db, scratch_db, manifest["database"])
                if self._step("restore", self._restore, db, folder, scratch_db):
                    self._step("row counts", self._compare_counts, db, scratch_db, manifest)
                    self._step("migrations", self._check_migrations, db, scratch_db, manifest)
                for name, archive in manifest["archives"].items():
                    self._step(name, self._check_archive, folder, name, archive, scratch_dir)
            finally:
                if keep:
                    self.stdout.write(
                        f"Kept the scratch database {scratch_db} and folder {scratch_dir}: "
                        f"dropdb {scratch_db} && rm -r {scratch_dir} when done."
                    )
                else:
                    if created_db and self._drop_database(db, scratch_db):
                        self.stdout.write(f"Dropped the scratch database {scratch_db}.")
                    shutil.rmtree(scratch_dir, ignore_errors=True)
                    self.stdout.write(f"Removed the scratch folder {scratch_dir}.")
        seconds = time.monotonic() - started
        if self.problems:
            raise CommandError(
                f"Restore drill FAILED after {seconds:.1f} s: " + "; ".join(self.problems)
            )
        self.stdout.write(self.style.SUCCESS(f"Restore drill passed in {seconds:.1f} s."))

    def _read_manifest(self, folder):
        try:
            manifest = json.loads((folder / MANIFEST).read_text())
        except FileNotFoundError:
            raise CommandError(
                f"No {MANIFEST} in {folder}: not a backup folder, or an unfinished backup."
            ) from None
        except ValueError as error:
            raise CommandError(f"{folder / MANIFEST} is not valid JSON: {error}") from None
        if manifest.get("format") != MANIFEST_FORMAT:
            raise CommandError(
                f"{folder / MANIFEST} has an unknown format {manifest.get('format')}."
            )
        return manifest

    def _step(self, title, check, *args):
        """Run one check, print its result line, its details and its time; True if it passed."""
        started = time.monotonic()
        summary, details = check(*args)
        seconds = time.monotonic() - started
        ok = not details
        status = self.style.SUCCESS("OK") if ok else self.style.ERROR("FAILED")
        self.stdout.write(f"  {title:<20} {status}  {summary}  ({seconds:.1f} s)")
        for line in details[:50]:
            self.stdout.write(f"      {line}")
        if len(details) > 50:
            self.stdout.write(f"      … and {len(details) - 50} more")
        if not ok:
            self.problems.append(f"{title}: {summary}")
        return ok

    def _check_dump(self, folder, manifest):
        expected = manifest["database"]["sha256"]
        try:
            actual = sha256_file(folder / DUMP)
        except FileNotFoundError:
            return f"{DUMP} is missing", [f"no {folder / DUMP}"]
        if actual != expected:
            return f"{DUMP} does not match the manifest, not restored", [
                f"sha256 {actual}, manifest says {expected}"
            ]
        return f"sha256 {actual[:12]}…", []

    def _create_database(self, db, name, facts):
        # template0 and the source's encoding and locale: the restore must not meet objects
        # added to template1, and Chinese names must sort as they do in production.
        query = sql.SQL(
            "CREATE DATABASE {} TEMPLATE template0 ENCODING {} LC_COLLATE {} LC_CTYPE {}"
        ).format(
            sql.Identifier(name),
            sql.Literal(facts["encoding"]),
            sql.Literal(facts["lc_collate"]),
            sql.Literal(facts["lc_ctype"]),
        )
        try:
            with connect(db, autocommit=True) as conn:
                conn.execute(query)
        except psycopg.Error as error:
            raise CommandError(
                f"Could not create the scratch database {name} (the database user needs "
                f"CREATEDB): {error}"
            ) from None
        return True

    def _drop_database(self, db, name):
        # WITH (FORCE): a connection left behind by a failed step must not keep it alive.
        query = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        try:
            with connect(db, autocommit=True) as conn:
                conn.execute(query)
        except psycopg.Error as error:
            self.stdout.write(self.style.ERROR(f"Could not drop {name}: {error}"))
            self.problems.append(f"the scratch database {name} is left over; drop it by hand")
            return False
        return True

    def _restore(self, db, folder, scratch_db):
        # --no-owner: the scratch copy belongs to whoever runs the drill.
        command = ["pg_restore", "--no-owner", "--exit-on-error", "--no-password"]
        try:
            subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [*command, f"--dbname={scratch_db}", str(folder / DUMP)],
                env=libpq_env(db, scratch_db),
                check=True,
                capture_output=True,
                text=True,
            )
        except FileNotFoundError:
            return "pg_restore not found (install postgresql-client)", ["pg_restore not found"]
        except subprocess.CalledProcessError as error:
            return "pg_restore failed", error.stderr.strip().splitlines()
        return f"pg_restore into {scratch_db}", []

    def _compare_counts(self, db, scratch_db, manifest):
        expected = manifest["row_counts"]
        details = []
        with connect(db, scratch_db, autocommit=True) as conn:
            for table, rows in expected.items():
                query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
                try:
                    restored = conn.execute(query).fetchone()[0]
                except psycopg.errors.UndefinedTable:
                    details.append(f"{table}: missing from the restored database")
                    continue
                if restored != rows:
                    details.append(f"{table}: manifest {rows} rows, restored {restored}")
        ok = len(expected) - len(details)
        return f"{ok} tables OK, {len(details)} mismatched", details

    def _check_migrations(self, db, scratch_db, manifest):
        details = []
        with connect(db, scratch_db, autocommit=True) as conn:
            restored = dict(conn.execute(LATEST_MIGRATIONS).fetchall())
        if restored != manifest["migrations"]:
            details.append(
                f"django_migrations: manifest {manifest['migrations']}, restored {restored}"
            )
        # The code on this machine against the restored schema: a backup from an older
        # release would need `migrate` after a real restore.
        result = subprocess.run(  # noqa: S603 - our own manage.py, no shell
            [
                sys.executable,
                str(Path(settings.BASE_DIR) / "manage.py"),
                "migrate",
                "--check",
                "--plan",
            ],
            env={
                **os.environ,
                "DATABASE_URL": database_url(db, scratch_db),
                "DATABASE_POOL": "false",
            },
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            details.append("migrate --check: the restored database lacks migrations of this code")
            details.extend((result.stdout + result.stderr).strip().splitlines())
            return "unapplied migrations", details
        summary = "migrate --check: nothing to apply"
        return (summary, []) if not details else ("recorded migrations differ", details)

    def _check_archive(self, folder, name, archive, scratch_dir):
        path = folder / name
        if not path.exists():
            return f"{name} is missing", [f"no {path}"]
        details = []
        actual = sha256_file(path)
        if actual != archive["sha256"]:
            details.append(f"{name}: sha256 {actual}, manifest says {archive['sha256']}")
        target = scratch_dir / Path(name).stem
        try:
            with tarfile.open(path) as tar:
                tar.extractall(target, filter="data")  # refuses ../ and absolute names
        except (tarfile.TarError, OSError) as error:
            return f"{name} cannot be unpacked", [*details, str(error)]
        found = folder_files(target)
        expected = archive["files"]
        missing = sorted(expected.keys() - found.keys())
        unexpected = sorted(found.keys() - expected.keys())
        mismatched = sorted(
            file
            for file in expected.keys() & found.keys()
            if sha256_file(found[file]) != expected[file]["sha256"]
        )
        details += [f"missing: {file}" for file in missing]
        details += [f"sha256 mismatch: {file}" for file in mismatched]
        details += [f"not in the manifest: {file}" for file in unexpected]
        ok = len(expected) - len(missing) - len(mismatched)
        summary = f"{ok} files OK, {len(missing)} missing, {len(mismatched)} mismatched"
        if unexpected:
            summary += f", {len(unexpected)} not in the manifest"
        if actual != archive["sha256"] and not (missing or mismatched or unexpected):
            summary += ", but the archive's own checksum differs"
        return summary, details
