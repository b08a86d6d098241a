"""Installed versions of the libraries the read cache's fingerprint and the gazetteer's key name,
remembered between runs.

Every ingest needs them (the fingerprint is part of every input's read-cache key), but asking
importlib.metadata costs about 25 ms of a nothing-changed re-ingest's CPU: importing it (with the
email package it parses metadata with) and searching the import path for each distribution. The
answer is kept in the user cache folder (`versions.json`) with what it depends on: the import path
and the names of the distributions' metadata folders in each of its entries (`*.dist-info`,
`*.egg-info`: what importlib.metadata looks for). Installing, upgrading or removing a distribution
adds, renames or removes one of them (the version is in the name), so the versions are looked up
again; a damaged or missing file only costs the look-up.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

FILE = "versions.json"
_METADATA = (".dist-info", ".egg-info")
_MEMO: dict[tuple, dict[str, str | None]] = {}


def _path_state() -> str:
    """What the answer depends on: each import-path entry with its distributions' metadata folders
    (an entry that is not a folder, such as a zip file, by its modification time), hashed."""
    state = []
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as listing:
                state.append([entry, sorted(e.name for e in listing if e.name.endswith(_METADATA))])
        except (OSError, ValueError):
            try:
                state.append([entry, os.stat(entry).st_mtime_ns])
            except (OSError, ValueError):
                state.append([entry, None])
    return hashlib.sha256(json.dumps(state).encode("utf-8", "surrogateescape")).hexdigest()


def _look_up(names: tuple[str, ...]) -> dict[str, str | None]:
    from importlib import metadata

    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _memo_file() -> Path | None:
    try:
        from .cachedir import user_cache_dir

        return user_cache_dir() / FILE
    except Exception:  # noqa: BLE001 - no usable cache folder: look the versions up every time
        return None


def installed(names: tuple[str, ...]) -> dict[str, str | None]:
    """name -> installed version (None when not installed), from the remembered answer when the
    import path's folders are as they were when it was looked up."""
    state = _path_state()
    memo_key = (tuple(names), state)
    if memo_key in _MEMO:
        return _MEMO[memo_key]
    file = _memo_file()
    found = None
    if file is not None:
        known = _saved(file).get(state)
        if isinstance(known, dict) and all(n in known for n in names):
            found = {n: known[n] for n in names}
    if found is None:
        found = _look_up(tuple(names))
        if file is not None:
            _save(file, state, found)
    _MEMO[memo_key] = found
    return found


KEEP_STATES = 16


def _saved(file: Path) -> dict:
    """import-path state -> remembered versions. One answer per state, not only the last one: two
    checkouts (or a test run beside a build) with different import paths replaced each other's
    answer on every run, so each ingest paid the look-up again."""
    try:
        saved = json.loads(file.read_bytes())
    except (OSError, ValueError):
        return {}
    states = saved.get("states") if isinstance(saved, dict) else None
    return {k: v for k, v in states.items() if isinstance(v, dict)} if isinstance(states, dict) else {}


def _save(file: Path, state: str, found: dict[str, str | None]) -> None:
    """Remember `found` with the other names already remembered for this import path (the answers
    for the last KEEP_STATES import paths are kept)."""
    from .atomicfile import write_bytes

    states = _saved(file)
    versions = {**states.pop(state, {}), **found}
    states[state] = versions  # the newest last: the oldest go first
    kept = dict(list(states.items())[-KEEP_STATES:])
    try:
        write_bytes(file, json.dumps({"states": kept}).encode("utf-8"))
    except OSError:
        pass  # only costs the look-up next time
