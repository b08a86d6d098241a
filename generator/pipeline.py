"""The ingest pipeline, top to bottom: find inputs -> read -> enrich -> write pages -> report.

Nothing is lost: every input file ends as one report entry per article it holds (new / updated /
unchanged / duplicate), one `rejected` entry per record a multi-record file could not turn into an
article, or a single `rejected` entry with a one-line reason when the whole file cannot be read.
So the counts add up: entries == articles + rejected records + rejected files (for a folder of
single-article files: entries == input files). Unreadable folders met while walking are reported as
rejected too. Rejections persist in `<content>/.archive/rejects.jsonl` (latest outcome per input).

Outcomes, relative to the pages as they were before the entry was processed:
  new        a page was created;
  updated    the article's own page changed (new generated values, another file for it, a revised
             text from the very input that made the page...);
  unchanged  nothing changed: the page already says everything this input says;
  duplicate  the input is a copy (exact, or near-duplicate by MinHash) of an article that has a
             page: it was linked to that page (`sources`, `duplicate_ids`) instead of getting one;
  rejected   the input (or record) cannot become an article; `reason` says why.
Re-ingesting the same inputs therefore reports every non-rejected input as `unchanged` and writes
no file at all; files whose bytes (and sidecar) did not change are not even read again, their read
comes from the read cache (`readcache.py`), or from the ledger's record of inputs, and a file whose
identity (inode, size, times) did not change since it was hashed is not even hashed again
(writers/pageindex.py). Reading the files is reading.py's part.
"""
from __future__ import annotations

import gc
import json
import os
import sqlite3
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from . import readcache, reading
from .exits import OUT_OF_ROOM
from .inputs import OUTSIDE_LINK, SKIP_SUFFIXES, display_name, find_input_names, find_inputs, json_text  # noqa: F401
from .model import MAX_REJECTED_RECORDS, RejectedInput
from .reading import (MAX_BYTES, PAST_CAP, MiB, Known, RecordRejected, _before_fork, _context,  # noqa: F401
                      _one_line, _prepare, read_all, read_file)
from .writers.ledger import Ledger
from .writers.markdown import PageStore, PageUnreadable, write_if_changed
from .writers.pageindex import InputIndex

OUTCOMES = ("new", "updated", "unchanged", "duplicate", "rejected")


@dataclass
class Entry:
    input: str
    outcome: str
    page: str | None = None
    reason: str | None = None
    title: str | None = None
    file: str | None = None  # the input file a rejected record came from (not in the JSON report)
    stopped: bool | None = None  # the run stopped here (a full disk): exit status 3, not 1


def _progress(iterable, total: int, show: bool):
    if not show:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, unit="file", file=sys.stderr, dynamic_ncols=True)


