"""Experiment (not used by the reader): title features of a candidate *against its neighbours*, added to
the title model's own, compared page for page with the model alone in cross-validation by site.

    OPENBLAS_NUM_THREADS=1 TRAIN_ENSEMBLE=3 PYTHONPATH=$PWD .venv/bin/python tools/contrast_experiment.py ITEMS.pkl VARIANT

ITEMS.pkl is what `tools/train_text_model.py FILE --cv --cache ITEMS.pkl` keeps; VARIANT is `base` (the
model's own features), `contrast` (the 16 below), `neighbours` (the first 9), `block` (the last 7) or
`window` (17 of the model's own features minus those of the line above and of the line below). Each
fold's title model is fitted as train_text_model fits it (listwise softmax over the page's candidates,
linear + tanh hidden layer, TRAIN_ENSEMBLE seeded fits averaged) on the other folds' sites; the title
is picked as read_page picks it (standfirst rule, body check with the shipped body model). It is a
proxy, not --cv: features are standardised over the title candidates only (train_text_model also counts
the body rows) and the body check uses the shipped model; `base` with the default 20 fits gives 0.6435
where --cv gives 0.655, and a gain here (600 steps with 3 fits: 0.6435 -> 0.6609) may not carry over
(--cv: 0.655 -> 0.646). Confirm a winner with `train_text_model.py --cv`.

Why: the common failure is the line next to the headline (standfirst, caption, kicker, tagline), so
features saying how a line differs from the lines around it should tell the headline from them.
Result (TRAIN_ENSEMBLE=3, 300 steps, 345 tune title pages, 5 site folds, 2026-12-06), title exact:
base 0.6435 (222), contrast 0.6261 (216; with TRAIN_L2=0.1 0.6000), neighbours 0.6174 (213), block 0.6203
(214), window 0.6145 (212): every variant loses, in most folds. So: dropped. Fitted on all tune pages with the
16 features (20 fits, 300 steps) it is right on 0.945 of its own pages: what it adds is fitted to the sites
it saw.

Set OPENBLAS_NUM_THREADS=1 on a shared machine: the `base` run took 701 CPU-s with two BLAS threads
(load 10 on 2 cores), 34 CPU-s with one.
"""
from __future__ import annotations

import math
import pickle
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import title_network  # noqa: E402
import train_text_model as T  # noqa: E402

from generator.evaluation.scrapes import norm_title  # noqa: E402
from generator.readers.text import TITLE_TRIES, Page, _body_under, _headline_above, title_candidates  # noqa: E402
from generator.readers.text_model import (  # noqa: E402
    _SENTENCE_END, _WORD, FEATURES, is_prose, load_model, main_run, stopwords, word_count)

BLOCK_UNITS = 30  # in a longer block (a page without blank lines) every unit counts as its shortest
WINDOW = ("log_chars", "log_words", "ends_stop", "cap_ratio", "stop_density", "prose", "title_case", "chrome",
          "blank_before", "blank_after", "overlap_next", "digit_ratio", "punct_ratio", "has_date", "byline_start",
          "repeats", "contained")


