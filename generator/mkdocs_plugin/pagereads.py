"""Article page files read and parsed in forked processes at a clean build's start (issue 12).

Why: a clean build at 10,000 articles parsed every page's front matter (libyaml, then the checks of
`record_from_text`) in the main process, about 5 of the 12 CPU-s of `on_files`, while the second
core was idle: the search index's child starts only once the records exist. So when many files are
to be read (`pagefiles.PARALLEL_MIN`), the main process forks a worker per extra core, each reads
and parses a contiguous share of the files while the main process reads the first, and each sends
back, per file, its digest, its record (as `recordblob` stores it: plain values, read in C, with
the values the plugin derives from every record: `_derive`) and the body `BuildCache.record` would cut from the text, when that differs from the record's. The main
process then takes each file exactly as when it reads it itself (the build cache's record when it
holds the digest, the parsed one otherwise), in the files' order. A worker's log records are
logged again here; a worker that fails is reported with its traceback and its files are read here.
"""
from __future__ import annotations

import logging
import multiprocessing
import traceback
from collections.abc import Iterator
from pathlib import Path

from ..writers.pagefile import split_page
from . import recordblob
from .index import Record, derive, read_page_text, record_from_text

log = logging.getLogger("mkdocs.plugins.generator.mkdocs_plugin.pagereads")


class Shares:
    """The files read by workers: `todo[own:]`, in `parts` contiguous shares, one per worker."""

    def __init__(self, todo: list[tuple], own: int, parts: list[tuple[int, int]], workers: list) -> None:
        self.todo, self.own, self.parts, self.workers = todo, own, parts, workers

    def results(self) -> Iterator[tuple[str, Record, str | None]]:
        """(digest, record, cut body or None for the record's own) of each worker's file, in order."""
        loader = recordblob.Loader()
        for (start, end), (proc, receive) in zip(self.parts, self.workers, strict=True):
            try:
                status, rows, records = receive.recv()
            except EOFError:
                status, rows, records = f"exited with code {proc.exitcode}", [], []
            finally:
                receive.close()
                proc.join()
            for record in records:  # logged here, as if this process had read the file
                logging.getLogger(record["name"]).handle(logging.makeLogRecord(record))
            if status != "ok":
                log.info("archive: reading pages in a worker failed (%s); read here instead", status)
                rows = [_read(uri, path) for uri, path, _seen in self.todo[start:end]]
                for digest, blob, cut in rows:
                    yield digest, loader.loads(blob), cut
                continue
            for digest, blob, cut in rows:
                yield digest, loader.loads(blob), cut


def start(todo: list[tuple], workers: int) -> Shares | None:
    """Fork `workers` readers for all but the first share of `todo` ((src_uri, path, identity) each);
    None when this system cannot fork."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    ctx = multiprocessing.get_context("fork")
    size = -(-len(todo) // (workers + 1))
    parts = [(start, min(start + size, len(todo))) for start in range(size, len(todo), size)]
    running: list = []
    for start_, end in parts:
        receive, send = ctx.Pipe(duplex=False)
        inherited = [r for _p, r in running] + [receive]  # closed in the worker (parallel.py's reason)
        proc = ctx.Process(target=_work, args=(todo[start_:end], send, inherited), name="archive-read", daemon=True)
        proc.start()
        send.close()
        running.append((proc, receive))
    return Shares(todo, size, parts, running)


def _read(uri: str, path: str) -> tuple[str, bytes, str | None]:
    """One file as the main process would read it: digest, record blob, cut body (None: the record's)."""
    text, digest, problem = read_page_text(Path(path))
    record = record_from_text(text, digest, problem, src_uri=uri)
    _derive(record)
    try:
        cut = split_page(text)[1]
    except ValueError:
        cut = None
    return digest, recordblob.dumps(record, record.body), None if cut == record.body else cut


def _derive(record: Record) -> None:
    """What the plugin derives from every record at build start (its listing fingerprint, its map's
    view, its related-article keys), made here: kept in `Record.derived`, so sent with the record,
    and the same values the main process would make (about 0.6 CPU-s of a clean build at 10,000)."""
    from . import article, related
    from .listingcache import fingerprint

    derive(record, "print", fingerprint)
    derive(record, "view", article.view)
    related._keys(record)


def _work(share: list[tuple], conn, inherited: list) -> None:
    from .parallel import worker_start  # as the page workers start

    capture = worker_start(inherited)
    status, rows = "ok", []
    try:
        rows = [_read(uri, path) for uri, path, _seen in share]
    except BaseException as exc:  # noqa: BLE001 - reported to the main process, which reads them itself
        status, rows = f"{type(exc).__name__}: {exc}: {''.join(traceback.format_exception(exc))[-500:]}", []
    conn.send((status, rows, capture.records))
    conn.close()
