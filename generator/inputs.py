"""Finding the input files: folders walked in a stable order, hidden files and sidecars skipped,
symbolic links that lead out of an inbox refused, a file named twice read once (split from
pipeline.py)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

SKIP_SUFFIXES = (".meta.json", ".meta.yml", ".meta.yaml")


OUTSIDE_LINK = "skipped: symbolic link to outside the input folder"


def find_inputs(paths: Iterable[Path], problems: list[tuple[str, str]] | None = None,
                exclude: Iterable[Path] = ()) -> Iterator[Path]:
    """Files, and folders walked recursively in a stable order; hidden files and sidecars skipped.

    A file named twice (directly and through its folder, or via a symlink) is read once. Folders
    that cannot be listed are added to `problems` as (path, reason). Folders in `exclude` (the
    archive's own pages) are not walked, so ingesting a parent of content/ never feeds pages back.
    A symbolic link met while walking a folder is followed only when it stays inside that folder
    (a link in an inbox to a system file must not publish it); one that leads out is reported in
    `problems`. A link named on the command line is the user's choice and is read."""
    seen: set[Path] = set()
    excluded = {Path(p).resolve() for p in exclude}

    def once(p: Path, real: Path | None = None) -> bool:
        try:
            key = real or p.resolve()
        except (OSError, RuntimeError):
            key = p.absolute()
        if key in seen:
            return False
        seen.add(key)
        return True

    def leads_out(p: Path, root: Path) -> bool:
        try:
            target = p.resolve()
        except (OSError, RuntimeError):
            return True  # a link loop: nothing inside the folder to read
        return target != root and root not in target.parents

    for path in paths:
        path = Path(path)
        if path.is_dir():
            root = path.resolve()
            found: list[tuple[Path, Path | None]] = []  # (file, its real path when known without resolving)
            real_dirs: dict[str, Path] = {}

            def onerror(exc: OSError) -> None:
                if problems is not None:
                    problems.append((display_name(exc.filename or path), f"unreadable folder: {exc.strerror or exc}"))

            def outside(p: Path) -> bool:
                if p.is_symlink() and leads_out(p, root):
                    if problems is not None:
                        problems.append((display_name(p), OUTSIDE_LINK))
                    return True
                return False

            for dirpath, dirnames, filenames in os.walk(path, onerror=onerror):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                     and not outside(Path(dirpath) / d)
                                     and (not excluded or (Path(dirpath) / d).resolve() not in excluded))
                for name in filenames:
                    if name.startswith(".") or name.endswith(SKIP_SUFFIXES):
                        continue
                    sub = Path(dirpath) / name
                    if sub.is_symlink():
                        if outside(sub):
                            continue
                        found.append((sub, None))
                        continue
                    # Not a link: its real path is its folder's (resolved once per folder) and its name.
                    if dirpath not in real_dirs:
                        real_dirs[dirpath] = Path(dirpath).resolve()
                    found.append((sub, real_dirs[dirpath] / name))  # even a FIFO or socket: reported
            for sub, real in sorted(found, key=lambda f: f[0].parts):  # Path order; parts compare in C
                if once(sub, real):
                    yield sub
        elif once(path):
            yield path


def display_name(path) -> str:
    """A path as text that can always be printed and stored: a file name that is not valid UTF-8
    (bytes kept by the OS as surrogates) gets U+FFFD for the bad bytes instead of crashing a report."""
    name = os.fsdecode(path) if isinstance(path, bytes) else str(path)
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
