"""The page index (writers/pageindex.py): an ingest finds pages by id without reading those whose
file identity is unchanged, and never trusts a page that was written to since it was read."""
from __future__ import annotations

import os
from pathlib import Path

from generator.pipeline import ingest
from generator.writers import pagefinder, pageindex
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
    real = pagefinder.quick_ids
    monkeypatch.setattr(pagefinder, "quick_ids", lambda text: calls.append(1) or real(text))
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
    """The pages an ingest wrote are known by their identity right after the write (their ids are
    the ones written), but a page edited by hand and read within RACY_NS is racily clean: read again."""
    content = _pages(tmp_path, 2)
    calls = _reads(monkeypatch)
    store = PageStore.open(content)
    store.close()
    assert calls == [] and len(store.page_ids) == 2  # written by the ingest: not read back
    page = sorted((content / "articles").rglob("*.md"))[0]
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("\nid: ", "\nduplicate_ids:\n- 00000000000000aa\nid: ", 1), encoding="utf-8")
    store = PageStore.open(content)  # edited: its identity changed, so it is read
    store.close()
    assert len(calls) == 1 and store.pages.get("00000000000000aa") == page
    PageStore.open(content).close()  # read within RACY_NS of the edit: read again
    assert len(calls) == 2


def _hashed(monkeypatch) -> list:
    from generator import reading

    calls: list = []
    real = reading._prepare
    monkeypatch.setattr(reading, "_prepare", lambda path, *a: calls.append(Path(path)) or real(path, *a))
    return calls


def test_unchanged_inputs_are_not_hashed_again_and_an_edit_is_still_seen(tmp_path, monkeypatch):
    """The input index: an input with its recorded identity is matched with the ledger's record
    without being read; an in-place edit that keeps the size and the mtime is read all the same."""
    from generator import readcache

    monkeypatch.setattr(pageindex, "RACY_NS", 0)
    content = _pages(tmp_path, 3)
    src = tmp_path / "in"
    calls = _hashed(monkeypatch)
    assert [e.outcome for e in ingest([src], content, jobs=1)] == ["unchanged"] * 3
    assert calls == []
    target = src / "1.txt"
    st = target.stat()
    text = target.read_text(encoding="utf-8")
    edited = text.replace(" mission ", " mizsion ", 1)  # a word of the body, same length
    assert edited != text
    with open(target, "r+", encoding="utf-8") as fh:  # in place, same size
        fh.write(edited)
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    outcomes = [e.outcome for e in ingest([src], content, jobs=1)]
    assert calls == [target] and outcomes[1] in ("updated", "new") and outcomes[0] == outcomes[2] == "unchanged"
    calls.clear()
    monkeypatch.setattr(readcache, "fingerprint", lambda: "another-version")  # an upgrade: every input is read
    ingest([src], content, jobs=1)
    assert sorted(calls) == sorted(src.glob("*.txt"))


def test_an_input_with_a_sidecar_is_always_hashed(tmp_path, monkeypatch):
    monkeypatch.setattr(pageindex, "RACY_NS", 0)
    content = _pages(tmp_path, 2)
    src = tmp_path / "in"
    (src / "0.meta.json").write_text('{"source": "Wire"}', encoding="utf-8")
    ingest([src], content, jobs=1)
    calls = _hashed(monkeypatch)
    ingest([src], content, jobs=1)
    assert calls == [src / "0.txt"]  # the key covers the sidecar's bytes: its input is hashed with it
    (src / "1.meta.json").write_text('{"source": "Wire"}', encoding="utf-8")  # a sidecar added later
    calls.clear()
    ingest([src], content, jobs=1)
    assert calls == [src / "0.txt", src / "1.txt"]
