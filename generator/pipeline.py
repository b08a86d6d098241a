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
comes from the read cache (`readcache.py`).
"""
from __future__ import annotations

import json
import os
import signal
import stat
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Iterator

from . import dedup, readcache
from .enrich import Context, enrich
from .model import Article, RejectedInput
from .readers import choose
from .readers.sidecar import apply_sidecar, find_sidecar
from .textutil import decode
from .writers.markdown import PageStore, write_if_changed

MAX_BYTES = 20 * 1024 * 1024
# Wall-clock limit for reading one file: a pathological input (e.g. a 400 KB line that makes a
# chrome regex backtrack for seconds) is rejected instead of stalling the run for hours.
READ_TIMEOUT = 300.0
OUTCOMES = ("new", "updated", "unchanged", "duplicate", "rejected")
SKIP_SUFFIXES = (".meta.json", ".meta.yml", ".meta.yaml")
PARALLEL_MIN_FILES = 64


@dataclass
class Entry:
    input: str
    outcome: str
    page: str | None = None
    reason: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class RecordRejected:
    """A record of a multi-record input that could not become an article."""

    origin: str
    reason: str


def find_inputs(paths: Iterable[Path], problems: list[tuple[str, str]] | None = None,
                exclude: Iterable[Path] = ()) -> Iterator[Path]:
    """Files, and folders walked recursively in a stable order; hidden files and sidecars skipped.

    A file named twice (directly and through its folder, or via a symlink) is read once. Folders
    that cannot be listed are added to `problems` as (path, reason). Folders in `exclude` (the
    archive's own pages) are not walked, so ingesting a parent of content/ never feeds pages back."""
    seen: set[Path] = set()
    excluded = {Path(p).resolve() for p in exclude}

    def once(p: Path) -> bool:
        try:
            key = p.resolve()
        except (OSError, RuntimeError):
            key = p.absolute()
        if key in seen:
            return False
        seen.add(key)
        return True

    for path in paths:
        path = Path(path)
        if path.is_dir():
            found: list[Path] = []

            def onerror(exc: OSError) -> None:
                if problems is not None:
                    problems.append((display_name(exc.filename or path), f"unreadable folder: {exc.strerror or exc}"))

            for dirpath, dirnames, filenames in os.walk(path, onerror=onerror):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                     and (not excluded or (Path(dirpath) / d).resolve() not in excluded))
                for name in filenames:
                    if name.startswith(".") or name.endswith(SKIP_SUFFIXES):
                        continue
                    found.append(Path(dirpath) / name)  # even a FIFO or socket: reported, not skipped
            for sub in sorted(found):
                if once(sub):
                    yield sub
        elif once(path):
            yield path


def display_name(path) -> str:
    """A path as text that can always be printed and stored: a file name that is not valid UTF-8
    (bytes kept by the OS as surrogates) gets U+FFFD for the bad bytes instead of crashing a report."""
    name = os.fsdecode(path) if isinstance(path, bytes) else str(path)
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")




def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""


class _ReadTimeout(BaseException):
    """BaseException, so that no reader's `except Exception` swallows it."""


def _on_alarm(signum, frame):
    raise _ReadTimeout()


@contextmanager
def _time_limit(seconds: float):
    """Interrupt the block after `seconds` (SIGALRM; regex matching checks for it). Only in a
    process's main thread, which is where the serial run and every pool worker read files."""
    import threading

    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_file(path: Path) -> list[Article | RecordRejected] | RejectedInput:
    """Read and enrich one input file; every failure becomes a RejectedInput with a reason.

    The size is checked with stat() before anything is read, and at most MAX_BYTES + 1 bytes are
    ever read, so a huge file costs no memory. Reading takes at most READ_TIMEOUT seconds."""
    _context()  # loading the vocabulary and gazetteer (once per process) is not part of any file's time
    try:
        with _time_limit(READ_TIMEOUT):
            return _read_file(Path(path))
    except _ReadTimeout:
        return RejectedInput(f"gave up after {READ_TIMEOUT:g} s reading it (pathological input)")


