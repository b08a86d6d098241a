"""Reading input files for the ingest (split from pipeline.py, which holds the ingest loop and its
report): each file's bytes and read-cache key, the read itself (decode, read, bound, enrich, sign) in
worker processes under a wall-clock limit, the read cache, and the inputs a re-ingest settles
without reading (known by their bytes, or by their identity in the input index)."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from . import dedup, readcache
from .inputs import SKIP_SUFFIXES, display_name
from .model import MAX_REJECTED_RECORDS, Article, RejectedInput, bound_fields
from .readresults import Known, Prepared, RecordRejected, _ended, _finish, _one_line, _reason  # noqa: F401
from .writers.pageindex import InputIndex, now_ns

if TYPE_CHECKING:
    from .enrich import Context
    from .readpool import Finished

# Imported when a file first has to be read (`_reading`): a re-ingest that settles every input from
# its record never reads one (importing the readers, enrichers and numpy was about 0.25 of its 1.45
# CPU-s at 10,000 inputs).
# Module attributes all the same (`reading.choose`, `reading.enrich`: tests replace them).
_READING = ("choose", "lost_text", "apply_sidecar", "find_sidecar", "Context", "enrich", "decode_noting",
            "ReadPool", "Finished")
_READ_READY = False


def _reading() -> None:
    """Import what reading a file needs, once per process."""
    global _READ_READY, choose, lost_text, apply_sidecar, find_sidecar, Context, enrich, decode_noting
    global ReadPool, Finished
    if _READ_READY:
        return
    from .enrich import Context, enrich
    from .readers import choose, lost_text
    from .readers.sidecar import apply_sidecar, find_sidecar
    from .readpool import Finished, ReadPool
    from .textutil import decode_noting

    _READ_READY = True


def __getattr__(name: str):
    if name in _READING:
        _reading()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

MiB = 1024 * 1024
MAX_BYTES = 20 * MiB
# Wall-clock limit for reading one file: a pathological input (a page that keeps lxml's XPath busy,
# a line that makes a regex backtrack) is rejected instead of stalling the run for hours. The worker
# reading it is killed at the limit, so it holds inside C code too (`archive ingest --time-limit`).
READ_TIMEOUT = 300.0


def _prepare(path: Path, stats: list | None = None, entry: os.DirEntry | None = None) -> tuple[bytes, str] | RejectedInput:
    """The file's bytes and its read-cache key, or why it cannot be read at all (`stats` receives
    the stat taken before reading, for the input index: the directory entry's, when the file was
    found by walking a folder).

    The size is checked with stat() before anything is read, and at most MAX_BYTES + 1 bytes are
    ever read, so a huge file costs no memory."""
    limit = f"{MAX_BYTES / MiB:g} MiB"
    try:
        st = entry.stat() if entry is not None else os.stat(path)
        if stats is not None:
            stats.append(st)
        if not stat.S_ISREG(st.st_mode):
            raise RejectedInput("not a regular file")
        if st.st_size == 0:
            raise RejectedInput("empty file")
        if st.st_size > MAX_BYTES:
            raise RejectedInput(f"too large ({st.st_size / MiB:.1f} MiB > {limit} limit)")
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise RejectedInput(f"too large (grew past the {limit} limit while read)")
        if not data:
            raise RejectedInput("empty file")
        return data, readcache.key(display_name(path), data, _sidecar_of(path), _context_key())
    except Exception as exc:  # one bad file never stops a run
        return RejectedInput(_reason(exc))


# Folder -> whether it holds any sidecar-named entry, while read_all runs: most inbox folders hold
# none, and looking for each input's six possible sidecar names was a quarter of a re-ingest.
_LISTINGS: dict[str, bool] | None = None


def _sidecars_in(folder: str) -> bool:
    """Whether `folder` holds any sidecar-named entry (listed once per folder while read_all runs)."""
    if _LISTINGS is None:
        return True  # not inside read_all: look for each name
    folder = folder or "."
    if folder not in _LISTINGS:
        try:
            _LISTINGS[folder] = any(n.endswith(SKIP_SUFFIXES) for n in os.listdir(folder))
        except OSError:
            _LISTINGS[folder] = True  # cannot tell: look for each name
    return _LISTINGS[folder]


def _sidecar_of(path: Path) -> Path | None:
    if not _sidecars_in(os.path.dirname(path)):
        return None
    _reading()
    return find_sidecar(path)


def _read_in_worker(path: Path, key: str | None) -> Iterator[Article | RecordRejected | Prepared]:
    """What a worker process runs: the file read again (only a path crosses the pipe, so sending
    work never blocks), checked to be the bytes the cache key was made from; a complete read is
    stored in the read cache by the worker itself. With no key, the ingest process did not read
    the file: the worker hashes it, says so first (Prepared), and takes a read-cache entry when
    there is one, and does not store its read: such a file is one the ledger has no record of, in a
    run of many (a first ingest), and the ledger's record of inputs settles it next time without the
    read cache (creating an entry's file was 0.3 to 0.4 ms of a worker's 3.2 to 3.6 per article;
    docs/scaling.md, round 31b, says what a later run loses)."""
    path = Path(path)  # the ingest passes a file's name as text (inputs.find_input_names)
    keep = key is not None
    if key is None:
        stats: list = []
        read_ns = now_ns()
        prepared = _prepare(path, stats)
        if isinstance(prepared, RejectedInput):
            raise prepared
        data, key = prepared
        yield Prepared(key, stats[0], read_ns)
        cached = readcache.load(key)
        if cached is not None:
            yield from cached
            return
    else:
        prepared = _prepare(path)
        if isinstance(prepared, RejectedInput):
            raise prepared
        data, now = prepared
        if now != key:
            raise RejectedInput("changed while it was being read: ingest it again")
    items = []
    for item in _read_items(path, data):
        items.append(item)
        yield item
    if items and keep:  # a complete read (a failure raised above, a killed worker never gets here)
        readcache.store(key, items)  # is kept, here, in parallel, rather than in the ingest process


def _read_items(path: Path, data: bytes) -> Iterator[Article | RecordRejected]:
    """Decode, read, bound and enrich one file's articles, yielding each as soon as it is ready."""
    _reading()
    origin = display_name(path)
    text, notes = decode_noting(data)
    if not text.strip():
        raise RejectedInput("no text (only whitespace)")
    ctx = _context()
    reader = choose(text, path.name)
    rejected = 0
    for item in _enriched(reader, text, origin, path, notes, ctx):
        if isinstance(item, RecordRejected):
            rejected += 1
            if rejected > MAX_REJECTED_RECORDS:
                continue
        yield item
    if rejected > MAX_REJECTED_RECORDS:
        yield RecordRejected(f"{origin}{PAST_CAP}", f"{rejected - MAX_REJECTED_RECORDS:,} more records rejected "
                                                    "(not listed: fix the first ones and ingest it again)")


