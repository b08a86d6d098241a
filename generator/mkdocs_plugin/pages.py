"""Links and article headers for the generated pages (listings.py builds the listing pages). Every
piece of article text is data, never markup: in Markdown it goes through md_escape, in the HTML
lists and headers through esc (html.escape)."""
from __future__ import annotations

import html
from datetime import date

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from ..textutil import md_escape
from .index import Record

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


class Linker:
    """HTML links between source files, with the URLs MkDocs gives them (`use_directory_urls`
    honoured). Generated lists link with ready HTML rather than Markdown links: a 3,000-article site
    has ~90,000 of them, and Markdown's inline processing of each was the largest part of a build.
    MkDocs no longer checks these links, so every target is remembered here and the plugin checks
    them all against the site's pages (a broken one is a warning, which fails a strict build)."""

    def __init__(self, use_directory_urls: bool = True) -> None:
        self.use_directory_urls = use_directory_urls
        self._urls: dict[str, str] = {}
        self.targets: dict[str, str] = {}  # target -> a page that links to it

    def url(self, uri: str) -> str:
        url = self._urls.get(uri)
        if url is None:
            url = self._urls[uri] = File(uri, src_dir=None, dest_dir="", use_directory_urls=self.use_directory_urls).url
        return url

    def href(self, from_uri: str, to_uri: str) -> str:
        self.targets.setdefault(to_uri, from_uri)
        return get_relative_url(self.url(to_uri), self.url(from_uri))

    def __call__(self, from_uri: str, to_uri: str, text: str) -> str:
        return f'<a href="{html.escape(self.href(from_uri, to_uri), quote=True)}">{esc(text)}</a>'


def esc(text: str) -> str:
    """Article text as HTML text: escaped, on one line (a blank line would end a raw HTML block)."""
    return html.escape(" ".join(str(text).split()), quote=False)


def fmt_date(d: date | None) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}" if d else "Undated"


def heading(title: str, level: int = 1) -> str:
    return "#" * level + " " + md_escape(title) + "\n\n"


def month_title(key: str) -> str:
    y, m = key.split("-")
    return f"{MONTHS[int(m) - 1]} {y}"


def _web_link(url: str, text: str) -> str:
    """A link to the original article: only http(s) URLs, never `javascript:` and friends."""
    return f'<a href="{html.escape(url.replace(" ", "%20"), quote=True)}">{esc(text)}</a>'


def article_header(r: Record, tag_uri, place_uri, link: Linker) -> str:
    """Date, source, summary, tags and places at the top of an article page, as one HTML block."""
    facts = [esc(fmt_date(r.date))]
    web = r.url if r.url and r.url.startswith(("http://", "https://")) else None
    if r.source:
        facts.append(_web_link(web, r.source) if web else esc(r.source))
    elif web:
        facts.append(_web_link(web, "original"))
    out = ['<div class="archive-meta">\n<p>' + " · ".join(facts) + "</p>\n"]
    if r.summary:
        out.append(f'<p class="archive-summary">{esc(r.summary)}</p>\n')
    if r.tags:
        out.append('<p class="archive-chips"><span class="archive-chips__label">Tags</span> '
                   + " ".join(link(r.src_uri, tag_uri(t), t) for t in r.tags) + "</p>\n")
    if r.places:
        out.append('<p class="archive-chips archive-chips--places"><span class="archive-chips__label">Places</span> '
                   + " ".join(link(r.src_uri, place_uri(p), p.name) for p in r.places) + "</p>\n")
    out.append("</div>\n\n")
    return "".join(out)

