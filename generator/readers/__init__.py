"""Readers, one per input format. Each has a `name`, `sniff(head) -> bool` (chosen by content, not
only by extension) and `read(text, origin) -> Iterator[Article | Rejected]`. The first reader whose
sniff accepts the text wins; the scraped-text reader is the fallback and comes last.

Order: feed (RSS/Atom/RDF), JSON / JSON Lines, HTML, then plain text.

A reader of a multi-record file (feed, JSON export) yields a `Rejected(origin, reason)` for a
record that cannot become an article, instead of raising: one bad record never loses the others.
A whole file that cannot be read still raises `RejectedInput`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Protocol

from ..model import Article


@dataclass(frozen=True)
class Rejected:
    """One record of a multi-record input that cannot become an article (origin names the record)."""

    origin: str
    reason: str


class Reader(Protocol):
    name: str

    def sniff(self, head: str) -> bool: ...

    def read(self, text: str, origin: str) -> Iterator[Article | Rejected]: ...


from .feed import FeedReader  # noqa: E402  (Rejected must exist before the readers import it)
from .html import HtmlReader  # noqa: E402
from .jsonl import JsonReader  # noqa: E402
from .text import TextReader  # noqa: E402

READERS: list[Reader] = [FeedReader(), JsonReader(), HtmlReader(), TextReader()]


def register(reader: Reader) -> None:
    """Add a reader ahead of the fallback text reader."""
    READERS.insert(len(READERS) - 1, reader)


def choose(text: str) -> Reader:
    head = text[:4096].lstrip("\ufeff \t\r\n")
    for reader in READERS:
        if reader.sniff(head):
            return reader
    return READERS[-1]
