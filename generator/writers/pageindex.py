"""Which article id (and duplicate ids) each page holds, remembered between runs by file identity.

Every ingest starts by finding the pages by the ids in their front matter (pages are found by id,
never by path). Reading 10,000 pages for that was a third of an unchanged re-ingest; here a page
whose identity (inode, size, modification and change times, in nanoseconds) is the one recorded
when it was last read is not read again. Any write to a page changes its change time (which no
program can set back) and a replaced page has another inode, so an edited page is always read.
A page that changed within RACY_NS before it was read is read again next time (an edit in the same
clock tick as that read would not show in its times: git's "racily clean" rule).

The index is derived data, kept beside the read cache (never in content/: a re-ingest that changes
nothing writes nothing there), one JSON file per content folder; `--no-cache` does not use it, and
losing it only costs reading the pages once.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from .. import readcache
from ..atomicfile import write_bytes

RACY_NS = 2_000_000_000  # file-system timestamps are coarse (milliseconds); two seconds is safe


def identity(st: os.stat_result) -> str:
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


class PageIndex:
    """page path (relative to the content folder) -> {'id': ..., 'duplicate_ids': [...]}."""

    def __init__(self, content: Path) -> None:
        self.content = Path(content)
        self.file: Path | None = None
        self.rows: dict[str, list] = {}
        self.changed = False
        self.seen: set[str] = set()
        if not readcache.ENABLED:
            return
        try:
            folder = readcache.root() / readcache.PAGES
            name = hashlib.sha256(os.fsencode(self.content.resolve())).hexdigest()[:24]
            self.file = folder / f"{name}.json"
            if self.file.exists():
                rows = json.loads(self.file.read_bytes())
                self.rows = rows if isinstance(rows, dict) else {}
        except (OSError, ValueError):
            self.rows = {}  # unreadable or not ours (cachedir refused it): read every page

    def known(self, path: Path) -> dict | None:
        """The ids recorded for this page when its identity is the one recorded, else None (read it)."""
        rel = path.relative_to(self.content).as_posix()
        self.seen.add(rel)
        row = self.rows.get(rel)
        if not isinstance(row, list) or len(row) != 3:
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        if identity(st) != row[0] or not isinstance(row[1], int) or st.st_ctime_ns > row[1] - RACY_NS:
            return None
        return row[2] if isinstance(row[2], dict) else None

    def read(self, path: Path, ids: dict, st: os.stat_result, read_ns: int) -> None:
        """Remember the ids just read from a page; `st` and `read_ns` were taken before reading it."""
        rel = path.relative_to(self.content).as_posix()
        row = [identity(st), read_ns, json.loads(json.dumps(ids, default=str))]
        if self.rows.get(rel) != row:
            self.rows[rel] = row
            self.changed = True

    def save(self) -> None:
        """Write the index when it changed (pages read, pages gone). Failures only cost time."""
        if self.file is None:
            return
        gone = [p for p in self.rows if p not in self.seen]
        for p in gone:
            del self.rows[p]
        if not (self.changed or gone):
            return
        try:
            self.file.parent.mkdir(mode=0o700, exist_ok=True)
            write_bytes(self.file, json.dumps(self.rows, separators=(",", ":")).encode("utf-8"))
        except OSError:
            pass


def now_ns() -> int:
    return time.time_ns()
