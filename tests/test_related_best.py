"""related.compute scores only the candidates that can be among the best (`related._best`): the
lists must be exactly those of scoring every candidate (np.unique + bincount + lexsort, the code it
replaced, kept here as the reference), ties and equal weights included."""
from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date

import numpy as np

from generator.mkdocs_plugin import related
from generator.mkdocs_plugin.index import Record
from generator.model import Place


def reference(records: list[Record]) -> dict[str, list[str]]:
    """The former related.compute's related lists (every candidate de-duplicated and sorted)."""
    ordered = sorted(records, key=lambda r: (r.date is not None, r.date.isoformat() if r.date else "", r.title))
    members: dict[str, list[int]] = defaultdict(list)
    where = []
    for i, r in enumerate(ordered):
        spots = []
        for k in related._keys(r):
            spots.append((k, len(members[k])))
            members[k].append(i)
        where.append(spots)
    arrays = {k: np.asarray(v, dtype=np.int64) for k, v in members.items()}
    n = max(len(records), 1)
    weight = {k: math.log(1 + n / len(v)) * (0.5 if k.startswith("c:") else 1.0) for k, v in members.items()}
    tie = np.empty(len(ordered), dtype=np.int64)
    tie[sorted(range(len(ordered)), key=lambda i: (-(ordered[i].date.toordinal() if ordered[i].date else 0),
                                                   ordered[i].title))] = np.arange(len(ordered))
    half = related.WINDOW // 2
    out = {}
    for i, r in enumerate(ordered):
        out[r.src_uri] = []
        if where[i]:
            parts = [arrays[k][max(0, p - half): p + half + 1] for k, p in where[i]]
            cand = np.concatenate(parts)
            w = np.concatenate([np.full(len(a), weight[k]) for (k, _), a in zip(where[i], parts)])
            keep = cand != i
            uniq, inverse = np.unique(cand[keep], return_inverse=True)
            if len(uniq):
                scores = np.round(np.bincount(inverse, weights=w[keep]), 9)
                best = np.lexsort((tie[uniq], -scores))[:related.SHOW]
                out[r.src_uri] = [ordered[j].src_uri for j in uniq[best].tolist()]
    return out


def _records(n: int, seed: int, tags: int, places: int) -> list[Record]:
    rng = random.Random(seed)
    vocab = [f"Tag {i}" for i in range(tags)]
    spots = [Place(f"Town {i}", f"Country {i % 4}", f"Region {i % 7}", "city") for i in range(places)]
    out = []
    for i in range(n):
        day = None if rng.random() < 0.2 else date(2020 + rng.randrange(3), 1 + rng.randrange(12), 1 + rng.randrange(3))
        out.append(Record(f"articles/a{i}.md", f"Title {rng.randrange(n // 3)}", day, None, None, None,
                          rng.sample(vocab, rng.randrange(0, min(6, tags) + 1)),
                          rng.sample(spots, rng.randrange(0, min(3, places) + 1))))
    return out


def test_best_candidates_are_those_of_scoring_every_candidate():
    # Few tags and places: many candidates share the same keys (equal scores), and keys of equal
    # size weigh the same (equal scores from different keys); many dates and titles repeat.
    for seed, n, tags, places in ((1, 600, 4, 3), (2, 900, 12, 8), (3, 400, 40, 30), (4, 300, 1, 1), (5, 30, 3, 2)):
        records = _records(n, seed, tags, places)
        got = {uri: [r.src_uri for r in nb.related] for uri, nb in related.compute(records).items()}
        assert got == reference(records), (seed, n)
        assert sum(len(v) == related.SHOW for v in got.values()) > n // 2  # the lists are mostly full
