"""`archive linkcheck`: every relative link of a built site resolves, and nothing loads from elsewhere."""
from __future__ import annotations

from pathlib import Path

from generator.linkcheck import check_site

from .conftest import run_archive


def _site(root: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")
    return root


def _reasons(site: Path) -> dict[tuple[str, str], str]:
    problems, _, _ = check_site(site)
    return {(p.page, p.url): p.reason for p in problems}


def test_good_links_of_every_kind_resolve(tmp_path):
    site = _site(tmp_path, {
        "index.html": '<a href="tags/">tags</a> <a href="tags/#kinds">kinds</a> <a href="#top" id="top">top</a>'
                      ' <a href="a%20b/page.html">spaced</a> <img src="assets/map.svg">'
                      ' <a href="https://example.org/">elsewhere</a> <a href="mailto:x@example.org">mail</a>'
                      ' <link rel="canonical" href="https://example.org/archive/"> <a href="?q=1">query</a>',
        "tags/index.html": '<h2 id="kinds">Kinds</h2><a href="../">home</a> <a href="/index.html">root</a>',
        "a b/page.html": '<a href="../tags/index.html#kinds">back</a>',
    })
    (site / "assets").mkdir()
    (site / "assets" / "map.svg").write_text("<svg/>", encoding="utf-8")
    problems, pages, links = check_site(site)
    assert problems == [] and pages == 3 and links == 12


def test_broken_links_missing_anchors_escapes_and_remote_assets_are_each_reported(tmp_path):
    site = _site(tmp_path, {
        "index.html": '<a href="tags/">gone</a> <a href="about/#team">no anchor</a>'
                      ' <a href="../../etc/passwd">outside</a> <script src="https://cdn.example.org/x.js"></script>'
                      ' <link rel="stylesheet" href="//fonts.example.org/css"> <img src="img/missing.png">',
        "about/index.html": '<h1 id="about">About</h1>',
    })
    assert _reasons(site) == {
        ("index.html", "tags/"): "no such file in the site",
        ("index.html", "about/#team"): "no element with id 'team'",
        ("index.html", "../../etc/passwd"): "no such file in the site",
        ("index.html", "https://cdn.example.org/x.js"): "loaded from another host (the site must work offline)",
        ("index.html", "//fonts.example.org/css"): "loaded from another host (the site must work offline)",
        ("index.html", "img/missing.png"): "no such file in the site",
    }


def test_cli_exit_codes_and_one_line_per_problem(tmp_path):
    good = _site(tmp_path / "good", {"index.html": '<a href="index.html">self</a>'})
    bad = _site(tmp_path / "bad", {"index.html": '<a href="nowhere/">x</a>', "x/index.html": '<a href="../y.html">y</a>'})
    ok = run_archive("linkcheck", str(good), cwd=tmp_path)
    assert ok.returncode == 0 and "all resolve" in ok.stdout
    broken = run_archive("linkcheck", str(bad), cwd=tmp_path)
    assert broken.returncode == 1 and "2 broken" in broken.stdout
    assert broken.stderr.splitlines() == ["index.html: 'nowhere/': no such file in the site",
                                          "x/index.html: '../y.html': no such file in the site"]
    missing = run_archive("linkcheck", str(tmp_path / "nothing"), cwd=tmp_path)
    assert missing.returncode == 2 and "no built site" in missing.stderr


def test_the_built_archive_has_no_broken_link_and_loads_nothing_from_elsewhere(built_site):
    problems, pages, links = check_site(built_site / "site")
    assert [str(p) for p in problems] == []
    assert pages > 50 and links > 1000
