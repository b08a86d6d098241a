"""Fit the scraped-text reader's line model (generator/data/text_model.json) on the tuning part of the
shared page dumps. Deterministic: full-batch gradient descent from zero weights, no sampling.

    .venv/bin/python tools/train_text_model.py ../shared/eval/scrapes_real.jsonl.gz
    .venv/bin/python tools/train_text_model.py ../shared/eval/scrapes_real.jsonl.gz --cv [--failures F]

`--cv` measures what matters, the reader on sites it never saw: the tune pages are split in five
folds by site (a hash of the domain, or of the id less its number for a page without a URL; set
TRAIN_FOLD_KEY=domain for the folds used before 2026-12-07), and each fold is read by the whole
reader (title, date, body) with a model fitted on the other four; it prints the figures `archive
eval scrapes` prints.

Uses NumPy (a core dependency); the reader itself reads the JSON file with the standard library.
The parts, one concern each: the tune pages and their labels (tools/text_pages.py), the headline's
network (tools/title_network.py) and boosted trees (tools/title_trees.py), the body's second pass
(tools/body_stack.py); this file fits them together, writes the model file and cross-validates.
Every variant tried, kept or dropped, with its figures: tools/text_model_rounds.md.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
from pathlib import Path

# one BLAS thread: on a shared machine a fit with two threads spent 20 times the CPU spinning (a
# title-only cross-validation: 701 against 34 CPU-s); the model file comes out the same bytes
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.evaluation.extract import body_scores, gold_day, shingle_counts  # noqa: E402
from generator.evaluation.scrapes import naive, norm_title, score  # noqa: E402
from generator.model import RejectedInput  # noqa: E402
from generator.readers.text import BODY_THRESHOLD, read_page, title_candidates, title_context  # noqa: E402
from generator.readers.text_model import CONTEXT, FEATURES, Model, body_probabilities, context  # noqa: E402

sys.path.insert(0, str(ROOT / "tools"))
import body_stack  # noqa: E402
import text_pages  # noqa: E402
import title_network  # noqa: E402
import title_trees  # noqa: E402
from text_pages import FOLDS, body_sites, cached_pages, examples, headline_of, title_pages  # noqa: E402
from title_network import SEED, fit_title, title_scores  # noqa: E402

BODY_SKIP = ("composite", "contained", "headlike_before")  # title-only features: with them the body model
# read the tune pages worse (body F1 0.8527 with them, 0.8586 without)
TREES = int(os.environ.get("TRAIN_TREES", "200"))  # rounds of boosted trees (tools/title_trees.py) in the title score (0: none)
USE_CONTEXT = os.environ.get("TRAIN_CONTEXT", "0") == "1"  # the trees also read the CONTEXT features
BODY_TREES = int(os.environ.get("TRAIN_BODY_TREES", "0"))  # rounds of boosted trees added to the body model
BODY_MIN_HESS = float(os.environ.get("TRAIN_BODY_MIN_HESS", "0.5"))  # a body leaf's summed hessian (a page's lines: 0.25 at most)
PSEUDO = float(os.environ.get("TRAIN_PSEUDO", "0"))  # self-training: softmax share a pseudo-labelled headline needs (0: off, the default: tools/text_model_rounds.md)
TREES_SHARE = float(os.environ.get("TRAIN_TREES_SHARE", "0.5"))  # the title score: this share of the trees'
# plus the rest of the network's (1: trees alone)


def fit_body(xs: list[np.ndarray], ys: list[np.ndarray], dim: int) -> np.ndarray:
    """Logistic regression, each page weighing the same whatever its number of lines."""
    return body_stack.logistic(xs, ys, np.array([f not in BODY_SKIP for f in FEATURES], dtype=float))


def _first_pass(xs: list[np.ndarray], ys: list[np.ndarray]) -> np.ndarray:
    return fit_body(xs, ys, len(FEATURES))


_OWN_USED = np.array([f not in BODY_SKIP and f != "bias" for f in FEATURES], dtype=float)  # TRAIN_STACK_OWN


def with_context(groups: list, items: list[dict], mean: np.ndarray, scale: np.ndarray, body_w: np.ndarray) -> list:
    """The title groups with each candidate's CONTEXT features appended, read with this body model."""
    body = Model(FEATURES, tuple(mean), tuple(scale), tuple(np.zeros(len(FEATURES))), (), (), tuple(body_w))
    out = []
    for (x, y, site), (page, cands) in zip(groups, title_pages(items)):
        extra = np.array(context(page.units, body_probabilities(body, page.vectors, page.chrome), cands, BODY_THRESHOLD))
        out.append((np.hstack([x, extra]), y, site))
    return out


