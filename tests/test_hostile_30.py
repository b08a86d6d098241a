"""Round 30 of hostile input and tired-editor mistakes, each found by trying it on a scratch project:
every test fails on the code before its fix (the commit messages say what happened before)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import copy_project, run_archive
from .test_hostile_site import GOOD_PAGE, lenient_build

TITLE = "title: A hand-edited page about the convoy"


def _page(project: Path, text: str = GOOD_PAGE, name: str = "edited.md") -> Path:
    page = project / "content" / "articles" / "2024" / "05" / name
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text, encoding="utf-8")
    return page


def _lines(result, needle: str = "articles/2024/05/edited.md") -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if needle in line]


@pytest.mark.parametrize("old, new, key", [
    (TITLE, r'title: "A hand-edited page about the convoy \x01\x1b[31m"', "title"),
    ("- Convoys", r'- "Convoys \x00"', "tags[0]"),
    ("source: Wire", r'source: "Wire \uffff"', "source"),
])
def test_a_control_character_typed_as_a_yaml_escape_is_one_line_not_a_broken_feed(tmp_path, old, new, key):
    """A YAML escape (`"\\x01"`, `"\\x00"`, `"\\uffff"`) puts a character XML forbids in a field: the
    strict build passed and feed.xml (and the tag's feed) was not well-formed XML, so every feed
    reader refused the whole feed. Ingest drops such characters; a hand edit is now one line naming
    the file and the key, and the value is left out."""
    project = copy_project(tmp_path / "p")
    assert old in GOOD_PAGE
    _page(project, GOOD_PAGE.replace(old, new))
    strict = run_archive("build", cwd=project)
    out = strict.stdout + strict.stderr
    assert strict.returncode == 1 and "Traceback" not in out, out
    lines = _lines(strict)
    assert len(lines) == 1 and f": {key}: " in lines[0] and "control character" in lines[0], lines
    assert lenient_build(project).returncode == 0
    for feed in (project / "site").rglob("*.xml"):
        ET.parse(feed)  # well-formed
