"""Finding the input files: folders walked in a stable order, hidden files and sidecars skipped,
symbolic links that lead out of an inbox refused, a file named twice read once (split from
pipeline.py)."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable, Iterator

from .treewalk import walk_files

SKIP_SUFFIXES = (".meta.json", ".meta.yml", ".meta.yaml")


OUTSIDE_LINK = "skipped: symbolic link to outside the input folder"


def find_inputs(paths: Iterable[Path], problems: list[tuple[str, str]] | None = None,
                exclude: Iterable[Path] = (), entries: list | None = None) -> Iterator[Path]:
    """find_input_names, as Paths."""
    for name in find_input_names(paths, problems, exclude, entries):
        yield Path(name)


def find_input_names(paths: Iterable[Path], problems: list[tuple[str, str]] | None = None,
                     exclude: Iterable[Path] = (), entries: list | None = None) -> Iterator[str]:
    """Files (as text: the ingest makes a Path only of a file it has to read, and a re-ingest of
    10,000 known files made 10,000 Paths for nothing, about 6 % of its time), and folders walked recursively in a stable order; hidden files and sidecars skipped.

    A file named twice (directly and through its folder, or via a symlink) is read once. Folders
    that cannot be listed are added to `problems` as (path, reason). Folders in `exclude` (the
    archive's own pages) are not walked, so ingesting a parent of content/ never feeds pages back.
    A symbolic link met while walking a folder is followed only when it stays inside that folder
    (a link in an inbox to a system file must not publish it); one that leads out is reported in
    `problems`. A link named on the command line is the user's choice and is read.

    Folders are listed with os.scandir: whether an entry is a link or a folder comes with the
    listing, and `entries` (when given) receives, for each file yielded, its os.DirEntry (None for a
    path named on the command line), whose cached stat() a re-ingest uses instead of a stat per file."""
    seen: set[str] = set()
    excluded = {os.fspath(Path(p).resolve()) for p in exclude}

    def once(p: str, real: str | None = None) -> bool:
        try:
            key = real or os.fspath(Path(p).resolve())
        except (OSError, RuntimeError):
            key = os.fspath(Path(p).absolute())
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

            def outside(entry: os.DirEntry) -> bool:
                if leads_out(Path(entry.path), root):
                    if problems is not None:
                        problems.append((display_name(entry.path), OUTSIDE_LINK))
                    return True
                return False

            def descend(entry: os.DirEntry) -> bool:
                """Hidden folders are skipped, links to folders checked and never walked into."""
                if entry.name.startswith("."):
                    return False
                link = entry.is_symlink()
                if link and outside(entry):
                    return False
                if excluded and os.path.realpath(entry.path) in excluded:
                    return False
                return not link

            def keep(entry: os.DirEntry) -> bool:
                name = entry.name
                if name.startswith(".") or name.endswith(SKIP_SUFFIXES):
                    return False
                return not entry.is_symlink() or not outside(entry)  # even a FIFO: reported

            def unreadable(folder: str, exc: OSError) -> None:
                if problems is not None:
                    problems.append((display_name(exc.filename or folder), f"unreadable folder: {exc.strerror or exc}"))

            reals: dict[str, str] = {}  # folder -> its real path, resolved once per folder
            start = os.fspath(path)
            # Each name is the text of Path(entry.path): the walk starts from a Path's text, which is
            # normalised but for "." (Path("./a") is "a").
            cut = 2 if start == "." else 0
            for _parts, entry in walk_files(start, descend, keep, unreadable):
                full = entry.path[cut:]
                real = None
                if not entry.is_symlink():  # its real path is its folder's and its name
                    folder = os.path.dirname(full)
                    if folder not in reals:
                        reals[folder] = os.path.realpath(folder)
                    real = os.path.join(reals[folder], entry.name)
                if once(full, real):
                    if entries is not None:
                        entries.append(entry)
                    yield full
        elif once(os.fspath(path)):
            if entries is not None:
                entries.append(None)
            yield os.fspath(path)


# Control characters (an ESC starts a terminal escape sequence: a file name could retitle the window,
# clear the screen or hide lines) and the bidirectional overrides and isolates (which reorder what
# follows them on the line, so one name could read as another).
# From U+007F (DEL, C1 controls, line and paragraph separators, bidi overrides and isolates), once for
# the three classes of this module (_JSON_RAW_CONTROL further down), which differ in the ASCII controls they take.
_RAW_ABOVE_ASCII = r"\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(rf"[\x00-\x1f{_RAW_ABOVE_ASCII}]")
_CONTROL_BUT_NEWLINE = re.compile(rf"[\x00-\x09\x0b-\x1f{_RAW_ABOVE_ASCII}]")


def over_pages(path: Path, content: Path) -> bool:
    """Whether path is the content folder, lies inside it or holds it: read as input, the archive's
    own pages (about.md, index.md…), its configuration and a site built beside them came back as
    new articles (`archive ingest .` in the repository: 282 new pages from 35 articles)."""
    where, pages = Path(path).resolve(), Path(content).resolve()
    return where == pages or pages in where.parents or where in pages.parents


def in_built_site(path: Path) -> Path | None:
    """The built site folder (one holding what every MkDocs build writes) that path is or lies in,
    or None: `archive ingest site/` read the archive's own published pages back as new articles."""
    from .sitewrite import MKDOCS_FILES
    where = Path(path).resolve()
    for folder in (where, *where.parents):
        if all((folder / name).is_file() for name in MKDOCS_FILES):
            return folder
    return None


def one_line(text: str) -> str:
    """A report line as printed: a control character (a newline or carriage return in a file name,
    which started a line of its own and could pass for another input's) shown as its escape."""
    return _CONTROL.sub(_escaped, text)


def _escaped(m: re.Match) -> str:
    return m.group(0).encode("unicode_escape").decode("ascii")


def terminal_text(text: str) -> str:
    """Text of several lines (a traceback) as printed: control characters but the line breaks escaped."""
    return _CONTROL_BUT_NEWLINE.sub(_escaped, text)


# The characters of _CONTROL that json.dumps(ensure_ascii=False) leaves raw (it escapes only those
# below U+0020): C1 controls such as U+009B (a CSI to some terminals) and the bidi overrides, which
# reordered the rest of a `--json` report's line on the terminal that printed it.
_JSON_RAW_CONTROL = re.compile(f"[{_RAW_ABOVE_ASCII}]")


def json_text(dumped: str) -> str:
    """JSON text (json.dumps' output) with the characters above written as \\uXXXX escapes. Outside
    its strings JSON is ASCII, so this only rewrites string contents, and a reader gets the same values."""
    return _JSON_RAW_CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", dumped)


def display_name(path) -> str:
    """A path as text that can always be printed and stored: a file name that is not valid UTF-8
    (bytes kept by the OS as surrogates) gets U+FFFD for the bad bytes instead of crashing a report."""
    name = os.fsdecode(path) if isinstance(path, bytes) else str(path)
    if name.isascii():  # nothing to replace (a surrogate is not ASCII): called three times per input
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
