"""Related articles (shared tags and places, rarer ones weigh more) and previous/next in time.

Bounded at any size: for each tag or place an article has, only the WINDOW articles nearest to it
in time under that tag or place are candidates, so the work grows with the archive, not its square."""
from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field

from .index import Record, place_slug

WINDOW = 60
SHOW = 5


@dataclass
class Neighbours:
    related: list[Record] = field(default_factory=list)
    previous: Record | None = None  # older
    next: Record | None = None  # newer


def digest(nb: Neighbours | None) -> str:
    """What of the neighbours an article page shows (the build cache's context for it)."""
    if nb is None:
        return ""
    def show(r: Record | None) -> list:
        return [] if r is None else [r.src_uri, r.title, r.date.isoformat() if r.date else "", r.source or ""]
    parts = [show(r) for r in nb.related] + [show(nb.previous), show(nb.next)]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def _keys(r: Record) -> set[str]:
    return {"t:" + t for t in r.tags} | {"p:" + place_slug(p) for p in r.places} | {"c:" + p.country for p in r.places}


def compute(records: list[Record]) -> dict[str, Neighbours]:
    """src_uri -> Neighbours, for every article."""
    ordered = sorted(records, key=lambda r: (r.date is not None, r.date.isoformat() if r.date else "", r.title))
    by_key: dict[str, list[Record]] = defaultdict(list)
    for r in ordered:
        for k in _keys(r):
            by_key[k].append(r)
    pos = {k: {id(r): i for i, r in enumerate(rs)} for k, rs in by_key.items()}
    n = max(len(records), 1)
    out: dict[str, Neighbours] = {}
    dated = [r for r in ordered if r.date]
    dated_pos = {id(r): i for i, r in enumerate(dated)}
    for r in ordered:
        scores: dict[int, float] = defaultdict(float)
        seen: dict[int, Record] = {}
        for k in _keys(r):
            rs = by_key[k]
            weight = math.log(1 + n / len(rs)) * (0.5 if k.startswith("c:") else 1.0)
            i = pos[k][id(r)]
            for other in rs[max(0, i - WINDOW // 2): i + WINDOW // 2 + 1]:
                if other is not r:
                    scores[id(other)] += weight
                    seen[id(other)] = other
        best = sorted(scores, key=lambda o: (-scores[o], -(seen[o].date.toordinal() if seen[o].date else 0),
                                             seen[o].title))[:SHOW]
        nb = Neighbours([seen[o] for o in best])
        if r.date:
            i = dated_pos[id(r)]
            nb.previous = dated[i - 1] if i > 0 else None
            nb.next = dated[i + 1] if i + 1 < len(dated) else None
        out[r.src_uri] = nb
    return out
