"""Markdown pages with YAML front matter: a page of this archive or of another (moved into an inbox,
or sent to be imported), a Jekyll or Hugo post.

Why: such a file was read as a scraped page dump. The front matter became the article: a page of
ours came back as an article titled "- Refugees and displacement" (a line of its tag list), its
YAML and its Markdown escapes published as the text. Now the front matter gives the title, date,
summary, source, url and author, and the Markdown body, rendered, gives the text (as an HTML
fragment is read: markup is never kept). An archive page's text reads back as the text its page was
written from, so it is the same article, with the same id.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterator

import markdown
import yaml

from ..enrich.dates import parse_date, plausible
from ..model import Article, RejectedInput
from ..textutil import clean_spaces
from .html_tree import fragment_blocks

SUFFIXES = (".md", ".markdown")
FIELDS = {"summary": ("summary", "description", "excerpt"), "source": ("source", "site"),
          "url": ("url", "link", "canonical_url"), "author": ("author", "byline")}


def _text(value) -> str | None:
    return clean_spaces(str(value)) or None if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None


def _date(value) -> date | None:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value if plausible(value) else None
    return parse_date(value) if isinstance(value, str) else None


class PageReader:
    """Reads a Markdown file that opens with a front matter naming a title."""

    name = "page"
    extensions = SUFFIXES

    def sniff(self, head: str) -> bool:
        lines = head.replace("\r\n", "\n").split("\n")
        return lines[0].rstrip() == "---" and any(line.startswith("title:") for line in lines[1:60])

    def read(self, text: str, origin: str) -> Iterator[Article]:
        from ..writers.pagefile import parse_page  # (the writers import the readers' model only)

        try:
            meta, body = parse_page(text)
        except (ValueError, yaml.YAMLError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise RejectedInput(f"a Markdown page whose front matter cannot be read ({first})") from None
        title = _text(meta.get("title"))
        if not title:
            raise RejectedInput("a Markdown page whose front matter has no title")
        fields = {key: next((v for n in names if (v := _text(meta.get(n)))), None) for key, names in FIELDS.items()}
        blocks = fragment_blocks(markdown.markdown(body)) if body.strip() else []
        if not blocks:
            raise RejectedInput("a Markdown page with no text below its front matter")
        yield Article(title=title, blocks=blocks, origin=origin, date=_date(meta.get("date")), **fields)
