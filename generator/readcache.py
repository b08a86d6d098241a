"""What each input file read as, kept so that re-ingesting a folder costs a hash per unchanged file
instead of an extraction (an HTML page takes tens of milliseconds to read; hashing it, microseconds).

An entry is keyed by everything the result depends on: the file's bytes, its sidecar's bytes, its
name (the origin recorded in the page), and a fingerprint of the generator itself (its code, its data
files, the versions of the libraries that read and enrich, the compiled gazetteer). Change any of
them and the file is read again. Only complete reads are kept: a rejected file is read again next
time, so a fix (or a new version) gets its chance. A first ingest's reads are mostly not kept:
a file its reading worker hashes (one the ledger has no record of, in a run of many) is settled
next time by the ledger's record of inputs instead (reading._read_in_worker; docs/scaling.md,
round 31b, says which later runs then read a file again).

The cache is derived data, outside `content/` (`$NEWS_ARCHIVE_READ_CACHE`, else
`<gazetteer cache dir>/inputs/`), zlib-compressed and kept under 1 GB (least recently used entries
go first); deleting it only costs time. `archive ingest --no-cache` ignores it.

Entries are JSON (never pickle: loading a cache entry must not be able to run code), in a folder
created 0700 and refused when someone else owns it (generator/cachedir.py).
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import zlib
from dataclasses import fields
from datetime import date
from functools import lru_cache
from pathlib import Path

from .model import Article, Block, Place
from .versions import installed

ENABLED = True
_VERSION = re.compile(r"[0-9a-f]{16}")  # an entry version's folder (fingerprint())
PAGES = "pages"  # the page index's folder (writers/pageindex.py), not an entry version
# Entries are small (a few KB compressed per article) but one is kept per file ever read; past this
# size the least recently used go ($NEWS_ARCHIVE_READ_CACHE_MB overrides).
MAX_MB = 1024
# Libraries whose output ends up in a page: a new version may read the same bytes differently.
_LIBRARIES = ("trafilatura", "htmldate", "lxml", "feedparser", "python-dateutil", "datasketch",
              "charset-normalizer", "PyYAML", "pyahocorasick")
_PACKAGE = Path(__file__).resolve().parent
_NOT_READING = ("mkdocs_plugin", "evaluation")  # building the site and measuring do not change a read


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of the code, data and library versions that turn a file into articles."""
    from .gazetteer.cache import cache_key

    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        rel = path.relative_to(_PACKAGE)
        if (not path.is_file() or rel.parts[0] in _NOT_READING or "__pycache__" in rel.parts
                or path.suffix not in (".py", ".yml", ".yaml", ".json", ".txt")):
            continue
        h.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")
    for lib, version in installed(_LIBRARIES).items():
        h.update(f"{lib}={version or 'none'};".encode())
    h.update(cache_key().encode())
    return h.hexdigest()[:16]


def root() -> Path:
    """The cache folder, checked (ours, 0700) by cachedir.ensure; raises CacheDirError otherwise.
    Checked once per process and folder (it was checked again for every entry stored or loaded)."""
    env = os.environ.get("NEWS_ARCHIVE_READ_CACHE")
    if env:
        known = _BY_ENV.get(env)  # a Path made and hashed for every entry stored or looked up was
        if known is None:         # most of making an entry's file name
            known = _BY_ENV[env] = _checked(Path(env))
        return known
    from .gazetteer.cache import cache_dir

    return _checked(cache_dir() / "inputs")


_CHECKED: dict[Path, Path] = {}
_BY_ENV: dict[str, Path] = {}  # $NEWS_ARCHIVE_READ_CACHE's text -> its checked folder
_MADE: set[str] = set()  # entry folders known to exist (made or seen by this process)


def _checked(folder: Path) -> Path:
    if folder not in _CHECKED:
        from .cachedir import ensure

        _CHECKED[folder] = ensure(folder)
    return _CHECKED[folder]


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
    return Path(_file(k))


_VERSION_FOLDER: dict[tuple[Path, str], str] = {}  # (root, fingerprint) -> that version's folder, as text


