"""Pictures drawn at build time for tag and place pages: articles per month, and the tags and
places that most often appear with this one (each a link). SVG and HTML only: no script needed."""
from __future__ import annotations

from collections import Counter
from html import escape
from itertools import chain, repeat
from operator import attrgetter

import numpy as np

from ..model import Place
from .index import Record, place_slugs
from .pages import MONTHS, Linker, esc

WIDTH, HEIGHT, TOP = 640, 120, 4
MAX_BARS = 180  # longer spans are drawn by quarter or by year
MIN_MONTHS = 12  # a shorter span is drawn as the year up to its last month: one month is not one wide block
_date = attrgetter("date")


def _dated(records: list[Record]) -> list:
    """The records' dates, undated ones left out: counted in C (a changed listing's charts are
    made from all its articles, and a big tag holds most of the archive)."""
    return list(filter(None, map(_date, records)))


def _buckets(records: list[Record], dated: list | None = None) -> tuple[list[tuple[str, int]], str]:
    dated = _dated(records) if dated is None else dated
    if not dated:
        return [], ""
    lo, hi = min(dated), max(dated)
    first, last = lo.year * 12 + lo.month - 1, hi.year * 12 + hi.month - 1
    first = min(first, last - MIN_MONTHS + 1)
    months = last - first + 1
    step, unit = (1, "month") if months <= MAX_BARS else (3, "quarter") if months <= 3 * MAX_BARS else (12, "year")
    start = first // step * step
    counts: Counter[int] = Counter()
    for d, c in Counter(dated).items():  # each day once: a listing's articles share their days
        counts[(d.year * 12 + d.month - 1 - start) // step] += c
    n = (last - start) // step + 1
    out = []
    for i in range(n):
        m = start + i * step
        y, mo = divmod(m, 12)
        label = str(y) if step == 12 else f"{MONTHS[mo][:3]} {y}" if step == 1 else f"Q{mo // 3 + 1} {y}"
        out.append((label, counts.get(i, 0)))
    return out, unit


def timeline(records: list[Record]) -> str:
    """Bars of article counts per month (or quarter, or year), with a title per bar. The labels are
    HTML, not SVG text: the picture shrinks to a phone's width, the labels keep their size. A page
    whose articles are all undated says so where the timeline would be."""
    dated = _dated(records)
    buckets, unit = _buckets(records, dated)
    undated = len(records) - len(dated)
    if not buckets:
        if not records:
            return ""
        what = "the article here is" if undated == 1 else f"all {undated} articles here are"
        return (f'<figure class="archive-chart archive-chart--empty"><figcaption>No timeline: {what} '
                "undated</figcaption></figure>\n")
    top = max(c for _, c in buckets)
    bw = WIDTH / len(buckets)
    bars = []
    for i, (label, c) in enumerate(buckets):
        if not c:
            continue
        h = (HEIGHT - TOP) * c / top
        bars.append(f'<rect x="{i * bw:.1f}" y="{HEIGHT - h:.1f}" width="{max(bw - 1, 0.6):.1f}" height="{h:.1f}">'
                    f"<title>{escape(label)}: {c}</title></rect>")
    first, last = escape(buckets[0][0]), escape(buckets[-1][0])
    note = f" · {undated} undated not shown" if undated else ""
    return (f'<figure class="archive-chart"><svg viewBox="0 0 {WIDTH} {HEIGHT + 1}" preserveAspectRatio="none" '
            f'role="img" aria-label="Articles per {unit}, {first} to {last}" xmlns="http://www.w3.org/2000/svg">'
            + "".join(bars) + f'<line x1="0" y1="{HEIGHT}" x2="{WIDTH}" y2="{HEIGHT}" class="archive-chart__axis"/>'
            f'</svg><div class="archive-chart__labels"><span>{first}</span><span>{last}</span></div>'
            f"<figcaption>Articles per {unit} (most: {top}){note}</figcaption></figure>\n")


def _most_common(records: list[Record], keys, skip, top: int) -> list[tuple[str, int]]:
    """The `top` keys (of `keys(record)`) in most records, `skip` left out; ties in first-seen order."""
    # Counted in C; removing the skipped keys afterwards keeps the others' first-seen order, so
    # most_common breaks ties as when they were never counted.
    counts: Counter[str] = Counter(chain.from_iterable(map(keys, records)))
    for s in skip:
        counts.pop(s, None)
    return counts.most_common(top)


def _tag_keys(r: Record) -> dict:
    return dict.fromkeys(r.tags)


class _Flat:
    """Every article's distinct keys (tags, or place slugs) as ids in one flat array."""

    def __init__(self, records: list[Record], keys) -> None:
        ids: dict[str, int] = {}
        flat: list[int] = []
        ends = np.empty(len(records), dtype=np.int64)
        for i, r in enumerate(records):
            flat.extend([ids.setdefault(k, len(ids)) for k in keys(r)])
            ends[i] = len(flat)
        self.ids, self.names, self.flat, self.ends = ids, list(ids), np.asarray(flat, dtype=np.int64), ends
        self.starts = np.zeros(len(records), dtype=np.int64)
        self.starts[1:] = ends[:-1]

    def most_common(self, rows: np.ndarray, skip, top: int) -> list[tuple[str, int]]:
        start = self.starts[rows]
        lengths = self.ends[rows] - start
        total = int(lengths.sum())
        if not total:
            return []
        # Each article's ids, one article after the other in the listing's order.
        seen = self.flat[np.arange(total) + np.repeat(start - (np.cumsum(lengths) - lengths), lengths)]
        counts = np.bincount(seen, minlength=len(self.ids))
        first = np.full(len(self.ids), total, dtype=np.int64)  # where each key is first seen
        np.minimum.at(first, seen, np.arange(total))
        for key in skip:
            if key in self.ids:
                counts[self.ids[key]] = 0
        present = np.flatnonzero(counts)
        best = present[np.lexsort((first[present], -counts[present]))[:top]]
        return [(self.names[i], int(counts[i])) for i in best.tolist()]


class Cooccurrence:
    """Every article's distinct tags, and its places' slugs, as ids in one flat array each, made
    once per build (at the first chart): a listing's counts are then a `bincount` of its articles'
    ids. Counting them in a Python Counter was most of the charts' 0.45 CPU-s after adding 10
    articles to 10,000 (a big tag's chart counts the tags of thousands of articles); the places'
    Counter was then 0.13 of the 0.33 left. Same counts, same order as `_most_common`, ties
    included (tests/test_charts.py)."""

    def __init__(self, records: list[Record]) -> None:
        self.records = records
        self.rows: dict[int, int] | None = None
        self.flats: dict[object, _Flat] = {}  # per key function (tags, place slugs), made at first use

    def _rows(self, records: list[Record]) -> np.ndarray | None:
        """The records' rows; None when one is not among those this index was made with."""
        if self.rows is None:
            # By identity (the records are held in self.records, so no other object has their ids): a
            # path lookup read each record and its path string, scattered over the heap (listingcache._Joiner).
            self.rows = {id(r): i for i, r in enumerate(self.records)}
        rows = np.fromiter(map(self.rows.get, map(id, records), repeat(-1)), dtype=np.int64, count=len(records))
        return None if not len(rows) or (rows < 0).any() else rows

    def most_common(self, records: list[Record], skips: tuple, top: int) -> tuple[list, list]:
        """`_most_common` of the records' tags and of their places' slugs, each with its skip."""
        rows = self._rows(records)
        out = []
        for keys, skip in zip((_tag_keys, place_slugs), skips):
            if rows is None:  # an article this index was not made with
                out.append(_most_common(records, keys, skip, top))
                continue
            flat = self.flats.get(keys)
            if flat is None:
                flat = self.flats[keys] = _Flat(self.records, keys)
            out.append(flat.most_common(rows, skip, top))
        return out[0], out[1]


def cooccurring(uri: str, records: list[Record], tag_uri, place_uri, link: Linker, skip_tag: str = "",
                skip_places: frozenset[str] = frozenset(), top: int = 10, index: Cooccurrence | None = None) -> str:
    """The tags and places most often in the same articles, as links with bars of their share."""
    skip_tags = (skip_tag,) if skip_tag else ()
    if index is not None:
        tags, shown = index.most_common(records, (skip_tags, skip_places), top)
    else:
        tags = _most_common(records, _tag_keys, skip_tags, top)
        shown = _most_common(records, place_slugs, skip_places, top)
    by_slug = _last_places(records, {s for s, _ in shown})
    out = []
    for title, items in (("Tags seen with it", [(link(uri, tag_uri(t), t), c) for t, c in tags]),
                         ("Places seen with it", [(link(uri, place_uri(by_slug[s]), by_slug[s].name), c)
                                                   for s, c in shown])):
        if not items:
            continue
        most = items[0][1]
        rows = "".join(f'<li><span class="archive-cooc__bar" style="width:{100 * c / most:.0f}%"></span>{a} '
                       f"<small>{c}</small></li>" for a, c in items)
        out.append(f'<div class="archive-cooc"><p><strong>{esc(title)}</strong></p><ul>{rows}</ul></div>')
    return '<div class="archive-cooc-row">' + "".join(out) + "</div>\n" if out else ""


def _last_places(records: list[Record], wanted: set[str]) -> dict[str, Place]:
    """Each wanted slug's place as the last record holding it has it (a slug's places can differ
    in name between articles: the chart always named the last one's)."""
    found: dict[str, Place] = {}
    for r in reversed(records):
        if len(found) == len(wanted):
            break
        for s, p in place_slugs(r).items():
            if s in wanted and s not in found:
                found[s] = p
    return found


def panel(uri: str, records: list[Record], tag_uri, place_uri, link: Linker, index: Cooccurrence | None = None,
          **skip) -> str:
    body = timeline(records) + cooccurring(uri, records, tag_uri, place_uri, link, index=index, **skip)
    return f'<div class="archive-charts">\n{body}</div>\n\n' if body else ""