def _read_file(path: Path) -> list[Article | RecordRejected] | RejectedInput:
    origin = display_name(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise RejectedInput("not a regular file")
        if st.st_size == 0:
            raise RejectedInput("empty file")
        if st.st_size > MAX_BYTES:
            raise RejectedInput(f"too large ({st.st_size / 1e6:.1f} MB > {MAX_BYTES / 1e6:.0f} MB limit)")
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise RejectedInput(f"too large (grew past the {MAX_BYTES / 1e6:.0f} MB limit while read)")
        if not data:
            raise RejectedInput("empty file")
        cache_key = readcache.key(origin, data, find_sidecar(path), _context().fingerprint())
        cached = readcache.load(cache_key)
        if cached is not None:
            return cached
        text = decode(data)
        if not text.strip():
            raise RejectedInput("no text (only whitespace)")
        ctx = _context()
        items: list[Article | RecordRejected] = []
        complete = True
        try:
            for item in choose(text).read(text, origin):
                if isinstance(item, Article):
                    item = apply_sidecar(item, path)
                    item = enrich(item, ctx)
                    item.signature = dedup.signature(item.body_text)
                    items.append(item)
                elif hasattr(item, "origin") and hasattr(item, "reason"):
                    items.append(RecordRejected(str(item.origin), str(item.reason)))
        except (Exception, _ReadTimeout) as exc:
            if not items:
                raise
            complete = False
            # Keep what was read; the rest of the file is reported, not lost silently.
            if isinstance(exc, _ReadTimeout):
                reason = f"gave up after {READ_TIMEOUT:g} s"
            elif isinstance(exc, RejectedInput) and exc.args:
                reason = exc.args[0]
            else:
                reason = f"{type(exc).__name__}: {_one_line(exc)}".rstrip(": ")
            items.append(RecordRejected(f"{origin} (after record {len(items)})", f"rest of file unreadable: {reason}"))
        if not items:
            raise RejectedInput("no article found")
        if complete:
            readcache.store(cache_key, items)  # the next run of this very file can skip reading it
        return items
    except RejectedInput as exc:
        return RejectedInput(_one_line(exc) or "rejected")
    except OSError as exc:
        return RejectedInput(f"unreadable: {exc.strerror or exc}")
    except Exception as exc:  # one bad file never stops a run
        return RejectedInput(f"could not be read: {type(exc).__name__}: {_one_line(exc)}".rstrip(": "))


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

    return tqdm(iterable, total=total, unit="file", file=sys.stderr, dynamic_ncols=True)


def _worker_init(parent: int) -> None:
    """Workers die with the ingest process: a SIGKILLed run leaves no orphans behind (Linux)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def read_all(files: list[Path], jobs: int) -> Iterator[tuple[Path, list | RejectedInput]]:
    """(file, result) in input order; in worker processes for large batches.

    If the pool breaks (a worker killed, e.g. by the OOM killer), the rest is read in-process."""
    done = 0
    if jobs > 1 and len(files) >= PARALLEL_MIN_FILES:
        chunksize = max(1, min(32, len(files) // (jobs * 8)))
        _context()  # load the gazetteer once, before the fork: workers share its memory pages
        try:
            with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init, initargs=(os.getpid(),)) as pool:
                for result in pool.map(read_file, files, chunksize=chunksize):
                    yield files[done], result
                    done += 1
        except BrokenProcessPool:
            pass
    for path in files[done:]:
        yield path, read_file(path)


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
        fcntl.lockf(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(fh, fcntl.LOCK_UN)


def ingest(paths: list[Path], content: Path, jobs: int | None = None, progress: bool = False) -> list[Entry]:
    content = Path(content)
    problems: list[tuple[str, str]] = []
    files = list(find_inputs(paths, problems, exclude=[content / "articles"]))
    entries: list[Entry] = [Entry(p, "rejected", reason=r) for p, r in problems]
    jobs = jobs or os.cpu_count() or 1
    readcache.prune()
    with _lock(content):
        store = PageStore.open(content)
        try:
            for path, result in _progress(read_all(files, jobs), len(files), progress):
                if isinstance(result, RejectedInput):
                    entries.append(Entry(display_name(path), "rejected", reason=str(result)))
                    continue
                for item in result:
                    if isinstance(item, RecordRejected):
                        entries.append(Entry(item.origin, "rejected", reason=item.reason))
                        continue
                    try:
                        written = store.write(item)
                    except Exception as exc:  # e.g. disk full: reported, and the run goes on
                        entries.append(Entry(item.origin, "rejected", title=item.title,
                                             reason=f"could not be written: {type(exc).__name__}: {_one_line(exc)}"))
                        continue
                    entries.append(Entry(item.origin, written.outcome, page=str(written.path),
                                         title=item.title, reason=written.note))
        finally:
            store.save_ledger()
            write_rejects(content, entries, [display_name(f) for f in files])
    return entries


def _belongs_to(input_name: str, files: set[str]) -> bool:
    if input_name in files:
        return True
    for sep in ("#", " (", ":", "["):
        head = input_name.split(sep, 1)[0]
        if head in files:
            return True
    return False


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
    lines = kept + [json.dumps({"input": e.input, "reason": e.reason}, ensure_ascii=False)
                    for e in entries if e.outcome == "rejected"]
    lines = list(dict.fromkeys(lines))
    if lines or path.exists():
        write_if_changed(path, "\n".join(lines) + "\n" if lines else "")


def summary_line(entries: list[Entry]) -> str:
    counts = {k: sum(e.outcome == k for e in entries) for k in OUTCOMES}
    return ", ".join(f"{v} {k}" for k, v in counts.items()) + f" ({len(entries)} in all)"


def report_json(entries: list[Entry]) -> str:
    counts = {k: sum(e.outcome == k for e in entries) for k in OUTCOMES}
    return json.dumps({"counts": counts, "total": len(entries),
                       "entries": [{k: v for k, v in asdict(e).items() if v is not None} for e in entries]},
                      indent=2, ensure_ascii=False)
