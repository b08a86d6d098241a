"""One folder walker for the inputs (inputs.find_inputs) and the article pages (PageStore): os.walk's
rules with os.scandir, so a file's type comes with the listing and its directory entry's cached stat()
serves its caller instead of a stat per file. What to walk into and which files to keep are the
caller's rules, passed in."""
from __future__ import annotations

import os
from typing import Callable

Rule = Callable[[os.DirEntry], bool]


def walk_files(top: str, descend: Rule, keep: Rule,
               unreadable: Callable[[str, OSError], None] | None = None) -> list[tuple[tuple[str, ...], os.DirEntry]]:
    """(path components below `top`, directory entry) of the files `keep` accepts, in Path order.

    Per folder, as os.walk: an entry whose type cannot be read counts as a file; `descend` is asked
    about each subfolder (links to folders included: the rule decides) in listing order, then `keep`
    about each file in listing order, then the accepted subfolders are walked in name order (so rules
    that report problems report them in the order the earlier walkers did). A folder that cannot be
    listed goes to `unreadable` (folder, error) and holds no files."""
    found: list[tuple[tuple[str, ...], os.DirEntry]] = []

    def walk(folder: str, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(folder) as listing:
                listed = list(listing)
        except OSError as exc:
            if unreadable is not None:
                unreadable(folder, exc)
            return
        folders, files = [], []
        for entry in listed:
            try:
                (folders if entry.is_dir() else files).append(entry)
            except OSError:
                files.append(entry)
        below = [entry for entry in folders if descend(entry)]
        for entry in files:
            if keep(entry):
                found.append((parts + (entry.name,), entry))
        for entry in sorted(below, key=lambda e: e.name):
            walk(entry.path, parts + (entry.name,))

    walk(top, ())
    found.sort(key=lambda f: f[0])  # Path order, without Path.__lt__ per comparison
    return found
