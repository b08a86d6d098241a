"""Generated listings taken from the build cache instead of being made again (issue 12).

Two levels, both kept with `BuildCache.listing` / `put_listing`:

* A whole listing (a tag's, a place's, a month's pages) is keyed on what it is made from (its kind
  and address, its heading facts, the page size, feed and chart settings, the code/templates/
  configuration key, and a fingerprint of each article it lists, in order). When every page it
  gave is in the page cache, its pages are taken from there without building its article lists
  or charts, and the links it made are checked again.
* When a listing did change (a new article in a tag), its older pages mostly did not: each is one
  content-defined block (listings.blocks_of) whose HTML depends only on the listing's stable facts
  (what an older page shows above its articles: no count, no charts), its own address, its newer
  and older neighbours' addresses and its articles. Such a page is keyed on those and taken from
  the cache the same way (after adding 10 articles to 10,000, most of the 3 s the changed listings
  cost went to making older pages whose bytes were the same).

The page HTML itself stays in the page cache (buildcache.py), keyed on a digest of the page's
content; what is kept here is the page's summary (address, title, Markdown, digest) and the links
it made. A page the page cache does not hold (it warned, or the cache was cleared) is made again.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from .listings import Listing
from .pages import Linker

if TYPE_CHECKING:
    from .buildcache import PageCache
    from .index import Record

Make = Callable[["OlderPages | None"], list[Listing]]


class _Joiner:
    """The records' fingerprints joined, in order, looked up in C: one hash update with them gives
    the digest one update per record gave (every listing is keyed on all its articles, about
    150,000 look-ups a build at 10,000 articles).

    Looked up by the record object's identity, not its path: a path lookup reads each record, its
    path string and the dict's key string, scattered over the heap, and cost 0.27 CPU-s after
    adding 10 articles to 10,000 (`id()` reads none of them: 0.14, the same bytes). Each record
    seen is held here (`held`), so no id in the table can belong to another object while the
    table lives; the table starts again with each new `prints` (a new build)."""

    def __init__(self) -> None:
        self.prints: dict[str, bytes] | None = None
        self.by_id: dict[int, bytes] = {}
        self.held: list[Record] = []

    def __call__(self, prints: dict[str, bytes], records: list[Record]) -> bytes:
        if prints is not self.prints:
            self.prints, self.by_id, self.held = prints, {}, []
        try:
            return b"".join(map(self.by_id.__getitem__, map(id, records)))
        except KeyError:  # records not seen yet this build
            for r in records:
                if id(r) not in self.by_id:
                    self.by_id[id(r)] = prints[r.src_uri]
                    self.held.append(r)
            return b"".join(map(self.by_id.__getitem__, map(id, records)))


_prints = _Joiner()


def fingerprint(r: Record) -> bytes:
    """A hash of what a listing, its charts or an export shows of an article."""
    # Places as plain tuples: a dataclass's repr was most of this (1.3 s at 10,000 articles, profiled).
    places = [(p.name, p.country, p.region, p.kind, p.lat, p.lon, p.geonameid, p.approximate) for p in r.places]
    return hashlib.blake2b(repr((r.src_uri, r.title, r.date, r.summary, r.source, r.url, r.tags, places))
                           .encode("utf-8", "surrogatepass"), digest_size=16).digest()


def capture(link: Linker, make: Callable[[], object]) -> tuple[object, list[tuple[str, str]]]:
    """`make()` and the links it made (kept in `link.targets` as well, as without capturing)."""
    outer, link.targets = link.targets, {}
    try:
        out = make()
        targets = list(link.targets.items())
    finally:
        inner, link.targets = link.targets, outer
        for target, source in inner.items():
            outer.setdefault(target, source)
    return out, targets


class OlderPages:
    """A changed listing's older pages, each taken from the cache when its inputs are unchanged.

    Every older page of one listing is kept in ONE entry (`group`: page key -> (summary, links)),
    read with one query at the listing's first older page: one row, one decompression, one
    unpickling per listing, not per page (2,095 look-ups, about 0.6 CPU-s, after adding 10
    articles to 10,000). A page is still served only under its own key, a hash of everything its
    HTML shows, so an entry left from an older version of the listing serves only the pages that
    did not change."""

    def __init__(self, cache: PageCache, link: Linker, salt: bytes, prints: dict[str, bytes]) -> None:
        self.cache, self.link, self.salt, self.prints = cache, link, salt, prints
        # The group's own key: the listing's stable facts and the code key (the salt), nothing else.
        self.group = hashlib.sha256(b"older pages\0" + salt).hexdigest()
        self.stored: dict[str, tuple] | None = None  # read at the first older page
        self.pages: dict[str, tuple] = {}  # this build's older pages: key -> (summary, links)
        self.made = False  # a page was made here (so the group is stored again)

    def __call__(self, here: str, newer: str | None, older: str | None, chunk: list[Record],
                 build: Callable[[], Listing]) -> Listing:
        store = self.cache.store
        assert store is not None
        h = hashlib.sha256(self.salt + "\0".join([here, newer or "", older or ""]).encode("utf-8", "surrogatepass"))
        h.update(_prints(self.prints, chunk))
        key = h.hexdigest()
        if self.stored is None:
            stored = store.listing(self.group)
            self.stored = stored if isinstance(stored, dict) else {}
        kept = self.stored.get(key)
        if kept is not None:
            summary, targets = kept
            if self.cache.add_page(summary[0], summary[3]):
                for target, source in targets:
                    self.link.targets.setdefault(target, source)
                self.pages[key] = kept
                return Listing.stored(*summary)
        page, targets = capture(self.link, build)
        self.pages[key] = (page.summary(), targets)
        self.made = True
        return page

    def keep(self) -> list[str]:
        """Store the group when it changed (a page made, or one gone); the keys the listing's entry
        keeps alive."""
        if not self.pages:
            return []
        store = self.cache.store
        assert store is not None
        if self.made or self.stored is None or self.stored.keys() != self.pages.keys():
            store.put_listing(self.group, self.pages)
        return [self.group]


def listing(cache: PageCache | None, link: Linker, parts: tuple, stable: tuple, records: list[Record],
            prints: dict[str, bytes], make: Make) -> list[Listing]:
    """A listing's pages: `make(older)` (with `older` serving its unchanged older pages), or, when
    the cache holds a listing made from the same `parts` and articles, its stored pages. `parts`
    is everything the listing shows besides its articles (and the code/configuration key);
    `stable` the part of it its older pages show."""
    if cache is None or cache.store is None:
        return make(None)
    store = cache.store
    h = hashlib.sha256(repr((parts, cache.base)).encode("utf-8", "surrogatepass"))
    h.update(_prints(prints, records))
    key = h.hexdigest()
    stored = store.listing(key)
    if stored is not None:
        summaries, targets, page_keys = stored
        # Every page must be in the page cache (one that warned, or a cleared cache, is not).
        if all([cache.add_page(uri, digest) for uri, _, _, digest in summaries]):
            for target, source in targets:
                link.targets.setdefault(target, source)
            store.keep_listings(page_keys)
            return [Listing.stored(*s) for s in summaries]
    salt = hashlib.sha256(repr(("older", stable, cache.base)).encode("utf-8", "surrogatepass")).digest()
    older = OlderPages(cache, link, salt, prints)
    pages, targets = capture(link, lambda: make(older))
    store.put_listing(key, ([p.summary() for p in pages], targets, older.keep()))
    return pages
