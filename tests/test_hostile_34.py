"""Round 34 of hostile input and tired-editor mistakes, each found by trying it on a scratch project:
every test fails on the code before its fix (the commit messages say what happened before)."""
from __future__ import annotations

import json
from pathlib import Path


from .conftest import run_archive
from .test_hostile_more import HEADLINE
from .test_hostile_site import body

RAW_CONTROLS = "\u202e\u009b\u2066"  # reverse the rest of the line; a CSI to some terminals; an isolate


def _article(title: str = HEADLINE) -> dict:
    return {"title": title, "body": "\n\n".join(body(3, 3)), "date": "2024-05-01"}


def test_a_broken_sidecar_is_named_with_its_problem_and_line(tmp_path):
    """A sidecar's YAML error was reported by its first line, which for most mistakes is the
    context without the problem or where it is: `sidecar s.meta.yml is not valid YAML: while
    scanning a quoted scalar`. Now the problem and its line: `found unexpected end of stream (line
    3)`. (Anchors and aliases are refused by the same check as a page's, also with the line.)"""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, meta in (("s", 'url: https://example.org/a\ntitle: "unclosed\n'),
                       ("t", "url: https://example.org/b\nsource: &s Agency\nauthor: *s\n")):
        (inbox / f"{name}.txt").write_text(f"{HEADLINE}\n\n" + "\n\n".join(body(3, 3)) + "\n", encoding="utf-8")
        (inbox / f"{name}.meta.yml").write_text(meta, encoding="utf-8")
    out = run_archive("ingest", str(inbox), "--content", str(tmp_path / "content"), "--json", cwd=tmp_path)
    reasons = {Path(e["input"]).name: e.get("reason") for e in json.loads(out.stdout)["entries"]}
    assert reasons["s.txt"] == "sidecar s.meta.yml is not valid YAML: found unexpected end of stream (line 3)", reasons
    assert reasons["t.txt"] == ("sidecar t.meta.yml is not valid YAML: YAML anchors and aliases are not allowed in a "
                                "sidecar (write the value out) (line 2)"), reasons