PAST_CAP = f" (records rejected past the first {MAX_REJECTED_RECORDS:,})"


def _enriched(reader, text: str, origin: str, path: Path, notes: list, ctx) -> Iterator[Article | RecordRejected]:
    """The reader's articles, each with its sidecar, bounds and enrichment, and its rejected records."""
    for item in reader.read(text, origin):
        if isinstance(item, Article):
            if _sidecars_in(os.path.dirname(path)):  # else there is no sidecar to apply (a worker
                item = apply_sidecar(item, path)      # keeps the parent's listings of the run)
            item.notes[:0] = notes
            try:
                item = bound_fields(item)
            except RejectedInput as exc:  # this record only: the file's other records still count
                yield RecordRejected(item.origin, _reason(exc))
                continue
            item = enrich(item, ctx)
            lost = lost_text(reader.name, text, item)
            if lost and lost[1]:
                raise RejectedInput(lost[0])
            if lost:
                item.notes.append(lost[0])
            item.signature = dedup.signature(item.body_text)
            yield item
        elif hasattr(item, "origin") and hasattr(item, "reason"):
            yield RecordRejected(str(item.origin), str(item.reason))


def read_file(path: Path) -> list[Article | RecordRejected] | RejectedInput:
    """Read and enrich one input file in this process; every failure becomes a RejectedInput with a
    reason. No time limit here (for tools and tests): `ingest` reads through `read_all`, whose
    worker processes are killed at READ_TIMEOUT."""
    path = Path(path)
    _context()
    prepared = _prepare(path)
    if isinstance(prepared, RejectedInput):
        return prepared
    data, cache_key = prepared
    cached = readcache.load(cache_key)
    if cached is not None:
        return cached
    items: list = []
    error = None
    try:
        for item in _read_items(path, data):
            items.append(item)
    except Exception as exc:
        error = exc
    if error is None and items:
        readcache.store(cache_key, items)
    return _finish(display_name(path), items, error)


