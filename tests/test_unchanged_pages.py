"""Pages the build cache serves whole stay out of MkDocs' page loop (generator/mkdocs_plugin/unchanged.py):
MkDocs reads and renders only the pages that changed, yet the site is the clean build's, byte for
byte, with `archive build` (which keeps the site folder) and with a plain `mkdocs build` (which
empties it first), and a failed build leaves nothing that a later build would serve wrongly."""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from .conftest import run_archive
from .sample_site import build, make_project, tree


def _clean_tree(project: Path, scratch: Path) -> dict[str, bytes]:
    """The same project built from scratch elsewhere, without a cache."""
    shutil.copytree(project, scratch, ignore=shutil.ignore_patterns("site", "site2", ".cache"))
    build(scratch, scratch / "site")
    return tree(scratch / "site")


def _mkdocs_verbose(project: Path, site: Path) -> set[str]:
    """A plain strict `mkdocs build -v` into `site`: the pages MkDocs read (its debug log)."""
    done = build(project, site, command=[sys.executable, "-m", "mkdocs", "build", "-v", "--strict", "-d", str(site)])
    return set(re.findall(r"Reading: (\S+\.md)", done.stderr))


def _articles(project: Path) -> list[Path]:
    return sorted((project / "content" / "articles").rglob("*.md"))


def test_only_changed_pages_go_through_mkdocs_and_the_site_is_the_clean_one(tmp_path: Path):
    project = make_project(tmp_path / "p")
    first = _mkdocs_verbose(project, project / "site2")
    assert {p.relative_to(project / "content").as_posix() for p in _articles(project)} <= first
    # Nothing changed: no article and no tag, place or month listing goes through MkDocs again
    # (into an emptied folder: every page's file is written from the cache).
    again = _mkdocs_verbose(project, project / "site2")
    assert not [uri for uri in again if uri.startswith(("articles/", "tags/", "locations/", "archive/"))
                and not uri.endswith("index.md")], sorted(again)
    assert tree(project / "site2") == _clean_tree(project, tmp_path / "clean1")
    # One article's body edited: that page alone of the articles is read again.
    page = _articles(project)[2]
    page.write_text(page.read_text(encoding="utf-8") + "\nA line added by hand.\n", encoding="utf-8")
    read = _mkdocs_verbose(project, project / "site2")
    assert [uri for uri in read if uri.startswith("articles/")] == [page.relative_to(project / "content").as_posix()]
    assert tree(project / "site2") == _clean_tree(project, tmp_path / "clean2")


def test_a_failed_build_leaves_nothing_served_wrongly(tmp_path: Path):
    """A build that fails after writing pages (a strict warning) commits no cache: the files it
    wrote no longer match what the cache recorded, so the next build writes them again."""
    project = make_project(tmp_path / "p")
    build(project, project / "site")
    partial = project / "theme_overrides" / "partials" / "copyright.html"
    partial.parent.mkdir(exist_ok=True)
    partial.write_text("<div><!-- template of the failed build --></div>\n", encoding="utf-8")
    about = project / "content" / "about.md"
    original = about.read_text(encoding="utf-8")
    about.write_text(original + "\n[broken](nowhere.md)\n", encoding="utf-8")
    failed = run_archive("build", "--site", str(project / "site"), cwd=project)
    assert failed.returncode != 0 and "nowhere.md" in failed.stderr
    article = next(p for p in (project / "site" / "articles").rglob("index.html"))
    assert "template of the failed build" in article.read_text(encoding="utf-8")  # it did write pages
    partial.unlink()
    about.write_text(original, encoding="utf-8")
    build(project, project / "site")
    assert tree(project / "site") == _clean_tree(project, tmp_path / "clean")


def test_page_files_list_their_pages_once_settled_and_again_after_a_change(tmp_path: Path, monkeypatch):
    """unchanged.PageFiles: once settled (on_nav), the documentation pages are listed once per rule,
    the skipped pages left out (not the full list every_page reads); a file added or removed is seen."""
    from mkdocs.structure.files import File, Files, InclusionLevel

    from generator.mkdocs_plugin.unchanged import PageFiles

    def page(name: str) -> File:
        return File(f"{name}.md", str(tmp_path), str(tmp_path / "site"), True)

    made = [page(name) for name in ("a", "b", "c")]
    for f in made:
        f.inclusion = InclusionLevel.INCLUDED
    files = PageFiles(made, skipped={"b.md"})
    walks = []
    real = Files.documentation_pages

    def counted(self, *, inclusion=InclusionLevel.is_included):
        walks.append(inclusion)
        return real(self, inclusion=inclusion)

    monkeypatch.setattr(Files, "documentation_pages", counted)
    files.settled()
    for _ in range(3):
        assert [f.src_uri for f in files.documentation_pages()] == ["a.md", "c.md"]
    assert len(walks) == 1
    files.documentation_pages()[:] = []  # a caller's list is its own
    assert [f.src_uri for f in files.documentation_pages()] == ["a.md", "c.md"]
    extra = page("d")
    extra.inclusion = InclusionLevel.INCLUDED
    files.append(extra)
    assert [f.src_uri for f in files.documentation_pages()] == ["a.md", "c.md", "d.md"]
    files.remove(made[0])
    assert [f.src_uri for f in files.documentation_pages()] == ["c.md", "d.md"]
    assert len(walks) == 3
