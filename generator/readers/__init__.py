"""Readers, one per input format. Each has a `name`, `sniff(head) -> bool` (chosen by content, not
only by extension) and `read(text, origin) -> Iterator[Article | Rejected]`. The first reader whose
sniff accepts the text wins; the scraped-text reader is the fallback and comes last.

Order: feed (RSS/Atom/RDF), JSON / JSON Lines, HTML, then plain text.

A reader of a multi-record file (feed, JSON export) yields a `Rejected(origin, reason)` for a
record that cannot become an article, instead of raising: one bad record never loses the others.
A whole file that cannot be read still raises `RejectedInput`.
"""
from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from pathlib import PurePath
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


# A file named as plain text is read as HTML only when it really is an HTML document: a scrape
# whose first line happens to start with a tag is text, and an HTML parser would hide whatever
# follows a literal "<!--" in it.
TEXT_SUFFIXES = (".txt", ".text")
_HTML_DOCUMENT = re.compile(r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.I | re.S)


def is_html_document(head: str) -> bool:
    return bool(_HTML_DOCUMENT.match(head.lstrip("\ufeff \t\r\n")))


def choose(text: str, name: str | None = None) -> Reader:
    """The reader for `text`, by content; `name` (the file's name) keeps a .txt file away from
    the HTML reader unless it is an HTML document."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    plain = name is not None and PurePath(name).suffix.lower() in TEXT_SUFFIXES
    for reader in READERS:
        if plain and reader.name == "html" and not is_html_document(head):
            continue
        if reader.sniff(head):
            return reader
    return READERS[-1]


# A single-article reader that keeps less than this share of the words the file holds has lost
# text (a parser that took the rest for markup or a comment), unless the file holds few words.
# Measured on the shared corpora (content/editing.md): the lowest share for a real page was above it.
MIN_KEPT_SHARE = {"text": 0.3, "html": 0.02}
MIN_LOST_WORDS = 150
_WORD = re.compile(r"\w+")
_HIDDEN = re.compile(r"<(script|style|template|noscript|svg|head)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_MARKUP = re.compile(r"<[^>]{0,2000}>")


def words_in(text: str) -> int:
    """Words a reader of this file could keep: tags, scripts, styles and closed comments aside
    (an unclosed "<!--" hides nothing here)."""
    if "<" in text:
        text = html_lib.unescape(_MARKUP.sub(" ", _HIDDEN.sub(" ", text)))
    return len(_WORD.findall(text))


def lost_text(reader: str, text: str, article: Article) -> str | None:
    """Why this article is a fragment of its file (a reason for the report), or None."""
    share = MIN_KEPT_SHARE.get(reader)
    if share is None:
        return None  # feeds and exports hold many records (and markup): no single article is the file
    total = words_in(text)
    kept = len(_WORD.findall(" ".join((article.title, article.summary or "", article.body_text))))
    if total - kept >= MIN_LOST_WORDS and kept < share * total:
        return (f"the {reader} reader kept only {kept:,} of the {total:,} words in the file: "
                "rejected rather than publishing a fragment")
    return None
