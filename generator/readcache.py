"""What each input file read as, kept so that re-ingesting a folder costs a hash per unchanged file
instead of an extraction (an HTML page takes tens of milliseconds to read; hashing it, microseconds).

An entry is keyed by everything the result depends on: the file's bytes, its sidecar's bytes, its
name (the origin recorded in the page), and a fingerprint of the generator itself (its code, its data
files, the versions of the libraries that read and enrich, the compiled gazetteer). Change any of
them and the file is read again. Only complete reads are kept: a rejected file is read again next
time, so a fix (or a new version) gets its chance.

The cache is derived data, outside `content/` (`$NEWS_ARCHIVE_READ_CACHE`, else
`<gazetteer cache dir>/inputs/`); deleting it only costs time. `archive ingest --no-cache` ignores it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from functools import lru_cache
from importlib import metadata
from pathlib import Path

ENABLED = True
# Libraries whose output ends up in a page: a new version may read the same bytes differently.
_LIBRARIES = ("trafilatura", "htmldate", "lxml", "feedparser", "python-dateutil", "datasketch",
              "charset-normalizer", "PyYAML", "pyahocorasick")
_PACKAGE = Path(__file__).resolve().parent
_NOT_READING = ("mkdocs_plugin", "evaluation")  # building the site and measuring do not change a read


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of the code, data and library versions that turn a file into articles."""
    from .gazetteer.build import cache_key

    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        rel = path.relative_to(_PACKAGE)
        if (not path.is_file() or rel.parts[0] in _NOT_READING or "__pycache__" in rel.parts
                or path.suffix not in (".py", ".yml", ".yaml", ".json", ".txt")):
            continue
        h.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")
    for lib in _LIBRARIES:
        try:
            h.update(f"{lib}={metadata.version(lib)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib}=none;".encode())
    h.update(cache_key().encode())
    return h.hexdigest()[:16]


def root() -> Path:
    env = os.environ.get("NEWS_ARCHIVE_READ_CACHE")
    if env:
        return Path(env)
    from .gazetteer.build import cache_dir

    return cache_dir() / "inputs"


def key(origin: str, data: bytes, sidecar: Path | None, context: str = "") -> str:
    """The entry for this file: its name and bytes, its sidecar's, and the enrichment context's hash."""
    h = hashlib.sha256(context.encode() + b"\0" + origin.encode("utf-8", "replace") + b"\0" + data)
    if sidecar is not None:
        try:
            h.update(b"\0sidecar\0" + sidecar.name.encode("utf-8", "replace") + b"\0" + sidecar.read_bytes())
        except OSError:
            h.update(b"\0sidecar unreadable")
    return h.hexdigest()


def _path(k: str) -> Path:
    return root() / fingerprint() / k[:2] / f"{k}.pickle"


def load(k: str):
    """The cached read for key k, or None."""
    if not ENABLED:
        return None
    try:
        with open(_path(k), "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None  # missing or damaged: read the file again


def store(k: str, items) -> None:
    """Keep a complete read (atomically: a reader never sees half an entry). Failures are ignored:
    the cache only saves time."""
    if not ENABLED:
        return
    path = _path(k)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            pickle.dump(items, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass


def prune() -> None:
    """Drop entries made by other versions of the generator: they can never be used again."""
    if not ENABLED:
        return
    try:
        current = fingerprint()
        for child in root().iterdir():
            if child.is_dir() and child.name != current:
                shutil.rmtree(child, ignore_errors=True)
    except OSError:
        pass
