"""`archive build` into an existing site folder without deleting it first: unchanged files are left
alone, stale ones removed at the end. The result is the clean build's tree, byte for byte
(tests/test_incremental.py checks it after each kind of change).

Why: MkDocs starts every build by deleting the whole site folder and then writes every page again;
at 10,000 articles that was 11 s of system time for a build with nothing changed (mkdir, open and
rmdir of 13,000 page folders, BENCHMARKS.md). Here, for the duration of one build:

* the site folder is not cleaned;
* a page MkDocs writes is compared with the file already there (size, then bytes) and written only
  when it differs; a static file is copied only when its size or bytes differ;
* after a successful build, every file that was there before and was neither written, nor found
  identical, nor touched by anything else since the build started (the plugin's own outputs: feeds,
  search shards, sitemap) is removed, and so are the folders left empty. A failed build removes
  nothing (MkDocs' own failed build leaves a half-written folder too).

MkDocs has no hook for this, so `mkdocs.utils`' three file functions are swapped for the length of
the build only (restored after, even on error); `mkdocs build` and `mkdocs serve` are unchanged.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .atomicfile import holds

MARKER = ".archive-build-started"
# What any MkDocs build writes (both themes): a folder holding them is a site (check_site).
MKDOCS_FILES = ("404.html", "sitemap.xml")


class SiteDirError(OSError):
    """The site folder holds files no build wrote: one line naming it and what is there."""


def check_site(site: Path) -> None:
    """Refuse a site folder that is neither empty, nor an MkDocs site, nor one a build did not finish
    (its MARKER is left by a failed build). Why: a build removes every file of the site folder it did
    not write, so `site` linked to (or `--site` naming) a folder of other files, a home folder or a
    web root, lost all of them at the end of a successful build."""
    if site.exists() and not site.is_dir():  # `--site mkdocs.yml` was a traceback (FileExistsError)
        raise SiteDirError(f"{site}: the site folder is a file, not a folder: not built; name another folder (--site)")
    if not site.is_dir() or (site / MARKER).exists() or all((site / f).is_file() for f in MKDOCS_FILES):
        return
    names = sorted(e.name for e in os.scandir(site))
    if names:
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3:,} more" if len(names) > 3 else "")
        raise SiteDirError(f"{site}: the site folder holds files no build wrote ({shown}), which a build would "
                           f"remove: not built; empty it, or name another folder (--site)")
_kept: set[str] | None = None  # the running build's files found unchanged (see `confirm`)


def confirm(path: str | os.PathLike) -> None:
    """A file the build leaves as it is on purpose (a page the archive plugin found unchanged
    without writing it): kept at the end like a page written with the same bytes."""
    if _kept is not None:
        _kept.add(os.path.abspath(path))


def overwrite(path: str, data: bytes) -> bool:
    """Write `data` over an existing file as MkDocs would (same file, not atomic either), but cut
    it to its new length after writing rather than to zero before: on ext4 a file truncated to
    zero and written again is flushed to disk at close (its `auto_da_alloc` safeguard), about
    3 ms a page in an add-10 rebuild (425 pages at 2,000 articles: 1.4 of its 4.6 CPU-s, profiled).
    False when there is no file to write over."""
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError:
        return False
    try:
        _write_all(fd, data)
        os.ftruncate(fd, len(data))
    finally:
        os.close(fd)
    return True


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def put(path: str | os.PathLike, data: bytes, mode: int | None = None) -> None:
    """`data` written over the file in place (`overwrite`), or a new file (its folder made when
    missing; `mode`: set on it whatever the umask). Not replaced by a rename (atomicfile.write_bytes)
    nor truncated first: on ext4 either flushes the file to disk at once (`auto_da_alloc`)."""
    if overwrite(str(path), data):
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    except FileNotFoundError:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        _write_all(fd, data)
    finally:
        os.close(fd)


def update(path: str | os.PathLike, data: bytes) -> bool:
    """Put `data` in the site file `path` (a feed, the places file, a vendored script): left alone,
    and confirmed, when it already holds them; else written in place (`put`), a wait on every build
    saved for files that mostly have not changed. True when it was written."""
    if holds(path, data):
        confirm(path)
        return False
    put(path, data)
    return True


def _existing(site: Path) -> list[str]:
    """Files in the site folder, hidden top-level entries left out (MkDocs never cleans those)."""
    out: list[str] = []
    if not site.is_dir():
        return out
    for entry in os.scandir(site):
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            _files_under(entry.path, out)
        else:
            out.append(entry.path)
    return out


def _files_under(folder: str, out: list[str]) -> None:
    """The files `os.walk(folder)` lists, in its order, from the directory entries alone: os.walk
    also calls `lstat` on every folder to see whether it is a link (13,000 page folders at 10,000
    articles), which the entry's type already says. A link to a folder is neither listed nor
    followed, as there."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    folders = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if not is_dir:
            out.append(entry.path)
        elif not entry.is_symlink():
            folders.append(entry.path)
    for sub in folders:
        _files_under(sub, out)