def fit(items: list[dict]) -> dict:
    """The model file's content, fitted on `items` (and, with TRAIN_PSEUDO, refitted with the
    headlines the first fit is sure of on the pages without a gold title)."""
    raw = fit_once(items)
    if PSEUDO:
        extra = pseudo_labelled(items, as_model(raw))
        raw = fit_once(items + extra)
        raw["_fit"]["pseudo_pages"] = len(extra)
    return raw


def pseudo_labelled(items: list[dict], model: Model) -> list[dict]:
    """Title-only copies of the pages without a gold title whose headline `model` is sure of: the
    reader's pick, when it is the best-scored candidate with at least PSEUDO of the page's softmax."""
    out = []
    for item in items:
        if headline_of(item):
            continue
        page = item["page"]
        cands = title_candidates(page)
        if not cands:
            continue
        scores = np.array(model.title_scores([page.vectors[i] for i in cands], title_context(page, model, cands) if model.context else None))
        p = np.exp(scores - scores.max())
        p /= p.sum()
        best = int(np.argmax(p))
        if p[best] < PSEUDO:
            continue
        try:
            picked = read_page(page, model, "pseudo").title
        except RejectedInput:
            continue
        if picked == page.units[cands[best]]:
            out.append({**item, "title": picked, "body": None, "silver_body": None, "date": None})
    return out


def standardiser(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The columns' mean and spread over `rows` (a constant column keeps a spread of 1; the bias column
    stays a constant 1)."""
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale < 1e-9] = 1.0
    mean[0], scale[0] = 0.0, 1.0
    return mean, scale


def fit_once(items: list[dict]) -> dict:
    """The model file's content, fitted on `items`."""
    body_x, body_y, groups = examples(items)
    mean, scale = standardiser(np.vstack(body_x + [x for x, _, _ in groups]))
    dim = len(FEATURES)
    if TREES and TREES_SHARE >= 1:
        title_w = {"lin": np.zeros(dim), "w1": np.zeros((0, dim)), "b1": np.zeros(0), "w2": np.zeros(0)}
    else:
        title_w = fit_title([((x - mean) / scale, y, site) for x, y, site in groups], dim)
    trees: list = []
    body_w = fit_body([(x - mean) / scale for x in body_x], body_y, dim)
    stack = body_stack.fit_stack([(x - mean) / scale for x in body_x], body_y, body_sites(items), _first_pass,
                                 _OWN_USED) if body_stack.ENABLED else []
    body_trees: list = []
    if BODY_TREES:
        skip = np.array([f == "bias" or f in BODY_SKIP for f in FEATURES])
        body_trees = title_trees.fit_trees(list(zip(body_x, body_y)), BODY_TREES, SEED, skip,
                                           start=[((x - mean) / scale) @ body_w for x in body_x], min_hess=BODY_MIN_HESS)
    tree_groups = with_context(groups, items, mean, scale, body_w) if USE_CONTEXT else groups
    if TREES:
        names = FEATURES + (CONTEXT if USE_CONTEXT else ())
        skip = np.array([f in title_network.DROP or f == "bias" for f in names])
        trees = [(levels, [round(TREES_SHARE * v, 5) for v in leaves])
                 for levels, leaves in title_trees.fit_trees([(x, y) for x, y, _ in tree_groups], TREES, SEED, skip)]
        title_w = {k: v * (1 - TREES_SHARE) if k in ("lin", "w2") else v for k, v in title_w.items()}
    hits = sum(int(y[int(np.argmax(title_scores(title_w, (x[:, :dim] - mean) / scale)
                                   + title_trees.tree_scores(trees, x)))] > 0) for x, y, _ in tree_groups)
    return {"_comment": "Written by tools/train_text_model.py on the tune part of scrapes_real; do not edit.",
            "_fit": {"title_pages": len(groups), "title_right": hits, "body_pages": len(body_x)},
            "features": list(FEATURES),
            "mean": [round(float(v), 5) for v in mean], "scale": [round(float(v), 5) for v in scale],
            "title": [round(float(v), 4) for v in title_w["lin"]],
            "hidden": [[round(float(v), 4) for v in list(row) + [b]] for row, b in zip(title_w["w1"], title_w["b1"])],
            "out": [round(float(v), 4) for v in title_w["w2"]],
            "body": [round(float(v), 4) for v in body_w],
            **({"trees": [[[f for lv in levels for f, _ in lv], [t for lv in levels for _, t in lv], leaves]
                          for levels, leaves in trees]} if trees else {}),
            **({"context": list(CONTEXT)} if trees and USE_CONTEXT else {}),
            **({"body_trees": [[[f for lv in levels for f, _ in lv], [t for lv in levels for _, t in lv], leaves]
                               for levels, leaves in body_trees]} if body_trees else {}),
            **({"stack": stack} if stack else {})}


