"""Which step of the text reader's date rules gave each tune page's date, in cross-validation by site.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python tools/date_steps.py ../shared/eval/scrapes_real.jsonl.gz \
        --models /tmp/folds.pkl [--cache /tmp/pages.pkl] [--failures F]

The date rules (generator/readers/text_dates.py) do not change the title model's features, so the five
fold models of `tools/train_text_model.py --cv` can be fitted once (with `--models PATH`: fitted and kept
there when PATH does not exist, read from it when it does; PATH must be a new file of your own) and every
tune page re-read by the date rules being changed: the same figures as the re-fitting `--cv` in seconds,
not minutes. Printed: date right, given and wrong, and right/wrong per step (`near`: the dateline near the
headline; `first_published`: the first date labelled "Published" on the page; `lone`: the one dateline
further down; `copy`: under another copy of the headline; `body`: above the first paragraph), and the
`near` step's by where its dateline stands against the headline.
`--failures` writes one JSON line per page with a gold date: gold, ours, step, title and gold title.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_text_model as T  # noqa: E402

from generator.evaluation.extract import gold_day  # noqa: E402
from generator.readers import text, text_dates  # noqa: E402


def _traced(steps: list[str]) -> None:
    """Wrap the fallback steps so the first one that answers names itself in `steps`."""
    def wrap(module: object, name: str, label: str) -> None:
        inner = getattr(module, name)

        def traced(*args: object) -> object:
            found = inner(*args)
            if found and (not steps or label == "body"):
                steps[:] = [label]  # body_date runs when page_date gave nothing: its own inner steps are its
            return found
        setattr(module, name, traced)
    wrap(text_dates, "_copy_date", "copy")
    wrap(text_dates, "_lone_dateline", "lone")
    wrap(text, "body_date", "body")
    inner_choice = text_dates._date_choice

    def choice(page: object, title_at: int, *args: object, **kwargs: object) -> object:
        found = inner_choice(page, title_at, *args, **kwargs)
        if found and not steps and not args and not kwargs:
            # distance 0 with no date on the headline's own line: the page's first "Published" date
            steps.append("first_published" if found[2] == 0.0 and not text_dates._dates_of(page, title_at) else "near")
            steps.append(found[2])  # the dateline's distance from the headline (+0.5 above it)
        return found
    text_dates._date_choice = choice


def _band(distance: float) -> str:
    """The "near" step's dateline by where it stands: on the headline's line, above it, 1-2 / 3-5 / 6+ below."""
    if distance == 0:
        return "on the line"
    if distance % 1:
        return f"above {int(distance)}" if distance < 3 else "above 3+"
    return "below 1-2" if distance <= 2 else "below 3-5" if distance <= 5 else "below 6+"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--models", type=Path, required=True, help="the five fold models: fitted and written here if absent")
    ap.add_argument("--cache", type=Path, default=None, help="the analysed tune pages: written here if absent")
    ap.add_argument("--failures", type=Path, default=None)
    args = ap.parse_args()
    items = T.cached_pages(args.file, args.cache)
    models = T.kept_fold_models(items, args.models)
    steps: list[str] = []
    _traced(steps)
    tally: collections.Counter = collections.Counter()
    near: collections.Counter = collections.Counter()  # (distance band, right) of the "near" step
    rows = []
    for it in items:
        gold = gold_day(it["date"])
        if not gold:
            continue
        steps.clear()
        ours = T.predict(it, models[it["fold"]])
        step = steps[0] if ours["date"] and steps else None
        if step == "near":
            near[(_band(steps[1]), ours["date"] == gold)] += 1
        tally[(step, ours["date"] == gold) if ours["date"] else ("undated", None)] += 1
        rows.append({"site": it["site"], "gold": gold, "ours": ours["date"], "step": step,
                     "title": ours["title"], "gold_title": it["title"]})
    given = sum(n for (s, _), n in tally.items() if s != "undated")
    right = sum(n for (_, ok), n in tally.items() if ok)
    print(f"date right {right / len(rows):.3f} ({right} of {len(rows)}), given {given}, "
          f"wrong {given - right} ({100 * (given - right) / max(1, given):.1f} % of given)")
    for step in ("near", "first_published", "lone", "copy", "body"):
        print(f"  {step:16} right {tally[(step, True)]:4}  wrong {tally[(step, False)]:3}")
    for band in sorted({b for b, _ in near}):
        print(f"  near {band:11} right {near[(band, True)]:4}  wrong {near[(band, False)]:3}")
    if args.failures:
        args.failures.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