_CTX: Context | None = None
_DEFAULT: Context | None = None


def _context() -> Context:
    global _CTX, _DEFAULT
    _reading()
    if _CTX is None:
        _CTX = _DEFAULT = Context.default()
    return _CTX


def _context_key() -> str:
    """The generator's and the enrichment context's part of a read-cache key, without loading the
    context: the default one (its vocabulary file and compiled gazetteer) is in readcache.fingerprint(),
    so a re-ingest of unchanged files never loads the 100 MB gazetteer. Another context (a tool's, a
    test's) is keyed by its own fingerprint. The fingerprint is in the key itself, not only in the
    cache's folder name, because the ledger's record of inputs is keyed by it too: a new version of
    the generator must read every file again, not replay what the old one made of it."""
    context = "default" if _CTX is None or _CTX is _DEFAULT else _CTX.fingerprint()
    return f"{readcache.fingerprint()}:{context}"



def read_all(files: list[str | Path], jobs: int, known=None, inputs: InputIndex | None = None,
             entries: list | None = None,
             unrecorded=None) -> Iterator[tuple[Path, list | RejectedInput | Known, str | None]]:
    """_read_all, with its start done at once: the inputs known by their identity settled, the others
    hashed ahead, and a daily update's worker forked, before this returns (the ingest then opens the
    pages while that worker loads what reading needs). Close the iterator when not read to the end."""
    reads = _read_all(files, jobs, known, inputs, entries, unrecorded)
    next(reads)
    return reads


