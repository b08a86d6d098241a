"""`archive eval scrapes FILE`: the scraped-text reader against gold page dumps, beside a naive baseline.

FILE is ../shared/eval/scrapes_real.jsonl.gz (gzip JSON Lines; `text` is what a browser gives for a
real news page, with menus and footers; gold `title`, `date`, `body`, null where unknown). Each `text`
is written to a `.txt` file with no sidecar and read by the real pipeline (`reading._read_items`:
reader choice, reader, bounds, enrichment) in a worker process that is killed at the time limit.

Printed as JSON, for "ours" and the naive baseline (title = first line of three or more words,
body = all the text):
- `title_exact`: title equal to the gold one after whitespace and quote normalisation;
- `date_right` over pages with a gold date, `date_given` (share of those pages given any date) and
  `date_wrong_of_given` (share of the given dates that are wrong);
- `body`: 4-word-shingle precision/recall per page, averaged, and F1 of the two means (the same metric
  as `archive eval extract`);
- `rejected`, and the slowest input with its time.

`--part` picks pages by a hash of the URL's domain: `tune` (about 80 %, for fitting rules and models),
`holdout` (the rest: sites never seen while tuning), or `all`.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from .extract import body_scores, gold_day, load_records, norm_ws, shingle_counts

TIME_LIMIT = 30.0  # seconds per page; past it the page counts as rejected
HOLDOUT_SHARE = 20  # percent of domains kept out of tuning
PARTS = ("all", "tune", "holdout")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
                         "«": '"', "»": '"', "–": "-", "—": "-"})


def domain(url: str | None) -> str:
    host = (urlsplit(url or "").hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def part_of(record: dict) -> str:
    """'holdout' for about a fifth of the sites (by a stable hash of the domain), else 'tune'."""
    key = domain(record.get("url")) or str(record.get("id", ""))
    bucket = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "holdout" if bucket < HOLDOUT_SHARE else "tune"


def norm_title(text: str | None) -> str:
    return norm_ws((text or "").translate(_QUOTES)).casefold()


def naive(text: str) -> dict:
    """The baseline: the first line of three or more words is the title, all the text is the body."""
    title = next((ln.strip() for ln in text.splitlines() if len(ln.split()) >= 3), None)
    return {"title": title, "date": None, "body": text}


def _read(path: Path) -> Iterator[dict]:
    """Worker: read one .txt through the pipeline; yields the article's fields, then its time."""
    from ..model import Article
    from ..reading import _read_items

    start = time.monotonic()
    try:
        for item in _read_items(path, path.read_bytes()):
            if isinstance(item, Article):
                body = "\n\n".join(x for x in (item.summary, item.body_text) if x)
                yield {"title": item.title, "date": item.date.isoformat() if item.date else None, "body": body}
                break
    finally:
        yield {"seconds": time.monotonic() - start}


def predict_all(records: list[dict], jobs: int = 1, limit: float = TIME_LIMIT) -> list[dict]:
    """Our reader on every record, in worker processes killed at `limit` seconds."""
    from .. import readcache, reading

    reading._context()  # loaded once before the workers fork
    preds: list[dict] = [{} for _ in records]
    cache_was = readcache.ENABLED
    readcache.ENABLED = False  # every page is read, none answered from an earlier run
    try:
        _read_pages(records, preds, jobs, limit)
    finally:
        readcache.ENABLED = cache_was
    return preds


def _read_pages(records: list[dict], preds: list[dict], jobs: int, limit: float) -> None:
    from ..readpool import ReadPool

    with tempfile.TemporaryDirectory(prefix="eval-scrapes-") as tmp:
        paths = []
        for i, r in enumerate(records):
            p = Path(tmp) / f"page{i:05d}.txt"
            p.write_text(r.get("text") or "", encoding="utf-8")
            paths.append(p)
        pool = ReadPool(_read, jobs, limit)
        nxt = done = 0
        try:
            while done < len(records):
                while nxt < len(records) and pool.has_room():
                    pool.submit(nxt, paths[nxt])
                    nxt += 1
                for task in pool.wait():
                    pred: dict = {"title": None, "date": None, "body": "", "seconds": limit}
                    for item in task.items:
                        pred.update(item)
                    if task.status == "timeout":
                        pred["error"] = f"timeout after {limit:g} s"
                    elif task.status != "done":
                        pred["error"] = f"reader died: {task.detail}"
                    elif task.error is not None:
                        pred["error"] = f"{type(task.error).__name__}: {task.error}"[:200]
                    elif "title" not in [k for it in task.items for k in it]:
                        pred["error"] = "no article"
                    preds[task.key] = pred
                    done += 1
        finally:
            pool.close()


