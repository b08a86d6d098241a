"""Pages the build cache does not hold are rendered on every core (issue 12).

Why: a clean build at 10,000 articles spent about 30 of its 44 CPU-s in MkDocs' page loop, one
page after the other in one process, while the second core sat idle once the search index's child
was done. MkDocs has no parallel page loop, but it does not need to render the pages the build
cache serves whole either (unchanged.py: they are left out of `Files.documentation_pages()` and
their stored HTML is put in place at the end). So the pages the cache keys but does not hold yet,
and that are not in the navigation (articles and listings), are left out of MkDocs' loop the same
way (`plan`, at `on_nav`), and rendered in `on_env` (`render`): once MkDocs has read the pages
that stay its own (the navigation's pages, whose titles every page's navigation shows) and made
the Jinja environment every page is rendered with. The main process and forked workers take
chunks of them (`_Segments`), and each page goes through exactly what MkDocs'
loop does for it (`_populate_page`, then `_build_page`: every plugin event, the same Markdown
instance and navigation memo, the file written); a worker sends back what the build cache
keeps for each page (its finished HTML, compressed), the files it wrote (kept by `archive build`'s
site writer) and every log record, which the main process logs again: a page that warns still
warns, fails a strict build and leaves the cache uncommitted, as before.

Only when the build cache and unchanged.py are in use (no other plugin), the system can fork, there
is more than one core (option `parallel_workers`, 0: one worker per core beyond the first) and at
least `parallel_min_pages` pages (default 1,000: the ~440 pages an add-10 rebuild at 10,000 articles
renders cost 0.5-1.1 CPU-s more with a worker, for no measurable gain in wall time, as the search
child already uses the second core) are to be rendered; `parallel_render: false` switches it off.
`tests/test_parallel_render.py` checks the site is the serial build's, byte for byte.

Not the same as MkDocs' loop in one respect, shared with the pages the cache serves: a link to
an anchor of one of these pages, or from one to another page's anchor, is not checked against
anchors (`validation.links.anchors`, an info message by default).
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
from multiprocessing.connection import Connection

from mkdocs import utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from .. import sitewrite
from . import gctune, unchanged

CHUNK = 12  # pages taken at a time (about 25 ms of work: the last worker to finish waits at most that)
# A worker sends its pages' stored results in messages of this many, each stored before the next is
# read: one message of all ~6,700 (their compressed HTML and its pickle, then the objects) was the
# main process's largest moment, and grew with the archive.
BATCH = 256
_MORE = "\0more"  # a message's status when more follow


_BUSY = [False]  # in `_Job.run`: a page's content is built right after it is made (plugin._park)


def busy() -> bool:
    """Is this process rendering the share's pages (each built as soon as it is read)?"""
    return _BUSY[0]


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Share:
    """The pages rendered outside MkDocs' loop, and the workers that help render them."""

    def __init__(self, files: list[File], workers: int) -> None:
        self.files = files
        self.workers = workers
        self.rendered_here = 0  # pages the main process rendered (tests read them)
        self.rendered_there = 0


def plan(files, nav, cache, options) -> Share | None:
    """Take the pages the build cache keys but does not hold out of MkDocs' loop when it is worth
    rendering them on several cores; None leaves every page to MkDocs. `files` must be
    unchanged.PageFiles (the cache serves pages whole), whose `skipped` pages MkDocs leaves out."""
    if not (options.enabled and options.parallel_render and cache is not None
            and isinstance(files, unchanged.PageFiles)):
        return None
    workers, min_pages = options.parallel_workers or cores() - 1, options.parallel_min_pages
    if workers < 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    wanted = {u for u in cache.keys if u not in cache.cached} - {p.file.src_uri for p in nav.pages}
    chosen = [f for f in files.documentation_pages() if f.src_uri in wanted and not f.inclusion.is_excluded()]
    if len(chosen) < max(min_pages, 1):
        return None
    files.skipped.update(f.src_uri for f in chosen)
    return Share(chosen, workers)


def render(share: Share, config, files, nav, env, cache, outputs) -> None:
    """Render the share's pages here and in forked workers; the workers' results go where this
    process's own go (the build cache's new pages, the outputs it records, the files kept)."""
    ctx = multiprocessing.get_context("fork")
    segments = _Segments(ctx, len(share.files), share.workers + 1)
    doc_files = files.documentation_pages()  # what MkDocs' own loop gives each page's context
    job = _Job(share.files, segments, config, files, nav, env, doc_files)
    share.rendered_here += job.run()  # a first chunk here: the templates are compiled before the fork
    workers: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    # What exists now (the Jinja environment, MkDocs' pages, the listings) is moved out of the
    # collector's reach: a collection in a worker or here would otherwise touch every object's
    # header and copy the page it is on (copy-on-write). Undone at the build's end (gctune.restore).
    gctune.freeze()
    cache.store.packer.seal()  # the workers compress pages against the dictionary chosen here (pagezip.py)
    try:
        for n in range(share.workers):
            receive, send = ctx.Pipe(duplex=False)
            # The worker closes the read ends it inherits (its own pipe's too): were the main process
            # killed, its last send then fails instead of waiting forever on a pipe it holds itself.
            inherited = [r for _p, r in workers] + [receive]
            proc = ctx.Process(target=job.work, args=(send, cache, outputs, inherited, n + 1),
                               name=f"archive-pages-{n}", daemon=True)
            proc.start()
            send.close()
            workers.append((proc, receive))
        share.rendered_here += job.run(until_done=True)
        failures = []
        for proc, receive in workers:
            status = _MORE
            while status == _MORE:
                try:
                    status, pages, records = receive.recv()
                except EOFError:
                    proc.join()
                    status, pages, records = f"exited with code {proc.exitcode}", [], []
                for record in records:  # logged here, as if this process had rendered the page
                    logging.getLogger(record["name"]).handle(logging.makeLogRecord(record))
                for uri, stored, written, dests in pages:
                    cache.store.new[uri] = stored
                    if written is not None:
                        outputs.rendered[uri] = written
                    for dest in dests:
                        sitewrite.confirm(dest)
                share.rendered_there += len(pages)
            if status != "ok":
                failures.append(status)
        if failures:
            raise PluginError("archive: rendering pages in a worker process failed: " + "; ".join(failures))
    finally:
        for proc, receive in workers:
            receive.close()
            if proc.is_alive():
                proc.terminate()
            proc.join()
        for file in share.files:
            file.page = None  # as a page the cache serves: no Page kept to the end of the build


