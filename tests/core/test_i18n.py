"""Every app's Japanese catalogue is complete, and the catalogues cover every app."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "akari"
APPS = sorted(p.parent.name for p in SRC.glob("*/apps.py"))


def parse_po(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry but the header."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid, msgstr, current = "", "", None
        for line in lines:
            if line.startswith("msgid "):
                current = "id"
            elif line.startswith("msgid_plural "):
                current = "plural"
            elif line.startswith("msgstr"):
                current = "str"
            match = re.search(r'"(.*)"\s*$', line)
            if not match or line.startswith("#"):
                continue
            text = ast.literal_eval(f'"{match.group(1)}"')
            if current == "id":
                msgid += text
            elif current == "str":
                msgstr += text
        if current is not None and msgid:
            entries.append((msgid, msgstr, fuzzy))
    return entries


def uses_translation(app: str) -> bool:
    for path in (SRC / app).rglob("*"):
        if "locale" in path.parts or "migrations" in path.parts or not path.is_file():
            continue
        if path.suffix == ".py" and "gettext" in path.read_text(encoding="utf-8"):
            return True
        if path.suffix == ".html" and "{% translate" in path.read_text(encoding="utf-8"):
            return True
    return False


def regenerated_catalogue(app: str, workdir: Path) -> Path:
    """The app's ja catalogue as `makemessages` would make it from today's source (in a copy
    of the app, so the working tree is untouched): catches strings never extracted."""
    copy = workdir / app
    shutil.copytree(SRC / app, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "ja", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    return copy / "locale" / "ja" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("app", [app for app in APPS if uses_translation(app)])
def test_japanese_catalogue_is_complete(app, tmp_path):
    assert (SRC / app / "locale" / "ja" / "LC_MESSAGES" / "django.po").exists(), (
        f"{app} has translatable strings but no Japanese catalogue"
    )
    po = regenerated_catalogue(app, tmp_path)
    entries = parse_po(po)
    assert entries, f"{po} is empty"
    untranslated = [msgid for msgid, msgstr, _fuzzy in entries if not msgstr]
    fuzzy = [msgid for msgid, _msgstr, is_fuzzy in entries if is_fuzzy]
    assert untranslated == [], f"untranslated in {app} (run `make messages`): {untranslated[:10]}"
    assert fuzzy == [], f"fuzzy in {app}: {fuzzy[:10]}"


@pytest.mark.parametrize("app", [app for app in APPS if uses_translation(app)])
def test_english_catalogue_exists(app):
    # English is the source language: the catalogue exists so translators can override wording.
    assert (SRC / app / "locale" / "en" / "LC_MESSAGES" / "django.po").exists()


def test_parser_sees_an_untranslated_entry(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ja\\n"\n\n'
        '#, fuzzy\nmsgid "Yes"\nmsgstr "はい"\n\nmsgid "No"\nmsgstr ""\n',
        encoding="utf-8",
    )
    assert parse_po(po) == [("Yes", "はい", True), ("No", "", False)]
