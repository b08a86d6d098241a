"""Links and article headers for the generated pages (listings.py builds the listing pages). Every
piece of article text is data, never markup: in Markdown it goes through md_escape, in the HTML
lists and headers through esc (html.escape)."""
from __future__ import annotations

import html
import posixpath
from datetime import date

from mkdocs.structure.files import File

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
        self._parts: dict[str, list[str]] = {}  # a URL's normalised parts (href)
        self._dirs: dict[str, list[str]] = {}  # a linking page's folder's parts

    def url(self, uri: str) -> str:
        url = self._urls.get(uri)
        if url is None:
            url = self._urls[uri] = File(uri, src_dir=None, dest_dir="", use_directory_urls=self.use_directory_urls).url
        return url

    def known(self, urls: dict[str, str]) -> None:
        """The URLs MkDocs gave this build's article files (src_uri -> File.url, made with the same
        `use_directory_urls`): the function of the source path `url` computes, so no File is made
        again for each (about 14 us each: 0.1-0.14 CPU-s of a build at 10,000 articles, issue 12)."""
        self._urls.update(urls)

    def href(self, from_uri: str, to_uri: str) -> str:
        """get_relative_url(url(to), url(from)), with each URL's normalised parts made once (a
        changed listing links every article of its changed pages: posixpath.normpath twice a link
        was most of it). tests/test_listings.py checks it against MkDocs' function."""
        self.targets.setdefault(to_uri, from_uri)
        url = self.url(to_uri)
        parts = self._parts.get(url)
        if parts is None:
            parts = self._parts[url] = _norm_parts(url)
        other = self.url(from_uri)
        here = self._dirs.get(other)
        if here is None:
            dirname, _, basename = other.rpartition("/")
            here = self._dirs[other] = _norm_parts(dirname if "." in basename else other)
        common = 0
        for a, b in zip(here, parts):
            if a != b:
                break
            common += 1
        rel = "/".join([".."] * (len(here) - common) + parts[common:]) or "."
        return rel + "/" if url.endswith("/") else rel

    def __call__(self, from_uri: str, to_uri: str, text: str) -> str:
        return f'<a href="{html.escape(self.href(from_uri, to_uri), quote=True)}">{esc(text)}</a>'


def _norm_parts(path: str) -> list[str]:
    """As mkdocs.utils' (private) function of that name: the path's parts, normalised."""
    path = posixpath.normpath(path if path.startswith("/") else "/" + path)[1:]
    return path.split("/") if path else []


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

