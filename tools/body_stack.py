"""Fit the body's second pass (generator/readers/text_stack.py) for tools/train_text_model.py.

The first pass scores each line of a page by its own features; the second re-scores it with its
neighbours' first-pass scores. Fitted on out-of-fold first-pass scores (the training pages split in
STACK_FOLDS by site, each fold scored by a first pass fitted on the others), so that it learns how far a
first pass can be trusted on a site it never saw, not how well it fits its own training pages.

Round 32 (datebody32, 2026-12-07): a logistic model over each line's
first-pass score and its neighbours' (the lines above and below, the means over 2 and 5 lines each
side, the best of the 3 above against the best of the 3 below, inside the span the first pass calls
body, distances to the nearest body line above and below), fitted on out-of-fold first-pass scores
(the training pages split in STACK_FOLDS by site). tools/body_steps.py --refit-body (the title parts
of the kept fold models, the body parts refitted), body F1 against 0.9037 (P 0.9014, R 0.9059):
- chrome lines as neighbours scoring 0, the page's ends as 0: 0.9075 (P 0.9010, R 0.9142; 34 pages
  up, 18 down by more than 0.01); it also dropped the last paragraph of a dump that is only the
  article (nothing below it) and paragraphs between advertisement lines (tests/fixtures/scrapes);
- chrome left out of the neighbourhoods: 0.9086 (P 0.9030, R 0.9143);
- and beyond the page's ends the line's own score (kept): 0.9099 (P 0.9049, R 0.9149; 29 up, 12 down).
Lost (with the first variant): the second pass also reading the line's own 52 features
(TRAIN_STACK_OWN=1, 0.9027); body threshold 0.45 / 0.55 (0.9043 / 0.9068); without the gap rule
(GAP_THRESHOLD) 0.9076, the same as with it: the rule is left in.
"""
from __future__ import annotations

import hashlib
import os
from typing import Callable

import numpy as np

from generator.readers.text_stack import STACK, stack_features

ENABLED = os.environ.get("TRAIN_BODY_STACK", "1") == "1"  # the body's second pass (0: the model of ec8480d)
OWN = os.environ.get("TRAIN_STACK_OWN", "0") == "1"  # the second pass also reads the line's own features (lost)
STACK_FOLDS = 5  # site folds of the out-of-fold first-pass scores
STEPS = 1500  # full-batch gradient steps of a logistic fit (the first pass's too)
RATE = 0.2
L2 = 1e-2


def logistic(xs: list[np.ndarray], ys: list[np.ndarray], used: np.ndarray) -> np.ndarray:
    """Logistic regression by full-batch gradient descent from zero weights on the `used` columns,
    each page weighing the same whatever its number of lines."""
    x = np.vstack(xs)
    y = np.concatenate(ys)
    weight = np.concatenate([np.full(len(v), 1.0 / len(v)) for v in ys])
    weight /= weight.sum()
    w = np.zeros(x.shape[1])
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        w -= RATE * 4 * (x.T @ (weight * (p - y)) + L2 * w) * used
    return w


def fit_stack(xs: list[np.ndarray], ys: list[np.ndarray], sites: list[str],
              first_pass: Callable[[list[np.ndarray], list[np.ndarray]], np.ndarray],
              own_used: np.ndarray | None = None) -> list:
    """[mean, scale, weights] of the standardised STACK features (with OWN, then the lines' own
    features `own_used` marks) for pages of standardised rows `xs` (a page's lines that are not chrome,
    in page order), labels `ys` and `sites`; `first_pass` fits the first pass's weights."""
    inner = [int(hashlib.sha256(("stack:" + site).encode()).hexdigest()[8:16], 16) % STACK_FOLDS for site in sites]
    feats: list[np.ndarray] = [np.zeros(0)] * len(xs)
    for f in range(STACK_FOLDS):
        held = [k for k, g in enumerate(inner) if g == f]
        if not held:
            continue
        w = first_pass([x for x, g in zip(xs, inner) if g != f], [y for y, g in zip(ys, inner) if g != f])
        for k in held:
            feats[k] = stack_features(1.0 / (1.0 + np.exp(-np.clip(xs[k] @ w, -30.0, 30.0))))
            if OWN:
                feats[k] = np.hstack([feats[k], xs[k]])
    every = np.vstack(feats)
    mean, scale = every.mean(axis=0), every.std(axis=0)
    scale[scale < 1e-9] = 1.0
    mean[0], scale[0] = 0.0, 1.0
    used = np.ones(every.shape[1])
    if OWN:
        used[len(STACK):] = own_used
    weights = logistic([(x - mean) / scale for x in feats], ys, used)
    return [[round(float(v), 5) for v in mean], [round(float(v), 5) for v in scale], [round(float(v), 4) for v in weights]]
