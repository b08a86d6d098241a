"""RSS 0.9x/1.0/2.0 and Atom feeds, read with feedparser: one article per entry.

Per entry: title; body from the full content (`content:encoded`, Atom `<content>`) when present,
else the summary/description; HTML in either becomes plain-text blocks (never markup); entry link
-> url; published (else updated) -> date, read as written (no time-zone shift, never invented);
author; feed title -> source. An entry with no title or no text is reported as `Rejected`.
"""
from __future__ import annotations

import io
import re
from typing import Iterator

from ..enrich.dates import parse_date
from ..model import Article, Block, RejectedInput
from ..textutil import clean_spaces
from . import Rejected
from .html_tree import fragment_blocks

_FEED_ROOT = re.compile(
    r"(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<\?xml-stylesheet[^>]*\?>|<!DOCTYPE[^>]*>)\s*)*"
    r"<(?:rss|feed|rdf:RDF)[\s>]", re.S | re.I)
_ATOM_NS = re.compile(r"xmlns(?::\w+)?=[\"']http://www\.w3\.org/2005/Atom[\"']|<channel[\s>]", re.I)


def looks_like_feed(head: str) -> bool:
    if _FEED_ROOT.match(head):
        return True
    return head.startswith("<?xml") and bool(_ATOM_NS.search(head)) and not re.search(r"<html[\s>]", head, re.I)


_INTERNAL_DTD = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.S | re.I)


def _plain(value: str | None) -> str:
    """Text of a title-like field that may carry markup or entities."""
    if not value:
        return ""
    if "<" in value or "&" in value:
        blocks = fragment_blocks(value)
        return clean_spaces(" ".join(b.text for b in blocks))
    return clean_spaces(value)


def _entry_blocks(entry) -> tuple[list[Block], str | None]:
    """(body blocks, summary) — the fullest content wins; the summary is kept when it is shorter."""
    contents = [c for c in entry.get("content", []) if c.get("value")]
    summary_html = entry.get("summary") or ""
    best = max(contents, key=lambda c: len(c["value"]), default=None)
    if best is not None and len(best["value"]) >= len(summary_html):
        blocks = _to_blocks(best.get("value"), best.get("type"))
        summary = _plain(summary_html) or None
        if summary and blocks and (summary == blocks[0].text or len(summary) >= sum(len(b.text) for b in blocks)):
            summary = None
        return blocks, summary
    return _to_blocks(summary_html, (entry.get("summary_detail") or {}).get("type")), None


def _to_blocks(value: str | None, mime: str | None) -> list[Block]:
    if not value:
        return []
    if mime == "text/plain" and "<" not in value:
        return [Block("p", t) for t in (clean_spaces(p) for p in re.split(r"\n\s*\n", value)) if t]
    return fragment_blocks(value)


def _feed_bytes(text: str) -> io.BytesIO:
    # The text is already decoded: drop the encoding declaration so feedparser reads it as UTF-8.
    text = re.sub(r"^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*[\"'][^\"']*[\"']", r"\1", text, count=1)
    # A feed needs no internal DTD subset; entity definitions there are how "billion laughs" attacks work.
    text = _INTERNAL_DTD.sub("", text, count=1)
    return io.BytesIO(text.encode("utf-8"))


# Items one feed file may hold. feedparser holds a whole feed in memory, about 1 KB an item even
# when each is `<item><title>t</title></item>`: 200,000 of them (6 MB) took 236 MB and 20 s, and the
# 20 MiB input limit let 700,000 in. A real feed holds tens or hundreds; an export as a feed, thousands.
MAX_FEED_ITEMS = 50_000
_ITEM = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]")


def read_feed(text: str, origin: str) -> Iterator[Article | Rejected]:
    import feedparser

    items = sum(1 for _ in _ITEM.finditer(text))
    if items > MAX_FEED_ITEMS:
        raise RejectedInput(f"a feed of {items:,} items (limit {MAX_FEED_ITEMS:,}): not read; split it into smaller files")
    parsed = feedparser.parse(_feed_bytes(text), sanitize_html=True, resolve_relative_uris=True)
    entries = parsed.get("entries") or []
    if not entries:
        reason = "feed without entries"
        if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
            reason += f" (not well-formed: {str(parsed['bozo_exception']).splitlines()[0][:120]})"
        raise RejectedInput(reason)
    source = _plain(parsed.feed.get("title")) or None
    for i, entry in enumerate(entries, 1):
        where = f"{origin}#entry-{i}"
        title = _plain(entry.get("title"))
        blocks, summary = _entry_blocks(entry)
        if not title:
            yield Rejected(where, "feed entry without a title")
            continue
        if not any(b.kind == "p" for b in blocks):
            yield Rejected(where, "feed entry without text (no content or summary)")
            continue
        when = None
        for key in ("published", "updated", "created", "dc_date"):
            when = parse_date(entry.get(key))
            if when:
                break
        yield Article(title=title, blocks=blocks, origin=where, summary=summary, date=when, source=source,
                      url=(entry.get("link") or None), author=_plain(entry.get("author")) or None)


class FeedReader:
    name = "feed"
    extensions = (".rss", ".atom", ".xml")

    def sniff(self, head: str) -> bool:
        return looks_like_feed(head)

    def read(self, text: str, origin: str) -> Iterator[Article | Rejected]:
        yield from read_feed(text, origin)