def _read_all(files: list[str | Path], jobs: int, known=None, inputs: InputIndex | None = None,
              entries: list | None = None,
              unrecorded=None) -> Iterator[tuple[Path, list | RejectedInput | Known, str | None] | None]:
    """(file, result, read-cache key) in input order. Files `known(origin, key)` says were ingested
    with these very bytes come back as Known (not read); with an input index, a file whose identity
    (inode, size, times) is the one it had when last hashed, in a folder without sidecars, is not
    even hashed again: its recorded key is checked instead; unchanged files come from the read cache;
    the others are read in up to `jobs` worker processes, each killed when a file takes longer than
    READ_TIMEOUT seconds of wall-clock time (readpool.py), so the limit holds even inside C code.
    The key is None when the result must not be remembered (a time-out, a dead worker, a file that
    could not even be opened). `entries` are find_inputs' directory entries of the files (their
    stat is taken once, from the entry).

    Once the workers are forked (a file had to be read), a file whose name `unrecorded(origin)` says
    the ledger has no record of (so `known` cannot hold for any key) is not read and hashed here
    too: its worker hashes it, takes its read-cache entry when there is one, and sends its key
    (Prepared) first. In a first ingest that was a second read and hash of every file, in the
    process whose work is serial. Before any worker exists, files are hashed here as before, so a
    run whose files are all in the read cache forks none."""
    global _LISTINGS
    limit = READ_TIMEOUT
    pool = None  # made when a file first has to be read
    _LISTINGS = {}
    results: dict[int, tuple[list | RejectedInput | Known, str | None]] = {}
    keys: dict[int, str] = {}
    window = max(64, 16 * jobs)  # how far reading may run ahead of the results handed out
    nxt = done = 0
    try:
        same_keys: list[str | None] | None = None
        early: dict[int, tuple] = {}  # files hashed ahead to tell how many must be read (_look_ahead)
        sent: set[int] = set()  # files handed to the worker ahead of their turn
        if known is not None and inputs is not None:  # first the files known by their identity alone
            context = _context_key()
            same_keys = [_unchanged(f, known, inputs, entries[i] if entries is not None else None, context)
                         for i, f in enumerate(files)]
            reads: list[int] = []
            few = _look_ahead(files, entries, same_keys, known, inputs, early, reads)
            if few and reads:
                # A daily update: the one worker is forked now and loads what reading needs (the
                # enrichment context, the readers) itself, and reads the new files, while this
                # process settles the known inputs; neither waits for the other until the end.
                pool = _few_pool(limit)
                for i in reads:
                    keys[i] = early.pop(i)[1]
                    pool.submit(i, files[i], keys[i])
                    sent.add(i)
        else:
            few = len(files) <= FEW_FILES
        handed = 0  # results handed out since the worker's were last collected
        yield None  # started (read_all)
        # A few files to read (a daily update) are read by one worker, without the warm-up: a second
        # worker, or loading in the parent what one worker loads anyway, would cost more than it saves.
        while done < len(files):
            if done in results:
                # One result at a time, then the workers' finished reads collected and their queues
                # refilled: the ingest process writing a run of ready pages (or syncing) left the
                # workers' queues to run dry while they waited to be read from.
                yield files[done], *results.pop(done)
                done += 1
                handed += 1
                if pool is not None and (handed >= COLLECT_EVERY or not few):
                    handed = 0
                    for task in pool.poll():  # so a worker never waits on a full pipe
                        results[task.key] = _result(task, files[task.key], limit, keys, inputs)
            while nxt < len(files) and nxt - done < window:
                if nxt in sent:
                    nxt += 1
                    continue
                same = same_keys[nxt] if same_keys is not None else None
                if same is not None:  # settled without the pool (asking it for room was 4 % of an add-10)
                    results[nxt] = (Known(same), same)
                    nxt += 1
                    continue
                if pool is not None and not pool.has_room():
                    break
                entry = entries[nxt] if entries is not None else None
                if nxt in early:
                    prepared = early.pop(nxt)
                elif (unrecorded is not None and pool is not None and pool.workers and not few
                      and unrecorded(display_name(files[nxt]))):
                    pool.submit(nxt, files[nxt], None)  # hashed by its worker (Prepared)
                    nxt += 1
                    continue
                else:
                    prepared = _prepare_noted(files[nxt], inputs, entry)
                if isinstance(prepared, RejectedInput):
                    results[nxt] = (prepared, None)
                elif known is not None and known(display_name(files[nxt]), prepared[1]):
                    results[nxt] = (Known(prepared[1]), prepared[1])
                elif (cached := readcache.load(prepared[1])) is not None:
                    results[nxt] = (cached, prepared[1])
                else:
                    keys[nxt] = prepared[1]
                    if pool is None:
                        _reading()
                        pool = ReadPool(_read_in_worker, 1 if few else jobs, limit)
                    if not pool.workers:
                        if few:
                            _context()  # loaded before the worker forks: its clock never times it
                        else:
                            _before_fork()
                    pool.submit(nxt, files[nxt], prepared[1])
                nxt += 1
            if done in results or pool is None:
                continue
            for task in pool.wait():
                results[task.key] = _result(task, files[task.key], limit, keys, inputs)
    finally:
        if pool is not None:
            pool.close()
        _LISTINGS = None


def _result(task: Finished, path: Path, limit: float, keys: dict[int, str],
            inputs: InputIndex | None = None) -> tuple[list | RejectedInput, str | None]:
    """A finished task's (result, read-cache key) for read_all (no key when the read was cut short).
    A file its worker hashed (Prepared first) is noted in the input index here, as _prepare_noted
    notes the files hashed in this process."""
    if task.items and isinstance(task.items[0], Prepared):
        prepared = task.items.pop(0)
        keys[task.key] = prepared.key
        if inputs is not None:
            inputs.put(display_name(path), [prepared.key, _context_key()], prepared.stat, prepared.read_ns)
    return _ended(task, path, limit), keys.pop(task.key, None) if task.status == "done" else None


# How many results read_all hands out between two looks at the worker's pipe (a daily update).
COLLECT_EVERY = 256


def _few_pool(limit: float):
    """The pool of a daily update: one worker, forked at once, that loads what reading needs itself
    (its clock starts after that), with room for all FEW_FILES files at once."""
    from .gazetteer.cache import cache_dir

    # The worker's set-up opens the gazetteer's cache folder: an unusable one (a planted symbolic
    # link, another user's) is checked here, so it stops the ingest with one line (CacheDirError,
    # exit 2) as loading the gazetteer in this process did, not as a reject of every new file.
    cache_dir()
    pool_class = globals().get("ReadPool")  # imported with the readers, or replaced by a test
    if pool_class is None:
        from .readpool import ReadPool as pool_class  # the readers themselves are the worker's to load

    pool = pool_class(_read_in_worker, 1, limit, setup=_worker_setup, depth=FEW_FILES)
    pool.start()
    return pool


