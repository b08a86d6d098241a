"""Article pages: front matter (the single source of truth) plus the body as escaped Markdown.

Editors' changes win, field by field (the rule is documented for editors in content/editing.md).
The ledger (`<content>/.archive/ledger.sqlite`, see ledger.py) remembers, per article id, a fingerprint of each value
the generator last wrote. On re-ingest, for each editable field:

* page value == what the generator last wrote (ledger)  -> the generator's new value is written;
* page value != what the generator last wrote           -> an editor changed it: the page keeps it;
* no ledger record for the page (e.g. lost in a crash)   -> the page keeps its value unless it is
  already equal to the new generated value (then the record is simply re-created).

Fields the generator does not manage (added by editors) are always kept. Pages are found by their
`id` (and `duplicate_ids`) in front matter, never by path, so a page an editor re-dates or moves
keeps receiving its article.

Crash safety: every file is written to a `.tmp-*` file and renamed over the target (never a
half-written page); ledger changes are committed in batches, each after one sync of the file system
that makes the batch's pages durable (ledger.py), so a page the ledger records is always on disk whole.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import dedup
from ..model import Article
from ..textutil import md_escape, md_heading, slugify
from . import ledger as ledgerdb
from .pagefinder import PageFinder, body_text_of  # noqa: F401
from .pageindex import PageIndex
from .records import (InputRecords, WriteResult, _fingerprint, _hash, _safe_read,  # noqa: F401
                      _source_fp, primary_key, source_entry)
from .pagefile import (_LOADER, atomic_write, entry_list, id_list, dump_page, page_title, parse_page, quick_ids, read_page,  # noqa: F401
                       split_page, write_if_changed)

EDITABLE = ("title", "date", "summary", "source", "url", "author", "tags", "locations", "places", "body")


def render_body(article: Article) -> str:
    parts = []
    for block in article.blocks:
        parts.append(md_heading(block.text) if block.kind == "h2" else md_escape(block.text))
    return "\n\n".join(parts) + "\n"


def generated_fields(article: Article) -> dict:
    """What the generator has to say about an article, as front-matter values."""
    return {
        "title": article.title,
        "date": article.date,
        "summary": article.summary,
        "source": article.source,
        "url": article.url,
        "author": article.author,
        "tags": list(article.tags),
        "locations": article.locations,
        "places": [p.to_dict() for p in article.places],
        "body": render_body(article),
    }


class _BrokenPage(Exception):
    pass


class PageUnreadable(Exception):
    """The page an input's article lives on cannot be read (an editor broke its front matter, or
    emptied it), and the input brings text the archive has not written: it cannot be merged and must
    not start a second page (it did: a revision was reported `unchanged` and lost, or written anew).
    The input is rejected, naming the page, and read again next run."""


@dataclass
class PageStore(InputRecords, PageFinder):
    """The article pages under `<content>/articles`, indexed by id, plus the ledger of generated values.

    Ledger entry per page id: {"fields": {field: fingerprint}, "key": primary_key, "minhash": base64,
    "page": hash of the page file as last written or checked, "inputs": fingerprints of its sources,
    "file"/"origin": the input that made the page (its revised text updates the page)}.
    While a page file still has the recorded hash, nobody has touched it since, so a re-ingest that
    brings nothing new is decided without parsing it (the no-op re-ingest of a big archive is fast).
    """

    content: Path
    pages: dict[str, Path] = field(default_factory=dict)
    ledger: ledgerdb.Ledger | None = None
    seen_this_run: set[str] = field(default_factory=set)
    broken: dict[Path, str] = field(default_factory=dict)
    near: dedup.NearDuplicateIndex = field(default_factory=dedup.NearDuplicateIndex)
    page_ids: dict[Path, str] = field(default_factory=dict)  # page -> the id in its front matter
    _taken: set[Path] = field(default_factory=set)
    _taken_text: set[str] = field(default_factory=set)  # the same paths as text (`_take`)
    _unsynced: bool = False  # pages renamed into place since the last sync
    _resolved: dict[str, bool] = field(default_factory=dict)  # folder -> whether it really is under root
    _root_real: str | None = None  # the articles folder's real path, taken when first needed
    _stats: dict[Path, os.stat_result] = field(default_factory=dict)  # page -> its stat when opened, until written
    _named: dict[str, Path] = field(default_factory=dict)  # page path relative to content -> its Path
    _index: PageIndex | None = None  # the page index the store was opened with (pagefinder.py)
    _written: dict[Path, tuple[str, os.stat_result]] = field(default_factory=dict)  # page -> (name, stat) after this run's write

    @property
    def root(self) -> Path:
        return self.content / "articles"

    @property
    def state_dir(self) -> Path:
        return self.content / ".archive"

    # -- opening -------------------------------------------------------------------------------

    def _record(self, aid: str, entry: dict | None) -> None:
        """Set (or, with None, drop) a ledger entry; committed with its batch (see `checkpoint`)."""
        if self.ledger.get(aid) == entry:
            return
        if entry is None:
            self.ledger.drop(aid)
        else:
            self.ledger.set(aid, entry)
        if self.ledger.pending >= ledgerdb.SYNC_BATCH:
            self.checkpoint()

    def _write_page(self, path: Path, text: str) -> None:
        self._stats.pop(path, None)
        self._written.pop(path, None)
        atomic_write(path, text, sync=False)  # made durable by the next checkpoint, before its records
        self._unsynced = True
        try:
            st = os.stat(path)
            name = path.relative_to(self.content).as_posix()
        except (OSError, ValueError):
            return
        self._written[path] = (name, st)  # what `remember` records of it (a stat and a name each, saved)
        meta = quick_ids(text) if self._index is not None else None
        if meta is not None:  # the ids the next ingest would read from it (else it reads the page)
            self._index.wrote(name, {k: meta[k] for k in ("id", "duplicate_ids") if meta.get(k)}, st)

    def checkpoint(self) -> None:
        """Make the pages written so far durable (one file-system sync, on another thread), then commit
        their records (when that sync returns: the ingest goes on writing meanwhile, see ledger.py)."""
        if self._unsynced:
            self._unsynced = False
            self.ledger.commit_after_sync(self.root)
        else:
            self.ledger.commit(None)

    def _forget(self, aid: str) -> None:
        """The ledger entry of an id no page has any more (its page took a revised text's id)."""
        if aid in self.ledger:
            self._record(aid, None)

    def save_ledger(self) -> None:
        """Commit the last batch and close the database (it reopens if the store is used again); the
        page index keeps the pages written (derived data: saved after the pages are durable)."""
        self.checkpoint()
        self.ledger.close(None)
        if self._index is not None:
            self._index.save(forget_unseen=False)

    close = save_ledger

    # -- writing -------------------------------------------------------------------------------

    def _new_path(self, article: Article, aid: str) -> Path:
        # The candidates are made as text and checked with os.path (a Path per candidate and its
        # parsing were a fifth of this); the one taken is the Path `folder / name` gives.
        folder = self.root / (f"{article.date:%Y/%m}" if article.date else "undated")
        base = os.fspath(folder)
        slug = slugify(article.title)
        name = f"{slug}.md"
        if self._is_taken(base, name):
            name = f"{slug}-{aid[:8]}.md"
            n = 2
            while self._is_taken(base, name):
                name = f"{slug}-{aid[:8]}-{n}.md"
                n += 1
        path = folder / name
        if not self._inside(path):  # slugs cannot climb out; checked anyway
            raise ValueError(f"refusing to write outside {self.root}: {path}")
        return path

    def _is_taken(self, folder: str, name: str) -> bool:
        """Whether page `name` in `folder` is taken by this run or exists: `path in _taken or
        path.exists()` for path = Path(folder) / name, by text (`_taken_text` holds _taken's Paths'
        text, and the text made here is that Path's: a folder's text and a name without a slash)."""
        text = f"{folder}/{name}"
        return text in self._taken_text or os.path.exists(text)

    def _inside(self, path: Path) -> bool:
        """Whether a new page's path is under the articles folder. The verdict is kept per folder
        (its real path taken once per run): a page's own checks are a name test and a dict look-up."""
        folder, name = os.path.split(os.fspath(path))
        if name in ("", ".", ".."):
            return False
        inside = self._resolved.get(folder)
        if inside is None:
            if self._root_real is None:
                self._root_real = os.path.realpath(self.root)
            real = os.path.realpath(folder)
            inside = self._resolved[folder] = real == self._root_real or real.startswith(
                self._root_real.rstrip(os.sep) + os.sep)
        return inside

    def _load(self, path: Path) -> tuple[dict, str]:
        if path in self.broken:
            raise _BrokenPage(self.broken[path])
        try:
            meta, body = parse_page(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
            self.broken[path] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise _BrokenPage(self.broken[path]) from None
        return dict(meta), body + "\n" if body else ""

    def write(self, article: Article) -> WriteResult:
        aid = article.id
        result = self._write(article, aid)
        result.article_id = aid
        return result

    def _write(self, article: Article, aid: str) -> WriteResult:
        sig = article.signature if article.signature is not None else dedup.signature(article.body_text)
        path = self.pages.get(aid)
        if path is not None and not path.exists():
            path = None  # deleted by hand: the article gets its page back
        if path is not None:
            quick = self._nothing_new(article, aid, path, sig)
            if quick is not None:
                return quick
        match = None
        if path is None and self.broken:
            self._refuse_if_broken(aid, self._page_written_for(article.origin))
        if path is None:
            match = self.near.best_match(sig)
            if match is not None:
                path = self.pages.get(match[0])
                if path is None or not path.exists():
                    match, path = None, None
        restored = path is None and (path := self._page_without_id(article.origin, aid)) is not None
        try:
            current, current_body = self._load(path) if path is not None else ({}, None)
        except _BrokenPage as exc:
            self._refuse_if_broken(aid, path)
            self.seen_this_run.add(aid)
            return WriteResult("unchanged", path, f"page left as is: its front matter is broken ({exc})")
        # a page whose id line was deleted by hand is still this input's article's (_page_without_id)
        page_id = aid if restored else str(current.get("id")) if current.get("id") else None
        previous = self.ledger.get(page_id or aid)
        retyped = None  # the id this page had, when an editor typed another over it
        if previous is None and page_id and page_id != aid:
            retyped = self._id_written_at(article.origin, path)
            previous = self.ledger.get(retyped) if retyped else None
        secondary = bool(current) and (
            match is not None
            or aid in self.seen_this_run
            or page_id != aid
            or (previous is not None and previous.get("file") != source_entry(article)["file"]
                and (previous.get("key") not in (None, primary_key(article)) or _still_there(previous.get("origin"))))
            or (previous is None and _other_files_only(current.get("sources"), source_entry(article)["file"])))
        self.seen_this_run.add(aid)
        if (match is not None and previous is not None and previous.get("origin") == article.origin
                and page_id and page_id != aid):
            # The very input that made this page, with its text revised (a correction re-scraped):
            # a new version of the page's article, not a copy of it. The page takes the new text
            # (fields an editor changed stay the editor's) and the new id, at the same path.
            result = self._merge(article, aid, path, current, current_body, previous, sig)
            self._forget(retyped or page_id)
            if retyped:
                result.note = (f"its page's id {page_id} was typed over {retyped} by hand: the page takes "
                               f"the revised text's id {aid}")
            return result
        if secondary:
            return self._link(article, aid, path, current, current_body, match)
        result = self._merge(article, aid, path, current, current_body, previous, sig)
        if restored:
            result.note = f"its page's id line was deleted by hand: the page takes its id {aid} back"
        return result

    def _page_without_id(self, origin: str, aid: str) -> Path | None:
        """The page this input's last ingest wrote for `aid`, when it is still there with no id (its
        `id` line deleted, or blanked, by hand). Without it the article was written a second page
        and published twice, without a word. A copy made to start a new page is elsewhere: its
        input never wrote it, so deleting a copy's id still makes it a page of its own."""
        record = self.ledger.input_record(origin) if aid in self.ledger else None  # (a new article: no query)
        for item in record[1] if record else ():
            if not (isinstance(item, dict) and item.get("id") == aid and isinstance(item.get("page"), str)):
                continue
            page = self.content / item["page"]
            try:
                meta = self._load(page)[0] if page.is_file() else {"id": "gone"}
            except _BrokenPage:
                continue
            if meta.get("id") in (None, "") or (isinstance(meta.get("id"), str) and not meta["id"].strip()):
                return page
        return None

    def _page_written_for(self, origin: str) -> Path | None:
        """A page this input wrote at its last ingest that is now unreadable, or None."""
        record = self.ledger.input_record(origin)
        for item in record[1] if record else ():
            page = self.content / str(item.get("page")) if isinstance(item, dict) and item.get("page") else None
            if page is not None and page in self.broken:
                return page
        return None

    def _refuse_if_broken(self, aid: str, path: Path | None) -> None:
        """Raise PageUnreadable when `path` is a broken page that does not carry this article's id
        (a page that does holds this very text, so the input is still `unchanged`)."""
        if path is not None and path in self.broken and self.pages.get(aid) != path:
            rel = path.relative_to(self.content).as_posix() if path.is_relative_to(self.content) else str(path)
            raise PageUnreadable(f"its page {rel} cannot be read ({self.broken[path]}): fix the page by hand "
                                 f"(the build names what is wrong), then ingest again; the input is read again then")

    def _id_written_at(self, origin: str, path: Path) -> str | None:
        """The id this input's last ingest gave the page at `path`, when the page now carries one the
        ledger never knew (an editor typed over it). Without it a revised text of the input was taken
        for a near-duplicate of its own page and listed there, its revision lost."""
        record = self.ledger.input_record(origin)
        if record is None:
            return None
        rel = path.relative_to(self.content).as_posix()
        for item in record[1]:
            aid = str(item.get("id") or "") if isinstance(item, dict) else ""
            if aid and item.get("page") == rel and aid in self.ledger and self.pages.get(aid) in (None, path):
                return aid
        return None

    def _nothing_new(self, article: Article, aid: str, path: Path, sig: bytes | None) -> WriteResult | None:
        """`unchanged` without parsing the page, when provably so; None when the page must be read.
        `aid` is article.id, passed in: it hashes the whole normalised text, the costliest step here."""
        page_id = self.page_ids.get(path)
        entry = self.ledger.get(page_id) if page_id else None
        if not entry or not entry.get("page") or _source_fp(source_entry(article)) not in (entry.get("inputs") or []):
            return None
        text = _safe_read(path)
        if text is None or _hash(text) != entry["page"]:
            return None  # edited (or rewritten) since we last wrote it: take the full path
        primary = page_id == aid and aid not in self.seen_this_run and entry.get("key") == primary_key(article)
        if primary:
            fields = {k: _fingerprint(v) for k, v in generated_fields(article).items()}
            if fields != entry.get("fields"):
                return None
            if sig is not None:
                self.near.add(aid, sig)
            note = None
        else:
            note = f"same article as {page_id}" if page_id == aid else f"near-duplicate of {page_id}"
        self.seen_this_run.add(aid)
        self._register(aid, path)
        return WriteResult("unchanged", path, note, title=page_title(text))

    def _merge(self, article: Article, aid: str, path: Path | None, current: dict, current_body: str | None,
               previous: dict | None, sig: bytes | None) -> WriteResult:
        generated = generated_fields(article)
        if path is None:
            path = self._new_path(article, aid)
        old_fields = (previous or {}).get("fields")
        merged: dict = {"id": aid}
        for key in EDITABLE:
            have = current_body if key == "body" else current.get(key)
            if not current:
                merged[key] = generated[key]
            elif old_fields is None:
                # No record of what we wrote: keep the page's value unless it already is ours.
                merged[key] = have
            elif _fingerprint(have) != old_fields.get(key):
                merged[key] = have  # changed by hand since we last wrote it: the editor wins
            else:
                merged[key] = generated[key]
        if current.get("duplicate_ids"):
            merged["duplicate_ids"] = current["duplicate_ids"]
        merged["sources"] = _merge_sources(current.get("sources"), source_entry(article), replace_file=True)
        for key, value in current.items():  # fields we do not manage (added by editors) are kept
            merged.setdefault(key, value)
        body = merged.pop("body") or ""
        old = _safe_read(path) if current else None
        if old is not None and _same_values(merged, body, current, current_body):
            text = old  # same values (perhaps in an editor's formatting): leave the file alone
        else:
            text = dump_page(merged, body)
        if old != text:
            self._write_page(path, text)
        self._register(aid, path)
        self.page_ids[path] = aid
        self._record(aid, {"fields": {k: _fingerprint(generated[k]) for k in EDITABLE},
                           "key": primary_key(article),
                           "minhash": dedup.encode(sig) if sig is not None else None,
                           "page": _hash(text),
                           "inputs": _inputs(merged.get("sources")),
                           "file": source_entry(article)["file"],
                           "origin": article.origin})
        if sig is not None:
            self.near.add(aid, sig)
        title = merged.get("title") if isinstance(merged.get("title"), str) else None  # an editor's fix too
        if old is None:
            return WriteResult("new", path, title=title)
        return WriteResult("unchanged" if old == text else "updated", path, title=title)

    def _link(self, article: Article, aid: str, path: Path, current: dict, current_body: str | None,
              match: tuple[str, float] | None) -> WriteResult:
        """A copy of an article that already has a page: list its source there, keep the page's fields."""
        entry = source_entry(article)
        if match is not None or aid != current.get("id"):  # another text than the page's: a near-duplicate
            entry["near_duplicate"] = True
        merged = dict(current)
        merged["sources"] = _merge_sources(current.get("sources"), entry)
        if aid != current.get("id"):
            ids = id_list(current.get("duplicate_ids"))
            if aid not in ids:
                ids.append(aid)
            merged["duplicate_ids"] = ids
        old = _safe_read(path)
        if old is not None and _same_values(merged, current_body, current, current_body):
            text = old
        else:
            text = dump_page(merged, current_body or "")
        self._register(aid, path)
        if match is not None:
            note = f"near-duplicate (similarity {match[1]:.2f}) of {current.get('id')}"
        elif aid != current.get("id"):
            note = f"near-duplicate of {current.get('id')}"
        else:
            note = f"same article as {current.get('id')}"
        outcome = "unchanged"
        if old != text:
            self._write_page(path, text)
            outcome = "duplicate"
        owner = str(current.get("id") or "")
        if owner in self.ledger and self.page_ids.get(path) == owner:
            self._record(owner, {**self.ledger[owner], "page": _hash(text), "inputs": _inputs(merged.get("sources"))})
        return WriteResult(outcome, path, note, title=current["title"] if isinstance(current.get("title"), str) else None)

    def _register(self, aid: str, path: Path) -> None:
        self.pages[aid] = path
        if path not in self._taken:  # a replayed input's page was taken when the store opened
            self._take(path)

    def _take(self, path: Path) -> None:
        self._taken.add(path)
        self._taken_text.add(os.fspath(path))


def _still_there(origin) -> bool:
    """Whether the input that made a page (its origin: a path, or a record of one, "feed.xml#3") is
    still on disk. An identical text under another file name is then a copy of it, reported as a
    `duplicate`; it was taken for the page's own input, moved, and reported `updated` (a file
    renamed or moved is still the page's input: its old name is gone)."""
    if not isinstance(origin, str) or not origin:
        return False
    from ..pipeline import RECORD_SEPARATORS

    cuts = [origin] + [origin[:i] for sep in RECORD_SEPARATORS if (i := origin.find(sep)) > 0]
    return any(os.path.isfile(c) for c in cuts)


def _other_files_only(sources, file: str) -> bool:
    """Without a ledger record (a fresh clone), the page's own `sources` say which input made it: an
    input whose file is not among them is a copy of the page's article, linked as a duplicate."""
    own = [s.get("file") for s in entry_list(sources) if not s.get("near_duplicate")]
    return bool(own) and file not in own


def _inputs(sources) -> list[str]:
    return sorted({_source_fp(s) for s in entry_list(sources)})


def _same_values(meta: dict, body: str | None, current: dict, current_body: str | None) -> bool:
    keep = {k: v for k, v in meta.items() if v not in (None, [], "")}
    have = {k: v for k, v in current.items() if v not in (None, [], "")}
    return keep == have and (body or "").strip() == (current_body or "").strip()


def _merge_sources(existing, entry: dict, replace_file: bool = False) -> list[dict]:
    """Add an input's entry to `sources` (once). With replace_file (the page's own input), an entry
    for the same file that says something else (e.g. before a sidecar added the URL) is replaced."""
    sources = [dict(s) for s in entry_list(existing)]
    plain = {k: v for k, v in entry.items() if k != "near_duplicate"}
    if any({k: v for k, v in s.items() if k != "near_duplicate"} == plain for s in sources):
        return sources
    if replace_file:
        for i, s in enumerate(sources):
            if s.get("file") == entry.get("file") and not s.get("near_duplicate"):
                sources[i] = entry
                return sources
    sources.append(entry)
    return sources
