"""The tune pages the text model is fitted and cross-validated on, and their labels (for
tools/train_text_model.py): which site and fold each page belongs to, and which of its lines are the
headline and which are body text.

Labels: a unit equal to the gold title (after whitespace/quote normalisation) is the title; a unit whose
text is inside the gold body is body text. Only pages of the `tune` part (a hash of the site's domain,
see generator/evaluation/scrapes.py) are used, so `archive eval scrapes --part holdout` measures sites
the model never saw.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from generator.evaluation.extract import gold_day, load_records, norm_ws  # noqa: E402
from generator.evaluation.scrapes import domain, norm_title, part_of  # noqa: E402
from generator.readers.text import analyse, title_candidates  # noqa: E402

import silver_titles  # noqa: E402

FOLDS = 5
FOLD_KEY = os.environ.get("TRAIN_FOLD_KEY", "site")  # "domain": the folds before 2026-12-07 (URL-less pages in one)
LOOSE = float(os.environ.get("TRAIN_LOOSE", "0"))  # label a line holding the gold title (or held in it) on pages with no exact line
SILVER = os.environ.get("TRAIN_SILVER", "0") == "1"  # also fit titles to the headline a page's HTML agrees on
SILVER_BODY = os.environ.get("TRAIN_SILVER_BODY", "0") == "1"  # also fit the body model to the HTML reader's body


def site_of(record: dict) -> str:
    """The page's site: its domain, or for a page without a URL its id less a trailing number
    ("readability-nytimes-2" -> "readability-nytimes"). Of the 75 URL-less tune pages with a title,
    73 are Readability test pages of 60 sites; keyed by the empty domain they all fell in one fold,
    which --cv then read with a model that had seen none of them (title exact 0.507 on them)."""
    if FOLD_KEY != "site":
        return domain(record.get("url"))
    return domain(record.get("url")) or re.sub(r"-\d+$", "", str(record.get("id", "")))


def fold_of(site: str) -> int:
    return int(hashlib.sha256(site.encode()).hexdigest()[8:16], 16) % FOLDS


def load_pages(path: Path) -> list[dict]:
    """Every tune page with a gold field: its analysed page, gold title/date/body, its site's fold and
    (TRAIN_SILVER=1, a page without a gold title) the headline its HTML agrees on (tools/silver_titles.py)."""
    items = []
    for record in load_records(path):
        if part_of(record) != "tune" or not (record.get("title") or record.get("body") or gold_day(record.get("date"))):
            continue
        site = site_of(record)
        fold = fold_of(site)
        items.append({"page": analyse(record.get("text") or ""), "title": record.get("title"),
                      "site": site, "id": record.get("id"),
                      "date": record.get("date"), "body": record.get("body"), "fold": fold,
                      "text": record.get("text") or ""})
    silver_titles.attach(items, path, SILVER, SILVER_BODY)
    return items


def cached_pages(path: Path, cache: Path | None) -> list[dict]:
    """load_pages(path), kept in `cache` between runs when given (analysing the pages is a minute of
    CPU; delete the cache when features or rules change)."""
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    items = load_pages(path)
    if cache:
        cache.write_bytes(pickle.dumps(items))
    return items


def body_of(item: dict) -> str | None:
    """The body a page's lines are fitted to: its gold one, else (TRAIN_SILVER_BODY) the HTML reader's."""
    return item["body"] or (item.get("silver_body") if SILVER_BODY else None)


def headline_of(item: dict) -> str | None:
    """The title a page is fitted to: its gold one, else (TRAIN_SILVER) its silver one."""
    return item["title"] or (item.get("silver") if SILVER else None)


def examples(items: list[dict]) -> tuple[list[np.ndarray], list[np.ndarray], list[tuple[np.ndarray, np.ndarray, str]]]:
    """Per page: title groups (candidate vectors, which are the title) and body rows (vectors, labels)."""
    title_groups: list[tuple[np.ndarray, np.ndarray, str]] = []
    body_x: list[np.ndarray] = []
    body_y: list[np.ndarray] = []
    for item in items:
        page = item["page"]
        if headline_of(item):
            gold = norm_title(headline_of(item))
            cands = title_candidates(page)
            labels = title_labels(page, cands, gold)
            if labels.any():
                title_groups.append((np.array([page.vectors[i] for i in cands]), labels, item.get("site", "")))
        if body_of(item):
            body = norm_ws(body_of(item))
            rows = [i for i, _ in enumerate(page.units) if not page.chrome[i]]
            if rows:
                body_x.append(np.array([page.vectors[i] for i in rows]))
                body_y.append(np.array([norm_ws(page.units[i]) in body for i in rows], dtype=float))
    return body_x, body_y, title_groups


def title_labels(page, cands: list[int], gold: str) -> np.ndarray:
    """1 for the candidates equal to the gold title (normalised). With TRAIN_LOOSE=r, a page where none
    is: the candidates that hold the gold title or are held in it, at least r of the longer's length,
    the closest in length (the headline line with a kicker before it, or a gold title that adds the
    site's name: the line is still where the headline stands)."""
    texts = [norm_title(page.units[i]) for i in cands]
    labels = np.array([t == gold for t in texts], dtype=float)
    if labels.any() or not LOOSE or not gold:
        return labels
    ratio = np.array([min(len(t), len(gold)) / max(len(t), len(gold)) if t and (t in gold or gold in t) else 0.0
                      for t in texts])
    if ratio.max(initial=0.0) < LOOSE:
        return labels
    return (ratio == ratio.max()).astype(float)


def body_sites(items: list[dict]) -> list[str]:
    """The site of each page examples() makes body rows of, in the same order."""
    return [item.get("site", "") for item in items
            if body_of(item) and not all(item["page"].chrome)]


def title_pages(items: list[dict]) -> list[tuple]:
    """(page, candidates) of each page examples() makes a title group of, in the same order."""
    out = []
    for item in items:
        if headline_of(item):
            cands = title_candidates(item["page"])
            if title_labels(item["page"], cands, norm_title(headline_of(item))).any():
                out.append((item["page"], cands))
    return out

