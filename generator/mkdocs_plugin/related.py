"""Related articles (shared tags and places, rarer ones weigh more) and previous/next in time.

Bounded at any size: for each tag or place an article has, only the WINDOW articles nearest to it
in time under that tag or place are candidates, so the work grows with the archive, not its square."""
from __future__ import annotations

import hashlib
import math
import mmap
import multiprocessing
from collections import defaultdict
from collections.abc import Callable
from itertools import chain
from multiprocessing.connection import Connection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .index import Record, derive, place_slugs

if TYPE_CHECKING:
    from .buildcache import BuildCache

WINDOW = 60
SHOW = 5


@dataclass
class Neighbours:
    related: list[Record] = field(default_factory=list)
    previous: Record | None = None  # older
    next: Record | None = None  # newer
    shown: str | None = field(default=None, compare=False, repr=False)  # `digest`, once made (or stored)


def _shown(r: Record | None) -> str:
    """What an article page shows of a neighbour (made once per record, not once per mention)."""
    if r is None:
        return ""
    return derive(r, "shown", lambda r: repr((r.src_uri, r.title, r.date.isoformat() if r.date else "", r.source or "")))


def digest(nb: Neighbours | None) -> str:
    """What of the neighbours an article page shows (the build cache's context for it). Kept with
    the stored neighbours (`start`): their key covers every field it reads (the fingerprints hold
    each article's path, title, date and source), and making it for 10,000 articles was 0.1 CPU-s
    of every rebuild with nothing changed."""
    if nb is None:
        return ""
    if nb.shown is None:
        parts = [_shown(r) for r in nb.related] + ["|", _shown(nb.previous), _shown(nb.next)]
        nb.shown = hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return nb.shown


def _keys(r: Record) -> list[str]:
    """Sorted: scores are float sums, added in the same order in every build. Kept with the record
    (`derive`): a cached record's are not made again (0.2 CPU-s a rebuild at 10,000 articles)."""
    return derive(r, "related_keys", lambda r: sorted({"t:" + t for t in r.tags}
                                                      | {"p:" + slug for slug in place_slugs(r)}
                                                      | {"c:" + p.country for p in r.places}))


def _best(cand: np.ndarray, scores: np.ndarray, tie: np.ndarray, most: int) -> np.ndarray:
    """The SHOW best candidates of one article (highest score, then lowest `tie`), best first.
    `cand` holds a candidate once per key it shares (so at most `most` = SHOW x keys entries of the
    SHOW best), `scores` that candidate's score at each of its entries (`_Lists.scores`). Only
    entries at or above the `most`-th best entry's score are de-duplicated and sorted: entries
    scoring above the SHOW-th best candidate belong to the SHOW - 1 better ones (fewer than `most`),
    so that floor is at most the SHOW-th best's score, and every entry of the SHOW best and of those
    tying with it is kept (sorting every candidate was most of this, issue 12)."""
    if len(scores) > most:
        floor = np.partition(scores, len(scores) - most)[len(scores) - most]
        top = scores >= floor
        cand, scores = cand[top], scores[top]
    uniq, first = np.unique(cand, return_index=True)
    return uniq[np.lexsort((tie[uniq], -scores[first]))[:SHOW]]


def _when(r: Record) -> tuple:
    """compute's order: undated first, then by date, then by title."""
    return r.date is not None, r.date.isoformat() if r.date else "", r.title


