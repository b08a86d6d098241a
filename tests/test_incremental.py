"""The build cache is correct: after each kind of change, a build that reuses the cache gives, byte
for byte, the site a clean build (no cache) gives; and it does reuse it (unchanged pages are not
rendered again). Adding or deleting articles changes OTHER articles' related list and older/newer
links: their pages must be rendered again although their files did not change (buildcache `context`)."""
from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import yaml

from generator.mkdocs_plugin import pagezip

from .conftest import SAMPLES, run_archive
from .sample_site import ROOT, build, make_project, tree

CACHE = Path(".cache/build/pages.sqlite")


def _small_pages(project: Path) -> None:
    """Listing pages of 1 article, so that a handful of articles has older listing pages too."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  - archive\n" in text
    config.write_text(text.replace("\n  - archive\n", "\n  - archive:\n      page_size: 1\n"), encoding="utf-8")


def _clean_site(project: Path, scratch: Path) -> dict[str, bytes]:
    """The same project built from scratch in another folder, without any cache."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(project, scratch, ignore=shutil.ignore_patterns("site", ".cache"))
    build(scratch, scratch / "site")
    return tree(scratch / "site")


def _articles(project: Path) -> list[Path]:
    return sorted((project / "content" / "articles").rglob("*.md"))


def _add(project: Path) -> None:
    extra = [str(p) for p in sorted(SAMPLES.glob("*.txt"))[6:9]]
    assert run_archive("ingest", *extra, "--quiet", cwd=project).returncode == 0


def _edit_tags(project: Path) -> None:
    page = _articles(project)[0]
    text = page.read_text(encoding="utf-8")
    assert "\ntags:\n" in text
    page.write_text(text.replace("\ntags:\n", "\ntags:\n- Edited by hand\n", 1), encoding="utf-8")


def _edit_meta(page: Path, **changes: str) -> None:
    """Set front matter fields as an editor would (the YAML written again)."""
    head, body = page.read_text(encoding="utf-8").split("\n---\n", 1)
    meta = yaml.safe_load(head.removeprefix("---\n"))
    meta.update({k: (v.format(meta.get(k) or "") if isinstance(v, str) else v) for k, v in changes.items()})
    page.write_text("---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n" + body,
                    encoding="utf-8")


def _edit_summary(project: Path) -> None:
    """A field the listings show (and not the tags): every listing of the article changes."""
    _edit_meta(_articles(project)[1], summary="An edited summary & more.")


def _edit_body(project: Path) -> None:
    """The article's text only: its page changes, no listing does."""
    page = _articles(project)[2]
    page.write_text(page.read_text(encoding="utf-8") + "\nA line added by hand.\n", encoding="utf-8")


def _new_month(project: Path) -> None:
    """An article moved to a month no other has, older than all: the month after it (and that
    month's older pages) now link to it."""
    _edit_meta(_articles(project)[3], date="2001-02-03")


def _nothing(project: Path) -> None:
    """Nothing changed: every page, listing and export comes from the cache."""


