"""JSON exports: one JSON object, a JSON array of objects, or JSON Lines (one object per line).

A single object that is not itself an article but wraps a list of them under `articles`, `items`,
`entries`, `data`, `results`, `records` or `posts` is read as that list.

Field mapping (first field present wins; names are matched case-insensitively, `-` and `_` ignored):

| Article field | record fields |
|---|---|
| title   | `title`, `headline`, `name` |
| body    | `text`, `body`, `content`, `articleBody`, `article`, `full_text` (plain text, or HTML when it has tags), then `html`, `content_html`, `body_html` (HTML) |
| summary | `summary`, `description`, `excerpt`, `standfirst`, `lead`, `abstract` |
| date    | `date`, `published`, `published_at`, `publishedAt`, `pubDate`, `datePublished`, `publication_date`, `created_at`, `created`, `updated`, `timestamp` (a date string, or Unix seconds) |
| url     | `url`, `link`, `canonical_url`, `permalink`, `href` |
| source  | `source`, `site`, `site_name`, `publisher`, `outlet`, `feed` (a string or an object with `name`/`title`) |
| author  | `author`, `byline`, `authors`, `creator` (a string, an object with `name`, or a list of either) |

Plain-text bodies are split into paragraphs at blank lines (at single line breaks when there is no
blank line); HTML bodies are converted to plain-text blocks. A record without a title or without
body text becomes a `Rejected` entry naming the record (`file#3` = third record / line), the other
records are still read. A file that is not JSON at all is rejected as a whole.
"""
from __future__ import annotations

import io
import json
import re
from datetime import datetime, timezone
from typing import Any, Iterator

from ..enrich.dates import parse_date
from ..model import MAX_JSON_VALUES, Article, Block, RejectedInput
from ..textutil import clean_spaces
from . import Rejected
from .html_tree import fragment_blocks

FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name"),
    "text": ("text", "body", "content", "articlebody", "article", "fulltext"),
    "html": ("html", "contenthtml", "bodyhtml"),
    "summary": ("summary", "description", "excerpt", "standfirst", "lead", "abstract"),
    "date": ("date", "published", "publishedat", "pubdate", "datepublished", "publicationdate",
             "createdat", "created", "updated", "timestamp"),
    "url": ("url", "link", "canonicalurl", "permalink", "href"),
    "source": ("source", "site", "sitename", "publisher", "outlet", "feed"),
    "author": ("author", "byline", "authors", "creator"),
}
WRAPPERS = ("articles", "items", "entries", "data", "results", "records", "posts")
_HAS_TAG = re.compile(r"<(p|div|br|h[1-6]|li|ul|ol|span|a|em|strong|b|i|blockquote|article|section|table)\b[^>]*>", re.I)


def _key(name: str) -> str:
    return re.sub(r"[-_\s]", "", name).lower()


def _get(record: dict, field: str) -> Any:
    keyed = {_key(k): v for k, v in record.items() if isinstance(k, str)}
    for name in FIELDS[field]:
        v = keyed.get(name)
        if v not in (None, "", [], {}):
            return v
    return None


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    if isinstance(value, dict):
        value = value.get("name") or value.get("title")
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return clean_spaces(str(value)) or None
    return None


