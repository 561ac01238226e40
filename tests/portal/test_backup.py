"""manage.py backup and manage.py restore_drill, against the test PostgreSQL database.

The tests are transactional: pg_dump runs in its own session and sees only committed rows.
Uploads go to a temporary PRIVATE_MEDIA_ROOT, not to var/test-private.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from neighborhoods.models import Household, Resident
from portal.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + b"\xff\xd9"
PDF = "%PDF-1.4\n居民区通知\n%%EOF\n".encode()
FILES = {"needs/2026/12/photo.jpg": PHOTO, "notices/1/通知.pdf": PDF}


@pytest.fixture
def uploads(settings, tmp_path):
    """Two private uploads in a temporary PRIVATE_MEDIA_ROOT, saved through its storage."""
    root = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = root
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    for name, content in FILES.items():
        assert storages["private"].save(name, ContentFile(content)) == name
    return root


@pytest.fixture
def register():
    """A small household register: three households, four residents, a staff account."""
    neighbourhood = f.NeighbourhoodFactory(name="公交新村居民区")
    building = f.BuildingFactory(neighbourhood=neighbourhood, number="1号")
    f.ResidentFactory(household__building=building, name="周秀英", birth_date=f.born_years_ago(82))
    household = f.HouseholdFactory(building=building, room="302")
    f.ResidentFactory.create_batch(2, household=household)
    f.ResidentFactory(household__building=building)
    f.WorkerFactory(user=f.UserFactory(username="huyun"), neighbourhood=neighbourhood)


def back_up(folder):
    out = StringIO()
    call_command("backup", to=folder, stdout=out)
    return out.getvalue()


def drill(folder, *args):
    out = StringIO()
    try:
        call_command("restore_drill", str(folder), *args, stdout=out)
    except CommandError as error:
        error.output = out.getvalue()
        raise
    return out.getvalue()


def manifest_of(folder):
    return json.loads((folder / "manifest.json").read_text())


def rewrite_manifest(folder, change):
    manifest = manifest_of(folder)
    change(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))


def drill_databases():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [connection.settings_dict["NAME"][:40] + "_drill_%"],
        )
        return [row[0] for row in cursor.fetchall()]


def scratch_folder(output):
    return Path(re.search(r"Removed the scratch folder (\S+)\.", output).group(1))


@pytest.fixture
def backup(tmp_path, uploads, register):
    folder = tmp_path / "backup"
    back_up(folder)
    return folder


def test_it_writes_the_dump_the_uploads_and_a_manifest_of_both(tmp_path, uploads, register):
    folder = tmp_path / "backup"
    output = back_up(folder)

    assert sorted(path.name for path in folder.iterdir()) == [
        "database.dump",
        "manifest.json",
        "private-media.tar",
    ]
    assert f"Backed up {connection.settings_dict['NAME']} to {folder}" in output
    manifest = manifest_of(folder)
    assert (
        manifest["database"]["sha256"]
        == hashlib.sha256((folder / "database.dump").read_bytes()).hexdigest()
    )
    counts = manifest["row_counts"]
    assert counts["neighborhoods_household"] == Household.objects.count() == 3
    assert counts["neighborhoods_resident"] == Resident.objects.count() == 4
    assert counts["portal_user"] == User.objects.count() == 1
    assert {"neighborhoods_communityworker", "notices_notice", "volunteers_volunteerprofile"} <= (
        counts.keys()
    )
    latest = MigrationRecorder.Migration.objects.filter(app="neighborhoods").latest("id")
    assert manifest["migrations"]["neighborhoods"] == latest.name

    archive = manifest["archives"]["private-media.tar"]
    assert archive["setting"] == "PRIVATE_MEDIA_ROOT"
    assert archive["files"] == {
        name: {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
        for name, content in FILES.items()
    }
    with tarfile.open(folder / "private-media.tar") as tar:
        assert sorted(tar.getnames()) == sorted(FILES)
        assert tar.extractfile("notices/1/通知.pdf").read() == PDF
    # The household register is personal data: only the owner may read the backup.
    assert folder.stat().st_mode & 0o777 == 0o700
    assert all(path.stat().st_mode & 0o077 == 0 for path in folder.iterdir())


def test_it_puts_the_committed_rows_in_the_dump(backup):
    listing = subprocess.run(
        ["pg_restore", "--list", str(backup / "database.dump")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "TABLE DATA public neighborhoods_resident" in listing


def test_it_passes_the_drill_and_cleans_up(backup):
    output = drill(backup)

    tables = len(manifest_of(backup)["row_counts"])
    assert re.search(r"dump checksum\s+OK", output)
    assert re.search(rf"row counts\s+OK  {tables} tables OK, 0 mismatched", output)
    assert re.search(r"migrations\s+OK  migrate --check: nothing to apply", output)
    assert re.search(r"private-media.tar\s+OK  2 files OK, 0 missing, 0 mismatched", output)
    assert re.search(r"Restore drill passed in \d+\.\d s\.", output)
    assert drill_databases() == []
    assert not scratch_folder(output).exists()


def test_it_keeps_the_scratch_restore_when_asked(backup):
    output = drill(backup, "--keep")

    scratch_db = re.search(r"Kept the scratch database (\S+) and folder (\S+):", output)
    name, folder = scratch_db.group(1), Path(scratch_db.group(2))
    try:
        assert drill_databases() == [name]
        db = connection.settings_dict
        with psycopg.connect(dbname=name, host=db["HOST"], port=db["PORT"], user=db["USER"]) as c:
            assert c.execute(
                "SELECT name FROM neighborhoods_resident WHERE name = '周秀英'"
            ).fetchall()
        assert (folder / "private-media" / "notices/1/通知.pdf").read_bytes() == PDF
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(folder)
    assert drill_databases() == []


def flip_byte_of_member(archive, member_name):
    with tarfile.open(archive) as tar:
        offset = tar.getmember(member_name).offset_data
    with open(archive, "r+b") as file:
        file.seek(offset + 10)
        byte = file.read(1)
        file.seek(offset + 10)
        file.write(bytes([byte[0] ^ 0xFF]))


def test_it_fails_the_drill_when_a_file_in_the_archive_changed(backup):
    flip_byte_of_member(backup / "private-media.tar", "needs/2026/12/photo.jpg")

    with pytest.raises(CommandError, match="private-media.tar: 1 files OK, 0 missing, 1 mismatch"):
        drill(backup)


def test_it_names_the_changed_file_and_still_cleans_up(backup):
    flip_byte_of_member(backup / "private-media.tar", "needs/2026/12/photo.jpg")

    with pytest.raises(CommandError) as failure:
        drill(backup)
    output = failure.value.output
    assert "sha256 mismatch: needs/2026/12/photo.jpg" in output
    assert "notices/1/通知.pdf" not in output
    assert re.search(r"row counts\s+OK", output)
    assert drill_databases() == []
    assert not scratch_folder(output).exists()


def test_it_fails_the_drill_when_the_manifest_checksum_of_a_file_is_wrong(backup):
    def change(manifest):
        manifest["archives"]["private-media.tar"]["files"]["notices/1/通知.pdf"]["sha256"] = (
            "0" * 64
        )

    rewrite_manifest(backup, change)

    with pytest.raises(CommandError, match="1 mismatched") as failure:
        drill(backup)
    assert "sha256 mismatch: notices/1/通知.pdf" in failure.value.output


def test_it_fails_the_drill_when_a_file_is_missing_from_the_archive(backup, tmp_path):
    archive = backup / "private-media.tar"
    with tarfile.open(archive) as old, tarfile.open(tmp_path / "new.tar", "w") as new:
        member = old.getmember("needs/2026/12/photo.jpg")
        new.addfile(member, old.extractfile(member))
    os.replace(tmp_path / "new.tar", archive)

    with pytest.raises(CommandError, match="1 missing") as failure:
        drill(backup)
    assert "missing: notices/1/通知.pdf" in failure.value.output


def test_it_fails_the_drill_when_a_row_count_differs(backup):
    rewrite_manifest(
        backup, lambda manifest: manifest["row_counts"].update(neighborhoods_household=4)
    )

    with pytest.raises(CommandError, match="row counts: .*1 mismatched") as failure:
        drill(backup)
    assert "neighborhoods_household: manifest 4 rows, restored 3" in failure.value.output
    assert drill_databases() == []


def test_it_refuses_to_restore_a_dump_that_does_not_match_its_checksum(backup):
    dump = backup / "database.dump"
    content = bytearray(dump.read_bytes())
    content[len(content) // 2] ^= 0xFF
    dump.write_bytes(bytes(content))

    with pytest.raises(
        CommandError, match="dump checksum: database.dump does not match"
    ) as failure:
        drill(backup)
    assert not re.search(r"^\s+restore\s", failure.value.output, re.MULTILINE)
    assert drill_databases() == []


def test_it_fails_the_drill_when_the_backup_lacks_a_migration_of_this_code(tmp_path, uploads):
    """A backup from an older release: the drill says that a real restore needs migrate."""
    latest = MigrationRecorder.Migration.objects.filter(app="volunteers").latest("id")
    latest.delete()
    try:
        back_up(tmp_path / "backup")
    finally:
        MigrationRecorder.Migration.objects.create(app=latest.app, name=latest.name)

    with pytest.raises(CommandError, match="migrations: unapplied migrations") as failure:
        drill(tmp_path / "backup")
    assert f"volunteers.{latest.name}" in failure.value.output


def test_it_will_not_write_over_an_earlier_backup(backup):
    with pytest.raises(CommandError, match="exists and is not an empty folder"):
        back_up(backup)
    assert manifest_of(backup)["row_counts"]["neighborhoods_household"] == 3


def test_it_passes_the_password_in_the_environment_not_on_the_command_line(
    tmp_path, uploads, monkeypatch
):
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "pw-never-in-argv")
    calls = []
    run = subprocess.run

    def recording_run(args, **kwargs):
        calls.append((args, kwargs["env"]))
        return run(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", recording_run)
    back_up(tmp_path / "backup")  # the test server trusts local connections, as CI's does

    (args, env), *_ = calls
    assert args[0] == "pg_dump"
    assert not any("pw-never-in-argv" in arg for arg in args)
    assert env["PGPASSWORD"] == "pw-never-in-argv"


@pytest.mark.parametrize("command", [["backup"], ["restore_drill", "var/backups/x"]])
def test_it_refuses_sqlite(tmp_path, command):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "need PostgreSQL, the database of record" in result.stderr
    assert "sqlite3" in result.stderr