def _page_size(project: Path) -> None:
    """The listings' page size: every listing is paginated again."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("page_size: 1\n", "page_size: 2\n"),
                      encoding="utf-8")


def _delete(project: Path) -> None:
    _articles(project)[-1].unlink()


def _template(project: Path) -> None:
    """A new override of a partial every page includes (the footer's copyright)."""
    partial = project / "theme_overrides" / "partials" / "copyright.html"
    partial.parent.mkdir(exist_ok=True)
    partial.write_text("<div><!-- template changed --></div>\n", encoding="utf-8")


def _config(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("site_name: ", "site_name: Renamed ", 1), encoding="utf-8")


def test_incremental_builds_equal_clean_builds_after_each_kind_of_change(tmp_path: Path):
    project = make_project(tmp_path / "p")
    _small_pages(project)
    build(project, project / "site")
    assert (project / CACHE).is_file()
    assert (project / CACHE).with_name("search-index-rows.pickle").is_file()  # the postings' rows, kept (rowtable.py)
    for change in (_nothing, _add, _edit_tags, _edit_summary, _edit_body, _new_month, _delete, _page_size,
                   _template, _config):
        change(project)
        build(project, project / "site")
        incremental = tree(project / "site")
        clean = _clean_site(project, tmp_path / "clean")
        assert sorted(incremental) == sorted(clean), change.__name__
        differ = [name for name in clean if incremental[name] != clean[name]]
        assert differ == [], (change.__name__, differ[:5])
    article = next(name for name in incremental if name.startswith("articles/") and name.endswith(".html"))
    for name in ("index.html", article):
        assert "template changed" in incremental[name].decode() and "Renamed" in incremental[name].decode()
    assert any("/page-" in name for name in incremental)  # older listing pages were built (and cached)


def test_unchanged_pages_come_from_the_cache(tmp_path: Path):
    """A cached page is served as stored, not rendered again: a marker put into the cache shows up
    when its file has to be written again (removed from the site folder, or changed there); while
    the file is the one the last build wrote, it is left alone (not even rewritten)."""
    project = make_project(tmp_path / "p")
    build(project, project / "site")
    db = sqlite3.connect(project / CACHE)
    uri, html, zid = db.execute("SELECT src_uri, html, dict FROM pages WHERE src_uri LIKE 'articles/%' LIMIT 1").fetchone()
    packer = pagezip.Packer(dict(db.execute("SELECT id, data FROM dicts")))  # compressed against another page
    marked = packer.unpack(html, zid).decode().replace("</body>", "<!-- served from the cache --></body>")
    with db:
        db.execute("UPDATE pages SET html = ?, dict = '' WHERE src_uri = ?", (zlib.compress(marked.encode()), uri))
    db.close()
    out = project / "site" / Path(uri).with_suffix("") / "index.html"
    before = out.stat().st_mtime_ns
    build(project, project / "site")
    assert out.stat().st_mtime_ns == before and "served from the cache" not in out.read_text(encoding="utf-8")
    out.unlink()  # gone from the site folder: written from the cache
    build(project, project / "site")
    assert "served from the cache" in out.read_text(encoding="utf-8")
    out.write_text(out.read_text(encoding="utf-8") + "edited in the site folder", encoding="utf-8")
    build(project, project / "site")  # changed there: written from the cache again
    text = out.read_text(encoding="utf-8")
    assert "served from the cache" in text and "edited in the site folder" not in text
    # Any change to the page's file renders it again.
    page = project / "content" / uri
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    build(project, project / "site")
    assert "served from the cache" not in out.read_text(encoding="utf-8")


def test_an_unchanged_search_index_is_reused_and_a_change_remakes_it(tmp_path: Path):
    """The index is made from the documents only: a rebuild with the same documents keeps its files
    as they are (a marker of the same size put into one survives), a changed article remakes it."""
    project = make_project(tmp_path / "p")
    build(project, project / "site")
    meta = project / "site" / "search-index" / "meta.json"
    original = meta.read_bytes()
    marked = original.replace(b'"version":2', b'"version":7')
    assert marked != original and len(marked) == len(original)
    meta.write_bytes(marked)
    build(project, project / "site")
    assert meta.read_bytes() == marked  # reused, not made again
    _edit_tags(project)
    build(project, project / "site")
    assert meta.read_bytes() != marked and b'"version":2' in meta.read_bytes()


def _build_output(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(project / "site")], cwd=project,
                          capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_unchanged_listings_are_not_generated_again(tmp_path: Path):
    """An unchanged listing is taken from the cache (its pages, and the links it made, which are
    checked again): a link to a missing page slipped into a stored listing fails the strict build;
    a change to one of its articles makes the listing again (and the build passes)."""
    project = make_project(tmp_path / "p")
    build(project, project / "site")
    db = sqlite3.connect(project / CACHE)
    rows = [(key, value) for key, value in _listing_rows(db) if len(value) == 3]  # whole listings
    assert len(rows) > 5
    summaries, targets, older = rows[0][1]
    assert summaries and all(uri.endswith(".md") for uri, *_ in summaries)
    with db:
        db.execute("UPDATE listings SET pages = ? WHERE key = ?",
                   (zlib.compress(pickle.dumps((summaries, targets + [("nowhere.md", summaries[0][0])], older))),
                    rows[0][0]))
    db.close()
    done = _build_output(project)
    assert done.returncode != 0 and "nowhere.md" in done.stderr
    for page in _articles(project):  # every listing changes: each is made again, from its articles
        _edit_meta(page, title="New {}")
    build(project, project / "site")


def test_unchanged_exports_are_reused_and_a_change_remakes_them(tmp_path: Path):
    """articles.json is kept in the cache under a key of its inputs: a marker put into the kept
    file reaches the site while nothing changed, and an edited article makes it again."""
    project = make_project(tmp_path / "p")
    build(project, project / "site")
    kept = next((project / CACHE).parent.joinpath("exports").glob("*-articles.json"))
    kept.write_text(kept.read_text(encoding="utf-8").replace('"articles": [', '"marker": 1, "articles": [', 1),
                    encoding="utf-8")
    build(project, project / "site")
    out = project / "site" / "data" / "articles.json"
    assert '"marker": 1' in out.read_text(encoding="utf-8")
    _edit_meta(_articles(project)[0], title="Retitled {}")
    build(project, project / "site")
    assert '"marker": 1' not in out.read_text(encoding="utf-8") and "Retitled" in out.read_text(encoding="utf-8")


def _listing_rows(db: sqlite3.Connection) -> list[tuple[str, object]]:
    """The listings table's entries: whole listings (summaries, links, the key of their older pages'
    group), older pages' groups (page key -> (summary, links)) and the related articles (a dict)."""
    return [(key, pickle.loads(zlib.decompress(value))) for key, value in db.execute("SELECT key, pages FROM listings")]


def _older_groups(rows: list[tuple[str, object]]) -> list[tuple[str, dict]]:
    """The entries holding a listing's older pages: page key -> (summary, links)."""
    return [(key, value) for key, value in rows if isinstance(value, dict) and value
            and all(isinstance(v, tuple) and len(v) == 2 for v in value.values())]


def test_older_pages_of_a_changed_listing_come_from_the_cache(tmp_path: Path):
    """When a listing changed, its older pages whose own inputs did not are taken from the cache
    (listingcache.OlderPages): with every whole listing forgotten, the rebuild still gives the same
    site, and a link to a missing page slipped into a stored older page fails the strict build."""
    project = make_project(tmp_path / "p")
    _small_pages(project)
    build(project, project / "site")
    before = tree(project / "site")

    def forget_listings(mark: bool) -> int:
        db = sqlite3.connect(project / CACHE)
        rows = _listing_rows(db)
        groups = _older_groups(rows)
        assert groups and all("/page-" in summary[0] for _, group in groups for summary, _ in group.values())
        with db:
            db.executemany("DELETE FROM listings WHERE key = ?",
                           [(key,) for key, value in rows if isinstance(value, tuple) and len(value) == 3])
            if mark:
                db.executemany("UPDATE listings SET pages = ? WHERE key = ?", [
                    (zlib.compress(pickle.dumps({k: (summary, targets + [("nowhere.md", summary[0])])
                                                 for k, (summary, targets) in group.items()})), key)
                    for key, group in groups])
        db.close()
        return sum(len(group) for _, group in groups)

    forget_listings(mark=False)
    build(project, project / "site")
    assert tree(project / "site") == before
    forget_listings(mark=True)
    done = _build_output(project)
    assert done.returncode != 0 and "nowhere.md" in done.stderr


def test_compiled_templates_are_kept_and_a_template_change_replaces_them(tmp_path: Path):
    """Jinja's compiled templates are kept in the build cache (a rebuild does not compile Material's
    templates again: their files are not written again), under the global key: a template change
    gives a new folder and the old one is removed (the site stays the clean build's: the test above)."""
    project = make_project(tmp_path / "p")
    build(project, project / "site")
    root = project / CACHE.parent / "jinja"
    (first,) = list(root.iterdir())
    compiled = {p.name: p.stat().st_mtime_ns for p in first.iterdir()}
    assert len(compiled) > 10  # base.html, main.html and Material's partials
    build(project, project / "site")
    assert {p.name: p.stat().st_mtime_ns for p in first.iterdir()} == compiled
    _template(project)
    build(project, project / "site")
    (second,) = list(root.iterdir())
    assert second != first and {p.name for p in second.iterdir()} != set(compiled)  # the override's own file


def test_a_page_written_over_holds_exactly_its_new_bytes(tmp_path: Path):
    """sitewrite.overwrite writes over an existing file and cuts it to the new length (a shorter
    page leaves nothing of the longer one); with no file there it leaves the write to MkDocs."""
    from generator import sitewrite

    page = tmp_path / "index.html"
    page.write_bytes(b"<p>a long old page</p>\n" * 100)
    inode = page.stat().st_ino
    assert sitewrite.overwrite(str(page), b"<p>short</p>\n")
    assert page.read_bytes() == b"<p>short</p>\n" and page.stat().st_ino == inode
    assert sitewrite.overwrite(str(page), b"<p>longer again</p>\n" * 50)
    assert page.read_bytes() == b"<p>longer again</p>\n" * 50
    assert not sitewrite.overwrite(str(tmp_path / "new" / "index.html"), b"x")
    assert not (tmp_path / "new").exists()
