"""Every marked string has a Chinese translation.

Runs `makemessages -l zh_Hans` on a copy of the sources (so the working tree is left
alone), then reads every catalog it wrote. Fails listing, per catalog, each msgid whose
msgstr is empty or marked fuzzy. Needs GNU gettext's xgettext: skipped without it, except
under CI (CI=true), where a missing xgettext fails the run.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", "var", ".git", "node_modules", "__pycache__", ".ruff_cache", "screenshots"}


def ignore(directory, names):
    return [name for name in names if name in SKIP_DIRS or name.endswith((".pyc", ".mo"))]


def untranslated(po_path):
    catalog = polib.pofile(str(po_path))
    return [
        entry.msgid
        for entry in catalog
        if not entry.obsolete
        and (
            "fuzzy" in entry.flags
            or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
            or (not entry.msgid_plural and not entry.msgstr)
        )
    ]


def test_it_has_a_chinese_translation_for_every_marked_string(tmp_path):
    if shutil.which("xgettext") is None:
        message = "GNU gettext's xgettext not found: install the gettext package"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=ignore)
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    # As `make messages` does: makemessages puts each file's strings in the catalog of
    # the app it belongs to, and the rest (site templates) in the root one (LOCALE_PATHS).
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--ignore=tests",
            "--ignore=scripts",
            "--ignore=benchmarks",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    catalogs = sorted(copy.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))
    assert catalogs, "makemessages wrote no catalog"
    missing = {}
    for po in catalogs:
        names = untranslated(po)
        if names:
            missing[str(po.relative_to(copy))] = names
    report = "\n".join(
        f"{catalog}: {len(names)} untranslated or fuzzy\n"
        + "\n".join(f"    {name!r}" for name in names)
        for catalog, names in missing.items()
    )
    assert not missing, "Strings without Chinese:\n" + report
