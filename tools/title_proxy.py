"""Experiment (not used by the reader): a title-only proxy of `train_text_model.py --cv`, paired.

    OPENBLAS_NUM_THREADS=1 PYTHONPATH=$PWD .venv/bin/python tools/title_proxy.py ITEMS.pkl [VARIANT ...]

ITEMS.pkl is what `tools/train_text_model.py FILE --cv --cache ITEMS.pkl` keeps. For each of the five
site folds the title model is fitted as train_text_model fits it (the network's TRAIN_ENSEMBLE seeded
fits and TRAIN_TREES boosted trees, the same seeds) on the other folds' pages, with the features of
the model plus those of VARIANT (extra columns computed here, from the analysed page), and the title
is picked as read_page picks it (standfirst rule, body check with the shipped body model). Both
families' scores are kept apart, so the mix is read for several shares of the trees at no cost.
Prints title exact per variant and share, and the pages won and lost against `base` (the same folds
and seeds: the comparison is paired). A proxy: standardised over the title rows only and the body
check with the shipped model; confirm a winner with `train_text_model.py --cv`. With the shipped
settings `base` is right on 235 of the 345 tune title pages at share 0.5, the count `--cv` gives
(title exact 0.681): the proxy reads titles as --cv does, at about 165 CPU-s a variant.

Results (title32, 2026-12-07, 345 tune title pages, pages right at tree share 0.3 / 0.4 / 0.5 / 0.6,
won/lost against base at 0.5 in brackets for 0.5):
- base: 229 / 232 / 235 / 235 (so the shipped half-half mix is not beaten by another share); with
  TRAIN_ENSEMBLE=40 230 / 230 / 235 (+0/-0) / 235.
- lead (the share of the line's words in the first prose unit within 12 below, and that unit's
  distance): 230 / 230 / 228 (+5/-12) / 226.
- list (units within 3 either side that are short lines within a third of its length, the length of
  the run of short lines it stands in): 229 / 230 / 232 (+4/-7) / 228.
- copies (a copy of the line above it, a copy below it): 228 / 228 / 228 (+2/-9) / 229.
- chromenear (chrome units in the 3 above, in the 3 below, a dateline within 6 below):
  231 / 228 / 228 (+4/-11) / 231.
- ui (share of interface words, UI_WORDS, and commas per word): 229 / 231 / 228 (+3/-10) / 228.
- oneword (one-word lines of 4+ characters, not chrome, as candidates too; 7 tune golds are such a
  line): 232 / 233 / 233 (+7/-9) / 234, at 275 CPU-s (more candidates).
Round 34 (reader34, items of main 8131368; base 229 / 233 / 234 / 233):
- rank (for 7 features, RANKED, the candidate's place among its page's candidates and its distance to
  the page's highest value: a formulation within the page, against site-specific lengths and layouts):
  228 / 230 / 232 (+6/-8) / 233 (+9/-10), at 326 CPU-s. Lost, like the added columns above.
With PROXY_SCORES the base run kept each page's out-of-fold scores; pick rules read on them (no
refit): without `_headline_above` 235 (+0/-0: the model no longer needs it); the rule with other
thresholds (a pick of 10/13/16 words or more, a line above of 3/4/6 words or more, up to 0/2/3
datelines, bylines or chrome skipped between) 208-235, never above 235; cutting the headline at a
separator when one side is printed alone elsewhere on the page 230 (+0/-5); the two families mixed
otherwise than by their raw sum (softmax probabilities, log-probabilities, scores standardised per
page; shares 0.3-0.7) 229-237, the best (per-page z at 0.6, +3/-1) one of 15 tries and within noise.
Round 35 (reader35, items of main fc49869; base 227 / 231 / 236 / 237, the 236 --cv gives):
- titleform (another unit that is the line plus a short tail or head at a separator, "Headline |
  Site", "Site - Headline", and units that merely start with it): 229 / 227 / 229 (+1/-8) / 230, at
  230 CPU-s. Lost: piece_of_other and contained already read most of it.
"""
from __future__ import annotations

import math
import os
import pickle
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import title_trees  # noqa: E402
import title_network  # noqa: E402
import train_text_model as T  # noqa: E402

from generator.evaluation.scrapes import norm_title  # noqa: E402
from generator.readers.text import TITLE_TRIES, Page, _body_under, _headline_above, _headline_text, title_candidates  # noqa: E402
from generator.readers.text_model import _WORD, FEATURES, is_prose, load_model, stopwords, word_count  # noqa: E402

SHARES = (0.3, 0.4, 0.5, 0.6)


def _content(text: str) -> list[str]:
    stops = stopwords()
    return [t for t in _WORD.findall(text.casefold()) if len(t) >= 3 and t not in stops]


