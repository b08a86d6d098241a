"""The compiled gazetteer on disk: a pickle per version in the user's cache folder, keyed by the build
version, the source packages' versions and the curated data; packed into typed arrays so it loads in
well under a second, built once under a lock, and pruned without deleting other checkouts' versions."""
from __future__ import annotations

import hashlib
import os
import pickle
from array import array
from pathlib import Path


from ..versions import installed
from .common import BUILD_VERSION, CURATED_FILES, DATA, SOURCES

VOCABULARY = DATA / "vocabulary.yml"  # the tagger's aliases, keys of the automaton too (load_scan)


def cache_dir() -> Path:
    """Where the compiled gazetteer lives: a cache folder only we can write (generator/cachedir.py)."""
    from ..cachedir import user_cache_dir

    return user_cache_dir()


def cache_key() -> str:
    h = hashlib.sha256(BUILD_VERSION.encode())
    for pkg, version in installed(SOURCES).items():  # remembered between runs (generator/versions.py)
        h.update(f"{pkg}={version or 'none'};".encode())
    for name in CURATED_FILES:
        p = DATA / name
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


class Ragged:
    """A list of int tuples stored as one flat array plus offsets: `r[j]` is an array slice."""

    __slots__ = ("flat", "offsets")

    def __init__(self, flat: array, offsets: array):
        self.flat, self.offsets = flat, offsets

    @classmethod
    def of(cls, rows: list[tuple[int, ...]]) -> "Ragged":
        flat, offsets = array("i"), array("i", [0])
        for row in rows:
            flat.extend(row)
            offsets.append(len(flat))
        return cls(flat, offsets)

    def __getitem__(self, j: int) -> array:
        return self.flat[self.offsets[j]:self.offsets[j + 1]]

    def __len__(self) -> int:
        return len(self.offsets) - 1


_NAN = float("nan")


def pack(data: dict) -> dict:
    """Compact, fast-to-unpickle form: strings joined, numbers in typed arrays."""
    p = data["places"]
    return {
        "names": "\n".join(data["names"]), "cand": (data["cand"].flat, data["cand"].offsets)
        if isinstance(data["cand"], Ragged) else (Ragged.of(data["cand"]).flat, Ragged.of(data["cand"]).offsets),
        "forced": "\n".join(sorted(data["forced"])),
        "gated": array("i", sorted(data["gated"])),
        "places": {
            "name": "\n".join(p["name"]), "kind": bytes(p["kind"]), "cc": "\n".join(p["cc"]),
            "lat": array("d", (_NAN if v is None else float(v) for v in p["lat"])),
            "lon": array("d", (_NAN if v is None else float(v) for v in p["lon"])),
            "gid": array("q", (int(v or 0) for v in p["gid"])), "pop": array("q", (int(v or 0) for v in p["pop"])),
            "capital": bytes(1 if v else 0 for v in p["capital"]), "admin1": array("i", p["admin1"]),
            "admin2": array("i", p["admin2"]),
            "country_idx": p["country_idx"], "labels": p["labels"], "curated": p["curated"],
            "bodies": p["bodies"],
        },
    }


def unpack(packed: dict) -> dict:
    p = packed["places"]
    return {
        "names": packed["names"].split("\n"), "cand": Ragged(*packed["cand"]),
        "forced": set(packed["forced"].split("\n")),
        "gated": set(packed["gated"]),
        "places": {**p, "name": p["name"].split("\n"), "cc": p["cc"].split("\n")},
    }


def compiled_path() -> Path:
    return cache_dir() / f"gazetteer-{cache_key()}.pickle"


# Compiled versions kept side by side in the shared cache folder (the places and, per vocabulary, the
# automaton: load_scan; both are files "gazetteer-*.pickle" and pruned alike): every checkout (a worktree, CI, a
# dev tree) whose build rules or curated data differ has its own files, ~100 MB each (23 MB of places, 79 MB of automaton). Deleting every
# other version on each build made two checkouts delete each other's file and recompile (~20 s)
# in turn; now a version goes only when it is unused for MAX_UNUSED_DAYS, or when KEEP_BUILDS more
# recently used ones exist and it has not been used for BUSY_SECONDS.
KEEP_BUILDS = 8
MAX_UNUSED_DAYS = 14
BUSY_SECONDS = 3600


def mark_used(path: Path) -> None:
    """Record that a compiled version was just used: its modification time is its last use."""
    try:
        os.utime(path)
    except OSError:  # a read-only cache still loads
        pass