def as_model(raw: dict) -> Model:
    return Model(tuple(raw["features"]), tuple(raw["mean"]), tuple(raw["scale"]), tuple(raw["title"]),
                 tuple(tuple(r) for r in raw["hidden"]), tuple(raw["out"]), tuple(raw["body"]),
                 tuple((tuple(f), tuple(t), tuple(v)) for f, t, v in raw.get("trees", ())), tuple(raw.get("context", ())),
                 tuple((tuple(f), tuple(t), tuple(v)) for f, t, v in raw.get("body_trees", ())),
                 tuple(tuple(v) for v in raw.get("stack", ())))


def kept_fold_models(items: list[dict], path: Path, refit_body: bool = False) -> list[Model]:
    """The FOLDS cross-validation models, fitted and pickled to `path` when it does not exist, else read
    from it: the step tools (date_steps.py, body_steps.py) re-read the tune pages without refitting.
    `refit_body`: the body parts fitted again by today's code (the title part, the costly one, kept)."""
    if not path.exists():
        path.write_bytes(pickle.dumps([fit([it for it in items if it["fold"] != f]) for f in range(FOLDS)]))
    raws = pickle.loads(path.read_bytes())
    if refit_body:
        raws = [with_body(raw, [it for it in items if it["fold"] != f]) for f, raw in enumerate(raws)]
    return [as_model(raw) for raw in raws]


def with_body(raw: dict, items: list[dict]) -> dict:
    """`raw` with its body model (first pass and, with TRAIN_BODY_STACK, second pass) fitted on `items`
    again, on the features standardised as `raw` has them."""
    body_x, body_y, _ = examples(items)
    mean, scale = np.array(raw["mean"]), np.array(raw["scale"])
    xs = [(x - mean) / scale for x in body_x]
    out = {k: v for k, v in raw.items() if k != "stack"}
    out["body"] = [round(float(v), 4) for v in fit_body(xs, body_y, len(FEATURES))]
    if body_stack.ENABLED:
        out["stack"] = body_stack.fit_stack(xs, body_y, body_sites(items), _first_pass, _OWN_USED)
    return out


