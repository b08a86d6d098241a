"""`archive eval extract FILE`: our HTML reader against gold pages, side by side with plain
trafilatura and htmldate run in the same process on the same pages.

FILE is one of ../shared/eval/extraction_*.jsonl.gz (gzip JSON Lines; fields `html`, `url` and the
gold `body`, `title`, `date`, `with`/`without` where the set has them; null = no gold).

Metrics (printed as JSON, one block per system):
- body `precision`/`recall`/`f1`: the scrapinghub article-extraction-benchmark metric. Texts are
  tokenised into `\\w+` tokens, turned into multisets of 4-token shingles; per document TP/FP/FN are
  counted and normalised by their sum; precision is averaged over documents with TP+FP > 0,
  recall over documents with TP+FN > 0, and F1 is computed from the two means.
- `title_accuracy`: exact title after whitespace normalisation (pages flagged `synthetic` skipped).
- `date_accuracy`: exact day (YYYY-MM-DD) over the pages with a gold date.
- `snippets` (trafilatura set): each `with` snippet found in the body text (whitespace-normalised
  substring) is a TP, missing a FN; each `without` snippet found is a FP, absent a TN; summed over
  all documents (micro), as in trafilatura's own benchmark.

The baselines: trafilatura = `bare_extraction(html, url=url, with_metadata=True)` (otherwise the
library defaults; metadata switched on so that it reports a title and a date), htmldate =
`find_date(html, extensive_search=True, url=url)`.
"""
from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterable, Iterator

from . import gold_record

_TOKEN = re.compile(r"\w+", re.UNICODE)
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


# --------------------------------------------------------------------------- body metric


def tokens(text: str | None) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int = 4) -> Counter:
    """Multiset of n-token shingles; a text shorter than n tokens is one short shingle."""
    toks = tokens(text)
    grams = [tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1))]
    return Counter(g for g in grams if g)


def shingle_counts(gold: str | None, pred: str | None, n: int = 4) -> tuple[float, float, float]:
    """(TP, FP, FN) over shingles, normalised so that they sum to 1 (long documents weigh no more)."""
    g, p = shingles(gold, n), shingles(pred, n)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    if total:
        return tp / total, fp / total, fn / total
    return 0.0, 0.0, 0.0


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fn == 0:
        return 0.0
    return tp / (tp + fn)


def body_scores(counts: list[tuple[float, float, float]]) -> dict:
    """Per-document precision and recall averaged over documents; F1 from the two means."""
    ps = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    rs = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    exact = sum(1 for c in counts if c[1] == 0 and c[2] == 0) / len(counts) if counts else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "accuracy": round(exact, 4),
            "documents": len(counts)}


# --------------------------------------------------------------------------- other metrics