def _file(k: str) -> str:
    """The entry file of key k, as text: made for every file an ingest reads or looks up (three Path
    joins each time were most of a look-up that finds nothing)."""
    at = (root(), fingerprint())
    folder = _VERSION_FOLDER.get(at)
    if folder is None:
        folder = _VERSION_FOLDER[at] = os.path.join(*at)
    return f"{folder}/{k[:2]}/{k}.json.z"


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
_BLOCK_FIELDS = tuple(f.name for f in fields(Block))
_PLACE_FIELDS = tuple(f.name for f in fields(Place))


def _article_dict(item: Article) -> dict:
    """An Article as plain data, field by field (dataclasses.asdict deep-copies every value: it was
    half the cost of storing an entry)."""
    d = {name: getattr(item, name) for name in _ARTICLE_FIELDS}
    d["blocks"] = [{name: getattr(b, name) for name in _BLOCK_FIELDS} for b in item.blocks]
    d["places"] = [{name: getattr(p, name) for name in _PLACE_FIELDS} for p in item.places]
    d["date"] = item.date.isoformat() if item.date else None
    d["signature"] = base64.b64encode(item.signature).decode() if item.signature is not None else None
    return d


def to_json(items) -> bytes:
    """A read (articles and rejected records) as JSON: plain data that cannot run code when loaded."""
    out = []
    for item in items:
        if isinstance(item, Article):
            out.append({"article": _article_dict(item)})
        else:
            out.append({"rejected": {"origin": item.origin, "reason": item.reason}})
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def from_json(raw: bytes) -> list:
    from .reading import RecordRejected

    items: list = []
    for entry in json.loads(raw):
        if "rejected" in entry:
            items.append(RecordRejected(**entry["rejected"]))
            continue
        d = dict(entry["article"])
        d["blocks"] = [Block(**b) for b in d["blocks"]]
        d["places"] = [Place(**p) for p in d["places"]]
        d["date"] = date.fromisoformat(d["date"]) if d["date"] else None
        d["signature"] = base64.b64decode(d["signature"]) if d["signature"] is not None else None
        items.append(Article(**d))
    return items


