"""Atomic writes of bytes: a temporary file beside the target, renamed over it, so a reader (or a
crash) never sees half a file. Text pages have `writers.markdown.atomic_write`; this is for the
downloaded feeds, the update summary and the rewritten sitemap.xml.gz."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

_UMASK = os.umask(0)  # read once at import (setting it back at once): umask cannot be read otherwise
os.umask(_UMASK)


def write_bytes(path: Path, data: bytes) -> None:
    """Replace path with data atomically, keeping the mode of the file it replaces."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".tmp")
    try:
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            mode = 0o666 & ~_UMASK
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
