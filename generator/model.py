"""The typed records that flow through the pipeline: readers make them, enrichers refine them, writers persist them."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from urllib.parse import urlsplit

# ---- Bounds on what one input may put into a page: the one place they are declared ---------------
# Characters per field. Past these a value is no longer a headline or a byline but a mis-read or an
# attack (a YAML alias bomb made a 44 MB author); the report names the field and its length.
FIELD_LIMITS: dict[str, int] = {
    "title": 1000, "summary": 5000, "author": 500, "source": 300, "url": 2048, "tag": 200, "place": 200,
}
# Entries of one page's `tags`, `locations` or `places` list: the most of 10,000 generated pages
# had 17 tags and 16 locations. One hand-edited page with 10,000 tags made 10,000 tag pages, each
# listing the other 9,999: a 3.7 GB site in 207 s instead of 7 s. An input naming every place of
# the gazetteer gets the first this many (enrich), so a generated page never passes the bound.
MAX_LIST_ENTRIES = 1000
# HTML structure: the largest of 120 real news pages measured had 1,643 elements and nesting depth
# 31 (content/editing.md); a page past these is rejected before any extraction work is spent on it.
MAX_HTML_ELEMENTS = 50_000
MAX_HTML_DEPTH = 512
# JSON structure: values (objects, arrays, keys and entries) of one JSON document or one JSON Lines
# line, counted before it is parsed. json.loads holds each value as a Python object (64-200 bytes):
# a 20 MiB array of 7,000,000 empty objects took 580 MB and 28 CPU-s to read into as many rejected
# records. An article is a few dozen values, so a file of real ones stays far below this; an export
# past it can be written as JSON Lines, which is read a line at a time.
MAX_JSON_VALUES = 1_000_000
# Rejected records of one input file reported one by one (reading); the rest are counted in one more
# record. An input with more than this is not kept in the ledger (writers/records), so it is read again
# next time. Why: a 20 MiB file of 7,000,000 bad one-line records made as many report entries (1.1 GB
# of memory for each million, in the ingest process) and a 100 MB rejects report and ledger.
MAX_REJECTED_RECORDS = 10_000
# The earliest publication date an article may have: a date read from an input before it is no
# publication date (a year quoted in the text, a mis-read), and a page dated before it was typed
# by hand (`0001-01-01`, `0202` for `2020`); the build names such a page (the plugin's
# `earliest_date` lowers it for an archive of older articles).
EARLIEST_DATE = date(1950, 1, 1)
# The only URL schemes a page, a feed or the find index may link to (never javascript:, data:...).
SAFE_URL_SCHEMES = ("http", "https")


def safe_url(value) -> str | None:
    """`value` when it is an absolute http(s) URL a browser will read as such, else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > FIELD_LIMITS["url"] or any(ch <= " " or ch == "\x7f" for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_URL_SCHEMES or not parts.netloc:
        return None
    return url

BlockKind = Literal["p", "h2"]


@dataclass(frozen=True)
class Block:
    """One body block as plain text: a paragraph or a section heading (never markup)."""

    kind: BlockKind
    text: str


@dataclass(frozen=True)
class Place:
    """A resolved place with its hierarchy, so indices and maps need no re-extraction."""

    name: str
    country: str
    region: str | None = None
    kind: str = "place"  # country / region / city / place
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    approximate: bool = False

    def to_dict(self) -> dict:
        d = {"name": self.name, "kind": self.kind, "country": self.country}
        if self.region:
            d["region"] = self.region
        if self.lat is not None and self.lon is not None:
            d["lat"] = round(self.lat, 4)
            d["lon"] = round(self.lon, 4)
        if self.geonameid:
            d["geonameid"] = self.geonameid
        if self.approximate:
            d["approximate"] = True
        return d


@dataclass
class Article:
    """One article, whatever format it came from."""

    title: str
    blocks: list[Block]
    origin: str  # the input file (and entry) it was read from, for reports
    summary: str | None = None
    date: date | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    # MinHash signature of the body (generator.dedup), computed in the reading worker; not part of equality.
    signature: bytes | None = field(default=None, repr=False, compare=False)
    # What was changed or left out while reading (a NUL byte removed, an unsafe URL dropped...): the
    # report shows it beside the outcome, so nothing is lost silently.
    notes: list[str] = field(default_factory=list, compare=False)

    @property
    def body_text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)

    @property
    def locations(self) -> list[str]:
        return [p.name for p in self.places]

    @property
    def id(self) -> str:
        """Stable identity: a hash of the normalised text, so the same article read twice gets the same id."""
        return text_id(self.title, self.body_text)


def bound_fields(article: Article) -> Article:
    """Hold an article to FIELD_LIMITS and SAFE_URL_SCHEMES, whatever reader made it: an over-long
    title rejects it; another over-long or unsafe field is dropped with a note for the report."""
    title_len = len(article.title or "")
    if title_len > FIELD_LIMITS["title"]:
        raise RejectedInput(f"title is {title_len:,} characters (limit {FIELD_LIMITS['title']:,})")
    for name in ("summary", "author", "source"):
        value = getattr(article, name)
        if value is not None and len(value) > FIELD_LIMITS[name]:
            setattr(article, name, None)
            article.notes.append(f"{name} left out: {len(value):,} characters (limit {FIELD_LIMITS[name]:,})")
    if article.url is not None and safe_url(article.url) is None:
        shown = article.url if len(article.url) <= 60 else article.url[:57] + "..."
        article.notes.append(f"url left out: {shown!r} is not an http(s) address")
        article.url = None
    long_tags = [t for t in article.tags if len(t) > FIELD_LIMITS["tag"]]
    if long_tags:
        article.tags = [t for t in article.tags if len(t) <= FIELD_LIMITS["tag"]]
        article.notes.append(f"{len(long_tags)} tag(s) left out: longer than {FIELD_LIMITS['tag']} characters")
    return article


# The words (runs of \w) of the text, joined by one space: what re.sub(r"\W+", " ", text).strip() gives
# (no character is both a word character and whitespace). ASCII text (most articles) takes a C
# translate and split instead of the regular expression: about 46 -> 19 us an article.
_WORDS = re.compile(r"\w+")
_ASCII_NON_WORD = str.maketrans({i: " " for i in range(128) if not (chr(i).isalnum() or chr(i) == "_")})


def normalise_for_id(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    if text.isascii():
        return " ".join(text.translate(_ASCII_NON_WORD).split())
    return " ".join(_WORDS.findall(text))


def text_id(title: str, body: str) -> str:
    digest = hashlib.sha256(normalise_for_id(title + "\n" + body).encode("utf-8")).hexdigest()
    return digest[:16]


class RejectedInput(Exception):
    """An input that cannot become an article; the message is the one-line reason."""