def load(k: str):
    """The cached read for key k, or None."""
    if not ENABLED:
        return None
    try:
        path = _file(k)
        with open(path, "rb") as fh:
            items = from_json(zlib.decompress(fh.read()))
    except (OSError, zlib.error, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing or damaged (or not ours: cachedir refused the folder): read the file again
    try:
        os.utime(path)  # recently used: kept when the cache is trimmed
    except OSError:
        pass
    return items


def exists(k: str) -> bool:
    """Whether an entry for key k is there (it may still turn out damaged when loaded)."""
    if not ENABLED:
        return False
    try:
        return os.path.isfile(_file(k))
    except OSError:
        return False


def store(k: str, items) -> None:
    """Keep a complete read. Failures are ignored: the cache only saves time.

    The entry is written in place, without a temporary file and a rename (creating and renaming a
    second file was about half the cost of storing an entry, in every reading worker): a reader
    never takes half an entry for a whole one all the same, because zlib's stream ends with the
    Adler-32 checksum of the data, which `zlib.decompress` checks, so an entry cut short (a crash, a
    concurrent write of the same key) or zero-filled fails to load, is a miss, and the file is read
    again. Two writers of one key write the same bytes."""
    if not ENABLED:
        return
    try:
        path = _file(k)
    except OSError:
        return
    data = zlib.compress(to_json(items), 1)
    try:
        try:
            _write(path, data)
        except FileNotFoundError:  # its folder went since this process made it (a prune, a user)
            _MADE.discard(os.path.dirname(path))
            _write(path, data)
    except OSError:
        try:
            os.unlink(path)  # not a half entry left behind, when it can be helped
        except OSError:
            pass


def _write(path: str, data: bytes) -> None:
    folder = os.path.dirname(path)
    if folder not in _MADE:
        for made in (os.path.dirname(folder), folder):  # <root>/<fingerprint>/<xx>/: all private
            try:
                os.mkdir(made, 0o700)
            except FileExistsError:
                pass
        _MADE.add(folder)
    with open(path, "wb") as fh:
        fh.write(data)


def prune() -> None:
    """Drop entries made by other versions of the generator (they can never be used again), then
    the least recently used ones while the cache is larger than its limit."""
    if not ENABLED:
        return
    try:
        current = fingerprint()
        for child in root().iterdir():  # only entry versions: a folder named like one, never anything else
            if child.is_dir() and child.name != current and _VERSION.fullmatch(child.name):
                shutil.rmtree(child, ignore_errors=True)
        limit = float(os.environ.get("NEWS_ARCHIVE_READ_CACHE_MB") or MAX_MB) * 1024 * 1024
        folder = root() / current
        shards = _shard_states(folder)
        checked = _read_stamp(folder, limit)
        if shards is not None and checked.keys() == shards.keys() and all(
                checked[name][:2] == state for name, state in shards.items()):
            return  # no entry added, replaced or removed since the total was last within this limit
        if shards is not None:
            # Only the shards changed since are listed again: the others' totals are the recorded ones.
            totals = {name: checked[name][2] if name in checked and checked[name][:2] == state
                      else _shard_bytes(folder / name) for name, state in shards.items()}
            if None not in totals.values() and sum(totals.values()) <= limit:
                if _shard_states(folder) == shards:  # none stored meanwhile
                    _write_stamp(folder, limit, {name: [*shards[name], totals[name]] for name in shards})
                return
        entries = []
        total = 0
        for path, st in _entries(folder):
            entries.append((st.st_mtime, st.st_size, path))
            total += st.st_size
        if total <= limit:
            return
        for _, size, path in sorted(entries):  # oldest first, down to 80 % of the limit
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
            total -= size
            if total <= 0.8 * limit:
                break
    except (OSError, ValueError):
        pass


# Within each version's folder: each shard folder's state (inode, modification time) and the bytes of
# its entries, when the total was last within the size limit. Storing, replacing or removing an entry
# changes its shard folder's modification time, so while every shard is as recorded the total is
# unchanged and prune need not stat every entry (about 0.05 CPU-s at 10,000 entries, in every
# ingest); after a run that stored entries, only the shards it changed are listed again (a daily
# update: about ten of 256). Using an entry (os.utime) changes only the entry's time: that matters
# for which entries go first, only when the total is over the limit.
STAMP = "size-checked.json"


def _shard_states(folder: Path) -> dict[str, list[int]] | None:
    """Each shard folder's name -> [inode, modification time] (None when the folder cannot be listed)."""
    try:
        with os.scandir(folder) as listing:
            return {e.name: [e.inode(), e.stat().st_mtime_ns] for e in listing if e.is_dir()}
    except OSError:
        return None


def _shard_bytes(shard: Path) -> int | None:
    """The bytes of a shard's entries (None when it cannot be listed)."""
    total = 0
    try:
        with os.scandir(shard) as listing:
            for entry in listing:
                if entry.name.endswith(".json.z"):
                    try:
                        total += entry.stat().st_size
                    except OSError:
                        continue
    except OSError:
        return None
    return total


def _read_stamp(folder: Path, limit: float) -> dict[str, list[int]]:
    """The recorded shards (name -> [inode, modification time, bytes]) when checked against this
    limit; empty when there is no valid record."""
    try:
        with open(folder / STAMP, "rb") as fh:
            stamp = json.loads(fh.read())
        shards = stamp["shards"] if stamp.get("limit") == limit else {}
        if isinstance(shards, dict) and all(isinstance(v, list) and len(v) == 3 and all(type(x) is int for x in v)
                                            for v in shards.values()):
            return shards
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        pass
    return {}


def _write_stamp(folder: Path, limit: float, shards: dict[str, list[int]]) -> None:
    try:
        from .atomicfile import write_bytes

        write_bytes(folder / STAMP, json.dumps({"limit": limit, "shards": shards}).encode())
    except OSError:
        pass  # only costs a full check next time


def _entries(folder: Path) -> list[tuple[str, os.stat_result]]:
    """(path, stat) of every entry file (`*/*.json.z`, as the glob it replaces), listed with
    os.scandir: prune runs at every ingest, and the glob made a Path per entry and matched its name
    with a regular expression (about 0.1 CPU-s at 10,000 entries)."""
    out = []
    try:
        with os.scandir(folder) as subfolders:
            shards = [e.path for e in subfolders if e.is_dir()]
    except OSError:
        return out
    for shard in shards:
        try:
            with os.scandir(shard) as listing:
                for entry in listing:
                    if entry.name.endswith(".json.z"):
                        try:
                            out.append((entry.path, entry.stat()))
                        except OSError:
                            continue
        except OSError:
            continue
    return out