def compute(records: list[Record]) -> dict[str, Neighbours]:
    """src_uri -> Neighbours, for every article. Each article's candidates are gathered and scored
    as numpy arrays (a Python loop over them and a sort of all of them with a key function were
    17 of 57 profiled seconds of a 10,000-article rebuild, issue 12)."""
    ordered = sorted(records, key=_when)
    members: dict[str, list[int]] = defaultdict(list)
    where: list[list[tuple[str, int]]] = []  # per article: (key, its position in that key's list)
    for i, r in enumerate(ordered):
        spots = []
        for k in _keys(r):
            spots.append((k, len(members[k])))
            members[k].append(i)
        where.append(spots)
    n = max(len(records), 1)
    weight = {k: math.log(1 + n / len(v)) * (0.5 if k.startswith("c:") else 1.0) for k, v in members.items()}
    # Ties go to the newer article, then by title: that order as one rank per article.
    tie = np.empty(len(ordered), dtype=np.int64)
    tie[sorted(range(len(ordered)), key=lambda i: (-(ordered[i].date.toordinal() if ordered[i].date else 0),
                                                   ordered[i].title))] = np.arange(len(ordered))
    out: dict[str, Neighbours] = {}
    dated = [r for r in ordered if r.date]
    dated_pos = {id(r): i for i, r in enumerate(dated)}
    lists = _Lists(members, weight, len(ordered))
    chunk = _chunk(len(ordered))
    for start in range(0, len(ordered), chunk):
        cand, scores, bounds = lists.candidates(where[start:start + chunk], start)
        for i in range(start, min(start + chunk, len(ordered))):
            r = ordered[i]
            nb = Neighbours()
            lo, hi = bounds[i - start], bounds[i - start + 1]
            if hi > lo:
                best = _best(cand[lo:hi], scores[lo:hi], tie, SHOW * len(where[i]))
                nb.related = [ordered[j] for j in best.tolist()]
            if r.date:
                j = dated_pos[id(r)]
                nb.previous = dated[j - 1] if j > 0 else None
                nb.next = dated[j + 1] if j + 1 < len(dated) else None
            out[r.src_uri] = nb
    return out


GRID = 1 << 21  # (article, candidate) score cells of one chunk: 16 MB, whatever the archive's size


