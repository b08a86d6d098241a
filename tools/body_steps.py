"""The text reader's body figures in cross-validation by site, re-reading the tune pages with fold models
fitted once: for changes to the body's assembly (generator/readers/text.py), which do not touch the
model's features or labels.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python tools/body_steps.py ../shared/eval/scrapes_real.jsonl.gz \
        --models /tmp/NEW_folds.pkl [--cache /tmp/NEW_pages.pkl] [--failures F]

`--models PATH`: the five fold models of `tools/train_text_model.py --cv`, fitted and kept there when PATH
does not exist, read from it when it does (PATH must be a new file of your own); `--cache PATH` the same
for the analysed pages. Prints the figures `--cv` prints (the same, since the fold models are the same).
`--refit-body` fits the kept fold models' body parts again with today's code (the first pass and the
second, tools/body_stack.py), their title parts kept: for changes to the body model, 30 CPU-s a run.
`--failures` writes one JSON line per tune page with a gold body: its F1, and the units of the page that
are inside the gold body but left out by the reader (with their index, the headline's and the body's span).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_text_model as T  # noqa: E402

from generator.evaluation.extract import body_scores, norm_ws, shingle_counts  # noqa: E402


def _kept(page: object, title: str | None, body: str) -> dict:
    """Where the page's gold-body units stand against what the reader kept."""
    ours = norm_ws(body)
    title_at = next((i for i, u in enumerate(page.units) if title and u.strip() == title.strip()), None)
    kept = [i for i, u in enumerate(page.units) if norm_ws(u) and norm_ws(u) in ours]
    return {"title_at": title_at, "kept_from": min(kept, default=None), "kept_to": max(kept, default=None)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--models", type=Path, required=True, help="the five fold models: fitted and written here if absent")
    ap.add_argument("--cache", type=Path, default=None, help="the analysed tune pages: written here if absent")
    ap.add_argument("--failures", type=Path, default=None)
    ap.add_argument("--refit-body", action="store_true",
                    help="fit the fold models' body parts again with today's code (for changes to the body model)")
    args = ap.parse_args()
    items = T.cached_pages(args.file, args.cache)
    models = T.kept_fold_models(items, args.models, args.refit_body)
    preds = [{"ours": T.predict(it, models[it["fold"]]), "naive": T.naive(it["text"])} for it in items]
    result = T.score(items, preds)
    print(f"{T.summary(result)}  (P {result['ours']['body']['precision']:.4f}, R {result['ours']['body']['recall']:.4f})")
    if args.failures:
        with open(args.failures, "w", encoding="utf-8") as f:
            for it, p in zip(items, preds):
                if not it["body"]:
                    continue
                o = p["ours"]
                page = it["page"]
                gold = norm_ws(it["body"])
                missed = [(i, u) for i, u in enumerate(page.units)
                          if norm_ws(u) and norm_ws(u) in gold and norm_ws(u) not in norm_ws(o["body"])]
                row = {"id": it["id"], "site": it["site"], **body_scores([shingle_counts(it["body"], o["body"])]),
                       "title": o["title"], **_kept(page, o["title"], o["body"]), "missed": missed}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
