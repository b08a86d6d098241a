"""The body model's second pass: each line's body probability re-scored with its neighbours' scores.

Why: the first pass (a logistic model over one line's features, text_model.py) scores a line by its
own shape, so the short lines inside an article (a list's items, a caption, a subheading) score low
though they sit between paragraphs, and a line of chrome inside the body scores like its neighbours'
text would not. The second pass is a logistic model over the first pass's score of the line and of
the lines around it (the k lines above and below, whether it sits between two body lines, how far the
nearest body line is above and below, whether it is inside the span the first pass calls body),
fitted by tools/train_text_model.py on out-of-fold first-pass scores (so it learns how far a first
pass on unseen sites can be trusted, not how well it fits its own training pages).
"""
from __future__ import annotations

import numpy as np

STACK = ("bias", "logit", "prev", "next", "near_2", "near_5", "between", "inside", "to_above", "to_below")
FAR = 50  # units: distances to the nearest body line are capped here
BODY = 0.5  # a first-pass probability at least this is a body line


# Beyond the page's ends a unit's own score stands in for the neighbours it lacks: a dump that is only
# the article ends with its last paragraph, which is no less the article's for having nothing below it.


def _window_mean(cum: np.ndarray, p: np.ndarray, idx: np.ndarray, k: int) -> np.ndarray:
    """Mean of p over the k units above and the k below each unit (outside the page: its own p);
    `cum` is p's cumulative sum with a leading 0."""
    n = len(p)
    lo, hi = np.maximum(0, idx - k), np.minimum(n, idx + k + 1)
    missing = 2 * k + 1 - (hi - lo)
    return (cum[hi] - cum[lo] + (missing - 1) * p) / (2 * k)


def _best_of(pad: np.ndarray, p: np.ndarray, k: int, below: bool) -> np.ndarray:
    """The highest p of the k units above each unit (below it with `below`; outside the page: its own
    p). `pad` is p with PAD units of -inf on each side."""
    n = len(p)
    if below:
        best = pad[PAD + 1:PAD + 1 + n].copy()
        for j in range(2, k + 1):
            np.maximum(best, pad[PAD + j:PAD + j + n], out=best)
        edge = slice(max(0, n - k), n)  # units with fewer than k below: their own p stands in
    else:
        best = pad[PAD - 1:PAD - 1 + n].copy()
        for j in range(2, k + 1):
            np.maximum(best, pad[PAD - j:PAD - j + n], out=best)
        edge = slice(0, min(k, n))
    np.maximum(best[edge], p[edge], out=best[edge])
    return best


PAD = 3  # the widest neighbourhood _best_of looks at


def _distance(body: np.ndarray, idx: np.ndarray, reverse: bool) -> np.ndarray:
    """Units from each unit to the nearest body unit above it (below it with `reverse`), FAR at most;
    with none there, the page's edge for a body unit (its own score stands in), else FAR."""
    n = len(body)
    if reverse:
        nearest = np.minimum.accumulate(np.where(body, idx, n + FAR)[::-1])[::-1]  # at or below i
        nearest = np.concatenate([nearest[1:], [n + FAR]])  # below i
        edge = np.where(body, n - idx, FAR)
        return np.minimum(np.minimum(FAR, nearest - idx), edge).astype(float)
    nearest = np.maximum.accumulate(np.where(body, idx, -FAR - 1))  # at or above i
    nearest = np.concatenate([[-FAR - 1], nearest[:-1]])  # above i
    edge = np.where(body, idx + 1, FAR)
    return np.minimum(np.minimum(FAR, idx - nearest), edge).astype(float)


def stack_features(p: np.ndarray) -> np.ndarray:
    """The STACK features of each of a page's units that are not chrome, from their first-pass
    probabilities in page order. (Written for pages of tens of units: a few whole-array operations,
    each array made once; about half the time of the first version at ingest.)"""
    n = len(p)
    if not n:
        return np.zeros((0, len(STACK)))
    q = np.clip(p, 1e-4, 1 - 1e-4)
    body = p >= BODY
    where = np.flatnonzero(body)
    idx = np.arange(n)
    cum = np.concatenate([[0.0], np.cumsum(p)])
    pad = np.full(n + 2 * PAD, -np.inf)
    pad[PAD:PAD + n] = p
    x = np.empty((n, len(STACK)))
    x[:, 0] = 1.0
    x[:, 1] = np.log(q / (1 - q))
    x[:, 2] = _best_of(pad, p, 1, False)
    x[:, 3] = _best_of(pad, p, 1, True)
    x[:, 4] = _window_mean(cum, p, idx, 2)
    x[:, 5] = _window_mean(cum, p, idx, 5)
    x[:, 6] = np.minimum(_best_of(pad, p, 3, False), _best_of(pad, p, 3, True))
    x[:, 7] = ((idx >= where[0]) & (idx <= where[-1])) if len(where) else 0.0
    x[:, 8] = np.log1p(_distance(body, idx, False))
    x[:, 9] = np.log1p(_distance(body, idx, True))
    return x


def restacked(p: np.ndarray, chrome: np.ndarray, mean: np.ndarray, scale: np.ndarray, weights: np.ndarray,
              own: np.ndarray | None = None) -> np.ndarray:
    """The second pass's probabilities. Chrome units (0 in the first pass) stay 0 and are left out of
    the neighbourhoods: an advertisement line or a photo credit between two paragraphs does not part
    them (the trainer's rows leave chrome out the same way). With more weights than STACK features,
    the rest weigh the units' own standardised features `own`."""
    keep = ~chrome
    if not keep.any():
        return p
    x = stack_features(p[keep])
    if len(weights) > len(STACK):
        x = np.hstack([x, own[keep]])
    z = ((x - mean) / scale) @ weights
    out = np.zeros(len(p))
    out[keep] = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
    return out