class _Segments:
    """The share's pages cut into one contiguous segment per process, taken CHUNK pages at a time.

    Why not one counter for all: chunks dealt in turn gave every process pages of every folder,
    and a page's skeleton (skeleton.py) and article links (article.Links) are made per folder and
    per process: of the 299 shapes of a clean build at 10,000 articles, the main process made 221
    and the worker 227 (four Jinja renders each). A process renders its own segment from the
    front; when it is done it takes chunks from the back of the segment with the most pages left,
    so the processes still finish within a chunk of each other."""

    def __init__(self, ctx, count: int, processes: int) -> None:
        bounds = [count * i // processes for i in range(processes + 1)]
        self.array = ctx.Array("q", [v for i in range(processes) for v in (bounds[i], bounds[i + 1])])

    def take(self, me: int) -> range:
        """The next chunk for process `me` (0: the main process); empty when no page is left."""
        a = self.array
        with a.get_lock():
            start, end = a[2 * me], a[2 * me + 1]
            if start < end:
                a[2 * me] = stop = min(start + CHUNK, end)
                return range(start, stop)
            left = [a[2 * j + 1] - a[2 * j] for j in range(len(a) // 2)]
            j = max(range(len(left)), key=left.__getitem__)
            if left[j] <= 0:
                return range(0)
            end = a[2 * j + 1]
            a[2 * j + 1] = start = max(a[2 * j], end - CHUNK)
            return range(start, end)


class _Job:
    """One build's shared page list; `run` renders chunks of it until none is left."""

    def __init__(self, pages: list[File], segments: _Segments, config, files, nav, env, doc_files) -> None:
        self.pages, self.segments, self.me = pages, segments, 0  # me: this process's segment (work sets it)
        self.config, self.files, self.nav, self.env, self.doc_files = config, files, nav, env, doc_files

    def _take(self) -> range:
        return self.segments.take(self.me)

    def run(self, until_done: bool = False, done: list[File] | None = None) -> int:
        """Render chunks (one, or until none is left); the number of pages rendered."""
        count = 0
        _BUSY[0] = True
        try:
            while chunk := self._take():
                for i in chunk:
                    file = self.pages[i]
                    page = file.page if file.page is not None else Page(None, file, self.config)
                    mkdocs_build._populate_page(page, self.config, self.files)
                    mkdocs_build._build_page(page, self.config, self.doc_files, self.nav, self.env)
                    if done is not None:
                        done.append(file)
                    count += 1
                if not until_done:
                    break
        finally:
            _BUSY[0] = False
        return count

    def work(self, conn: Connection, cache, outputs, inherited: list[Connection] = (), me: int = 1) -> None:
        """A worker: render chunks, then send each page's stored result, written files and the log."""
        capture = worker_start(inherited)
        self.me = me
        written: set[str] = set()
        real_write = utils.write_file  # `archive build`'s site writer, when it runs

        def write_file(content: bytes, output_path: str) -> None:
            real_write(content, output_path)
            written.add(os.path.abspath(output_path))

        utils.write_file = write_file
        done: list[File] = []
        status = "ok"
        try:
            self.run(until_done=True, done=done)
        except BaseException as exc:  # noqa: BLE001 - sent to the main process, which fails the build
            status = f"{type(exc).__name__}: {exc}"
            logging.getLogger("mkdocs.archive").error("".join(traceback.format_exception(exc)).rstrip())
        pages = []
        for file in done:
            uri, dest = file.src_uri, os.path.abspath(file.abs_dest_path)
            stored = cache.store.new.pop(uri, None)  # every page of the share is keyed: stored unless it failed
            if stored is not None:
                pages.append((uri, stored, outputs.rendered.pop(uri, None), [dest] if dest in written else []))
                if len(pages) == BATCH:
                    conn.send((_MORE, pages, []))
                    pages = []
        conn.send((status, pages, capture.records))
        conn.close()


def worker_start(inherited) -> _Capture:
    """A forked worker's first step: close the pipes it inherited from earlier workers and capture
    MkDocs' log, which the main process logs again (nothing is printed or counted in the worker)."""
    for other in inherited:
        other.close()
    capture = _Capture()
    logger = logging.getLogger("mkdocs")
    logger.handlers = [capture]
    logger.propagate = False
    return capture


class _Capture(logging.Handler):
    """A worker's log records, as plain values the main process makes records of again."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        self.records.append({"name": record.name, "levelno": record.levelno, "levelname": record.levelname,
                             "msg": message, "args": None, "pathname": record.pathname, "lineno": record.lineno,
                             "funcName": record.funcName, "created": record.created, "msecs": record.msecs,
                             "module": record.module, "filename": record.filename})
