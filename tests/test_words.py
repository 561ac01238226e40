"""The words of the Chinese catalogs: one voice (您) and Chinese punctuation (docs/glossary.md)."""

import datetime
import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")) + [
    ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
]
HAN = re.compile(r"[\u4e00-\u9fff]")
# Placeholders, addresses, times and date formats may hold colons: %(name)s, {{ x }},
# http://, 09:28, "H:i".
NOT_PUNCTUATION = re.compile(
    r"%\([a-z_]+\)[sd]|\{\{[^}]*\}\}|\{[a-z_]*\}|https?://|\d:\d|[A-Za-z]:[A-Za-z]"
)


def translations():
    for catalog in CATALOGS:
        for entry in polib.pofile(str(catalog)):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if text:
                    yield catalog.relative_to(ROOT), entry.msgid, text


def test_it_finds_the_catalogs():
    assert len(CATALOGS) >= 4 and all(catalog.exists() for catalog in CATALOGS)
    assert sum(1 for _ in translations()) > 500


def test_it_says_nin_never_ni():
    found = [
        f"{where}: {msgid!r} → {text!r}" for where, msgid, text in translations() if "你" in text
    ]
    assert not found, "Use 您 (docs/glossary.md):\n" + "\n".join(found)


def test_it_uses_chinese_colons_in_chinese_text():
    found = [
        f"{where}: {msgid!r} → {text!r}"
        for where, msgid, text in translations()
        if HAN.search(text) and ":" in NOT_PUNCTUATION.sub("", text)
    ]
    assert not found, "Use ： in Chinese text (docs/glossary.md):\n" + "\n".join(found)


def test_it_writes_a_labels_colon_as_the_colon_tag():
    """`{% translate "Label" %}: ` shows an ASCII colon after Chinese: use {% colon %}."""
    templates = [*ROOT.glob("*/templates/**/*.html"), *ROOT.glob("templates/**/*.html")]
    assert templates
    found = [
        str(path.relative_to(ROOT))
        for path in templates
        if re.search(r"\{% translate ['\"][^'\"]+['\"] %\}:", path.read_text())
    ]
    assert not found, "Write {% colon %} (docs/glossary.md):\n" + "\n".join(found)


def test_it_uses_chinese_brackets_in_chinese_text():
    found = [
        f"{where}: {msgid!r} → {text!r}"
        for where, msgid, text in translations()
        if HAN.search(text) and re.search(r"[()]", NOT_PUNCTUATION.sub("", text))
    ]
    assert not found, "Use （） in Chinese text (docs/glossary.md):\n" + "\n".join(found)


def test_it_writes_brackets_around_a_value_as_the_bracketed_tag():
    """`({{ count }})` shows ASCII brackets beside Chinese: use {% bracketed %}."""
    templates = [*ROOT.glob("*/templates/**/*.html"), *ROOT.glob("templates/**/*.html")]
    found = [
        str(path.relative_to(ROOT))
        for path in templates
        if "templates/admin/" not in str(path)
        and re.search(r"(?<![\w'\"])\((\{\{|\{% blocktranslate)", _outside_blocktranslate(path))
    ]
    assert not found, "Write {% bracketed %} (docs/glossary.md):\n" + "\n".join(found)


def _outside_blocktranslate(path):
    """The template's text without the insides of its translation blocks (the catalog's job)."""
    text = path.read_text()
    block = r"(\{% blocktranslate[^%]*%\}).*?\{% endblocktranslate %\}"
    return re.sub(block, r"\1", text, flags=re.S)


def test_the_bracketed_tag_speaks_the_readers_language():
    from django.template import engines
    from django.utils import translation

    source = "{% load words %}{% bracketed %}3/12{% endbracketed %}"
    template = engines["django"].from_string(source)
    with translation.override("zh-hans"):
        assert template.render({}) == "（3/12）"
    with translation.override("en"):
        assert template.render({}) == "(3/12)"


def test_day_reads_a_date_kept_as_text_and_leaves_anything_else():
    from django.utils import translation

    from portal.templatetags.words import day

    with translation.override("zh-hans"):
        assert day("2026-12-03") == day(datetime.date(2026, 12, 3))
        assert day("not a date") == "not a date"


def test_hours_are_written_as_people_write_them():
    from django.utils import translation

    from portal.templatetags.words import hours

    with translation.override("zh-hans"):
        assert (hours(3), hours("1.50"), hours(None)) == ("3 小时", "1.5 小时", "")
    with translation.override("en"):
        assert (hours(1), hours(2.25)) == ("1 hour", "2.25 hours")
