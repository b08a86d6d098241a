"""The search index's child process (generator/mkdocs_plugin/searchjob.py): its failure fails the
build, its work is done in the child (not again here), and a stopped job leaves no process."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from generator.mkdocs_plugin.searchjob import SearchJob


def _writes_pid(out: Path, state, salt: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "made-by").write_text(str(os.getpid()), encoding="utf-8")


def _fails(out: Path, state, salt: str) -> None:
    raise RuntimeError("disk full")


def _sleeps(out: Path, state, salt: str) -> None:
    import time

    time.sleep(60)


def test_the_index_is_made_in_the_child(tmp_path: Path):
    job = SearchJob(_writes_pid, tmp_path / "index", None, "")
    job.start()
    child = job.pid
    assert child is not None and child != os.getpid()
    job.finish()
    assert int((tmp_path / "index" / "made-by").read_text(encoding="utf-8")) == child


def test_a_failed_child_fails_the_build(tmp_path: Path):
    job = SearchJob(_fails, tmp_path / "index", None, "")
    job.start()
    with pytest.raises(PluginError, match="search index failed"):
        job.finish()


def test_without_a_child_the_index_is_made_here(tmp_path: Path):
    job = SearchJob(_writes_pid, tmp_path / "index", None, "")  # never started: as where fork is missing
    job.finish()
    assert (tmp_path / "index" / "made-by").read_text(encoding="utf-8") == str(os.getpid())


def test_a_stopped_job_leaves_no_process(tmp_path: Path):
    job = SearchJob(_sleeps, tmp_path / "index", None, "")
    job.start()
    process = job.process
    job.stop()
    assert job.process is None and process is not None and not process.is_alive()
