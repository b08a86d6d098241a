"""Shared test fixtures: paths to the project, the shared corpora, and a fresh content folder."""
from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# Each test session reads its inputs afresh: a read cached by an earlier session (or by the demo)
# must not stand in for the code under test. Subprocesses (the real CLI) inherit this.
os.environ["NEWS_ARCHIVE_READ_CACHE"] = tempfile.mkdtemp(prefix="news-archive-read-cache-")
# ... and leaves nothing behind: every session's folder stayed in /tmp (over a hundred after a day's work)
atexit.register(shutil.rmtree, os.environ["NEWS_ARCHIVE_READ_CACHE"], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_815d620d0f45be36.txt"
EVAL = SHARED / "eval"
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "samples"


def load_tool(name: str):
    """A script of tools/ imported as a module (the tools are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("../shared/seeds is not present on this machine")
    return SEED


def copy_project(folder: Path) -> Path:
    """A scratch copy of the MkDocs project (config, hand-written pages, theme) with an empty archive."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "theme_overrides", folder / "theme_overrides")
    (folder / "content").mkdir()
    for page in (ROOT / "content").glob("*.md"):
        shutil.copy(page, folder / "content" / page.name)
    return folder


@pytest.fixture
def site_project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


def run_archive(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as a user would (env: extra environment variables)."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The sample corpus plus the seed (when present), ingested and built with a real `mkdocs build`."""
    project = tmp_path_factory.mktemp("site")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "theme_overrides", project / "theme_overrides")
    (project / "content").mkdir()
    for page in (ROOT / "content").glob("*.md"):
        shutil.copy(page, project / "content" / page.name)
    inputs = [str(SAMPLES)] + ([str(SEED)] if SEED.exists() else [])
    ingest = run_archive("ingest", *inputs, "--quiet", cwd=project)
    assert ingest.returncode == 0, ingest.stderr
    build = run_archive("build", cwd=project)
    assert build.returncode == 0, build.stderr
    return project