def _worker_setup() -> None:
    """A daily update's worker: the readers, the enrichment context and MinHash, loaded in the worker."""
    _context()
    dedup.preload()


def _prepare_noted(path: Path, inputs: InputIndex | None, entry: os.DirEntry | None):
    """_prepare, with the file's key noted in the input index (from the stat taken before reading)."""
    stats: list = []
    read_ns = now_ns()
    prepared = _prepare(path, stats, entry)
    if inputs is not None and stats and not isinstance(prepared, RejectedInput):
        inputs.put(display_name(path), [prepared[1], _context_key()], stats[0], read_ns)
    return prepared


def _look_ahead(files: list[Path], entries: list | None, same_keys: list[str | None], known, inputs: InputIndex,
                early: dict[int, tuple], reads: list[int] | None = None) -> bool:
    """Whether at most FEW_FILES files must be read. The files not known by their identity are hashed
    (in input order, as read_all would) until more than FEW_FILES of them are neither recorded nor in
    the read cache; their results go to `early` for read_all to use (the key, not the bytes: a worker
    reads the file again). Inputs whose identity changed while their bytes did not (an inbox just
    checked out or copied) are then still a daily update of a few new files, not a full read.
    `reads` receives the indexes of the files that must be read."""
    to_read = 0
    for i, same in enumerate(same_keys):
        if same is not None:
            continue
        prepared = _prepare_noted(files[i], inputs, entries[i] if entries is not None else None)
        if not isinstance(prepared, RejectedInput):
            prepared = (b"", prepared[1])
            if not known(display_name(files[i]), prepared[1]) and not readcache.exists(prepared[1]):
                to_read += 1
                if reads is not None:
                    reads.append(i)
        early[i] = prepared
        if to_read > FEW_FILES:
            return False
    return True


# At most this many files to read: one reading worker and no warm-up (`read_all`).
FEW_FILES = 16
WARM_UP = Path(__file__).resolve().parent / "data" / "warmup.txt"  # a small scrape of made-up news


def _before_fork() -> None:
    """What every reading worker would load or compile on its first file, done once here before the
    first worker is forked: the workers share it (copy-on-write pages) instead of each loading it
    again, and a worker's clock never times it. The enrichment context (vocabulary, gazetteer), the
    MinHash permutations, charset_normalizer, and one read of WARM_UP by the text reader, enriched and
    signed (the text model and its rule files, the language word lists, regular expressions compiled
    on first use). The warm-up's result is thrown away; a failure in it only costs the time."""
    ctx = _context()
    dedup.preload()
    import charset_normalizer  # noqa: F401  (textutil imports it when bytes are not UTF-8)

    from .enrich import enrich as enrich_article
    from .readers import lost_text as lost
    from .readers.text import parse_scrape

    try:
        text = WARM_UP.read_text(encoding="utf-8")
        article = enrich_article(bound_fields(parse_scrape(text, WARM_UP.name)), ctx)
        lost("text", text, article)
        dedup.signature(article.body_text)
    except Exception:  # noqa: BLE001 - only a warm-up
        pass


def _unchanged(path: Path, known, inputs: InputIndex | None, entry: os.DirEntry | None = None,
               context: str | None = None) -> str | None:
    """The read-cache key of an input known unchanged by its identity alone (not read), else None.
    `context` is _context_key(), when the caller has it (it is the same for every file of a run)."""
    if known is None or inputs is None:
        return None
    name = os.fspath(path)
    if _sidecars_in(os.path.dirname(name)) and _sidecar_of(path) is not None:
        return None
    origin = display_name(name)
    try:
        st = entry.stat() if entry is not None else None
    except OSError:
        return None
    row = inputs.get(origin, path, st)
    if (isinstance(row, list) and len(row) == 2 and row[1] == (context or _context_key())
            and isinstance(row[0], str) and known(origin, row[0])):
        return row[0]
    return None