def norm_ws(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def gold_day(value) -> str | None:
    if not value or not isinstance(value, str):
        return None
    m = _ISO_DAY.search(value)
    return "-".join(m.groups()) if m else None


def snippet_counts(text: str | None, with_: Iterable[str], without: Iterable[str]) -> Counter:
    body = norm_ws(text)
    c = Counter()
    for s in with_ or []:
        c["tp" if norm_ws(s) in body else "fn"] += 1
    for s in without or []:
        c["fp" if norm_ws(s) in body else "tn"] += 1
    return c


def snippet_scores(c: Counter) -> dict:
    tp, fp, fn, tn = c["tp"], c["fp"], c["fn"], c["tn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    total = tp + fp + fn + tn
    return {"precision": round(p, 4), "recall": round(r, 4),
            "accuracy": round((tp + tn) / total, 4) if total else 0.0,
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "with": tp + fn, "without": fp + tn}


# --------------------------------------------------------------------------- running the systems


def load_records(path: Path, limit: int | None = None) -> Iterator[dict]:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                break
            if line.strip():
                yield gold_record(line, i + 1)


def predict(record: dict) -> dict:
    """Our reader, trafilatura and htmldate on one page: {system: {body, title, date}}."""
    from htmldate import find_date
    from trafilatura import bare_extraction

    from ..readers.html import extract_page

    html, url = record.get("html") or "", record.get("url")
    out: dict[str, dict] = {}
    try:
        a = extract_page(html, record.get("id", "page"), url=url)
        out["ours"] = {"body": a.body_text, "title": a.title, "date": a.date.isoformat() if a.date else None}
    except Exception as exc:  # a page we cannot read scores as empty, it does not stop the run
        out["ours"] = {"body": "", "title": None, "date": None, "error": f"{type(exc).__name__}: {exc}"[:200]}
    try:
        d = bare_extraction(html, url=url, with_metadata=True)
        out["trafilatura"] = {"body": (d.text if d else "") or "", "title": d.title if d else None,
                              "date": gold_day(d.date) if d and d.date else None}
    except Exception as exc:
        out["trafilatura"] = {"body": "", "title": None, "date": None, "error": f"{type(exc).__name__}"}
    try:
        out["htmldate"] = {"date": gold_day(find_date(html, extensive_search=True, url=url))}
    except Exception as exc:
        out["htmldate"] = {"date": None, "error": f"{type(exc).__name__}"}
    return out


def score(records: list[dict], preds: list[dict]) -> dict:
    systems = ("ours", "trafilatura", "htmldate")
    result: dict = {}
    body_gold = [(r, p) for r, p in zip(records, preds) if r.get("body")]
    title_gold = [(r, p) for r, p in zip(records, preds) if r.get("title") and not r.get("synthetic")]
    date_gold = [(r, p) for r, p in zip(records, preds) if gold_day(r.get("date"))]
    snip_gold = [(r, p) for r, p in zip(records, preds) if r.get("with") or r.get("without")]
    for name in systems:
        s: dict = {}
        if body_gold and name != "htmldate":
            s["body"] = body_scores([shingle_counts(r["body"], p[name].get("body")) for r, p in body_gold])
        if title_gold and name != "htmldate":
            hits = sum(norm_ws(p[name].get("title")) == norm_ws(r["title"]) for r, p in title_gold)
            s["title_accuracy"] = round(hits / len(title_gold), 4)
        if date_gold:
            hits = sum(p[name].get("date") == gold_day(r["date"]) for r, p in date_gold)
            s["date_accuracy"] = round(hits / len(date_gold), 4)
        if snip_gold and name != "htmldate":
            c = Counter()
            for r, p in snip_gold:
                c += snippet_counts(p[name].get("body"), r.get("with"), r.get("without"))
            s["snippets"] = snippet_scores(c)
        s["errors"] = sum(1 for p in preds if p[name].get("error"))
        result[name] = s
    result["gold"] = {"pages": len(records), "body": len(body_gold), "title": len(title_gold),
                      "date": len(date_gold), "snippets": len(snip_gold)}
    return result


def run(path: Path, limit: int | None = None, jobs: int = 1, predictions: Path | None = None) -> dict:
    records = list(load_records(path, limit))
    start = time.monotonic()
    if jobs > 1 and len(records) > 8:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            preds = list(pool.map(predict, records, chunksize=4))
    else:
        preds = [predict(r) for r in records]
    result = {"file": Path(path).name, **score(records, preds), "seconds": round(time.monotonic() - start, 1)}
    if predictions:
        with open(predictions, "w", encoding="utf-8") as f:
            for r, p in zip(records, preds):
                f.write(json.dumps({"id": r.get("id"), **p}, ensure_ascii=False) + "\n")
    return result


def main(args) -> int:
    path = Path(args.file)
    if not path.exists():
        print(f"archive eval extract: {path}: no such file", file=sys.stderr)
        return 1
    import os

    jobs = int(os.environ.get("ARCHIVE_EVAL_JOBS", "1"))
    result = run(path, getattr(args, "limit", None), jobs=jobs, predictions=getattr(args, "predictions", None))
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0