def score(records: list[dict], preds: list[dict]) -> dict:
    pairs = list(zip(records, preds))
    titled = [(r, p) for r, p in pairs if r.get("title")]
    dated = [(r, p) for r, p in pairs if gold_day(r.get("date"))]
    bodied = [(r, p) for r, p in pairs if r.get("body")]
    out: dict = {"pages": len(records), "gold": {"title": len(titled), "date": len(dated), "body": len(bodied)}}
    for name in ("ours", "naive"):
        s: dict = {}
        if titled:
            hits = sum(norm_title(p[name]["title"]) == norm_title(r["title"]) for r, p in titled)
            s["title_exact"] = round(hits / len(titled), 3)
        if dated and name == "ours":
            given = [(r, p) for r, p in dated if p[name]["date"]]
            right = sum(p[name]["date"] == gold_day(r["date"]) for r, p in given)
            s["date_right"] = round(right / len(dated), 3)
            s["date_given"] = round(len(given) / len(dated), 3)
            s["date_wrong_of_given"] = round((len(given) - right) / len(given), 3) if given else 0.0
        if bodied:
            s["body"] = body_scores([shingle_counts(r["body"], p[name]["body"]) for r, p in bodied])
        if name == "ours":
            errors = [p[name]["error"] for _, p in pairs if p[name].get("error")]
            s["rejected"] = len(errors)
            slow = max(range(len(pairs)), key=lambda i: preds[i][name].get("seconds", 0.0), default=None)
            if slow is not None:
                s["slowest"] = {"id": records[slow].get("id"), "seconds": round(preds[slow][name]["seconds"], 2)}
        out[name] = s
    return out


def run(path: Path, part: str = "all", limit: int | None = None, jobs: int = 1,
        predictions: Path | None = None) -> dict:
    records = [r for r in load_records(path, limit) if part == "all" or part_of(r) == part]
    start = time.monotonic()
    ours = predict_all(records, jobs)
    preds = [{"ours": o, "naive": naive(r.get("text") or "")} for r, o in zip(records, ours)]
    result = {"file": Path(path).name, "part": part, **score(records, preds),
              "seconds": round(time.monotonic() - start, 1)}
    if predictions:
        with open(predictions, "w", encoding="utf-8") as f:
            for r, p in zip(records, preds):
                o = p["ours"]
                row = {"id": r.get("id"), "url": r.get("url"), "part": part_of(r),
                       "gold": {"title": r.get("title"), "date": gold_day(r.get("date"))},
                       "ours": {"title": o["title"], "date": o["date"], "error": o.get("error"),
                                "seconds": round(o.get("seconds", 0.0), 3)},
                       "title_ok": bool(r.get("title")) and norm_title(o["title"]) == norm_title(r.get("title")),
                       "date_ok": o["date"] == gold_day(r.get("date")) if gold_day(r.get("date")) else None}
                if r.get("body"):
                    row["body_f1"] = body_scores([shingle_counts(r["body"], o["body"])])["f1"]
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return result


def main(args) -> int:
    path = Path(args.file)
    part = getattr(args, "part", None) or "all"
    if part not in PARTS:
        print(f"archive eval scrapes: --part must be one of {', '.join(PARTS)}", file=sys.stderr)
        return 2
    jobs = int(os.environ.get("ARCHIVE_EVAL_JOBS", "1"))
    result = run(path, part, getattr(args, "limit", None), jobs=jobs, predictions=getattr(args, "predictions", None))
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0