def text_blocks(text: str) -> list[Block]:
    """Plain text -> paragraphs (blank lines separate; single line breaks when there is no blank line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return [Block("p", t) for t in (clean_spaces(p) for p in parts) if t]


def _date(value: Any):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:  # (a 400-digit date overflowed the division: the rest of the file went unread)
            seconds = value / 1000 if value > 1e11 else value  # milliseconds are common in exports
            if seconds < 1e8:
                return None
            return parse_date(datetime.fromtimestamp(seconds, tz=timezone.utc).date().isoformat())
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        return parse_date(value)
    return None


def record_to_article(record: Any, origin: str) -> Article | Rejected:
    if not isinstance(record, dict):
        return Rejected(origin, f"record is a JSON {type(record).__name__}, not an object")
    title_v = _get(record, "title")
    title = clean_spaces(title_v) if isinstance(title_v, str) else None
    blocks: list[Block] = []
    body = _get(record, "text")
    if isinstance(body, list):
        body = "\n\n".join(str(x) for x in body if isinstance(x, (str, int, float)))
    if isinstance(body, str) and body.strip():
        blocks = fragment_blocks(body) if _HAS_TAG.search(body) else text_blocks(body)
    if not blocks:
        html = _get(record, "html")
        if isinstance(html, str):
            blocks = fragment_blocks(html)
    if title and "<" in title:
        title = clean_spaces(" ".join(b.text for b in fragment_blocks(title))) or title
    if not title:
        return Rejected(origin, "record without a title (title/headline/name)")
    if not any(b.kind == "p" for b in blocks):
        return Rejected(origin, "record without body text (text/body/content/html)")
    summary_v = _get(record, "summary")
    summary = None
    if isinstance(summary_v, str) and summary_v.strip():
        summary = clean_spaces(" ".join(b.text for b in fragment_blocks(summary_v))) if "<" in summary_v \
            else clean_spaces(summary_v)
        if summary == blocks[0].text:
            summary = None
    url = _get(record, "url")
    return Article(title=title, blocks=blocks, origin=origin, summary=summary or None,
                   date=_date(_get(record, "date")), source=_name(_get(record, "source")),
                   url=url.strip() if isinstance(url, str) and url.strip() else None,
                   author=_name(_get(record, "author")))


class _TooManyValues(ValueError):
    """JSON text of more than MAX_JSON_VALUES values, refused before it is parsed."""


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


def _values(text: str) -> int:
    """How many values JSON text holds, about: its commas, colons and opening brackets outside
    strings (a one-entry array counts one, not two). The plain counts come first: they are an upper
    bound, and text under the limit by them (almost every file) is not scanned for its strings."""
    n = text.count(",") + text.count(":") + text.count("{") + text.count("[")
    if n <= MAX_JSON_VALUES:
        return n
    bare = _STRING.sub("", text)
    return bare.count(",") + bare.count(":") + bare.count("{") + bare.count("[")


def _loads(text: str) -> Any:
    """json.loads, refusing text of more than MAX_JSON_VALUES values before it builds any of them."""
    if _values(text) > MAX_JSON_VALUES:
        raise _TooManyValues(f"more than {MAX_JSON_VALUES:,} JSON values")
    try:
        return json.loads(text)
    except ValueError as exc:  # (json's own errors are ValueErrors too)
        if "integer string conversion" not in str(exc):
            raise
        return json.loads(text, parse_int=_int)  # read again, only when a number was too long


def _int(digits: str) -> int | None:
    """A JSON integer, or None past the digits Python converts (sys.get_int_max_str_digits, 4,300 by
    default): one such number anywhere made the whole file "not valid JSON", every record rejected;
    now that value alone is left out (a date of it reads as undated)."""
    try:
        return int(digits)
    except ValueError:
        return None


def _lines_of_records(text: str) -> bool:
    """Whether text is JSON Lines: its first line is a JSON value on its own, and another line follows."""
    lines = (line for line in _lines(text) if line.strip())
    first, second = next(lines, None), next(lines, None)
    return first is not None and second is not None and _parses(first)


def _records(text: str) -> tuple[list[Any] | Iterator[tuple[int, Any]], str]:
    """(records, how they are numbered): a JSON document, else JSON Lines (read as they are used)."""
    try:
        doc = _loads(text)
    except RecursionError:
        raise RejectedInput("JSON nested too deeply to read: not an export of articles") from None
    except _TooManyValues:
        if not _lines_of_records(text):  # JSON Lines are bounded line by line, as they are read
            raise RejectedInput(f"JSON document of more than {MAX_JSON_VALUES:,} values (objects, arrays, "
                                "keys, entries): split it, or write it as JSON Lines (one record a line)") from None
        doc = None
    except ValueError:
        doc = None
    else:
        if isinstance(doc, list):
            return doc, "#"
        if isinstance(doc, dict):
            if _get(doc, "title") is None:
                for key in WRAPPERS:
                    inner = {_key(k): v for k, v in doc.items()}.get(key)
                    if isinstance(inner, list):
                        return inner, "#"
            return [doc], "#"
        raise RejectedInput(f"JSON {type(doc).__name__} is neither an object nor an array of objects")
    if not any(_parses(line) for line in _lines(text)):  # stops at the first line that parses
        raise RejectedInput("not valid JSON or JSON Lines")
    return _json_lines(text), ":"


def _lines(text: str) -> Iterator[str]:
    """text's lines one at a time (splitlines made a list of them all: a 20 MiB file of 7,000,000
    one-line records held them all at once, and all their records, before the first was read)."""
    return (line for line in io.StringIO(text, newline=None))


def _parses(line: str) -> bool:
    if not line.strip():
        return False
    try:
        _loads(line)
    except (ValueError, RecursionError):
        return False
    return True


def _json_lines(text: str) -> Iterator[tuple[int, Any]]:
    """(line number, record or Rejected) of each non-blank line, as it is read."""
    for n, line in enumerate(_lines(text), 1):
        if not line.strip():
            continue
        try:
            yield n, _loads(line)
        except RecursionError:
            yield n, Rejected("", f"line {n} is JSON nested too deeply")
        except _TooManyValues as exc:
            yield n, Rejected("", f"line {n} holds {exc}: not one article")
        except ValueError as exc:
            yield n, Rejected("", f"line {n} is not valid JSON: {getattr(exc, 'msg', exc)}")


def read_json(text: str, origin: str) -> Iterator[Article | Rejected]:
    records, style = _records(text.lstrip("\ufeff"))
    if not records:
        raise RejectedInput("JSON without records")
    if style == "#":
        for i, rec in enumerate(records, 1):
            yield record_to_article(rec, f"{origin}#{i}")
    else:
        for n, rec in records:
            where = f"{origin}:{n}"
            if isinstance(rec, Rejected):
                yield Rejected(where, rec.reason)
            else:
                yield record_to_article(rec, where)


def looks_like_json(head: str) -> bool:
    head = head.lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        return bool(re.match(r"\{\s*(\"|\}|$)", head))
    if head.startswith("["):
        return bool(re.match(r"\[\s*(\{|\]|$)", head))
    return False


class JsonReader:
    name = "json"
    extensions = (".json", ".jsonl", ".ndjson")

    def sniff(self, head: str) -> bool:
        return looks_like_json(head)

    def read(self, text: str, origin: str) -> Iterator[Article | Rejected]:
        yield from read_json(text, origin)
