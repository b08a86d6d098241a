"""The search index's own process (issue 12).

The index is made from the article records only, so it need not wait for the pages: where the
system can fork, a child process makes it from the moment the records are read, on a second core,
while the main process makes the listings and renders the pages. The build waits for it at the
end, and its failure fails the build. Without fork it is made in the main process at the end.
"""
from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path

from mkdocs.exceptions import PluginError

from ..search import site as search_site

Make = Callable[[Path, "Path | None", str], None]


class SearchJob:
    """`make(out, state, salt)` run in a forked child (`start`), waited for (`finish`) or stopped."""

    def __init__(self, make: Make, out: Path, state: Path | None, salt: str,
                 first: Callable[[], None] | None = None) -> None:
        self.make, self.out, self.args = make, out, (out, state, salt)
        self.first = first  # run first in the child (related.Pending.hand_over): never here
        self.process: multiprocessing.process.BaseProcess | None = None

    @property
    def pid(self) -> int | None:
        """The child's process id; None when the index is made in this process."""
        return self.process.pid if self.process is not None else None

    def start(self) -> None:
        if "fork" in multiprocessing.get_all_start_methods():
            self.process = multiprocessing.get_context("fork").Process(
                target=_run, args=(self.first, self.make, self.args), name="archive-search-index", daemon=True)
            self.process.start()

    def stop(self) -> None:
        """A failed build: the child's work is of no use."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.process = None

    def finish(self) -> None:
        """Wait for the child's index (or make it here where there is none); its failure fails the build."""
        process, self.process = self.process, None
        if process is None:
            self.make(*self.args)
        else:
            process.join()
            if process.exitcode != 0:
                raise PluginError(f"archive: writing the search index failed (exit code {process.exitcode})")
        search_site.keep_files(self.out)  # unchanged index files are not rewritten, nor touched


def _run(first: Callable[[], None] | None, make: Make, args: tuple) -> None:
    """The child: `first` (another job handed to it, which reports its own outcome), then the index."""
    if first is not None:
        first()
    make(*args)
