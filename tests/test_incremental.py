"""The build cache is correct: after each kind of change, a build that reuses the cache gives, byte
for byte, the site a clean build (no cache) gives; and it does reuse it (unchanged pages are not
rendered again). Adding or deleting articles changes OTHER articles' related list and older/newer
links: their pages must be rendered again although their files did not change (buildcache `context`)."""
from __future__ import annotations

import shutil
import sqlite3
import zlib
from pathlib import Path

from .conftest import SAMPLES, run_archive
from .sample_site import build, make_project, tree

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
    for change in (_add, _edit_tags, _delete, _template, _config):
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
    """A cached page is served as stored, not rendered again: a marker put into the cache shows up."""
    project = make_project(tmp_path / "p")
    build(project, project / "site")
    db = sqlite3.connect(project / CACHE)
    uri, html = db.execute("SELECT src_uri, html FROM pages WHERE src_uri LIKE 'articles/%' LIMIT 1").fetchone()
    marked = zlib.decompress(html).decode().replace("</body>", "<!-- served from the cache --></body>")
    with db:
        db.execute("UPDATE pages SET html = ? WHERE src_uri = ?", (zlib.compress(marked.encode()), uri))
    db.close()
    build(project, project / "site")
    out = project / "site" / Path(uri).with_suffix("") / "index.html"
    assert "served from the cache" in out.read_text(encoding="utf-8")
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
    marked = original.replace(b'"version":1', b'"version":7')
    assert marked != original and len(marked) == len(original)
    meta.write_bytes(marked)
    build(project, project / "site")
    assert meta.read_bytes() == marked  # reused, not made again
    _edit_tags(project)
    build(project, project / "site")
    assert meta.read_bytes() != marked and b'"version":1' in meta.read_bytes()