@contextmanager
def keep_unchanged(site_dir: str | os.PathLike) -> Iterator[None]:
    """Run one MkDocs build inside this: see the module's docstring."""
    from mkdocs import utils

    site = Path(site_dir).resolve()
    check_site(site)
    before = _existing(site)
    try:
        site.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SiteDirError(f"{site}: the site folder cannot be made: {exc.strerror or exc}") from exc
    marker = site / MARKER
    marker.write_bytes(b"")  # its mtime is the build's start, on the file system's own clock
    started = marker.stat().st_mtime_ns
    kept: set[str] = set()
    real_write, real_copy, real_clean = utils.write_file, utils.copy_file, utils.clean_directory

    def write_file(content: bytes, output_path: str) -> None:
        if holds(output_path, content):
            kept.add(os.path.abspath(output_path))
            return
        if not overwrite(output_path, content):
            real_write(content, output_path)

    def copy_file(source_path: str, output_path: str) -> None:
        target = os.path.join(output_path, os.path.basename(source_path)) if os.path.isdir(output_path) else output_path
        try:
            with open(source_path, "rb") as fh:
                data = fh.read()
            if holds(target, data):
                kept.add(os.path.abspath(target))
                return
            # A changed file (an export after articles were added: 11 MB of articles.json) is
            # written over in place; shutil.copyfile truncates it first, and ext4 flushes a file
            # truncated to zero and written again to disk when it is closed (see `overwrite`).
            if overwrite(target, data):
                return
        except OSError:
            pass
        real_copy(source_path, output_path)

    def clean_directory(directory: str) -> None:
        if Path(directory).resolve() != site:
            real_clean(directory)

    global _kept
    utils.write_file, utils.copy_file, utils.clean_directory = write_file, copy_file, clean_directory
    _kept = kept
    try:
        yield
    finally:
        utils.write_file, utils.copy_file, utils.clean_directory = real_write, real_copy, real_clean
        _kept = None
    marker.unlink(missing_ok=True)  # a failed build leaves it: its half-written folder is still ours
    _remove_stale(site, before, kept, started)


def _remove_stale(site: Path, before: list[str], kept: set[str], started: int) -> None:
    folders = set()
    for path in before:
        if os.path.abspath(path) in kept:
            continue
        try:
            if os.lstat(path).st_mtime_ns >= started:
                continue  # written during this build by something else (the plugin's own outputs)
            os.unlink(path)
        except FileNotFoundError:
            continue
        except IsADirectoryError:
            shutil.rmtree(path, ignore_errors=True)
        folders.add(os.path.dirname(path))
    for folder in sorted(folders, key=len, reverse=True):  # deepest first
        while Path(folder) != site and Path(folder).is_relative_to(site):
            try:
                os.rmdir(folder)  # only when empty
            except OSError:
                break
            folder = os.path.dirname(folder)
