"""Atomic writes: a temporary file beside the target, renamed over it, so a reader (or a crash)
never sees half a file. The one mechanism behind pages (`writers.markdown.atomic_write`, synced),
the downloaded feeds, the update summary and the rewritten sitemap.xml.gz."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

TMP_PREFIX = ".tmp-"  # hidden from MkDocs and never taken for a page
_UMASK = os.umask(0)  # read once at import (setting it back at once): umask cannot be read otherwise
os.umask(_UMASK)


def holds(path: str | os.PathLike, data: bytes) -> bool:
    """Whether path already holds exactly these bytes: a build then leaves it alone, modification
    time too (a server revalidating by date keeps it cached, and an unchanged site deploys nothing)."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as fh:
            return fh.read() == data
    except OSError:
        return False


def write_bytes(path: Path, data: bytes, *, sync: bool = False) -> None:
    """Replace path with data atomically, keeping the mode of the file it replaces (mkstemp makes
    0600 files); with `sync`, the data is on disk before the rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TMP_PREFIX, suffix=".tmp")
    try:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            mode = 0o666 & ~_UMASK
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
