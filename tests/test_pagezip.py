"""Stored pages compressed against a dictionary (generator/mkdocs_plugin/pagezip.py) come back as
the same bytes, in this build and the next; a sealed packer (a forked worker's) never chooses a
dictionary the main process would not store; dictionaries no page uses are dropped."""
from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

from generator.mkdocs_plugin import buildcache, pagezip

PAGE = "<html><head><title>{}</title></head><body>" + "<nav>" + "shared navigation " * 400 + "</nav>{}</body></html>"


def _page(n: int) -> str:
    return PAGE.format(f"Page {n}", f"<p>Text of page {n} \u00e9\u2014 {n * 7}</p>" * (n % 5 + 1))


def test_pages_come_back_as_stored_and_smaller_than_plain_zlib():
    packer = pagezip.Packer({})
    pages = [_page(n).encode() for n in range(20)]
    packed = [packer.pack(p) for p in pages]
    assert {zid for _b, zid in packed} == {packer.current} != {""}
    assert [packer.unpack(b, zid) for b, zid in packed] == pages

    assert sum(len(b) for b, _z in packed[1:]) < sum(len(zlib.compress(p, 1)) for p in pages[1:])


def test_a_sealed_packer_chooses_no_dictionary():
    packer = pagezip.Packer({})
    packer.seal()
    blob, zid = packer.pack(_page(1).encode())
    assert zid == "" and packer.new == {} and packer.unpack(blob, zid) == _page(1).encode()


def test_the_cache_keeps_the_dictionary_reuses_it_and_drops_it_when_unused(tmp_path: Path):
    store = buildcache.BuildCache(tmp_path)
    store.start("base-1")
    for n in range(3):
        store.put(f"p{n}.md", f"k{n}", "", _page(n), [], None)
    store.commit({"p0.md", "p1.md", "p2.md"})
    first = store.packer.current
    store.close()

    store = buildcache.BuildCache(tmp_path)
    store.start("base-1")  # same templates, code and configuration: the same dictionary
    assert store.packer.current == first
    assert [store.page_bytes(f"p{n}.md") for n in range(3)] == [_page(n).encode() for n in range(3)]
    assert store.get("p1.md") == (_page(1), [])
    store.close()

    store = buildcache.BuildCache(tmp_path)
    store.start("base-2")  # anything changed: a new dictionary from this build's first page
    assert store.packer.current is None
    store.put("p3.md", "k3", "", _page(3), [], None)
    store.commit({"p3.md"})
    assert store.page_bytes("p3.md") == _page(3).encode()
    store.close()
    db = sqlite3.connect(tmp_path / "pages.sqlite")
    assert [zid for (zid,) in db.execute("SELECT id FROM dicts")] == [zid for (zid,) in db.execute(
        "SELECT DISTINCT dict FROM pages")] != [first]
