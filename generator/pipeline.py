"""The ingest pipeline, top to bottom: find inputs -> read -> enrich -> write pages -> report.

Every input ends as exactly one report entry per article it holds (new / updated / unchanged /
duplicate) or one `rejected` entry with a one-line reason, so the counts always add up.
"""
from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .enrich import Context, enrich
from .model import Article, RejectedInput
from .readers import choose
from .textutil import decode
from .writers.markdown import PageStore, atomic_write

MAX_BYTES = 20 * 1024 * 1024
OUTCOMES = ("new", "updated", "unchanged", "duplicate", "rejected")
SKIP_SUFFIXES = (".meta.json", ".meta.yml", ".meta.yaml")


@dataclass
class Entry:
    input: str
    outcome: str
    page: str | None = None
    reason: str | None = None
    title: str | None = None


def find_inputs(paths: Iterable[Path]) -> Iterator[Path]:
    """Files, and folders walked recursively in a stable order; hidden files and sidecars skipped."""
    for path in paths:
        if path.is_dir():
            for sub in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = sub.relative_to(path).parts
                if any(part.startswith(".") for part in rel) or sub.name.endswith(SKIP_SUFFIXES):
                    continue
                yield sub
        else:
            yield path


def read_file(path: Path) -> list[Article] | RejectedInput:
    """Read and enrich one input file; every failure becomes a RejectedInput with a reason."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size == 0:
            raise RejectedInput("empty file")
        if size > MAX_BYTES:
            raise RejectedInput(f"too large ({size / 1e6:.1f} MB > {MAX_BYTES / 1e6:.0f} MB limit)")
        text = decode(path.read_bytes())
        if not text.strip():
            raise RejectedInput("no text (only whitespace)")
        ctx = _context()
        articles = [enrich(a, ctx) for a in choose(text).read(text, origin)]
        if not articles:
            raise RejectedInput("no article found")
        return articles
    except RejectedInput as exc:
        return exc
    except OSError as exc:
        return RejectedInput(f"unreadable: {exc.strerror or exc}")
    except Exception as exc:  # one bad file never stops a run
        return RejectedInput(f"could not be read: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": "))


_CTX: Context | None = None


def _context() -> Context:
    global _CTX
    if _CTX is None:
        _CTX = Context.default()
    return _CTX


def _progress(iterable, total: int, show: bool):
    if not show:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, unit="file", file=sys.stderr)


def ingest(paths: list[Path], content: Path, jobs: int | None = None, progress: bool = False) -> list[Entry]:
    files = list(find_inputs(paths))
    store = PageStore.open(content)
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(files) >= 64:
        pool = ProcessPoolExecutor(max_workers=jobs)
        results = pool.map(read_file, files, chunksize=16)
    else:
        pool = None
        results = map(read_file, files)
    entries: list[Entry] = []
    try:
        for path, result in _progress(zip(files, results), len(files), progress):
            if isinstance(result, RejectedInput):
                entries.append(Entry(str(path), "rejected", reason=str(result)))
                continue
            for article in result:
                written = store.write(article)
                entries.append(Entry(article.origin, written.outcome, page=str(written.path), title=article.title))
    finally:
        if pool:
            pool.shutdown()
        store.save_ledger()
        write_rejects(content, entries)
    return entries


def write_rejects(content: Path, entries: list[Entry]) -> None:
    """The rejects report persists beside the pages (outside site/): one JSON line per rejected input."""
    rejected = [e for e in entries if e.outcome == "rejected"]
    path = content / ".archive" / "rejects.jsonl"
    lines = [json.dumps({"input": e.input, "reason": e.reason}, ensure_ascii=False) for e in rejected]
    old = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    merged = list(dict.fromkeys(old + lines))
    if merged != old:
        atomic_write(path, "\n".join(merged) + "\n")


def summary_line(entries: list[Entry]) -> str:
    counts = {k: sum(e.outcome == k for e in entries) for k in OUTCOMES}
    return ", ".join(f"{v} {k}" for k, v in counts.items()) + f" ({len(entries)} in all)"


def report_json(entries: list[Entry]) -> str:
    counts = {k: sum(e.outcome == k for e in entries) for k in OUTCOMES}
    return json.dumps({"counts": counts, "total": len(entries),
                       "entries": [{k: v for k, v in asdict(e).items() if v is not None} for e in entries]},
                      indent=2, ensure_ascii=False)
