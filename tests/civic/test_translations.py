"""Chinese is complete: every marked string has a translation, and the committed .mo matches the .po."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}|%s|%d")


def test_every_entry_is_translated_with_the_same_placeholders():
    po = polib.pofile(str(PO))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()]
    for entry in po.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(set(PLACEHOLDER.findall(entry.msgid))) == sorted(set(PLACEHOLDER.findall(text))), entry.msgid


def test_committed_mo_matches_the_po():
    def catalogue(entries):
        return {(e.msgctxt, e.msgid): e.msgstr_plural.get(0, e.msgstr) if e.msgid_plural else e.msgstr for e in entries}

    po = catalogue(polib.pofile(str(PO)).translated_entries())
    mo = catalogue(e for e in polib.mofile(str(PO.with_suffix(".mo"))) if e.msgid)
    assert mo == po, "run `make messages` to recompile locale/zh_Hans/LC_MESSAGES/django.mo"


def test_no_string_marked_in_the_code_is_missing_from_the_catalogue(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "node_modules", "*.sqlite3", "tests"))
    env = dict(os.environ, DEBUG="true")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--ignore=.venv"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in fresh.untranslated_entries() + fresh.fuzzy_entries() if not e.obsolete]
    assert missing == [], "strings without a Chinese translation (run `make messages` and translate them)"
