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


def _window_mean(p: np.ndarray, k: int) -> np.ndarray:
    """Mean of p over the k units above and the k below each unit (outside the page: its own p)."""
    cum = np.concatenate([[0.0], np.cumsum(p)])
    n = len(p)
    idx = np.arange(n)
    lo, hi = np.maximum(0, idx - k), np.minimum(n, idx + k + 1)
    missing = 2 * k + 1 - (hi - lo)
    return (cum[hi] - cum[lo] - p + missing * p) / (2 * k)


def _best_of(p: np.ndarray, k: int, below: bool) -> np.ndarray:
    """The highest p of the k units above each unit (below it with `below`; outside the page: its own p)."""
    n = len(p)
    pad = np.concatenate([np.full(k, np.nan), p, np.full(k, np.nan)])
    shifts = [pad[k + j:k + j + n] for j in range(1, k + 1)] if below else [pad[k - j:k - j + n] for j in range(1, k + 1)]
    near = np.stack(shifts)
    return np.where(np.isnan(near), p, near).max(axis=0)


def _distance(body: np.ndarray, reverse: bool) -> np.ndarray:
    """Units from each unit to the nearest body unit above it (below it with `reverse`), FAR at most;
    with none there, the page's edge for a body unit (its own score stands in), else FAR."""
    n = len(body)
    idx = np.arange(n)
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
    probabilities in page order."""
    n = len(p)
    if not n:
        return np.zeros((0, len(STACK)))
    q = np.clip(p, 1e-4, 1 - 1e-4)
    body = p >= BODY
    where = np.flatnonzero(body)
    idx = np.arange(n)
    inside = ((idx >= where[0]) & (idx <= where[-1])).astype(float) if len(where) else np.zeros(n)
    return np.column_stack([
        np.ones(n), np.log(q / (1 - q)), _best_of(p, 1, False), _best_of(p, 1, True), _window_mean(p, 2),
        _window_mean(p, 5), np.minimum(_best_of(p, 3, False), _best_of(p, 3, True)), inside,
        np.log1p(_distance(body, False)), np.log1p(_distance(body, True)),
    ])


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
