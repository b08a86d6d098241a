"""The compiled gazetteer's cache folder is shared by every checkout: versions must coexist."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from generator.gazetteer import build

DAY = 86400.0


def _version(folder: Path, key: str, unused_for: float, now: float, lock: bool = True) -> Path:
    path = folder / f"gazetteer-{key}.pickle"
    path.write_bytes(b"x")
    os.utime(path, (now - unused_for, now - unused_for))
    if lock:
        path.with_suffix(".lock").write_bytes(b"")
    return path


def test_another_checkouts_version_survives_a_build(tmp_path):
    """Two checkouts with different build versions (a worktree and CI) no longer delete each other's
    compiled file: a version used an hour ago stays, with its lock."""
    now = time.time()
    mine = _version(tmp_path, "mine", 0, now)
    theirs = _version(tmp_path, "theirs", 3600, now)
    assert build.prune_builds(tmp_path, mine, now) == []
    assert theirs.exists() and theirs.with_suffix(".lock").exists() and mine.exists()


def test_unused_and_surplus_versions_go(tmp_path):
    now = time.time()
    mine = _version(tmp_path, "mine", 0, now)
    stale = _version(tmp_path, "stale", (build.MAX_UNUSED_DAYS + 1) * DAY, now)
    # more versions than KEEP_BUILDS, all unused for a while: the least recently used go
    recent = [_version(tmp_path, f"v{k}", 2 * 3600 + k, now) for k in range(build.KEEP_BUILDS + 2)]
    busy = _version(tmp_path, "busy", 60, now)  # in use a minute ago: kept even beyond the count
    gone = set(build.prune_builds(tmp_path, mine, now))
    assert stale in gone and stale.with_suffix(".lock") in gone
    assert mine.exists() and busy.exists()
    kept = [p for p in recent if p.exists()]
    # the current one, the busy one and the most recently used of the rest make KEEP_BUILDS
    assert kept == recent[:build.KEEP_BUILDS - 2]
    assert all(not p.with_suffix(".lock").exists() for p in recent if not p.exists())


def test_dead_temporary_files_and_orphan_locks_go(tmp_path):
    now = time.time()
    mine = _version(tmp_path, "mine", 0, now)
    dead = tmp_path / "gazetteer-mine.tmp4242"
    dead.write_bytes(b"half")
    os.utime(dead, (now - 2 * DAY, now - 2 * DAY))
    writing = tmp_path / "gazetteer-other.tmp4343"  # another process writing its build now
    writing.write_bytes(b"half")
    orphan = tmp_path / "gazetteer-old.lock"
    orphan.write_bytes(b"")
    os.utime(orphan, (now - 2 * DAY, now - 2 * DAY))
    building = tmp_path / "gazetteer-new.lock"  # a build under way holds it: touched when taken
    building.write_bytes(b"")
    gone = set(build.prune_builds(tmp_path, mine, now))
    assert gone == {dead, orphan}
    assert writing.exists() and building.exists()


def test_loading_marks_a_version_used(tmp_path, monkeypatch):
    """A load refreshes the file's time, so a version in daily use is never the least recently used."""
    build.load_compiled()  # the real compiled file, in the user's cache (built there when missing)
    real = build.compiled_path()
    monkeypatch.setenv("NEWS_ARCHIVE_CACHE", str(tmp_path / "cache"))
    path = build.compiled_path()
    shutil.copyfile(real, path)
    os.utime(path, (1, 1))
    data = build.load_compiled()
    assert data["names"] and time.time() - path.stat().st_mtime < 60
