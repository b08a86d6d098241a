"""A changed listing's older pages come from ONE cache entry per listing (listingcache.OlderPages):
the pages it serves are those a build from scratch makes, a page whose articles changed is made
again (its stale entry is not served), a page the page cache lost is made again, and the entry is
read with one look-up per listing."""
from __future__ import annotations

import pickle
import zlib
from datetime import date
from pathlib import Path

from generator.mkdocs_plugin import listingcache, listings
from generator.mkdocs_plugin.buildcache import BuildCache
from generator.mkdocs_plugin.index import Record
from generator.mkdocs_plugin.listingcache import fingerprint
from generator.mkdocs_plugin.pages import Linker

URI = "archive/2020-01.md"


class _Cache:
    """The part of buildcache.PageCache listingcache uses: a store, the code key, and which generated
    pages' HTML the page cache holds (`held`: uri -> digest)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.store = BuildCache(folder)
        self.base = "code-key"
        self.held: dict[str, str] = {}

    def add_page(self, uri: str, digest: str) -> bool:
        return self.held.get(uri) == digest


def _records(n: int, retitle: int | None = None) -> list[Record]:
    """Newest first, as listings get them."""
    out = [Record(f"articles/2020/01/a{i:03d}.md", f"Article {i}" + (" (edited)" if i == retitle else ""),
                  date(2020, 1, 1 + i % 28), f"Summary {i}", None, None, ["Floods"], []) for i in range(n)]
    return out[::-1]


def _listing(cache: _Cache | None, records: list[Record], count: int) -> list[listings.Listing]:
    """A month's listing whose first page shows `count` (a part its older pages do not show)."""
    link = Linker(True)
    prints = {r.src_uri: fingerprint(r) for r in records}
    parts = ("month", URI, "January 2020", count)
    return listingcache.listing(cache, link, parts, parts[:3], records, prints, lambda older: listings.dated_listing(
        URI, "January 2020", records, "archive/index.md", link, 2, older))


def _summaries(pages: list[listings.Listing]) -> list[tuple]:
    return [p.summary() for p in pages]


def _commit(cache: _Cache, pages: list[listings.Listing]) -> None:
    """As a build does: the pages rendered are held by the page cache, the entries stored; the
    next build opens the cache again."""
    cache.held.update({p.uri: p.digest for p in pages})
    cache.store.commit(set())
    cache.store.close()
    cache.store = BuildCache(cache.folder)


def test_older_pages_are_served_from_one_entry_and_equal_a_clean_build(tmp_path: Path, monkeypatch):
    cache = _Cache(tmp_path / "cache")
    records = _records(40)
    first = _listing(cache, records, 1)
    assert len(first) > 5 and all("/page-" in p.uri for p in first[1:])
    _commit(cache, first)

    made: list[str] = []
    real_items = listings.article_items
    looked: list[str] = []
    real_lookup = cache.store.listing

    def counting_items(from_uri, *args, **kwargs):  # each page made (not served) lists its articles
        made.append(from_uri)
        return real_items(from_uri, *args, **kwargs)

    def counting_lookup(key):
        looked.append(key)
        return real_lookup(key)

    monkeypatch.setattr(cache.store, "listing", counting_lookup)
    monkeypatch.setattr(listings, "article_items", counting_items)
    second = _listing(cache, records, 2)  # the listing changed (its first page), not its older pages
    monkeypatch.undo()
    assert len(looked) == 2  # the whole listing's key, then the one entry of all its older pages
    assert [uri for uri in made if "/page-" in uri] == []  # each older page served from the entry
    assert _summaries(second) == _summaries(_listing(None, records, 2))  # what a build from scratch makes
    _commit(cache, second)

    # An article of one older page changes: that page only is made again, from its new articles.
    edited = _records(40, retitle=5)
    stale = listings.page_uri(URI, _block_holding(edited, "articles/2020/01/a005.md"))
    assert stale in [p.uri for p in second[1:]]
    monkeypatch.setattr(listings, "article_items", counting_items)
    made.clear()
    third = _listing(cache, edited, 3)
    monkeypatch.undo()
    assert [uri for uri in made if "/page-" in uri] == [stale]
    clean = _listing(None, edited, 3)
    assert _summaries(third) == _summaries(clean)
    changed = [a for a, b in zip(_summaries(second), _summaries(third)) if a != b]
    assert [s[0] for s in changed] == [stale]  # the edited page only (the count is in the key, not shown)
    _commit(cache, third)

    # The page cache lost an older page's HTML: it is made again, not served from the entry.
    lost = third[2].uri
    del cache.held[lost]
    monkeypatch.setattr(listings, "article_items", counting_items)
    made.clear()
    fourth = _listing(cache, edited, 4)
    monkeypatch.undo()
    assert [uri for uri in made if "/page-" in uri] == [lost]
    assert _summaries(fourth) == _summaries(_listing(None, edited, 4))


def _block_holding(records: list[Record], src_uri: str) -> list[Record]:
    """The older block (oldest first) holding the article, as paginate cuts them (size 2)."""
    blocks, complete = listings.blocks_of(records[::-1], 2)
    if len(blocks) > 1 and not complete:
        blocks[-2:] = [blocks[-2] + blocks[-1]]
    return next(b for b in blocks[:-1] if any(r.src_uri == src_uri for r in b))


def test_the_entry_keeps_only_the_current_pages(tmp_path: Path):
    """After a page changed, the stored entry holds this build's older pages only (the stale one is
    dropped), and an unchanged rebuild keeps the entry without writing it again."""
    cache = _Cache(tmp_path / "cache")
    records = _records(40)
    _commit(cache, _listing(cache, records, 1))
    edited = _records(40, retitle=5)
    pages = _listing(cache, edited, 2)
    assert cache.store.new_listings  # the group was written again (a page changed)
    _commit(cache, pages)
    stored = [pickle.loads(zlib.decompress(blob)) for (blob,) in cache.store.db.execute("SELECT pages FROM listings")]
    group = next(v for v in stored if isinstance(v, dict))
    assert sorted(s[0] for s, _ in group.values()) == sorted(p.uri for p in pages[1:])
    _listing(cache, edited, 3)  # the first page changed again, no older page did
    assert not any(isinstance(pickle.loads(zlib.decompress(v)), dict) for v in cache.store.new_listings.values())


def test_fingerprints_joined_by_identity_are_those_of_the_current_build():
    """listingcache._prints looks records up by identity: the same bytes as a lookup by path, and a
    new build (new fingerprints, new record objects with the same paths) gets its own."""
    join = listingcache._Joiner()
    records = _records(12)
    prints = {r.src_uri: fingerprint(r) for r in records}
    by_path = b"".join(prints[r.src_uri] for r in records[3:9])
    assert join(prints, records[3:9]) == by_path
    assert join(prints, records[::-1]) == b"".join(prints[r.src_uri] for r in records[::-1])  # some seen, some new
    edited = _records(12, retitle=5)  # the next build: other objects, one other fingerprint
    new_prints = {r.src_uri: fingerprint(r) for r in edited}
    assert new_prints != prints
    assert join(new_prints, edited) == b"".join(new_prints[r.src_uri] for r in edited)
