"""Readers, one per input format. Each has a `name`, `sniff(head) -> bool` (chosen by content, not
only by extension) and `read(text, origin) -> Iterator[Article | Rejected]`. The first reader whose
sniff accepts the text wins; the scraped-text reader is the fallback and comes last.

Order: feed (RSS/Atom/RDF), JSON / JSON Lines, Markdown page (a .md file with front matter), HTML,
then plain text.

A reader of a multi-record file (feed, JSON export) yields a `Rejected(origin, reason)` for a
record that cannot become an article, instead of raising: one bad record never loses the others.
A whole file that cannot be read still raises `RejectedInput`.
"""
from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from importlib import import_module
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


class _Lazy:
    """A reader whose module is imported only when a file is offered to it: an inbox of text files
    never loads the HTML reader's own code or Python-Markdown (about 45 ms of a daily update's worker).
    Chosen and read exactly as the reader itself would be."""

    def __init__(self, name: str, module: str, cls: str, extensions: tuple[str, ...]) -> None:
        self.name, self.extensions = name, extensions
        self._module, self._cls = module, cls
        self._reader: Reader | None = None

    def load(self) -> Reader:
        if self._reader is None:
            self._reader = getattr(import_module(self._module, __name__), self._cls)()
        return self._reader

    def sniff(self, head: str) -> bool:
        return self.load().sniff(head)

    def read(self, text: str, origin: str) -> Iterator[Article | Rejected]:
        return self.load().read(text, origin)


from .feed import FeedReader  # noqa: E402  (Rejected must exist before the readers import it)
from .jsonl import JsonReader  # noqa: E402
from .text import TextReader  # noqa: E402  (the fallback: loaded with the text model it needs anyway)

_PAGE = _Lazy("page", ".page", "PageReader", (".md", ".markdown"))  # page.SUFFIXES (a test checks they agree)
READERS: list[Reader] = [FeedReader(), JsonReader(), _PAGE, _Lazy("html", ".html", "HtmlReader", (".html", ".htm", ".xhtml")),
                         TextReader()]


def register(reader: Reader) -> None:
    """Add a reader ahead of the fallback text reader."""
    READERS.insert(len(READERS) - 1, reader)


# A file named as plain text is read as HTML only when it really is an HTML document: a scrape
# whose first line happens to start with a tag is text, and an HTML parser would hide whatever
# follows a literal "<!--" in it.
TEXT_SUFFIXES = (".txt", ".text", "")  # "": a scrape saved without an extension
_HTML_DOCUMENT = re.compile(r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.I | re.S)


def is_html_document(head: str) -> bool:
    return bool(_HTML_DOCUMENT.match(head.lstrip("\ufeff \t\r\n")))


def choose(text: str, name: str | None = None) -> Reader:
    """The reader for `text`, by content; `name` (the file's name) keeps a .txt file away from
    the HTML reader unless it is an HTML document."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    suffix = PurePath(name).suffix.lower() if name is not None else None
    if suffix in JsonReader.extensions and head[:1] in ("[", "{"):
        # JSON by name and by its first character, though no record opens it ("[[[[…"): the JSON
        # reader says what it is (nested too deeply, not objects); the text reader said "no title line"
        return next(r for r in READERS if r.name == "json")
    plain = suffix is not None and suffix in TEXT_SUFFIXES
    for reader in READERS:
        if plain and reader.name == "html" and not is_html_document(head):
            continue
        if reader.name == "page" and suffix not in _PAGE.extensions:  # a .md file only
            continue
        if reader.sniff(head):
            return reader
    return READERS[-1]


# Share of the file's words a single-article reader must keep: (below it the article is rejected,
# below it the report notes it). Measured with the readers of this version on the shared corpora
# (163 real HTML pages: every 4th of the three extraction sets; 294 real scrapes: every 3rd of
# scrapes_real): the HTML reader kept at least 3.6 %
# of every real page's words, so below 2 % it has lost text (a parser that took the rest for a
# comment or markup) and the page is rejected rather than published as a fragment. Scrapes are
# mostly page chrome, and a text reader drops it line by line: it kept under 5 % of 6 of 294
# real scrapes, which are published with a note in the report instead.
KEPT_SHARE = {"html": (0.02, 0.02), "text": (0.0, 0.05)}
MIN_LOST_WORDS = 150  # a short file can legitimately be mostly furniture
_WORD = re.compile(r"\w+")
_HIDDEN = re.compile(r"<(script|style|template|noscript|svg|head)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_MARKUP = re.compile(r"<[^>]{0,2000}>")


def words_in(text: str) -> int:
    """Words a reader of this file could keep: tags, scripts, styles and closed comments aside
    (an unclosed "<!--" hides nothing here)."""
    if "<" in text:
        text = html_lib.unescape(_MARKUP.sub(" ", _HIDDEN.sub(" ", text)))
    return len(_WORD.findall(text))


# Markup an HTML parser reads to its end marker, or to the end of the file when there is none: an
# unclosed "<!--" (a literal one in a scrape) hides everything after it. No real page of the 650 in
# the shared extraction sets has one.
_SWALLOWING = (("<!--", "-->"), ("<script", "</script"), ("<style", "</style"), ("<textarea", "</textarea"),
               ("<title", "</title"), ("<xmp", "</xmp"), ("<plaintext", "\0"))


def _swallowed(text: str) -> str | None:
    low = text.lower()
    for opener, closer in _SWALLOWING:
        at = low.rfind(opener)
        if at >= 0 and low.find(closer, at + len(opener)) < 0:
            hidden = words_in(text[at + len(opener):].replace("<", " <"))
            if hidden >= MIN_LOST_WORDS:
                return (f"an unclosed '{opener}' hides the last {hidden:,} words of the file from an HTML "
                        "reader: rejected rather than publishing a fragment")
    return None


def lost_text(reader: str, text: str, article: Article) -> tuple[str, bool] | None:
    """(what the report says, whether to reject) when the article kept far fewer words than its
    file holds; None when it did not, or for multi-record readers (no one article is the file)."""
    shares = KEPT_SHARE.get(reader)
    if shares is None:
        return None
    if reader == "html":
        swallowed = _swallowed(text)
        if swallowed:
            return swallowed, True
    total = words_in(text)
    kept = len(_WORD.findall(" ".join((article.title, article.summary or "", article.body_text))))
    if total - kept < MIN_LOST_WORDS or kept >= max(shares) * total:
        return None
    reject = kept < shares[0] * total
    what = f"the {reader} reader kept only {kept:,} of the {total:,} words in the file"
    return (what + (": rejected rather than publishing a fragment" if reject else ""), reject)
