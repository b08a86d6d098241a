"""Article page files unchanged since the last build are not read again (pagefiles.py): their
stamp (size, modification and change times, inode, device) in the build cache stands for their
digest, and their body is read only when needed (a page rendered again, the search index made
again). The site is still the clean build's, byte for byte."""
from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

from generator.mkdocs_plugin.pagefiles import MARGIN_NS

from .sample_site import build, make_project, tree
from .test_incremental import CACHE, _articles, _clean_site, _edit_tags

# `archive build` with the build-start page reads (pagefiles.read_page_text) logged to argv[1]
LOGGED_BUILD = """
import runpy, sys
log = sys.argv.pop(1)
from generator.mkdocs_plugin import pagefiles
real = pagefiles.read_page_text
def read_page_text(path):
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(str(path) + "\\n")
    return real(path)
pagefiles.read_page_text = read_page_text
runpy.run_module("generator", run_name="__main__", alter_sys=True)
"""


def _logged_build(project: Path, log: Path) -> set[str]:
    """Build the project's site; the page files read at build start, as paths."""
    log.unlink(missing_ok=True)
    build(project, project / "site", command=[sys.executable, "-c", LOGGED_BUILD, str(log), "build", "--site",
                                              str(project / "site")])
    return set(log.read_text(encoding="utf-8").split()) if log.exists() else set()


def _swap_in_place(page: Path, old: bytes, new: bytes) -> None:
    """Change the file's bytes keeping its size, inode and modification time."""
    st = page.stat()
    data = page.read_bytes()
    assert len(old) == len(new) and data.count(old) >= 1
    with open(page, "r+b") as fh:
        fh.write(data.replace(old, new, 1))
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_unchanged_page_files_are_not_read_and_changed_ones_are(tmp_path: Path):
    project = make_project(tmp_path / "p")
    content = project / "content"
    pages = sorted((content / "articles").rglob("*.md"))
    past = time.time_ns() - 3600 * 10**9
    for page in pages:  # written long before the build: their stamps are trusted (not racily clean)
        os.utime(page, ns=(past, past))
    time.sleep(MARGIN_NS / 1e9 + 0.1)  # their change time (now) cannot be set back: let it age
    build(project, project / "site")
    db = sqlite3.connect(project / CACHE)
    assert {uri for (uri,) in db.execute("SELECT src_uri FROM stamps")} == {
        p.relative_to(content).as_posix() for p in pages}
    db.close()

    # Another page's tags change: only that page is read at build start; the search index is made
    # again, with the bodies of the pages that were not read (read in the search process), as a
    # clean build makes it.
    _edit_tags(project)
    edited = _articles(project)[0]
    assert _logged_build(project, tmp_path / "reads.log") == {str(edited)}
    incremental, clean = tree(project / "site"), _clean_site(project, tmp_path / "clean")
    assert sorted(incremental) == sorted(clean)
    assert [n for n in clean if incremental[n] != clean[n]] == []

    # Same size, inode and modification time (set back by hand): the change time differs, so the
    # file is read and its page rendered again.
    page = pages[-1]
    body_word = page.read_bytes().split(b"\n---\n", 1)[1].split()[3]
    marker = b"Q" * len(body_word)
    _swap_in_place(page, body_word, marker)
    assert str(page) in _logged_build(project, tmp_path / "reads.log")
    out = project / "site" / page.relative_to(content).with_suffix("") / "index.html"
    assert marker.decode() in out.read_text(encoding="utf-8")
    incremental, clean = tree(project / "site"), _clean_site(project, tmp_path / "clean")
    assert [n for n in clean if incremental.get(n) != clean[n]] == [] and sorted(incremental) == sorted(clean)


def test_a_cache_of_the_previous_layout_is_dropped_not_misread(tmp_path: Path):
    """A build cache written by the previous schema (stamps without device and change time) must
    not fail the build: every table of another layout is dropped and made again."""
    from generator.mkdocs_plugin.buildcache import SCHEMA, BuildCache

    folder = tmp_path / "build"
    folder.mkdir(mode=0o700)  # as that version made it
    db = sqlite3.connect(folder / "pages.sqlite")
    db.execute("CREATE TABLE stamps (src_uri TEXT PRIMARY KEY, size INTEGER NOT NULL, "
               "mtime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, digest TEXT NOT NULL)")
    db.execute("INSERT INTO stamps VALUES ('articles/a.md', 1, 2, 3, 'd')")
    db.execute(f"PRAGMA user_version = {SCHEMA - 1}")
    db.commit()
    db.close()
    cache = BuildCache(folder)
    assert cache.stamps == {}
    cache.stamp("articles/a.md", (1, 2, 3, 4, 5, "d"))
