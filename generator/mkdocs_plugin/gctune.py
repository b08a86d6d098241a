"""Fewer and shorter garbage collections during a build (issue 12).

Why: a rebuild at 10,000 articles holds hundreds of thousands of long-lived objects (the records,
MkDocs' File objects, the location tree), and Python's collector walked them again and again:
about 1,000 collections, 0.66 of the 7.3 CPU-s of an add-10 rebuild's main process (0.46 in
full collections), and as much again in the search child, which inherits the heap at its fork.
So while a build runs, the youngest generation is collected every YOUNG allocations instead of
700, and what exists once the records are read is frozen (`gc.freeze`: moved to a generation no
collection walks; the child forked after it skips it as well). Both are undone when the build
ends, so `archive serve`'s next build or a test's collects the previous build's garbage.
Nothing a page shows depends on it: it changes when cycles are freed, not what is built.
"""
from __future__ import annotations

import gc

YOUNG = 50_000  # allocations between two young collections (Python's default: 700)
_saved: list[tuple[int, ...]] = []  # the thresholds to restore, while a build runs


def relax() -> None:
    """At a build's start: collect the youngest generation less often."""
    if not _saved:
        old = gc.get_threshold()
        _saved.append(old)
        gc.set_threshold(max(old[0], YOUNG), *old[1:])


def freeze() -> None:
    """Once the long-lived data is made: no later collection of this build walks it."""
    if _saved:
        gc.freeze()


def restore() -> None:
    """At a build's end (or failure): the thresholds as they were, nothing frozen."""
    if _saved:
        gc.unfreeze()
        gc.set_threshold(*_saved.pop())
