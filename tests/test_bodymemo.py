"""A page rendered again only because its related articles or neighbours changed takes its body's
converted HTML from the build cache (bodymemo.py): the page is a fresh render's bytes (table of
contents, heading ids, footnotes); an edited body, or one with a link MkDocs resolves against the
site's files, is converted again."""
from __future__ import annotations

import shutil
import sqlite3
import zlib
from pathlib import Path

from .sample_site import build, make_project, tree

CACHE = Path(".cache/build/pages.sqlite")
# Markdown whose conversion has per-page state: footnotes, duplicate headings (toc ids), attributes.
EXTRA = ("\n\n## Background\n\nA claim.[^a] Another one.[^b]\n\n## Background\n\n### Detail {: #kept .wide }\n\n"
         "Text with *emphasis* and a [source](https://example.org/report).\n\n"
         "[^a]: First note.\n[^b]: Second note.\n")


def _project(folder: Path) -> Path:
    """The sample archive with footnotes on (ids counted per Markdown instance) and bodies that use them."""
    project = make_project(folder)
    cfg = project / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    assert "  - toc:\n" in text
    cfg.write_text(text.replace("  - toc:\n", "  - footnotes:\n      UNIQUE_IDS: true\n  - toc:\n", 1), encoding="utf-8")
    for page in _articles(project):
        page.write_text(page.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    return project


def _articles(project: Path) -> list[Path]:
    return sorted((project / "content" / "articles").rglob("*.md"))


def _site(project: Path) -> tuple[dict[str, bytes], object]:
    """An in-process build (so the plugin's memo can be read); the site and the memo."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    mkdocs_build(config)
    plugin = config.plugins["archive"]
    return tree(project / "site"), plugin.renderer.memo


def _clean(project: Path, scratch: Path) -> dict[str, bytes]:
    shutil.copytree(project, scratch, ignore=shutil.ignore_patterns("site", ".cache"))
    build(scratch, scratch / "site")
    return tree(scratch / "site")


def _bodies(project: Path) -> dict[str, bytes | None]:
    db = sqlite3.connect(project / CACHE)
    try:
        return dict(db.execute("SELECT src_uri, body FROM pages WHERE src_uri LIKE 'articles/%'"))
    finally:
        db.close()


def _mark(project: Path, uri: str, marker: str) -> None:
    """Put a marker into a page's kept body, as a build converting it would not write."""
    db = sqlite3.connect(project / CACHE)
    (blob,) = db.execute("SELECT body FROM pages WHERE src_uri = ?", (uri,)).fetchone()
    text = zlib.decompress(blob).decode("utf-8").replace("First note.", marker)
    with db:
        db.execute("UPDATE pages SET body = ? WHERE src_uri = ?", (zlib.compress(text.encode("utf-8")), uri))
    db.close()


def test_a_page_rendered_again_for_its_context_reuses_its_body_and_equals_a_clean_build(tmp_path: Path):
    project = _project(tmp_path / "p")
    pages = _articles(project)
    linked = pages[1]  # a relative link: its conversion depends on the site's files
    linked.write_text(linked.read_text(encoding="utf-8") + "\n[All tags](../../../tags/index.md)\n", encoding="utf-8")
    _site(project)
    bodies = _bodies(project)
    uri_of = {p: p.relative_to(project / "content").as_posix() for p in pages}
    assert bodies[uri_of[linked]] is None
    assert all(bodies[uri_of[p]] is not None for p in pages if p != linked)

    pages[-1].unlink()  # the others' related lists and neighbours change, not their files
    got, memo = _site(project)
    assert memo.restored >= 1
    clean = _clean(project, tmp_path / "clean")
    assert got.keys() == clean.keys()
    assert [name for name in clean if got[name] != clean[name]] == []
    article = next(name for name in got if name.startswith("articles/") and name.endswith("index.html")
                   and "fnref:" in got[name].decode())
    text = got[article].decode()
    assert 'id="background"' in text and 'id="background_1"' in text and 'id="kept"' in text


def test_the_kept_body_is_used_only_for_the_same_markdown(tmp_path: Path):
    """A marker put into a kept body shows when the page is rendered again for its context; once the
    page's text is edited, the body is converted again (no marker, the edit shown)."""
    project = _project(tmp_path / "p")
    pages = _articles(project)
    _site(project)
    uris = [p.relative_to(project / "content").as_posix() for p in pages[:-1]]
    for uri in uris:
        _mark(project, uri, "Marked in the cache.")
    pages[-1].unlink()
    got, memo = _site(project)
    shown = [uri for uri in uris if "Marked in the cache." in got[uri.removesuffix(".md") + "/index.html"].decode()]
    assert len(shown) == memo.restored >= 1
    again = project / "content" / shown[0]
    again.write_text(again.read_text(encoding="utf-8").replace("First note.", "An edited note."), encoding="utf-8")
    pages[-2].unlink()  # its context changes again too
    got, memo = _site(project)
    text = got[shown[0].removesuffix(".md") + "/index.html"].decode()
    assert "An edited note." in text and "Marked in the cache." not in text


def test_a_kept_body_is_refused_for_other_markdown_or_another_key_and_not_kept_with_a_file_link():
    from types import SimpleNamespace

    from generator.mkdocs_plugin.bodymemo import BodyMemo, local_link

    file = SimpleNamespace(src_uri="articles/a.md", url="articles/a/")
    page = SimpleNamespace(file=file, markdown="# A\n", content="<h1 id=\"a\">A</h1>", _title_from_render="A",
                           present_anchor_ids={"a"})
    memo = BodyMemo("base", {}, {file.src_uri})
    memo.keep(page, memo.key(page), [{"level": 1, "id": "a", "name": "A", "children": []}], 0, {})
    kept = dict(memo.kept)
    for base, markdown, ok in (("base", "# A\n", True), ("base", "# A!\n", False), ("other", "# A\n", False)):
        again = SimpleNamespace(file=file, markdown=markdown)
        reader = BodyMemo(base, kept, {file.src_uri})
        assert reader.restore(again, reader.key(again)) is ok, (base, markdown)
        if ok:
            assert (again.content, again._title_from_render, again.present_anchor_ids) == (page.content, "A", {"a"})
            assert [(t.id, t.title) for t in again.toc] == [("a", "A")]
    fresh = BodyMemo("base", {}, {file.src_uri})
    fresh.keep(page, fresh.key(page), [], 1, {})  # a link resolved against the site's files
    assert fresh.kept == {}
    assert [local_link(u) for u in ("https://x.org/a", "#fn:1", "?q=1", "../b.md", "/abs", "b/")] == [
        False, False, False, True, True, True]
