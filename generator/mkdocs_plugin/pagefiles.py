"""Article page files, read at build start only when they may have changed (issue 12).

Every build needs each article page's digest (the build cache's key) and its record (front
matter), and the search index needs its body. Reading and hashing the 10,000 page files of a
10,000-article archive, and cutting each body out of its text, was about 0.35 CPU-s of every
rebuild, changed or not. The build cache now keeps, per page, the file as last read (size,
modification and change times, inode, device) with its digest (`BuildCache.stamps`): a file that is still that one is
not read; its digest is the stored one, its record comes from the cache as before, and its body is
read only when something needs it (`Bodies`): the page is rendered again, or the search index is
made (in its own process, on the other core).

A stamp is trusted only when the file's modification and change times were at least `MARGIN`
before the build that read it started (the change time moves with every write, even one whose
modification time is set back), as git treats a "racily clean" file: a file written in the same clock tick
as the read could change again without its time changing. The change time (ctime) is part of the
stamp, as in the ingest's page index (writers/pageindex.py): an editor's tool or script that writes
a page and sets its modification time back cannot set the change time back, so its edit is seen.
"""
from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

import yaml

from ..textutil import page_text
from ..writers.pagefile import refuse_aliases, split_page
from . import pagereads
from .index import Record, read_page_text, record_from_text

MARGIN_NS = 2_000_000_000
PARALLEL_MIN = 1000  # files to read before a fork pays (about 0.5 ms of parsing a file)


def _identity(st: os.stat_result) -> tuple[int, int, int, int, int]:
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev, st.st_ctime_ns


class Bodies:
    """The bodies not read at build start (their record's body is "" until then), by page."""

    def __init__(self) -> None:
        self.paths: dict[str, str] = {}  # src_uri -> file, for records whose body is not read yet

    def load(self, record: Record) -> None:
        """Give the record its body, from its file, if it was not read at build start."""
        path = self.paths.pop(record.src_uri, None)
        if path is not None:
            text = page_text(Path(path).read_bytes())[0]  # as read_page_text, no digest
            try:
                record.body = split_page(text)[1]
            except ValueError:
                record.body = None  # no longer closed: MkDocs reads the file as it is

    def load_all(self, records: Iterable[Record]) -> None:
        for r in records:
            if r.src_uri in self.paths:
                self.load(r)


def read(cache, pages: Iterable, bodies: Bodies, workers: int = 0) -> dict[str, Record]:
    """src_uri -> record of each article page (`pages`: MkDocs' File objects), through the build
    cache `cache` (a PageCache, or None): a page whose file is as the last build read it is not read.
    With `workers` > 0 and at least `PARALLEL_MIN` files to read (a clean build), forked processes
    parse a share of them each (pagereads.py)."""
    started = time.time_ns()
    store = cache.store if cache is not None else None
    known = store.stamps if store is not None else {}
    records: dict[str, Record | None] = {}
    todo: list[tuple[str, str, tuple | None]] = []  # files to read: (src_uri, path, identity)
    for f in pages:
        uri, path = f.src_uri, f.abs_src_path
        try:
            seen = _identity(os.stat(path))
        except OSError:
            seen = None
        stamp = known.get(uri)
        if seen is not None and stamp is not None and stamp[:5] == seen:
            record = cache.add(uri, stamp[5], context=None, text=None)
            if record is not None:
                if record.body == "":  # it has one: read when needed
                    bodies.paths[uri] = path
                store.stamp(uri, stamp)
                records[uri] = record
                continue
        records[uri] = None  # read below, in this order
        todo.append((uri, path, seen))
    # Workers parse what the build cache never held (a clean build's pages). A page it holds is read
    # here: its digest is usually the stored one and its record comes from the cache unparsed (every
    # file of a fresh checkout or copy has a new identity: forked, the workers parsed all 10,000
    # pages of an add-10 rebuild and the build waited 6 s for them).
    held = store.keys if store is not None else {}
    fresh = [t for t in todo if t[0] not in held]
    shares = pagereads.start(fresh, workers) if workers > 0 and len(fresh) >= PARALLEL_MIN else None
    theirs = fresh[shares.own:] if shares is not None else []
    parted = {t[0] for t in theirs}
    mine = [t for t in todo if t[0] not in parted] if parted else todo
    for uri, path, seen in mine:
        text, digest, problem = read_page_text(Path(path))
        record = cache.add(uri, digest, context=None, text=text) if cache is not None else None
        records[uri] = record or record_from_text(text, digest, problem, src_uri=uri)
        _stamp(store, uri, seen, digest, started)
    if shares is not None:
        for (uri, path, seen), (digest, parsed, cut) in zip(theirs, shares.results(), strict=True):
            # As above, with the text read there: a stored record gets the body `store.record` cuts.
            record = cache.add(uri, digest, context=None, text=None) if cache is not None else None
            if record is not None and record.body == "":
                record.body = parsed.body if cut is None else cut
            records[uri] = record or parsed
            _stamp(store, uri, seen, digest, started)
    return records  # type: ignore[return-value]  # every None was replaced


def _stamp(store, uri: str, seen: tuple | None, digest: str, started: int) -> None:
    """Remember the file as read, unless it may still change within its clock tick (racily clean)."""
    if store is not None and seen is not None and max(seen[1], seen[4]) < started - MARGIN_NS:
        store.stamp(uri, (*seen, digest))


def hand_written(file) -> tuple[str | None, str | None]:
    """(the source MkDocs should read instead, one warning line) for a page of the editors' own
    (not an article's): its front matter left out when it holds YAML anchors or aliases, else
    (None, None). Why: MkDocs expands them, and 300 bytes of them are a billion-entry list, which
    the build printed (a MemoryError traceback after 80 s and 2.2 GB in `notes.md`'s page)."""
    try:
        text = file.content_string
    except (OSError, UnicodeDecodeError):
        return None, None  # MkDocs reads it again and says what is wrong
    if not text.lstrip("\ufeff").startswith("---") or ("&" not in text and "*" not in text):
        return None, None
    try:
        front, body = split_page(text)
        if front is not None:
            refuse_aliases(front)
    except (ValueError, yaml.YAMLError) as exc:
        if not isinstance(exc, yaml.MarkedYAMLError) or "aliases" not in str(exc.problem):
            return None, None  # MkDocs says what else is wrong with it
        return body + "\n", (f"{file.src_uri}: front matter: {exc.problem}, line {exc.problem_mark.line + 1}: "
                              "the page is built without it")
    return None, None