def prune_builds(folder: Path, current: Path, now: float | None = None) -> list[Path]:
    """Delete the compiled versions nobody uses any more (see KEEP_BUILDS) with their lock files, and
    temporary files of builds that died; never `current`. Returns the deleted paths."""
    import time

    now = time.time() if now is None else now

    def age(p: Path) -> float:
        try:
            return now - p.stat().st_mtime
        except OSError:
            return 0.0

    builds = sorted((p for p in folder.glob("gazetteer-*.pickle") if p != current), key=age)
    doomed = [p for rank, p in enumerate(builds, start=1)  # rank 0 is `current`
              if age(p) > MAX_UNUSED_DAYS * 86400 or (rank >= KEEP_BUILDS and age(p) > BUSY_SECONDS)]
    doomed += [p.with_suffix(".lock") for p in doomed if p.with_suffix(".lock").exists()]
    kept = {p.stem for p in builds if p not in doomed} | {current.stem}
    for p in folder.glob("gazetteer-*.lock"):
        if p.stem not in kept and p not in doomed and age(p) > 86400:
            doomed.append(p)  # a lock whose build is gone and that no build took for a day
    doomed += [p for p in folder.glob("gazetteer-*.tmp*") if age(p) > 86400]  # a build that died half-written
    gone = []
    for p in doomed:
        try:
            p.unlink()
            gone.append(p)
        except OSError:
            pass
    return gone


def load_compiled(rebuild: bool = False) -> dict:
    """The compiled gazetteer with its automaton (see load_scan): from the cache files when present, else
    built (about half a minute) and cached."""
    data = load_places(rebuild)
    data.update(load_scan(data["names"], rebuild))
    return data


def _load(path: Path) -> dict:
    from ..cachedir import check_file

    check_file(path)  # pickled data runs code when loaded: only a file nobody else could write
    with open(path, "rb") as fh:
        data = pickle.load(fh)
    mark_used(path)
    return data


def _cached(path: Path, rebuild: bool, make) -> dict:
    """The pickle at `path`, or `make()`'s result written there. Processes that start together (ingest
    workers, test runs) wait for one build instead of each doing their own: the build holds a lock file
    next to the cache."""
    if path.exists() and not rebuild:
        return _load(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a+b") as lock:
        try:
            import fcntl

            fcntl.lockf(lock, fcntl.LOCK_EX)
        except (ImportError, OSError):  # pragma: no cover - no POSIX locks: build anyway
            pass
        mark_used(path.with_suffix(".lock"))  # a lock in use is not an orphan (prune_builds)
        if path.exists() and not rebuild:  # another process built it while we waited
            return _load(path)
        made = make()
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as fh:
            pickle.dump(made, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        prune_builds(path.parent, path)
        return made


def load_places(rebuild: bool = False) -> dict:
    """The compiled names and places without their automaton."""
    def make() -> dict:
        from .sources import build

        return pack(build())

    return unpack(_cached(compiled_path(), rebuild, make))


def vocabulary_hash() -> str:
    """A hash of the vocabulary file: its aliases are keys of the gazetteer's automaton (one scan for both)."""
    p = VOCABULARY
    return hashlib.sha256(p.read_bytes() if p.exists() else b"").hexdigest()[:12]


def scan_path() -> Path:
    """The automaton's file: keyed by the compiled gazetteer's key and the vocabulary's hash, so editing
    the vocabulary rebuilds only the automaton (~3 CPU-s), never the gazetteer (~30 s)."""
    return cache_dir() / f"gazetteer-{cache_key()}-scan-{vocabulary_hash()}.pickle"


def pending_build() -> str | None:
    """What the next load_compiled() will have to build, said before a progress bar so that an editor
    knows why nothing moves: the gazetteer (about half a minute, once per machine and version), or only
    the scan, after an edit of the vocabulary (a few seconds, which were silent). None: both are cached."""
    if not compiled_path().exists():
        return "compiling the place gazetteer once, about 30 s…"
    if not scan_path().exists():
        return "the vocabulary changed: building the tag and place scan once, a few seconds…"
    return None


def load_scan(names: list[str], rebuild: bool = False) -> dict:
    """{"automaton", "tag_keys", "tag_gaz"}: one Aho-Corasick automaton over the gazetteer's names and the
    vocabulary's aliases (automaton.make_automaton). A tagger whose keys differ from `tag_keys` is not
    linked to it (Scan.values_for), so even a file built from another vocabulary gives the same tags."""
    def make() -> dict:
        from ..enrich.tags import Vocabulary
        from .automaton import make_automaton

        keys = sorted(Vocabulary.load(VOCABULARY)._matcher._keys) if VOCABULARY.exists() else []
        automaton, tag_gaz = make_automaton(names, keys)
        return {"automaton": automaton, "tag_keys": keys, "tag_gaz": tag_gaz, "names": len(names)}

    scan = _cached(scan_path(), rebuild, make)
    if scan.get("names") != len(names):  # pragma: no cover - a gazetteer rebuilt under the same key
        scan = _cached(scan_path(), True, make)
    return {"automaton": scan["automaton"], "tag_keys": tuple(scan["tag_keys"]), "tag_gaz": scan["tag_gaz"]}
