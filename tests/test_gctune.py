"""A build collects garbage less often while it runs (gctune.py) and leaves the collector as it found
it, whether it ends well or fails: `archive serve` and the tests run many builds in one process."""
from __future__ import annotations

import argparse
import gc
from pathlib import Path

from generator import cli
from generator.mkdocs_plugin import gctune
from generator.mkdocs_plugin.plugin import ArchivePlugin

from .sample_site import make_project


def test_a_build_relaxes_the_collector_and_restores_it(tmp_path: Path, monkeypatch):
    from mkdocs.commands.build import build

    project = make_project(tmp_path / "p")
    monkeypatch.chdir(project)
    before, frozen_before = gc.get_threshold(), gc.get_freeze_count()
    seen: dict[str, object] = {}
    freeze = gctune.freeze

    def spy() -> None:
        freeze()
        seen["frozen"], seen["threshold"] = gc.get_freeze_count(), gc.get_threshold()

    monkeypatch.setattr(gctune, "freeze", spy)
    args = argparse.Namespace(config="mkdocs.yml", content=None, site=tmp_path / "site")
    build(cli._mkdocs_config(args))
    assert (tmp_path / "site" / "index.html").is_file()
    assert seen["frozen"] > frozen_before  # the records were frozen during the build
    assert seen["threshold"][0] == max(before[0], gctune.YOUNG)
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen_before


def test_a_failed_build_restores_the_collector():
    before = gc.get_threshold()
    gctune.relax()
    gctune.freeze()
    assert gc.get_threshold() != before and gc.get_freeze_count() > 0
    ArchivePlugin().on_build_error(error=RuntimeError("boom"))
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    gctune.restore()  # nothing left to restore: a no-op
    assert gc.get_threshold() == before
