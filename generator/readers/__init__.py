"""Readers, one per input format. Each has a `name`, `sniff(head) -> bool` (chosen by content, not
only by extension) and `read(text, origin) -> Iterator[Article]`. The first reader whose sniff
accepts the text wins; the scraped-text reader is the fallback and comes last."""
from __future__ import annotations

from typing import Iterator, Protocol

from ..model import Article
from .text import TextReader


class Reader(Protocol):
    name: str

    def sniff(self, head: str) -> bool: ...

    def read(self, text: str, origin: str) -> Iterator[Article]: ...


READERS: list[Reader] = [TextReader()]


def register(reader: Reader) -> None:
    """Add a reader ahead of the fallback text reader."""
    READERS.insert(len(READERS) - 1, reader)


def choose(text: str) -> Reader:
    head = text[:4096].lstrip()
    for reader in READERS:
        if reader.sniff(head):
            return reader
    return READERS[-1]