def extra(page: Page, cands: list[int], variant: str) -> np.ndarray:
    """Extra columns of the candidates for one variant."""
    units = page.units
    n = len(units)
    cols = []
    if variant in ("lead", "all"):
        # the share of the line's words in the first prose unit below it (within 12 units), and that
        # unit's distance: a headline's words come back in the lead paragraph under it
        prose = [is_prose(u) for u in units]
        for i in cands:
            j = next((k for k in range(i + 1, min(n, i + 13)) if prose[k]), None)
            words = _content(units[i])
            if j is None or not words:
                cols.append([0.0, -1.0])
                continue
            lead = set(_content(units[j]))
            cols.append([sum(w in lead for w in words) / len(words), math.log1p(j - i - 1)])
    elif variant in ("list",):
        # a line in a list of lines of like length (related links): how many of the 3 units either
        # side are short non-chrome lines within a third of its length in characters
        short = [not page.chrome[k] and 3 <= word_count(units[k]) <= 40 and not is_prose(units[k]) for k in range(n)]
        for i in cands:
            li = math.log1p(len(units[i]))
            like = sum(1 for k in range(max(0, i - 3), min(n, i + 4))
                       if k != i and short[k] and abs(math.log1p(len(units[k])) - li) <= 0.35)
            run = 0
            k = i + 1
            while k < n and short[k] and run < 20:
                run += 1
                k += 1
            k = i - 1
            while k >= 0 and short[k] and run < 40:
                run += 1
                k -= 1
            cols.append([math.log1p(like), math.log1p(run)])
    elif variant == "copies":
        # copies of the line above and below it (casefolded), not only their number
        keys = [u.casefold() for u in units]
        where: dict[str, list[int]] = {}
        for k, key in enumerate(keys):
            where.setdefault(key, []).append(k)
        for i in cands:
            at = where[keys[i]]
            cols.append([float(any(k < i for k in at)), float(any(k > i for k in at))])
    elif variant == "chromenear":
        # chrome units within 3 either side (menus above a headline, share bars under it), and dated or
        # byline units within 6 below it
        for i in cands:
            lo, hi = max(0, i - 3), min(n, i + 4)
            above = sum(page.chrome[lo:i])
            below = sum(page.chrome[i + 1:hi])
            dated = any(page.datelines[k][0] for k in range(i + 1, min(n, i + 7)))
            cols.append([float(above), float(below), float(dated)])
    elif variant == "ui":
        # the share of its words that are interface words (search, login, cookies, reply...)
        for i in cands:
            toks = _WORD.findall(units[i].casefold())
            cols.append([sum(t in UI_WORDS for t in toks) / max(1, len(toks)),
                         units[i].count(",") / max(1, len(toks))])
    elif variant == "titleform":
        # the page's <title>-like lines: another unit that is this line plus a short tail or head at a
        # separator ("Headline | Site", "Site - Headline"), and other units that merely start with it
        # (a teaser's headline with its standfirst run on)
        keys = [u.casefold().strip() for u in units]
        for i in cands:
            key = keys[i]
            framed = started = 0
            for k, other in enumerate(keys):
                if k == i or len(other) <= len(key) or key not in other:
                    continue
                rest = other.replace(key, "", 1).strip()
                if _FRAME.fullmatch(rest) and word_count(rest) <= FRAME_WORDS + 1:
                    framed += 1
                elif other.startswith(key):
                    started += 1
            cols.append([math.log1p(framed), math.log1p(started)])
    elif variant == "rank":
        # each RANKED feature's place among the page's candidates (0: the highest, 1: the lowest) and its
        # distance to the page's highest value: a headline is the longest / most echoed line of *its* page,
        # whatever the site's lengths and layout
        x = np.array([page.vectors[i] for i in cands], dtype=float)
        k = len(cands)
        for name in RANKED:
            v = x[:, FEATURES.index(name)]
            order = (-v).argsort(kind="stable").argsort(kind="stable")
            cols.append(order / max(1, k - 1))
            cols.append(v.max() - v)
        return np.array(cols, dtype=float).T.reshape(len(cands), -1)
    return np.array(cols, dtype=float).reshape(len(cands), -1)


_FRAME = re.compile(r"[|\u2013\u2014:\u00b7-]\s*[^|]+|[^|]+\s*[|\u2013\u2014:\u00b7-]")  # "| Site", "Site –"
FRAME_WORDS = 5  # a site's name beside a headline in a <title>-like line: a few words


RANKED = ("log_chars", "overlap_next", "main_overlap", "cap_ratio", "stop_density", "window_prose", "title_case")


