"""Experiment (not used by the reader): a second ranking pass over the title model's top K candidates,
with features relative to the other top candidates, fitted as a conditional logit on stage-1 scores that
are out of fold (nested by site), and compared page for page with the first pass alone.

    PYTHONPATH=$PWD TRAIN_ENSEMBLE=3 .venv/bin/python tools/rerank_experiment.py ITEMS.pkl

ITEMS.pkl is what `tools/train_text_model.py FILE --cv --cache ITEMS.pkl` keeps. Both passes use the same
stage-1 fits, so the comparison is paired (no seed noise between them). Result (TRAIN_ENSEMBLE=3, 345 tune
title pages, 5 site folds): K=5, L2 0.01: first pass 0.6464, with the second 0.6406; RR_K=3 RR_L2=0.1:
0.6464 -> 0.6493 (one page, within noise); in-sample stage-1
scores (no nesting) make the second pass copy the first (0.7143 = 0.7143 on fold 1). So: dropped.
"""
from __future__ import annotations

import math
import os
import pickle
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import train_text_model as T  # noqa: E402

from generator.evaluation.scrapes import norm_title  # noqa: E402
from generator.readers.text import TITLE_TRIES, Page, _body_under, _headline_above, ends_sentence, title_candidates  # noqa: E402
from generator.readers.text_model import Model, word_count  # noqa: E402

K = int(os.environ.get("RR_K", "5"))
RR_L2 = float(os.environ.get("RR_L2", "1e-2"))
RR_STEPS = int(os.environ.get("RR_STEPS", "500"))


def rr_vectors(page: Page, top: list[int], scores: list[float]) -> np.ndarray:
    """Second-pass features of the top candidates (best first): margin to the best, rank, place and
    length relative to the best, text containment and duplicates among the top, same block, shape."""
    t = top[0]
    texts = [page.units[i].casefold() for i in top]
    rows = []
    for r, (i, s) in enumerate(zip(top, scores)):
        u = texts[r]
        others = [texts[k] for k in range(len(top)) if k != r]
        wc = word_count(page.units[i])
        rows.append([
            1.0, s - scores[0], float(r == 0), float(r), float(i < t), math.log1p(abs(i - t)),
            math.log(max(len(u), 1) / max(len(texts[0]), 1)), float(i == min(top)),
            float(any(u in o for o in others)), float(any(o in u for o in others)),
            float(sum(o == u for o in others)), float(page.blocks[i] == page.blocks[t]) if r else 1.0,
            float(wc >= 13 and (i - 1) in top), float(ends_sentence(page.units[i])), math.log1p(wc),
            float(sum(k < i for k in top)),
        ])
    return np.array(rows)


def fit_rr(groups: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Linear conditional logit over each page's top candidates (Adam from zero: deterministic)."""
    x = np.vstack([g for g, _ in groups])
    y = np.concatenate([t for _, t in groups])
    starts = np.cumsum([0] + [len(t) for _, t in groups])[:-1]
    group = np.repeat(np.arange(len(groups)), [len(t) for _, t in groups])
    mean, sc = x.mean(0), x.std(0)
    sc[sc < 1e-9] = 1
    mean[0], sc[0] = 0, 1
    z = (x - mean) / sc
    w, m, v = np.zeros(x.shape[1]), np.zeros(x.shape[1]), np.zeros(x.shape[1])
    for step in range(1, RR_STEPS + 1):
        s = z @ w
        s = s - np.maximum.reduceat(s, starts)[group]
        e = np.exp(s)
        p = e / np.add.reduceat(e, starts)[group]
        py = p * y
        q = py / np.add.reduceat(py, starts)[group]
        g = z.T @ ((p - q) / len(groups)) + RR_L2 * w
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= 0.01 * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return w, mean, sc


def topk(cands: list[int], sc: list[float]) -> tuple[list[int], list[float]]:
    order = sorted(range(len(cands)), key=lambda k: (-sc[k], cands[k]))[:K]
    return [cands[k] for k in order], [sc[k] for k in order]


def pick(page: Page, model: Model, ranked: list[int], cands: list[int]) -> str | None:
    """The title read_page takes from this ranking (same standfirst rule and body check)."""
    for at in [_headline_above(page, i, set(cands)) for i in ranked][:TITLE_TRIES]:
        _, blocks = _body_under(page, at, model)
        if any(b.kind == "p" for b in blocks):
            return page.units[at]
    return None


def out_of_fold_groups(train: list[dict], fold: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Second-pass examples of the training pages, each scored by a first pass fitted without its site."""
    groups = []
    for inner in range(T.FOLDS):
        if inner == fold:
            continue
        _, _, g = T.examples([it for it in train if it["fold"] != inner])
        allx = np.vstack([x for x, _ in g])
        mu, sd = allx.mean(0), allx.std(0)
        sd[sd < 1e-9] = 1
        mu[0], sd[0] = 0, 1
        tw = T.fit_title([((x - mu) / sd, y) for x, y in g], len(T.FEATURES))
        for it in train:
            page = it["page"]
            cands = title_candidates(page)
            if it["fold"] != inner or not it["title"] or not cands:
                continue
            gold = norm_title(it["title"])
            top, sc = topk(cands, list(T.title_scores(tw, (np.array([page.vectors[i] for i in cands]) - mu) / sd)))
            y = np.array([norm_title(page.units[i]) == gold for i in top], float)
            if y.any() and len(top) > 1:
                groups.append((rr_vectors(page, top, sc), y))
    return groups


def main() -> int:
    items = pickle.loads(Path(sys.argv[1]).read_bytes())
    right = {"first": 0, "second": 0}
    n = 0
    for fold in range(T.FOLDS):
        train = [it for it in items if it["fold"] != fold]
        model = T.as_model(T.fit(train))
        w, mean, scl = fit_rr(out_of_fold_groups(train, fold))
        for it in items:
            page = it["page"]
            if it["fold"] != fold or not it["title"]:
                continue
            n += 1
            cands = title_candidates(page)
            if not cands:
                continue
            gold = norm_title(it["title"])
            sc = [model.title_score(page.vectors[i]) for i in cands]
            ranked = [cands[k] for k in sorted(range(len(cands)), key=lambda k: (-sc[k], cands[k]))]
            top, tsc = topk(cands, sc)
            rs = ((rr_vectors(page, top, tsc) - mean) / scl) @ w
            second = [top[k] for k in sorted(range(len(top)), key=lambda k: (-rs[k], k))] + ranked[len(top):]
            for name, order in (("first", ranked), ("second", second)):
                title = pick(page, model, order, cands)
                right[name] += bool(title) and norm_title(title) == gold
        print(fold, {k: round(v / n, 4) for k, v in right.items()}, n, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