def _chunk(articles: int) -> int:
    """Articles whose candidates are gathered and scored at once: about 200 at 10,000 articles
    (140,000 entries), 20 at 100,000."""
    return max(1, min(256, GRID // max(articles, 1)))


class _Lists:
    """Every key's member list laid end to end in one array, each key's weight beside it."""

    def __init__(self, members: dict[str, list[int]], weight: dict[str, float], articles: int) -> None:
        self.members, self.weight, self.articles = members, weight, articles
        self.grid = np.zeros(_chunk(articles) * articles)  # (article in the chunk, candidate) -> score, all 0.0 between chunks
        self.at = dict(zip(members, range(len(members))))
        self.offset = np.zeros(len(members) + 1, dtype=np.int64)
        np.cumsum([len(v) for v in members.values()], out=self.offset[1:])
        self.flat = np.fromiter(chain.from_iterable(members.values()), dtype=np.int64, count=int(self.offset[-1]))

    def candidates(self, where: list[list[tuple[str, int]]], first: int) -> tuple[np.ndarray, np.ndarray, list[int]]:
        """The candidates of articles `first`, `first` + 1, ... (their `where`, at most `_chunk`) as one
        array: per article, under each of its keys in order, the WINDOW // 2 articles before and
        after it in that key's list, itself left out; with each entry its candidate's score (the
        weights of the keys it is a candidate under, added one after the other from 0.0 in that
        order, rounded to 9 places); `bounds[j]:bounds[j + 1]` are article `first` + j's entries.
        The same entries in the same order, so the same floats, as a slice and concatenation per
        article and an `np.add.at` into one scratch array per article gave (tests/test_related_best.py
        keeps an `np.unique` + `bincount` as the reference), made with a few array operations per
        chunk: those per-article calls were about half of `compute` (issue 12)."""
        half = WINDOW // 2
        keys = [k for spots in where for k, _ in spots]
        counts = np.fromiter(map(len, where), dtype=np.int64, count=len(where))
        pos = np.fromiter((p for spots in where for _, p in spots), dtype=np.int64, count=len(keys))
        kid = np.fromiter(map(self.at.__getitem__, keys), dtype=np.int64, count=len(keys))
        lo = np.maximum(pos - half, 0)
        lengths = np.minimum(pos + half + 1, self.offset[kid + 1] - self.offset[kid]) - lo
        ends = np.cumsum(lengths)
        total = int(ends[-1]) if len(ends) else 0
        cand = self.flat[np.arange(total) + np.repeat(self.offset[kid] + lo - (ends - lengths), lengths)]
        w = np.repeat(np.fromiter(map(self.weight.__getitem__, keys), dtype=np.float64, count=len(keys)), lengths)
        owner = np.repeat(np.repeat(np.arange(first, first + len(where)), counts), lengths)
        keep = cand != owner
        cand, w, owner = cand[keep], w[keep], owner[keep] - first
        cell = owner * self.articles + cand
        np.add.at(self.grid, cell, w)  # in entry order: each (article, candidate) sum as one add.at per article made it
        scores = np.round(self.grid[cell], 9)
        self.grid[cell] = 0.0
        bounds = np.zeros(len(where) + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner, minlength=len(where)), out=bounds[1:])
        return cand, scores, bounds.tolist()


def cached(records: list[Record], prints: dict[str, bytes], store: BuildCache | None,
           base: str = "") -> dict[str, Neighbours]:
    """`compute`, or its last result (kept in the build cache, as a listing is: `store.listing`)
    when made from the same records in the same order: `prints` (the plugin's fingerprints) cover
    every field compute reads, `base` (the build cache's code and configuration key) the rest.
    It was 1.4 of 6 CPU-s of a rebuild with nothing changed at 10,000 articles (issue 12), and the
    same after an edit to articles' bodies only. Kept as source URIs."""
    return start(records, prints, store, base).result()


def start(records: list[Record], prints: dict[str, bytes], store: BuildCache | None, base: str = "") -> Pending:
    """`cached`, begun: the stored neighbours, or a `Pending` that computes them, in a child this
    process forks for other work (`Pending.hand_over`: the search index's) or here (`result`).

    Why no child of their own (round 31 forked one beside the listings, kept only for tests since):
    handed over, the rebuild costs less CPU for the same wall time. Measured in round 35 at 10,000
    articles, adding 10 (5 alternated pairs on a shared machine): 8.8 CPU-s a rebuild handed over,
    9.3 in a child of their own; wall time within the noise (medians 11.7 and 9.4 s, pairs -3.2 to +0.6 s)."""
    if store is None:
        return Pending(records, None, "", compute(records))
    h = hashlib.sha256(b"related\0" + base.encode("utf-8", "surrogatepass"))
    for r in records:
        h.update(r.src_uri.encode("utf-8", "surrogatepass") + b"\0" + prints[r.src_uri])
    key = h.hexdigest()
    rows = store.listing(key)
    by_uri = {r.src_uri: r for r in records}
    if isinstance(rows, dict) and rows.keys() == by_uri.keys():
        return Pending(records, None, "", {uri: Neighbours([by_uri[u] for u in rel], by_uri.get(prev), by_uri.get(nxt), shown)
                                           for uri, (rel, prev, nxt, shown) in rows.items()})
    return Pending(records, store, key, None)


class Pending:
    """The neighbours of `records`: known (`done`), being computed in a child they were handed to
    (`hand_over`), or to compute here; once known they are stored under `key` (when there is a `store`)."""

    def __init__(self, records: list[Record], store: BuildCache | None, key: str,
                 done: dict[str, Neighbours] | None) -> None:
        self.records, self.store, self.key, self.done = records, store, key, done
        self.conn: Connection | None = None
        self.shared: mmap.mmap | None = None  # the table, written by another child (hand_over)
        self._send: Connection | None = None  # that child's end of the pipe, until it is forked

    def hand_over(self) -> Callable[[], None] | None:
        """The neighbours computed by a child this process forks for other work (the search index's),
        first, before that work: the function that child runs first, or None (nothing to compute, or
        no fork). Call `handed()` once that child is forked.

        Why: in a child of their own (round 31) the neighbours shared the second core with the
        search index's child from the start, so they came late and the main process waited for
        them after the listings (0.3-0.5 s of an add-10 rebuild at 10,000 articles), and a third
        large process was forked and ended. Computed first in the search child they have that core
        alone. The table goes through memory shared before the fork (a pipe holds 64 KB: the
        child would wait there, its index not begun, until this process read it); a byte on the
        pipe says it is complete, and a child that ends without sending it (killed, or the
        computation failed) leaves them to `result`, here."""
        if self.done is not None or self.conn is not None or "fork" not in multiprocessing.get_all_start_methods():
            return None
        records, size = self.records, len(self.records) * (SHOW + 2) * 8
        shared = self.shared = mmap.mmap(-1, max(size, 1))  # anonymous: shared with children forked later
        self.conn, send = multiprocessing.get_context("fork").Pipe(duplex=False)
        self._send = send

        def first() -> None:
            try:
                shared[:size] = _table(records, compute(records)).tobytes()
                send.send_bytes(b"done")
            except Exception:  # noqa: BLE001 - the main process computes them instead
                pass
            finally:
                send.close()
        return first

    def handed(self) -> None:
        """The child that runs `hand_over`'s function is forked: this process's copy of its end of
        the pipe is closed, so that its death is an EOF here."""
        if self._send is not None:
            self._send.close()
            self._send = None

    def result(self) -> dict[str, Neighbours]:
        if self.done is not None:
            return self.done
        table = self._received()
        out = _from_table(self.records, table) if table is not None else compute(self.records)  # no child, or it failed
        if self.store is not None:
            self.store.put_listing(self.key, {uri: ([r.src_uri for r in nb.related],
                                                    nb.previous.src_uri if nb.previous else None,
                                                    nb.next.src_uri if nb.next else None, digest(nb))
                                              for uri, nb in out.items()})
        self.done = out
        return out

    def _received(self) -> np.ndarray | None:
        if self.conn is None:
            return None
        self.handed()  # (a child never forked: an EOF at once)
        try:
            data = self.conn.recv_bytes()
        except (EOFError, OSError):
            data = None
        finally:
            self.conn.close()
            self.conn = None
        shared, self.shared = self.shared, None
        if data is None or shared is None:
            if shared is not None:
                shared.close()
            return None
        table = np.frombuffer(shared, dtype=np.int64, count=len(self.records) * (SHOW + 2)).copy()
        shared.close()
        return table.reshape(len(self.records), SHOW + 2)

    def stop(self) -> None:
        """A failed build: what the child would send is of no use (the child is the search
        index's, which its own job stops)."""
        if self.conn is not None:
            self.conn.close()
        self.handed()
        if self.shared is not None:
            self.shared.close()
        self.conn, self.shared = None, None


def _table(records: list[Record], out: dict[str, Neighbours]) -> np.ndarray:
    """Per record (in `records`' order): its related articles' positions, then its previous and
    next one's, -1 where there is none."""
    at = {id(r): i for i, r in enumerate(records)}
    table = np.full((len(records), SHOW + 2), -1, dtype=np.int64)
    for i, r in enumerate(records):
        nb = out[r.src_uri]
        row = [at[id(x)] for x in nb.related]
        table[i, :len(row)] = row
        table[i, SHOW] = at[id(nb.previous)] if nb.previous is not None else -1
        table[i, SHOW + 1] = at[id(nb.next)] if nb.next is not None else -1
    return table


def _from_table(records: list[Record], table: np.ndarray) -> dict[str, Neighbours]:
    """`compute`'s answer from `_table`'s, in `compute`'s order of src_uris."""
    out = {}
    rows = table.tolist()
    for i in sorted(range(len(records)), key=lambda i: _when(records[i])):  # compute's order
        *rel, prev, nxt = rows[i]
        out[records[i].src_uri] = Neighbours([records[j] for j in rel if j >= 0],
                                             records[prev] if prev >= 0 else None, records[nxt] if nxt >= 0 else None)
    return out