@contextmanager
def _lock(content: Path):
    """One ingest at a time per content folder (a second one waits)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    state = content / ".archive"
    state.mkdir(parents=True, exist_ok=True)
    with open(state / "lock", "a") as fh:
        # A POSIX record lock (lockf), not flock: it belongs to this process only, so forked
        # workers cannot keep holding it after a SIGKILL, and it dies with the process.
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # the second of two commands at once waited without a word, as if it hung
            print(f"waiting for the other ingest or update into {display_name(content)} to finish…",
                  file=sys.stderr, flush=True)
            fcntl.lockf(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(fh, fcntl.LOCK_UN)


# Allocations between two collections of the youngest generation during an ingest (Python's default
# is 700): a re-ingest makes tens of thousands of small, long-lived objects (records, paths, report
# entries), and each collection walked the young ones again. Cycles are freed a little later.
GC_YOUNG = 50_000


@contextmanager
def _fewer_collections():
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], GC_YOUNG), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def ingest(paths: list[Path], content: Path, jobs: int | None = None, progress: bool = False) -> list[Entry]:
    with _fewer_collections():
        return _ingest(paths, content, jobs, progress)


def _ingest(paths: list[Path], content: Path, jobs: int | None, progress: bool) -> list[Entry]:
    content = Path(content)
    problems: list[tuple[str, str]] = []
    found: list = []  # each file's directory entry
    files = list(find_input_names(paths, problems, exclude=[content / "articles"], entries=found))
    entries: list[Entry] = [Entry(p, "rejected", reason=r) for p, r in problems]
    jobs = jobs or os.cpu_count() or 1
    readcache.prune()
    if progress and reading._CTX is None:
        from .gazetteer.cache import pending_build

        if (why := pending_build()) is not None:  # say why nothing moves, before any progress bar
            print(why, file=sys.stderr, flush=True)
        _context()  # loaded before the progress bar starts, so the bar times reading, not set-up
    # Otherwise loaded when the first file has to be read: a re-ingest of known files never needs it.
    with _lock(content):
        # The inputs are settled against the ledger's record first (and a daily update's worker
        # forked, which then loads what reading needs while the pages are opened here).
        ledger = Ledger.open(content / ".archive")
        recorded = ledger.input_keys()  # one query, not one per input
        inputs = InputIndex(content) if readcache.ENABLED else None

        def known(origin: str, key: str) -> bool:
            return recorded.get(origin) == key

        # `--no-cache` reads every file: neither the read cache nor the record of inputs is used.
        reads = None
        try:
            reads = read_all(files, jobs, known if readcache.ENABLED else None, inputs, found,
                             (lambda origin: origin not in recorded) if readcache.ENABLED else None)
            store = PageStore.open(content, ledger)
        except BaseException:
            if reads is not None:
                reads.close()
            ledger.close(None)
            raise
        stopped: BaseException | None = None  # a write that found the disk full (or read-only)
        try:
            for path, result, key in _progress(reads, len(files), progress):
                origin = display_name(path)
                if isinstance(result, Known):
                    replayed = store.replay(origin, result.key)
                    if replayed is not None:
                        entries.extend(_replayed_entries(origin, replayed))
                        continue
                    result = read_file(path)  # a page changed since: settle it the long way
                if isinstance(result, RejectedInput):
                    entries.append(Entry(origin, "rejected", reason=str(result)))
                    if key is not None:
                        store.ledger.drop_input(origin)
                    continue
                written_all: list = []
                for item in result:
                    if isinstance(item, RecordRejected):
                        entries.append(Entry(item.origin, "rejected", reason=item.reason, file=origin))
                        written_all.append((item.origin, item.reason))
                        continue
                    try:
                        written = store.write(item)
                    except PageUnreadable as exc:  # never a second page for the article
                        entries.append(Entry(item.origin, "rejected", title=item.title, reason=str(exc)))
                        key = None  # the input's last record stays: it names the page next run too
                        continue
                    except Exception as exc:  # reported, and the run goes on, unless the disk is full
                        if _out_of_room(exc):
                            stopped = exc
                            break
                        entries.append(Entry(item.origin, "rejected", title=item.title,
                                             reason=f"could not be written: {type(exc).__name__}: {_one_line(exc)}"))
                        written_all.append(None)
                        continue
                    written_all.append(written)
                    note = "; ".join(n for n in [written.note, *item.notes] if n) or None
                    entries.append(Entry(item.origin, written.outcome, page=str(written.path),
                                         title=written.title or item.title, reason=note))
                if stopped is not None:
                    break
                if key is not None:
                    store.remember(origin, key, result, written_all)
        finally:
            reads.close()
            steps = [store.save_ledger]
            if inputs is not None:
                steps.append(lambda: inputs.save(forget_unseen=False))  # other inboxes' records are kept
            steps.append(lambda: write_rejects(content, entries, [display_name(f) for f in files]))
            for step in steps:
                try:
                    step()
                except Exception as exc:
                    if not _out_of_room(exc):
                        raise
                    stopped = stopped or exc
    if stopped is not None:
        pages = sum(e.outcome in ("new", "updated") for e in entries)
        entries.append(Entry(display_name(content), "rejected", stopped=True, reason=(
            f"{_one_line(stopped)}: stopped after {pages:,} pages written, each whole; the inputs after them "
            "were not read. Make room and run it again: it goes on from there")))
    return entries


def _out_of_room(exc: BaseException) -> bool:
    """Whether a write failed for want of room or of a writable disk, which every later write would
    meet too. A full disk went on failing one page after another (a line each), then ended in a
    traceback from the ledger, which SQLite had rolled back, with no summary and no report."""
    if isinstance(exc, OSError):
        return exc.errno in OUT_OF_ROOM
    return isinstance(exc, sqlite3.OperationalError) and any(
        why in str(exc) for why in ("disk is full", "readonly database", "disk I/O error"))


def _replayed_entries(origin: str, replayed: list) -> list[Entry]:
    """Report entries for an input settled by `PageStore.replay`, as reading it would give them."""
    out = []
    for r in replayed:
        if isinstance(r, tuple):
            out.append(Entry(r[0], "rejected", reason=r[1], file=origin))
        else:
            note = "; ".join(n for n in [r.note, *r.notes] if n) if r.notes else r.note  # (most have no notes)
            out.append(Entry(r.origin or origin, r.outcome, page=str(r.path), title=r.title, reason=note or None))
    return out


# How a record's origin extends its file's name ("feed.xml#3", "a.jsonl:12", "f (after record 2)").
RECORD_SEPARATORS = ("#", " (", ":", "[")


def _belongs_to(input_name: str, files: set[str]) -> bool:
    if input_name in files:
        return True
    for sep in RECORD_SEPARATORS:
        head = input_name.split(sep, 1)[0]
        if head in files:
            return True
    return False


# Rejected records of one input file listed one by one (on stderr and in the rejects report); the
# rest are counted in one line. A file of 1,000,000 bad records left a 93 MB rejects.jsonl (and
# a million lines on the terminal); `--json` lists up to MAX_REJECTED_RECORDS of them.
LISTED_REJECTS = 100


def listed_rejects(entries: list[Entry]) -> list[tuple[Entry, int]]:
    """(entry, records it stands for beyond itself) of each rejection to list: at most LISTED_REJECTS
    per input file, then one entry for that file saying how many more of its records were rejected."""
    shown: dict[str, int] = {}
    more: dict[str, int] = {}
    capped = set()  # files whose reader counted records past MAX_REJECTED_RECORDS: --json lists those first
    out = []
    for e in entries:
        if e.outcome != "rejected":
            continue
        head = e.file or e.input
        if e.input.endswith(PAST_CAP):  # (the reader's own count)
            capped.add(head)
            out.append((e, 0))
        elif shown.get(head, 0) < LISTED_REJECTS:
            shown[head] = shown.get(head, 0) + 1
            out.append((e, 0))
        else:
            more[head] = more.get(head, 0) + 1
    return out + [(Entry(head, "rejected", reason=f"{n:,} more of its records rejected, not listed here "
                                                   f"(`archive ingest --json {head}` lists "
                                                   f"{f'the first {MAX_REJECTED_RECORDS:,}' if head in capped else 'every one'})"), n)
                  for head, n in more.items()]


def write_rejects(content: Path, entries: list[Entry], files: list[str] | None = None) -> None:
    """The rejects report persists beside the pages (outside site/): one JSON line per rejected input.

    It holds the latest outcome per input: this run's rejections replace earlier lines for the
    same inputs, inputs that now went through are dropped, other inputs' lines are kept. Written
    only when its content changes."""
    path = content / ".archive" / "rejects.jsonl"
    touched = set(files or []) | {e.input for e in entries}
    old = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept = []
    for line in old:
        try:
            name = json.loads(line)["input"]
        except (ValueError, KeyError, TypeError):
            continue
        if not _belongs_to(name, touched):
            kept.append(line)
    lines = kept + [json_text(json.dumps({"input": e.input, "reason": e.reason, **({"more": n} if n else {})},
                                         ensure_ascii=False))
                    for e, n in listed_rejects(entries)]
    lines = list(dict.fromkeys(lines))
    if lines or path.exists():
        write_if_changed(path, "\n".join(lines) + "\n" if lines else "")


def _counts(entries: list[Entry]) -> dict[str, int]:
    """Entries per outcome, in OUTCOMES' order: one pass (five passes over a re-ingest's 10,000)."""
    seen = Counter(e.outcome for e in entries)
    return {k: seen[k] for k in OUTCOMES}


def summary_line(entries: list[Entry]) -> str:
    counts = _counts(entries)
    return ", ".join(f"{v} {k}" for k, v in counts.items()) + f" ({len(entries)} in all)"


def report_json(entries: list[Entry]) -> str:
    counts = _counts(entries)
    return json_text(json.dumps({"counts": counts, "total": len(entries),
                                 "entries": [{k: v for k, v in asdict(e).items() if v is not None and k != "file"}
                                             for e in entries]},
                                indent=2, ensure_ascii=False))
