"""Stable search document ids: an article keeps its id when others are added or removed.

Why: the ids are in every postings shard, title chunk and facet file. When they were ranks in time
order, one article added in the middle (or any undated one) moved every later id and a daily update
rewrote the whole index (docs/scaling.md). Here the ids are a pure function of the current set of
documents (a clean build and an incremental one give the same bytes), laid out with gaps:

* dated articles, ids from 0 up, one block per month in time order, the months of a year inside
  a year's block; undated articles just below 0; tag and place pages below those. So "newest
  first" is still "highest id first", a year is still a range of ids, and the kind of a result is
  read from its id (meta.json: `first_article`).
* a block of n documents has 2 n to 4 n slots (a power of two, SLACK below), so it changes size about once
  in n added documents; then its ids and those of the later months of its year move, and the later
  years' only when the year's block grows too (its size is on a ladder of 4, 6, 8, 12, 16, ...);
* inside a block each document has a home slot from its place in the month (day, then a hash of
  its URL) or, undated and pages, from the hash alone; documents take their home slot or the next
  free one (in home order), so an added document moves only the few packed right after its home.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

SLACK = 2.0  # slots per document in a block, at least: fewer and added articles push more of the others along
DAYS = 31  # a month's home slots are spread over this many days


def capacity(n: int) -> int:
    """Slots for a block of n documents: the first power of two (4 at least) with SLACK n. Powers of
    two, so a block changes size (and every id in it, and in the blocks after it) at one added
    document in n, about."""
    if n <= 0:
        return 0
    need, size = math.ceil(n * SLACK), 4
    while size < need:
        size *= 2
    return size


def year_size(months: int) -> int:
    """A year's slots for months' blocks of `months` slots in all: the first of 4, 6, 8, 12, 16, 24,
    ... (2^k, 3·2^(k-1)) that holds them. A month that grows moves the later months of its year only,
    and the later years only when it takes its year over a step."""
    size = 4
    while size < months:
        size = size * 3 // 2 if size & (size - 1) == 0 else size // 3 * 4
    return size


def _fraction(url: str) -> float:
    """Where in [0, 1) a document falls inside its block by its URL (stable, spread evenly)."""
    return int.from_bytes(hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big") / 2**64


def place(homes: list[float], slots: int) -> list[int]:
    """Slot of each of the documents whose home fractions are `homes` (sorted ascending) in a block
    of `slots`: the home slot or the first free one after it; pushed back from the end when the
    last ones run over (slots >= len(homes)). Increasing with the home."""
    out: list[int] = []
    prev = -1
    for f in homes:
        prev = max(min(int(f * slots), slots - 1), prev + 1)
        out.append(prev)
    limit = slots
    for i in range(len(out) - 1, -1, -1):
        limit = min(out[i], limit - 1)
        out[i] = limit
    return out


@dataclass(frozen=True)
class Layout:
    """The ids of the documents (in the order given) and the bounds search.js needs."""

    ids: list[int]
    first_article: int  # ids below this are tag and place pages; from here to -1 undated articles


def allocate(kinds: list[str], dates: list[str], urls: list[str]) -> Layout:
    """ids for documents given by kind ("a" article, else a page), ISO date ("" undated) and URL."""
    blocks: dict[tuple, list[tuple[float, str, int]]] = {}
    for i, (kind, date, url) in enumerate(zip(kinds, dates, urls)):
        f = _fraction(url)
        if kind != "a":
            key: tuple = ("p",)
        elif not date:
            key = ("u",)
        else:
            try:
                day = min(max(int(date[8:10]), 1), DAYS) if len(date) >= 10 else 1
            except ValueError:
                day = 1
            key, f = ("m", date[:7]), (day - 1 + f) / DAYS
        blocks.setdefault(key, []).append((f, url, i))
    ids = [0] * len(kinds)

    def fill(members: list[tuple[float, str, int]], base: int, slots: int) -> None:
        members.sort()
        for (_f, _url, i), slot in zip(members, place([m[0] for m in members], slots)):
            ids[i] = base + slot

    base = 0
    months = sorted(k for k in blocks if k[0] == "m")
    for year in sorted({k[1][:4] for k in months}):
        start = base
        for key in (k for k in months if k[1][:4] == year):
            size = capacity(len(blocks[key]))
            fill(blocks[key], base, size)
            base += size
        base = start + year_size(base - start)
    undated = capacity(len(blocks.get(("u",), [])))
    fill(blocks.get(("u",), []), -undated, undated)
    pages = capacity(len(blocks.get(("p",), [])))
    fill(blocks.get(("p",), []), -undated - pages, pages)
    return Layout(ids, -undated)
