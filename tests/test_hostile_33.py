"""Round 33 of hostile input and tired-editor mistakes, each found by trying it on a scratch project:
every test fails on the code before its fix (the commit messages say what happened before)."""
from __future__ import annotations

from pathlib import Path

from generator.linkcheck import check_site


def _html(root: Path, name: str, body: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><head></head><body>{body}</body></html>", encoding="utf-8")


def test_linkcheck_sees_what_srcset_poster_and_css_load(tmp_path):
    """`archive linkcheck` read `href` and `src` only: a page whose <img srcset>, <video poster>,
    style="background:url(//host/…)" or <style>@import pulled from another host (or named a file
    the site does not have) passed with "all resolve", though the browser fetched each one."""
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a.png").write_bytes(b"\x89PNG")
    _html(tmp_path, "index.html",
          '<img src="img/a.png" srcset="img/a.png 1x, https://track.example/p.png 2x">'
          '<picture><source srcset="img/gone.webp"></picture>'
          '<video poster="//cdn.example/v.jpg"></video>'
          '<p style="background: u\\72l(//cdn.example/bg.png)">x</p>'
          '<div style="background-image: url(\'img/a.png\')">fine</div>'
          '<style>@import "https://fonts.example/css"; .x{background:image-set("img/none.png" 1x)}</style>'
          '<a href="img/a.png">ok</a>')
    problems, _, _ = check_site(tmp_path)
    found = {(p.url, p.reason.split(" (")[0]) for p in problems}
    assert found == {
        ("https://track.example/p.png", "loaded from another host"),
        ("img/gone.webp", "no such file in the site"),
        ("//cdn.example/v.jpg", "loaded from another host"),
        ("//cdn.example/bg.png", "loaded from another host"),
        ("https://fonts.example/css", "loaded from another host"),
        ("img/none.png", "no such file in the site"),
    }, problems