def predict(item: dict, model: Model) -> dict:
    """What the reader gives for one page with `model` (fields as in evaluation/scrapes.py)."""
    try:
        a = read_page(item["page"], model, "cv")
    except RejectedInput as exc:
        return {"title": None, "date": None, "body": "", "error": str(exc), "seconds": 0.0}
    body = "\n\n".join(x for x in (a.summary, a.body_text) if x)
    return {"title": a.title, "date": a.date.isoformat() if a.date else None, "body": body, "seconds": 0.0}


def cross_validate(items: list[dict], failures: Path | None = None) -> dict:
    """Each fold's pages read by a model fitted on the other folds' sites: the figures
    `archive eval scrapes` prints, for sites the model never saw."""
    preds: list[dict] = [{} for _ in items]
    for fold in range(FOLDS):
        model = as_model(fit([it for it in items if it["fold"] != fold]))
        for k, it in enumerate(items):
            if it["fold"] == fold:
                preds[k] = {"ours": predict(it, model), "naive": naive(it["text"])}
    result = score(items, preds)
    if failures:
        with open(failures, "w", encoding="utf-8") as f:
            for it, p in zip(items, preds):
                o = p["ours"]
                row = {"fold": it["fold"], "gold": {"title": it["title"], "date": gold_day(it["date"])},
                       "ours": {"title": o["title"], "date": o["date"], "error": o.get("error")},
                       "title_ok": norm_title(o["title"]) == norm_title(it["title"]) if it["title"] else None,
                       "date_ok": o["date"] == gold_day(it["date"]) if gold_day(it["date"]) else None}
                if it["body"]:
                    row["body_f1"] = body_scores([shingle_counts(it["body"], o["body"])])["f1"]
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return result


def summary(result: dict) -> str:
    o = result["ours"]
    return (f"title {o['title_exact']:.3f}  date right {o['date_right']:.3f} given {o['date_given']:.3f} "
            f"wrong {100 * o['date_wrong_of_given']:.1f} %  body F1 {o['body']['f1']:.4f}  rejected {o['rejected']}")


def settings() -> str:
    """The knobs a --cv figure was measured with (environment variables, see the modules' constants)."""
    n, p = title_network, text_pages
    return (f"{FOLDS} folds, hidden {n.HIDDEN}, L2 {n.L2}, steps {n.TITLE_STEPS}, fits {n.ENSEMBLE}, "
            f"silver {int(p.SILVER)}/{int(p.SILVER_BODY)}, pseudo {PSEUDO}, loose {p.LOOSE}, trees {TREES} share "
            f"{TREES_SHARE if TREES else 0}{' context' if USE_CONTEXT else ''}, body trees {BODY_TREES} (hessian "
            f"{BODY_MIN_HESS}), dropout {n.DROPOUT}, noise {n.NOISE}, bag {n.BAG or '-'}, drop {','.join(n.DROP) or '-'}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--cv", action="store_true",
                    help="only report the reader's figures in 5-fold cross-validation by site within the tune part")
    ap.add_argument("--failures", type=Path, default=None, help="with --cv: write each page's result here")
    ap.add_argument("--cache", type=Path, default=None,
                    help="keep the analysed pages here between runs (delete it when features or rules change)")
    ap.add_argument("--out", type=Path, default=ROOT / "generator" / "data" / "text_model.json")
    args = ap.parse_args()
    items = cached_pages(args.file, args.cache)
    if args.cv:
        result = cross_validate(items, args.failures)
        print(f"cross-validated by site ({settings()}): {summary(result)}")
        return 0
    model = fit(items)
    print(f"title pages {model['_fit']['title_pages']}, right on the training pages "
          f"{model['_fit']['title_right'] / model['_fit']['title_pages']:.3f}; "
          f"body pages {model['_fit']['body_pages']}; pseudo-labelled pages {model['_fit'].get('pseudo_pages', 0)}", file=sys.stderr)
    del model["_fit"]
    args.out.write_text(json.dumps(model) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
