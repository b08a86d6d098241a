"""Shared test fixtures: paths to the project, the shared corpora, and a fresh content folder."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_815d620d0f45be36.txt"
EVAL = SHARED / "eval"
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "samples"


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("../shared/seeds is not present on this machine")
    return SEED


@pytest.fixture
def site_project(tmp_path: Path) -> Path:
    """A scratch copy of the MkDocs project (config, hand-written pages, theme) with an empty archive."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "theme_overrides", tmp_path / "theme_overrides")
    (tmp_path / "content").mkdir()
    for page in (ROOT / "content").glob("*.md"):
        shutil.copy(page, tmp_path / "content" / page.name)
    return tmp_path
