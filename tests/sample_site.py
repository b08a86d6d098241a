"""A small real archive for the build tests of deploys: a few sample articles, ingested once."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, SAMPLES, copy_project, run_archive

SAMPLE_FILES = 6


def make_project(folder: Path) -> Path:
    """A scratch copy of the MkDocs project with a handful of sample articles ingested."""
    copy_project(folder)
    inputs = [str(p) for p in sorted(SAMPLES.glob("*.txt"))[:SAMPLE_FILES]]
    done = run_archive("ingest", *inputs, "--quiet", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder


def build(project: Path, site: Path, *, command: list[str] | None = None,
          env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A real strict build of project into site: `archive build` unless another command is given."""
    cmd = command or [sys.executable, "-m", "generator", "build", "--site", str(site)]
    run_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    done = subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=600, env=run_env)
    assert done.returncode == 0, done.stderr
    return done


def tree(site: Path) -> dict[str, bytes]:
    """Every file of a built site by its path inside the site, with its bytes."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
