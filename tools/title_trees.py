"""Boosted regression trees for the headline score (used by tools/train_text_model.py with TRAIN_TREES>0).

The objective is the title model's: a softmax over each page's candidates, the gold lines' share
maximised. Each round fits one tree of fixed depth to the gradient (p - q) by Newton steps (leaf value
-G / (H + lambda)), on features binned at quantile midpoints of the training rows; a seeded draw of
pages and of features for each tree (deterministic). A tree splits on raw feature values, so the
thresholds, rounded in the JSON file, fall between the values the features take and the reader scores
a line as the trainer did.

A tree is stored complete (2**depth leaves): levels of (feature, threshold) pairs, node k of a level
going to 2k (value <= threshold) or 2k+1 below; a node with no useful split sends every row left and
both its children carry the same value.
"""
from __future__ import annotations

import os

import numpy as np

DEPTH = int(os.environ.get("TREE_DEPTH", "3"))
RATE = float(os.environ.get("TREE_RATE", "0.1"))
LAMBDA = float(os.environ.get("TREE_LAMBDA", "1.0"))
MIN_HESS = float(os.environ.get("TREE_MIN_HESS", "5.0"))  # summed hessian a leaf needs (about pages' worth)
PAGES = float(os.environ.get("TREE_PAGES", "0.7"))  # share of pages each tree sees
COLS = float(os.environ.get("TREE_COLS", "0.5"))  # share of features each tree may split on
BINS = 32
NEVER = 1e9  # the threshold of a node that does not split: every value goes left


def thresholds(col: np.ndarray) -> np.ndarray:
    """Split points of one feature: midpoints between the distinct values at up to BINS quantiles and
    the next distinct value above them."""
    values = np.unique(col)
    if len(values) < 2:
        return np.zeros(0)
    if len(values) > BINS:
        picked = np.unique(np.quantile(col, np.linspace(0, 1, BINS + 1)[1:-1], method="lower"))
    else:
        picked = values[:-1]
    above = values[np.searchsorted(values, picked, side="right").clip(max=len(values) - 1)]
    keep = above > picked
    return np.round((picked[keep] + above[keep]) / 2, 6)


def fit_trees(groups: list[tuple[np.ndarray, np.ndarray]], rounds: int, seed: int, skip: np.ndarray,
              start: list[np.ndarray] | None = None, min_hess: float = MIN_HESS) -> list:
    """`rounds` trees fitted to the pages' candidate rows (raw features; `skip` marks features never
    split on, the bias among them). Returns [[(feature, threshold) per node] per level, leaf values].
    With `start` (each page's rows' scores from another model), the trees are logistic instead: each
    row a yes/no (a body line), each page weighing the same, boosted from those scores."""
    x = np.vstack([g for g, _ in groups])
    y = np.concatenate([t for _, t in groups])
    sizes = [len(t) for _, t in groups]
    starts = np.cumsum([0] + sizes)[:-1]
    group = np.repeat(np.arange(len(groups)), sizes)
    n, dim = x.shape
    cuts = [thresholds(x[:, f]) if not skip[f] else np.zeros(0) for f in range(dim)]
    width = max(len(c) for c in cuts) + 1
    bins = np.stack([np.searchsorted(c, x[:, f], side="left") for f, c in enumerate(cuts)], axis=1)
    codes = bins + np.arange(dim) * width  # one bincount over all features at once
    usable = np.array([len(c) > 0 for c in cuts])
    rng = np.random.default_rng(seed)
    score = np.zeros(n) if start is None else np.concatenate(start)
    weight = np.repeat([1.0 / max(1, k) for k in sizes], sizes)  # (logistic) each page's rows weigh 1 together
    trees = []
    for _ in range(rounds):
        if start is None:
            s = score - np.maximum.reduceat(score, starts)[group]
            e = np.exp(s)
            p = e / np.add.reduceat(e, starts)[group]
            py = p * y
            q = py / np.add.reduceat(py, starts)[group]
            g = p - q
            h = np.maximum(p * (1 - p), 1e-6)
        else:  # logistic, a page's rows sharing one page's weight (scaled so that a page weighs 1)
            p = 1.0 / (1.0 + np.exp(-np.clip(score, -30, 30)))
            g = weight * (p - y)
            h = np.maximum(weight * p * (1 - p), 1e-9)
        pages = rng.random(len(groups)) < PAGES
        rows = np.flatnonzero(pages[group])
        cols = usable & (rng.random(dim) < COLS)
        levels, leaves = _tree(codes, bins, cuts, g, h, rows, cols, dim, width, min_hess)
        trees.append((levels, leaves))
        score += _apply(levels, leaves, x)
    return trees


