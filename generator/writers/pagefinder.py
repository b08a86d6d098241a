"""Opening the article pages (split from markdown.py, which holds the merge rules): every page under
`<content>/articles` found by the ids in its front matter (never by its path), with the page index
sparing a re-read of pages unchanged since they were last read, and a MinHash for pages the ledger
does not know (a fresh clone), so near-duplicates of them are still recognised."""
from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from .. import dedup
from ..atomicfile import TMP_PREFIX
from ..textutil import page_text
from ..treewalk import walk_files
from . import ledger as ledgerdb
from .pagefile import id_list, parse_page, quick_ids, split_page
from .pageindex import PageIndex, now_ns
from .records import _hash, _safe_read

if TYPE_CHECKING:
    from .markdown import PageStore


class PageFinder:
    """PageStore's opening (a mixin: it fills the store's pages, page_ids, broken, _taken, _stats,
    _named, ledger and near-duplicate index)."""

    @classmethod
    def open(cls, content: Path, ledger: ledgerdb.Ledger | None = None) -> "PageStore":
        """The store of `content`'s pages, with `ledger` (opened on the store's state folder by the
        caller, who read the record of inputs from it first) or the ledger opened now."""
        store = cls(content=Path(content))
        stale: list[str] = []  # stray temp files under the articles folder, seen by the page walk
        listed = store._page_entries(stale)
        store._remove_stale_temp_files(stale)
        index = PageIndex(store.content)
        texts: dict[Path, str] = {}
        # The store's tables and the index's look-up held in locals: this loop runs once per page
        # (10,000 in a daily update, where nearly every page is known by its identity).
        stats, named, pages, page_ids = store._stats, store._named, store.pages, store.page_ids
        taken, taken_text, known = store._taken, store._taken_text, index.known
        for name, path, entry in listed:
            try:
                st = entry.stat()
                meta = known(path, name, st)
                if meta is None:
                    # The entry's stat was taken before this read: an edit since shows in the page's
                    # identity next time, as it would with a stat taken now.
                    read_ns = now_ns()
                    text = texts[path] = path.read_text(encoding="utf-8")
                    if not text.strip():  # emptied by hand: its article must not get a second page
                        raise ValueError("the page is empty")
                    meta = quick_ids(text)
                    if meta is None:
                        meta, _ = parse_page(text)
                    index.read(path, {k: meta[k] for k in ("id", "duplicate_ids") if meta.get(k)}, st, read_ns, name)
                stats[path] = st
                named[name] = path
            except (yaml.YAMLError, UnicodeDecodeError, ValueError, OSError) as exc:
                # A page an editor broke is left alone (the site build reports it); its id, if it can
                # still be seen, keeps the article from getting a second page.
                store.broken[path] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                try:
                    raw = page_text(path.read_bytes())[0]  # UTF-16 too: its id is still seen
                except OSError:
                    raw = ""
                m = re.search(r"^id:\s*['\"]?([0-9a-f]{16})\b", raw, re.MULTILINE)
                meta = {"id": m.group(1)} if m else {}
            taken.add(path)  # store._take(path), inline
            taken_text.add(os.fspath(path))
            aid = meta.get("id")
            if aid:
                aid = page_ids[path] = str(aid)
                if aid not in pages:
                    pages[aid] = path
            more = meta.get("duplicate_ids")
            if more:
                for i in id_list(more):
                    if i:
                        pages.setdefault(str(i), path)
        index.save()
        store._index = index  # pages this run writes are added to it (`_write_page`), saved at the end
        store.ledger = ledger if ledger is not None else ledgerdb.Ledger.open(store.state_dir)
        store.ledger.prefetch()
        later, paged = store.ledger.minhashes_later(), set(store.pages)  # the pages found now
        store.near.defer(lambda: [(aid, minhash) for aid, minhash in later() if aid in paged])
        store._index_unrecorded(texts)
        return store

    def _index_unrecorded(self, texts: dict[Path, str]) -> None:
        """Pages the ledger has no record of (a fresh clone: the ledger is local state, never
        committed) get a MinHash from their body as it stands, so a near-duplicate of them is still
        recognised; kept in the ledger by page hash, so it is computed once per page version."""
        recorded = set(self.ledger)
        missing = {aid: path for path, aid in self.page_ids.items()
                   if aid not in recorded and self.pages.get(aid) == path}
        if not missing:
            return
        known = self.ledger.page_minhashes()
        fresh = []
        for aid, path in sorted(missing.items()):
            text = texts.get(path)
            if text is None:  # known by the page index, so not read yet
                text = _safe_read(path)
                if text is None:
                    continue
            page = _hash(text)
            have = known.get(aid)
            if have is not None and have[0] == page:
                minhash = have[1]
            else:
                try:
                    body = split_page(text)[1]
                except ValueError:
                    continue
                sig = dedup.signature(body_text_of(body))
                minhash = dedup.encode(sig) if sig is not None else None
                fresh.append((aid, page, minhash))
            sig = dedup.decode(minhash) if minhash else None
            if sig is not None:
                self.near.add(aid, sig)
        if fresh:
            self.ledger.set_page_minhashes(fresh)
            self.ledger.commit(None)

    def _page_files(self) -> list[Path]:
        return [path for _, path, _ in self._page_entries()]

    def _page_entries(self, stale: list[str] | None = None) -> list[tuple[str, Path, os.DirEntry]]:
        """(path relative to the content folder, path, directory entry) of every page, in Path order.

        Listed with os.scandir as os.walk would (hidden folders and files skipped, links to folders
        not walked into): the entry's cached stat() serves the page index and the replay of inputs.
        With `stale`, the paths of the temporary files (`.tmp-*`, never pages) listed on the way are
        added to it: a second walk of the 10,000 pages to find them (`rglob`) cost nearly as much as this one."""
        keep = _page_file
        if stale is not None:
            def keep(entry: os.DirEntry) -> bool:
                if entry.name.startswith(TMP_PREFIX):
                    stale.append(entry.path)
                    return False
                return _page_file(entry)
        found = walk_files(os.fspath(self.root), _page_folder, keep)
        return [("articles/" + "/".join(parts), Path(entry.path), entry) for parts, entry in found]

    def _remove_stale_temp_files(self, seen: list[str]) -> None:
        """Delete the temporary files a killed run left (atomicfile.py writes each file to one in the
        file's folder first): those the page walk saw in the page folders, and the state folder's."""
        stale = list(seen)
        if self.state_dir.exists():
            stale += [os.fspath(p) for p in self.state_dir.rglob(TMP_PREFIX + "*")]
        for tmp in stale:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _page_folder(entry: os.DirEntry) -> bool:
    return not entry.name.startswith(".") and not entry.is_symlink()


def _page_file(entry: os.DirEntry) -> bool:
    return entry.name.endswith(".md") and not entry.name.startswith(".")


_ESCAPE = re.compile(r"\\(.)")
_HEADING = re.compile(r"^#{1,6} ", re.MULTILINE)


def body_text_of(body: str) -> str:
    """A page body (escaped Markdown, as render_body writes it) back as the plain text MinHash reads."""
    return html.unescape(_ESCAPE.sub(r"\1", _HEADING.sub("", body)))
