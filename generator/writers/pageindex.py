"""What was read from a file, remembered between runs by the file's identity, so an unchanged file
is not read again: the ids a page holds (PageIndex) and an input's read-cache key (InputIndex).

Every ingest starts by finding the pages by the ids in their front matter (pages are found by id,
never by path), and by hashing every input to see whether it changed. Reading 10,000 pages was a
third of an unchanged re-ingest, hashing the inputs another sixth. Here a file whose identity
(device, inode, size, modification and change times, in nanoseconds) is the one recorded when it
was last read is not read again. Any write to a file changes its change time (which no program can
set back) and a replaced file has another inode, so an edit is always seen. A file that changed
within RACY_NS before it was read is read again next time (an edit in the same clock tick as that
read would not show in its times: git's "racily clean" rule). A page the ingest writes is recorded
with its identity right after the write (`wrote`): its ids are the ones written, so the next ingest
need not read back the pages the last one wrote (10,000 after a first ingest).

The indexes are derived data, kept beside the read cache (never in content/: a re-ingest that
changes nothing writes nothing there), one JSON file per content folder and kind; `--no-cache` does
not use them, and losing them only costs reading the files once.
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
WRITTEN = "written"  # in place of the read time: the value is what this generator wrote to the file


def identity(st: os.stat_result) -> str:
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def now_ns() -> int:
    return time.time_ns()


class IdentityIndex:
    """name -> a JSON value read from a file, valid while the file's identity is the recorded one."""

    KIND = "files"

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
            self.file = folder / f"{name}{'' if self.KIND == 'pages' else '.' + self.KIND}.json"
            if self.file.exists():
                rows = json.loads(self.file.read_bytes())
                self.rows = rows if isinstance(rows, dict) else {}
        except (OSError, ValueError):
            self.rows = {}  # unreadable or not ours (cachedir refused it): read every file

    def get(self, name: str, path: Path | str, st: os.stat_result | None = None):
        """The value recorded for `name` when `path` has the recorded identity, else None (read it)."""
        self.seen.add(name)
        row = self.rows.get(name)
        if not isinstance(row, list) or len(row) != 3:
            return None
        try:
            st = st or os.stat(path)
        except OSError:
            return None
        if identity(st) != row[0]:
            return None
        if row[1] != WRITTEN and (not isinstance(row[1], int) or st.st_ctime_ns > row[1] - RACY_NS):
            return None
        return row[2]

    def put(self, name: str, value, st: os.stat_result, read_ns: int) -> None:
        """Remember what was just read; `st` and `read_ns` were taken before reading the file."""
        self.seen.add(name)
        row = [identity(st), read_ns, value if _plain(value) else json.loads(json.dumps(value, default=str))]
        if self.rows.get(name) != row:
            self.rows[name] = row
            self.changed = True

    def wrote(self, name: str, value, st: os.stat_result) -> None:
        """Remember what this process just wrote to the file (`st`: its stat right after the write).
        No read can be racy here: the value is what was written, so the file is known by that identity
        until anything changes it (as the ledger's record of a page's size and mtime already is)."""
        self.put(name, value, st, 0)
        self.rows[name][1] = WRITTEN

    def save(self, forget_unseen: bool = True) -> None:
        """Write the index when it changed. Failures only cost time."""
        if self.file is None:
            return
        gone = [p for p in self.rows if p not in self.seen] if forget_unseen else []
        for p in gone:
            del self.rows[p]
        if not (self.changed or gone):
            return
        try:
            self.file.parent.mkdir(mode=0o700, exist_ok=True)
            write_bytes(self.file, json.dumps(self.rows, separators=(",", ":")).encode("utf-8"))
        except OSError:
            pass


def _plain(value) -> bool:
    """Whether `value` is already what a JSON round trip gives (text, or a list or dict of text):
    a page's ids are, and the round trip was a fifth of reading a page's ids."""
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return all(type(v) is str for v in value)
    if isinstance(value, dict):
        return all(type(k) is str and (type(v) is str or (type(v) is list and all(type(x) is str for x in v)))
                   for k, v in value.items())
    return False


class PageIndex(IdentityIndex):
    """page path (relative to the content folder) -> {'id': ..., 'duplicate_ids': [...]}."""

    KIND = "pages"

    def known(self, path: Path, name: str | None = None, st: os.stat_result | None = None) -> dict | None:
        """The ids recorded for the page at `path` (`name`: its path relative to the content folder,
        when the caller has it; `st`: its stat, when the caller took it)."""
        ids = self.get(name or path.relative_to(self.content).as_posix(), path, st)
        return ids if isinstance(ids, dict) else None

    def read(self, path: Path, ids: dict, st: os.stat_result, read_ns: int, name: str | None = None) -> None:
        self.put(name or path.relative_to(self.content).as_posix(), ids, st, read_ns)


class InputIndex(IdentityIndex):
    """input origin -> [read-cache key, the context key it was made with]: an unchanged input is
    matched with the ledger's record of inputs without being read and hashed again."""

    KIND = "inputs"
