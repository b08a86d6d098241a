"""What the ledger records about articles and the inputs they came from, and the replay of an input
whose bytes are known: value fingerprints, an input's entry in a page's `sources`, the outcome of a
write, and PageStore's `replay` / `remember` (split from markdown.py, which holds the merge rules)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..model import MAX_REJECTED_RECORDS, Article
from . import ledger as ledgerdb


# json.dumps(value, sort_keys=True, default=str), without building an encoder for each of the dozen
# values fingerprinted per article (its set-up cost more than encoding most of them).
_FINGERPRINT_JSON = json.JSONEncoder(sort_keys=True, default=str)


def _fingerprint(value) -> str:
    if value is None or value in ("", []):
        return _EMPTY  # empty values are not written at all, so they read back as missing
    return hashlib.sha256(_FINGERPRINT_JSON.encode(value).encode()).hexdigest()[:16]


_EMPTY = hashlib.sha256(_FINGERPRINT_JSON.encode(None).encode()).hexdigest()[:16]  # (a third of the fields)


def source_entry(article: Article) -> dict:
    """How an input is listed in a page's `sources`: its source name, URL and file name."""
    entry = {k: v for k, v in (("name", article.source), ("url", article.url)) if v}
    entry["file"] = _file_name(article.origin)
    return entry


@lru_cache(maxsize=1024)
def _file_name(origin: str) -> str:
    """An input's file name as `sources` lists it (asked three times per article written)."""
    return Path(origin).name or origin


def primary_key(article: Article) -> str:
    """What, besides the text, decides a page's generated fields: the source and its URL."""
    return json.dumps([article.source or "", article.url or ""], ensure_ascii=False)


@dataclass
class WriteResult:
    outcome: str  # new / updated / unchanged / duplicate
    path: Path
    note: str | None = None  # e.g. which page a duplicate was linked to, and why
    title: str | None = None  # the page's title (an editor's fix included): what the report shows
    notes: list[str] = field(default_factory=list)  # the reader's notes, set by `replay`
    origin: str | None = None  # the article's input (a record of a multi-record file), set by `replay`
    article_id: str | None = None  # the article's id (text_id hashes its whole text: computed once)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _source_fp(entry: dict) -> str:
    return _fingerprint({k: v for k, v in entry.items() if k != "near_duplicate"})


def _safe_read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


class InputRecords:
    """PageStore's record of inputs (a mixin: it uses the store's content, pages, page_ids, ledger,
    seen_this_run, _named, _stats, _written, _register and checkpoint)."""

    # -- re-ingest of an input whose bytes are known ------------------------------------------

    def replay(self, origin: str, key: str) -> list[WriteResult | tuple[str, str]] | None:
        """What an input ingested before gives again, decided without reading it: its recorded
        results, when its bytes (with its sidecar, its name and the generator: the read-cache key)
        are the ones recorded and every page it went to is still as this ingest last left it.
        None when the input must be read (new, changed, or a page edited, moved or deleted since)."""
        record = self.ledger.input_record(origin)
        if record is None or record[0] != key:
            return None
        out: list = []
        plan = []
        for item in record[1]:
            if not isinstance(item, dict):
                return None
            if "rejected" in item:
                plan.append((None, None, None, item))
                continue
            aid, page = str(item.get("id")), str(item.get("page"))
            path = self._named.get(page) or self.content / page  # the Path the store opened (hashed once)
            page_id = self.page_ids.get(path)
            entry = self.ledger.get(page_id) if page_id else None
            found = self.pages.get(aid)  # the very Path of `_named` when the store opened it (`is`: no parts compared)
            if ((found is not path and found != path) or not entry or not entry.get("page")
                    or item.get("input") not in (entry.get("inputs") or [])):
                return None
            st = self._stats.get(path)  # taken when the store opened, unless written since
            if st is None:
                try:
                    st = path.stat()
                except OSError:
                    return None
            if [st.st_size, st.st_mtime_ns] != item.get("stat"):
                text = _safe_read(path)
                if text is None or _hash(text) != entry["page"]:
                    return None
            plan.append((aid, path, page_id, item))
        for aid, path, page_id, item in plan:
            if aid is None:
                out.append((str(item["rejected"]), str(item.get("reason") or "rejected")))
                continue
            if item.get("primary") and page_id == aid and aid not in self.seen_this_run:
                note = None
            else:
                note = f"same article as {page_id}" if page_id == aid else f"near-duplicate of {page_id}"
            self.seen_this_run.add(aid)
            self._register(aid, path)
            out.append(WriteResult("unchanged", path, note, title=item.get("title"), notes=item.get("notes") or [],
                                   origin=item.get("origin")))
        return out

    def remember(self, origin: str, key: str, items: list, results: list) -> None:
        """Record what input `origin` (read-cache key `key`) gave: its articles' pages (with their
        size and mtime now) and its rejected records, for `replay` next time. An input with more
        rejected records than MAX_REJECTED_RECORDS (reading counts the rest in one more) is not recorded
        (one of 1,000,000 bad records made an 89 MB ledger): it is read again next time, from the read
        cache when its bytes are unchanged, so a re-ingest still reports its records."""
        if sum(isinstance(r, tuple) for r in results) > MAX_REJECTED_RECORDS:
            self.ledger.drop_input(origin)
            return
        record = []
        for item, result in zip(items, results):
            if result is None:  # a record that could not be written: read the file again next time
                self.ledger.drop_input(origin)
                return
            if isinstance(result, tuple):
                record.append({"rejected": result[0], "reason": result[1]})
                continue
            written = self._written.get(result.path)  # the page as this run wrote it: stat taken then
            try:
                page, st = written if written is not None else (
                    result.path.relative_to(self.content).as_posix(), result.path.stat())
            except (OSError, ValueError):
                self.ledger.drop_input(origin)
                return
            page_id = self.page_ids.get(result.path)
            entry = self.ledger.get(page_id) if page_id else None
            aid = result.article_id or item.id
            record.append({"id": aid, "page": page, "stat": [st.st_size, st.st_mtime_ns],
                           "input": _source_fp(source_entry(item)), "title": result.title or item.title, "origin": item.origin, "notes": list(item.notes),
                           "primary": bool(entry) and page_id == aid and entry.get("key") == primary_key(item)})
        self.ledger.set_input(origin, key, record)
        if self.ledger.pending >= ledgerdb.SYNC_BATCH:
            self.checkpoint()
