"""The page index (writers/pageindex.py): an ingest finds pages by id without reading those whose
file identity is unchanged, and never trusts a page that was written to since it was read."""
from __future__ import annotations

import os
from pathlib import Path

from generator.pipeline import ingest
from generator.writers import markdown, pageindex
from generator.writers.markdown import PageStore

from .test_pipeline import scrape


def _pages(tmp_path: Path, n: int = 4) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(n):
        (src / f"{i}.txt").write_text(scrape(40 + i), encoding="utf-8")
    content = tmp_path / "content"
    ingest([src], content, jobs=1)
    return content


def _reads(monkeypatch) -> list:
    calls: list = []
    real = markdown.quick_ids
    monkeypatch.setattr(markdown, "quick_ids", lambda text: calls.append(1) or real(text))
    return calls


def test_unchanged_pages_are_not_read_to_find_their_ids(tmp_path, monkeypatch):
    monkeypatch.setattr(pageindex, "RACY_NS", 0)  # no need to wait for the pages' times to age
    content = _pages(tmp_path)
    PageStore.open(content).close()  # reads every page, records them
    calls = _reads(monkeypatch)
    store = PageStore.open(content)
    store.close()
    assert calls == [] and len(store.page_ids) == 4


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tmp_path, monkeypatch):
    monkeypatch.setattr(pageindex, "RACY_NS", 0)
    content = _pages(tmp_path)
    PageStore.open(content).close()
    page = sorted((content / "articles").rglob("*.md"))[0]
    st = page.stat()
    text = page.read_text(encoding="utf-8")
    old_id = PageStore.open(content).page_ids[page]
    new_id = "f" * 16 if old_id != "f" * 16 else "e" * 16
    with open(page, "r+", encoding="utf-8") as fh:  # in place: same inode, same size
        fh.write(text.replace(f"id: {old_id}", f"id: {new_id}", 1))
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))  # mtime set back; the change time cannot be
    store = PageStore.open(content)
    store.close()
    assert store.page_ids[page] == new_id and store.pages[new_id] == page and old_id not in store.pages


def test_a_page_read_just_after_it_was_written_is_read_again(tmp_path, monkeypatch):
    content = _pages(tmp_path, 2)  # pages written now: racily clean at the next open
    PageStore.open(content).close()
    calls = _reads(monkeypatch)
    PageStore.open(content).close()
    assert len(calls) == 2