def _tree(codes, bins, cuts, g, h, rows, cols, dim, width, min_hess):
    nodes = [rows]
    levels = []
    for _ in range(DEPTH):
        level, below = [], []
        for idx in nodes:
            f, k = _best(codes, g, h, idx, cols, dim, width, min_hess)
            if f < 0:
                level.append((0, NEVER))
                below += [idx, idx[:0]]
            else:
                level.append((f, float(cuts[f][k])))
                left = bins[idx, f] <= k
                below += [idx[left], idx[~left]]
        levels.append(level)
        nodes = below
    leaves = [float(-RATE * g[idx].sum() / (h[idx].sum() + LAMBDA)) for idx in nodes]
    # an empty leaf (the right side of a node that does not split) takes its sibling's value
    for k in range(0, len(leaves), 2):
        if len(nodes[k + 1]) == 0:
            leaves[k + 1] = leaves[k]
    return levels, [round(v, 5) for v in leaves]


def _best(codes, g, h, idx, cols, dim, width, min_hess) -> tuple[int, int]:
    """The split (feature, bin) of rows `idx` with the largest Newton gain, or (-1, -1)."""
    if len(idx) < 2:
        return -1, -1
    c = codes[idx].ravel()
    gs = np.bincount(c, np.repeat(g[idx], dim), minlength=dim * width).reshape(dim, width)
    hs = np.bincount(c, np.repeat(h[idx], dim), minlength=dim * width).reshape(dim, width)
    gl, hl = np.cumsum(gs, axis=1), np.cumsum(hs, axis=1)
    gt, ht = gl[:, -1:], hl[:, -1:]
    gr, hr = gt - gl, ht - hl
    gain = gl ** 2 / (hl + LAMBDA) + gr ** 2 / (hr + LAMBDA) - gt ** 2 / (ht + LAMBDA)
    gain[(hl < min_hess) | (hr < min_hess)] = 0.0
    gain[~cols] = 0.0
    gain[:, -1] = 0.0
    f, k = np.unravel_index(int(np.argmax(gain)), gain.shape)
    return (int(f), int(k)) if gain[f, k] > 1e-9 else (-1, -1)


def _apply(levels, leaves, x: np.ndarray) -> np.ndarray:
    node = np.zeros(len(x), dtype=int)
    for level in levels:
        feats = np.array([f for f, _ in level])[node]
        cut = np.array([t for _, t in level])[node]
        node = 2 * node + (x[np.arange(len(x)), feats] > cut)
    return np.array(leaves)[node]


def tree_scores(trees: list, x: np.ndarray) -> np.ndarray:
    return sum((_apply(levels, leaves, x) for levels, leaves in trees), np.zeros(len(x)))


def fit_forest(groups: list[tuple[np.ndarray, np.ndarray]], rounds: int, seeds: list[int], skip: np.ndarray) -> list:
    """The average of boosted fits from different seeds (their trees side by side, leaves divided by
    their number): each fit sees other pages and features, the average varies less."""
    fits = [fit_trees(groups, rounds, seed, skip) for seed in seeds]
    return [(levels, [v / len(fits) for v in leaves]) for fit in fits for levels, leaves in fit]
