"""Hand-written files at an address the archive writes itself. A page an editor adds at a generated
page's address (`content/archive/2024-05.md`, `content/tags/convoys.md`) or a file at an export's
or a feed's (`content/data/articles.json`, `content/feed.xml`) replaced one of the two without a
word: the month's listing became the editor's text (its articles no longer listed), or the editor's
page was dropped. Now each is one line naming the file, which fails the strict build."""
from __future__ import annotations

from collections.abc import Iterable

from mkdocs.structure.files import Files


def addresses(files: Files) -> dict[str, str]:
    """Where each file of the docs folder lands in the site (dest_uri -> src_uri), taken before
    the archive adds its own pages."""
    return {f.dest_uri: f.src_uri for f in files}


def clashes(hand: dict[str, str], files: Files, written: Iterable[str]) -> list[str]:
    """One line per hand-written file landing where a generated file (in `files`, added after
    `hand` was taken) or a file the build writes itself (`written`: paths, or folders ending in /)
    lands."""
    generated = {f.dest_uri for f in files if f.generated_by is not None}
    folders = tuple(w for w in written if w.endswith("/"))
    taken = generated | {w for w in written if not w.endswith("/")}
    return [f"{src}: lands at {dest} in the site, where the archive writes its own page or file: one of the "
            f"two would be lost; rename or move it" for dest, src in sorted(hand.items())
            if dest in taken or dest.startswith(folders)]
