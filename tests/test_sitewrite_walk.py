"""sitewrite._existing lists the site's files from directory entries alone: the files os.walk
lists, in its order, links to folders neither listed nor followed, hidden top-level entries left out."""
from __future__ import annotations

import os
from pathlib import Path

from generator import sitewrite


def _reference(site: Path) -> list[str]:
    out: list[str] = []
    for entry in os.scandir(site):
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            for dirpath, _dirs, files in os.walk(entry.path):
                out += [os.path.join(dirpath, f) for f in files]
        else:
            out.append(entry.path)
    return out


def test_existing_files_are_those_os_walk_lists(tmp_path: Path):
    site = tmp_path / "site"
    for rel in ("index.html", "a/index.html", "a/b/index.html", "a/b/c/x.json", "d/e/index.html", ".hidden/x",
                "d/.dot"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(rel, encoding="utf-8")
    (site / "d" / "to-a").symlink_to(site / "a")  # a link to a folder: not listed, not followed
    (site / "d" / "to-file").symlink_to(site / "index.html")
    (site / "d" / "broken").symlink_to(tmp_path / "nowhere")
    got = sitewrite._existing(site)
    assert got == _reference(site)
    assert str(site / "d" / "to-file") in got and str(site / "d" / "broken") in got
    assert not any("to-a" in p or ".hidden" in p for p in got)