def contrast(page: Page, cands: list[int]) -> np.ndarray:
    """Per candidate: stopword density and capitals against the nearest non-chrome lines above and
    below, the line below longer and ending a sentence, the line above shorter and open, content words
    shared with those lines and with the first paragraph of the main run; shortest of its block, block
    size, first of its block; length against the three candidates either side, the longest of them,
    the next/previous candidate adjacent and standfirst-/kicker-shaped."""
    units, blocks, chrome, n = page.units, page.blocks, page.chrome, len(page.units)
    stops = stopwords()
    st = []
    for u in units:
        toks = _WORD.findall(u.casefold())
        nw = max(1, word_count(u))
        st.append((math.log1p(len(u)), sum(t in stops for t in toks) / max(1, len(toks)),
                   sum(t[:1].isupper() for t in u.split()) / nw, bool(_SENTENCE_END.search(u[-12:])),
                   math.log1p(word_count(u)), frozenset(t for t in toks if len(t) >= 3 and t not in stops)))
    lo_of: dict[int, int] = {}
    hi_of: dict[int, int] = {}
    for i, b in enumerate(blocks):
        lo_of.setdefault(b, i)
        hi_of[b] = i
    start, end = main_run(units)
    first = next((j for j in range(start, min(n, end + 1)) if is_prose(units[j])), None)
    lead = st[first][5] if first is not None else frozenset()

    def shared(a: frozenset, b: frozenset) -> float:
        return len(a & b) / len(a) if a else 0.0

    rows = []
    for k, i in enumerate(cands):
        p = i - 1
        while p >= 0 and chrome[p]:
            p -= 1
        q = i + 1
        while q < n and chrome[q]:
            q += 1
        s, sp, sq = st[i], st[p] if p >= 0 else None, st[q] if q < n else None
        b = blocks[i]
        size = hi_of[b] - lo_of[b] + 1
        own = [st[j][0] for j in range(lo_of[b], hi_of[b] + 1)] if size <= BLOCK_UNITS else [s[0]]
        local = [st[cands[j]][0] for j in range(max(0, k - 3), min(len(cands), k + 4))]
        nc = cands[k + 1] if k + 1 < len(cands) else None
        pc = cands[k - 1] if k else None
        rows.append([
            s[1] - (sq[1] if sq else 0.0), s[1] - (sp[1] if sp else 0.0),
            s[2] - (sq[2] if sq else 0.0), s[2] - (sp[2] if sp else 0.0),
            float(bool(sq) and sq[4] > s[4] and sq[3]),
            float(bool(sp) and sp[4] < s[4] and not sp[3] and sp[4] >= math.log1p(4)),
            shared(s[5], sq[5]) if sq else 0.0, shared(s[5], sp[5]) if sp else 0.0, shared(s[5], lead),
            float(s[0] <= min(own)), math.log1p(size), float(i == lo_of[b]),
            (s[0] - float(np.mean(local))) / (float(np.std(local)) + 0.5), float(s[0] >= max(local)),
            float(nc == i + 1 and st[nc][3] and st[nc][4] > s[4]),
            float(pc is not None and pc == i - 1 and not st[pc][3] and st[pc][4] < s[4]),
        ])
    return np.array(rows, dtype=float)


def window(page: Page, cands: list[int]) -> np.ndarray:
    """WINDOW features of the candidate minus those of the unit above, then minus those of the unit below."""
    idx = [FEATURES.index(f) for f in WINDOW]
    v, n = page.vectors, len(page.vectors)
    rows = []
    for i in cands:
        me = [v[i][j] for j in idx]
        above = [v[i - 1][j] for j in idx] if i else [0.0] * len(idx)
        below = [v[i + 1][j] for j in idx] if i + 1 < n else [0.0] * len(idx)
        rows.append([a - b for a, b in zip(me, above)] + [a - b for a, b in zip(me, below)])
    return np.array(rows, dtype=float)


def extra(page: Page, cands: list[int], variant: str) -> np.ndarray:
    if variant == "window":
        return window(page, cands)
    rows = contrast(page, cands)
    return {"contrast": rows, "neighbours": rows[:, :9], "block": rows[:, 9:]}[variant]


def main() -> int:
    items = [it for it in pickle.loads(Path(sys.argv[1]).read_bytes()) if it["title"]]
    variant = sys.argv[2] if len(sys.argv) > 2 else "base"
    shipped = load_model()
    prep = []
    for it in items:
        page = it["page"]
        cands = title_candidates(page)
        x = np.array([page.vectors[i] for i in cands]) if cands else np.zeros((0, len(FEATURES)))
        if variant != "base" and cands:
            x = np.hstack([x, extra(page, cands, variant)])
        gold = norm_title(it["title"])
        prep.append((page, cands, x, np.array([norm_title(page.units[i]) == gold for i in cands], float),
                     it["fold"], gold, it.get("site", "")))
    dim = next(p[2].shape[1] for p in prep if p[1])
    right, per_fold, t0 = 0, [], time.process_time()
    for fold in range(T.FOLDS):
        train = [p for p in prep if p[4] != fold and p[3].any()]
        mu, sd = T.standardiser(np.vstack([p[2] for p in train]))
        tw = T.fit_title([((p[2] - mu) / sd, p[3], p[6]) for p in train], dim)
        hits = total = 0
        for page, cands, x, _, f, gold, _ in prep:
            if f != fold:
                continue
            total += 1
            if not cands:
                continue
            sc = T.title_scores(tw, (x - mu) / sd)
            ranked = [_headline_above(page, cands[k], set(cands))
                      for k in sorted(range(len(cands)), key=lambda k: (-sc[k], cands[k]))]
            for at in ranked[:TITLE_TRIES]:
                if any(b.kind == "p" for b in _body_under(page, at, shipped)[1]):
                    hits += norm_title(page.units[at]) == gold
                    break
        right += hits
        per_fold.append(round(hits / max(1, total), 3))
    print(f"{variant}: title {right / len(prep):.4f} ({right}/{len(prep)}) folds {per_fold} "
          f"ensemble {title_network.ENSEMBLE} L2 {title_network.L2} cpu {time.process_time() - t0:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
