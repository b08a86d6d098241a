"""Library versions remembered between runs (generator/versions.py): the remembered answer is used
while the import path's distributions are the same, and looked up again when one is installed,
upgraded or removed."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from generator import versions


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NEWS_ARCHIVE_CACHE", str(folder))
    monkeypatch.setattr(versions, "_MEMO", {})
    site = tmp_path / "site"
    (site / "fakelib-1.0.dist-info").mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [str(site), *sys.path])
    return folder


def _lookups(monkeypatch) -> list:
    calls: list = []
    real = versions._look_up

    def counted(names):
        calls.append(names)
        return real(names)

    monkeypatch.setattr(versions, "_look_up", counted)
    return calls


def test_versions_are_the_installed_ones_and_remembered(cache: Path, monkeypatch):
    from importlib import metadata

    calls = _lookups(monkeypatch)
    names = ("PyYAML", "no-such-distribution-here")
    assert versions.installed(names) == {"PyYAML": metadata.version("PyYAML"), "no-such-distribution-here": None}
    (saved,) = json.loads((cache / versions.FILE).read_text())["states"].values()
    assert saved["PyYAML"] == metadata.version("PyYAML")
    monkeypatch.setattr(versions, "_MEMO", {})  # a new run
    assert versions.installed(names)["PyYAML"] == metadata.version("PyYAML")
    assert len(calls) == 1  # the second run read the remembered answer


def test_a_distribution_installed_or_upgraded_is_looked_up_again(cache: Path, tmp_path: Path, monkeypatch):
    calls = _lookups(monkeypatch)
    versions.installed(("PyYAML",))
    site = tmp_path / "site"
    (site / "fakelib-1.0.dist-info").rename(site / "fakelib-1.1.dist-info")  # an upgrade
    monkeypatch.setattr(versions, "_MEMO", {})
    versions.installed(("PyYAML",))
    (site / "otherlib-2.0.dist-info").mkdir()  # an install
    monkeypatch.setattr(versions, "_MEMO", {})
    versions.installed(("PyYAML",))
    assert len(calls) == 3


def test_a_damaged_memo_only_costs_the_look_up(cache: Path, monkeypatch):
    from importlib import metadata

    versions.installed(("PyYAML",))
    (cache / versions.FILE).write_text("{not json")
    monkeypatch.setattr(versions, "_MEMO", {})
    assert versions.installed(("PyYAML",)) == {"PyYAML": metadata.version("PyYAML")}


def test_two_import_paths_in_turn_keep_their_answers(cache: Path, tmp_path: Path, monkeypatch):
    """Two checkouts (or a test run beside a build) with different import paths: each replaced the
    other's remembered answer, so every run in turn looked the versions up again (and the test that a
    settled re-ingest imports nothing saw importlib.metadata imported)."""
    calls = _lookups(monkeypatch)
    other = tmp_path / "other"
    (other / "otherlib-3.0.dist-info").mkdir(parents=True)
    first, second = list(sys.path), [str(other), *sys.path]
    for path in (first, second, first, second, first):
        monkeypatch.setattr(sys, "path", path)
        monkeypatch.setattr(versions, "_MEMO", {})  # a new run
        versions.installed(("PyYAML",))
    assert len(calls) == 2  # once per import path
    monkeypatch.setattr(sys, "path", second)
    for i in range(versions.KEEP_STATES + 3):  # the file stays small: the newest answers are kept
        (other / f"lib{i}-1.0.dist-info").mkdir()
        monkeypatch.setattr(versions, "_MEMO", {})
        versions.installed(("PyYAML",))
    assert len(json.loads((cache / versions.FILE).read_text())["states"]) == versions.KEEP_STATES
