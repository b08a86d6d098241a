"""Article page files unchanged since the last build are not read again (pagefiles.py): their
stamp (size, modification time, inode) in the build cache stands for their digest, and their body
is read only when needed (a page rendered again, the search index made again). The site is still
the clean build's, byte for byte."""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from .sample_site import build, make_project, tree
from .test_incremental import CACHE, _clean_site, _edit_tags


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
    build(project, project / "site")
    db = sqlite3.connect(project / CACHE)
    assert {uri for (uri,) in db.execute("SELECT src_uri FROM stamps")} == {
        p.relative_to(content).as_posix() for p in pages}
    db.close()

    # Another page's tags change: the search index is made again, with the bodies of the pages
    # that were not read at build start (read in the search process), as a clean build makes it.
    _edit_tags(project)
    build(project, project / "site")
    incremental, clean = tree(project / "site"), _clean_site(project, tmp_path / "clean")
    assert sorted(incremental) == sorted(clean)
    assert [n for n in clean if incremental[n] != clean[n]] == []

    # Same size, inode and time: not seen, by design (as git): the proof the file is not read.
    page = pages[-1]
    body_word = page.read_bytes().split(b"\n---\n", 1)[1].split()[3]
    marker = b"Q" * len(body_word)
    _swap_in_place(page, body_word, marker)
    build(project, project / "site")
    out = project / "site" / page.relative_to(content).with_suffix("") / "index.html"
    assert marker.decode() not in out.read_text(encoding="utf-8")
    os.utime(page, ns=(past + 10**9, past + 10**9))  # now its time differs: read, and rendered again
    build(project, project / "site")
    assert marker.decode() in out.read_text(encoding="utf-8")
    incremental, clean = tree(project / "site"), _clean_site(project, tmp_path / "clean")
    assert [n for n in clean if incremental.get(n) != clean[n]] == [] and sorted(incremental) == sorted(clean)