UI_WORDS = frozenset("""search suche recherche buscar login log logout sign register registrieren anmelden abmelden
einloggen password passwort cookie cookies javascript browser newsletter subscribe abonnieren abonnement share
teilen partager tweet reply antwort antworten comment comments kommentar kommentare kommentieren commentaires
menu menü navigation skip accept akzeptieren datenschutz privacy impressum imprint contact kontakt download
print drucken email mail facebook twitter instagram whatsapp pinterest linkedin youtube follow folgen
account konto warenkorb cart checkout""".split())


def prepare(items: list[dict], variant: str) -> list[tuple]:
    out = []
    for it in items:
        page = it["page"]
        cands = title_candidates(page)
        if variant == "oneword":  # one-word lines too ("Batteriespeicher", "Hope!"), when not chrome
            cands = sorted(set(cands) | {i for i, u in enumerate(page.units[:1000])
                                         if not page.chrome[i] and word_count(u) == 1 and len(u) >= 4})
        x = np.array([page.vectors[i] for i in cands]) if cands else np.zeros((0, len(FEATURES)))
        if variant not in ("base", "oneword") and cands:
            x = np.hstack([x, extra(page, cands, variant)])
        gold = norm_title(it["title"])
        y = np.array([norm_title(page.units[i]) == gold for i in cands], float)
        out.append((page, cands, x, y, it["fold"], gold, it.get("site", "")))
    return out


def pick(page: Page, cands: list[int], score: np.ndarray, shipped, seen: dict) -> str | None:
    """The title read_page takes from these scores; `seen` remembers the body check per unit."""
    ranked = [_headline_above(page, cands[k], set(cands)) for k in sorted(range(len(cands)), key=lambda k: (-score[k], cands[k]))]
    for at in ranked[:TITLE_TRIES]:
        if at not in seen:
            seen[at] = any(b.kind == "p" for b in _body_under(page, at, shipped)[1])
        if seen[at]:
            return _headline_text(page.units[at])
    return None


def run(prep: list[tuple], shipped, scores: list | None = None) -> dict[float, list[bool]]:
    """Per share of the trees, each page's title right or not (pages in `prep` order); `scores`, when
    given, gets each page's (network, trees) candidate scores from the model that did not see it."""
    dim = next(p[2].shape[1] for p in prep if p[1])
    right: dict[float, list[bool]] = {s: [False] * len(prep) for s in SHARES}
    for fold in range(T.FOLDS):
        train = [p for p in prep if p[4] != fold and p[3].any()]
        mu, sd = T.standardiser(np.vstack([p[2] for p in train]))
        net = T.fit_title([((p[2] - mu) / sd, p[3], p[6]) for p in train], dim)
        skip = np.array([k == 0 for k in range(dim)])
        trees = title_trees.fit_trees([(p[2], p[3]) for p in train], T.TREES, T.SEED, skip)
        for k, (page, cands, x, _, f, gold, _) in enumerate(prep):
            if f != fold or not cands:
                continue
            a = T.title_scores(net, (x - mu) / sd)
            b = title_trees.tree_scores(trees, x)
            if scores is not None:
                scores[k] = (a, b)
            seen: dict[int, bool] = {}
            for s in SHARES:
                title = pick(page, cands, (1 - s) * a + s * b, shipped, seen)
                right[s][k] = bool(title) and norm_title(title) == gold
    return right


def main() -> int:
    items = [it for it in pickle.loads(Path(sys.argv[1]).read_bytes()) if it["title"]]
    variants = sys.argv[2:] or ["base"]
    shipped = load_model()
    results = {}
    if os.environ.get("PROXY_BASE"):  # base's results from an earlier run's PROXY_DUMP (same items, settings)
        results["base"] = pickle.loads(Path(os.environ["PROXY_BASE"]).read_bytes())["base"]
    for variant in [v for v in variants if v not in results]:
        t0 = time.process_time()
        scores: list = [None] * len(items)
        results[variant] = run(prepare(items, variant), shipped, scores)
        if os.environ.get("PROXY_SCORES"):  # the out-of-fold scores, to try pick rules without refitting
            Path(os.environ["PROXY_SCORES"]).write_bytes(pickle.dumps(scores))
        base = results.get("base", results[variant])[0.5]
        line = " ".join(f"{s}: {sum(r)}" + (f" (+{sum(a and not b for a, b in zip(r, base))}/-{sum(b and not a for a, b in zip(r, base))})"
                                            if variant != "base" or s != 0.5 else "")
                        for s, r in results[variant].items())
        print(f"{variant}: of {len(items)} pages, right at tree share {line}; ensemble {title_network.ENSEMBLE}, "
              f"trees {T.TREES}, cpu {time.process_time() - t0:.0f}s", flush=True)
        if os.environ.get("PROXY_DUMP"):
            Path(os.environ["PROXY_DUMP"]).write_bytes(pickle.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
