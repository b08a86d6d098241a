"""Cache folders that only their owner can touch.

Both caches (the compiled gazetteer and the read cache) hold data that is loaded back without being
re-derived, so whoever can write into their folder decides what the generator believes. A cache
folder is therefore created 0700, and one that already exists is used only when it is a real folder
(not a symbolic link) owned by the current user; a group- or world-writable one of ours is tightened
to 0700. Anything else is refused with one clear line (`CacheDirError`) instead of being trusted:
another local user who created `/tmp/news-archive-<uid>` first cannot feed us data.

A folder of ours carries a `CACHEDIR.TAG` (the Cache Directory Tagging convention: backup tools
skip it). An existing folder without one is adopted only when it is empty, or 0700 (as every
version of ours made its folders) holding nothing but names our caches use; any other
(`build_cache_dir: /etc`, `NEWS_ARCHIVE_CACHE=/tmp`, `NEWS_ARCHIVE_READ_CACHE=$HOME`, the
project's own folder) is refused: it was filled with cache files, tightened to 0700, and the read
cache's pruning removed every folder in it that was not a cache version (a home folder lost its
Python installation that way).
"""
from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

MODE = 0o700
TAG_NAME = "CACHEDIR.TAG"
TAG_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by the news archive generator.\n"
            "# For information about cache directory tags see https://bford.info/cachedir/\n")


class CacheDirError(OSError):
    """A cache folder or file that is not safely ours; the message says which and why."""


def _owner_check(path: Path, st: os.stat_result, what: str) -> None:
    uid = os.getuid() if hasattr(os, "getuid") else None
    if uid is not None and st.st_uid != uid:
        raise CacheDirError(f"{what} {path} belongs to another user (uid {st.st_uid}, you are {uid}): "
                            "refusing to use it; remove it or set NEWS_ARCHIVE_CACHE to a folder of yours")


def ensure(path: Path) -> Path:
    """Create `path` (and missing parents) as 0700, or check an existing one: a real folder, ours,
    not writable by others (tightened to 0700 if it is). Returns the path; raises CacheDirError when
    it exists but is not safely ours, another OSError when it cannot be created."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(path, MODE)
        created = True
    except FileExistsError:
        created = False
    st = os.lstat(path)  # an OSError here means it cannot be made at all: callers may fall back
    if stat.S_ISLNK(st.st_mode):
        raise CacheDirError(f"cache folder {path} is a symbolic link: refusing to use it")
    if not stat.S_ISDIR(st.st_mode):
        raise CacheDirError(f"cache folder {path} is not a folder")
    _owner_check(path, st, "cache folder")
    tagged = (path / TAG_NAME).is_file() or (path.parent / TAG_NAME).is_file()  # a cache's own subfolder
    if not created and not tagged and not _legacy(path, st):
        raise CacheDirError(f"cache folder {path} already holds files and is not a cache of ours (no {TAG_NAME}): "
                            "refusing to use it or change its permissions; point the cache at a new or empty folder")
    if stat.S_IMODE(st.st_mode) & 0o077:
        os.chmod(path, MODE)
    if not tagged:
        (path / TAG_NAME).write_text(TAG_TEXT, encoding="ascii")
    return path


# Every name an untagged cache of an earlier version may hold at its top: the gazetteer's builds,
# the read cache's versions and page index, the build cache's database, folders and search state.
_LEGACY_NAMES = re.compile(r"gazetteer-[\w.-]+|inputs|versions\.json|[0-9a-f]{16}|pages|size-checked\.json"
                           r"|pages\.sqlite(-wal|-shm|-journal)?|jinja|exports|locator|search-index[\w.-]*"
                           r"|\.[\w.-]+\.tmp[\w.-]*")


def _legacy(path: Path, st: os.stat_result) -> bool:
    """Empty, or a cache an earlier version made (0700, only names it used): safe to adopt."""
    with os.scandir(path) as listing:
        names = [e.name for e in listing]
    return not names or (stat.S_IMODE(st.st_mode) & 0o077 == 0 and all(_LEGACY_NAMES.fullmatch(n) for n in names))


def check_file(path: Path) -> None:
    """Before loading a cache file: a regular file (not a link), ours, writable by nobody else."""
    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode):
        raise CacheDirError(f"cache file {path} is not a regular file: refusing to load it")
    _owner_check(path, st, "cache file")
    if stat.S_IMODE(st.st_mode) & 0o022:
        raise CacheDirError(f"cache file {path} is writable by other users: refusing to load it")


def user_cache_dir() -> Path:
    """$NEWS_ARCHIVE_CACHE, else $XDG_CACHE_HOME/news-archive or ~/.cache/news-archive, else (when
    that cannot be created) `news-archive-<uid>` in the temporary folder; always checked by ensure()."""
    env = os.environ.get("NEWS_ARCHIVE_CACHE")
    if env:
        return ensure(Path(env))
    base = Path(os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")) / "news-archive"
    try:
        ensure(base)
        if os.access(base, os.W_OK):
            return base
    except CacheDirError:
        raise
    except OSError:
        pass
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    return ensure(Path(tempfile.gettempdir()) / f"news-archive-{uid}")
