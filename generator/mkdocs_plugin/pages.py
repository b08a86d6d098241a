"""Markdown for the generated pages. Every piece of article text is data, never markup: in Markdown
it goes through md_escape, in the HTML lists and headers through esc (html.escape)."""
from __future__ import annotations

import html
from datetime import date

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from ..textutil import md_escape
from .index import LocationNode, Record

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


def article_list(from_uri: str, records: list[Record], link: Linker) -> str:
    if not records:
        return "_No articles._\n"
    items = [f"<li>{link(from_uri, r.src_uri, r.title)} <small>{esc(fmt_date(r.date))}"
             + (f" · {esc(r.source)}" if r.source else "") + "</small></li>" for r in records]
    return '<ul class="archive-list">\n' + "\n".join(items) + "\n</ul>\n"


def _children(node: LocationNode) -> list[LocationNode]:
    return sorted(node.children.values(), key=lambda n: n.name.casefold())


def _items(lines: list[str]) -> str:
    return "<ul>\n" + "\n".join(f"<li>{x}</li>" for x in lines) + "\n</ul>\n\n"


def heading(title: str, level: int = 1) -> str:
    return "#" * level + " " + md_escape(title) + "\n\n"


def tags_index_page(uri: str, by_kind: dict[str, list[str]], tag_uri, counts: dict[str, int], title: str,
                    link: Linker, aliases: dict[str, tuple[str, ...]] | None = None) -> str:
    """Tags grouped by kind, each with its number of articles and the spellings it also stands for."""
    aliases = aliases or {}
    out = [heading(title)]

    def also(n: str) -> str:
        names = [a for a in aliases.get(n, ()) if a != n]
        return f' <span class="archive-aliases">also {esc(", ".join(names))}</span>' if names else ""

    for kind, names in by_kind.items():
        out.append(heading(kind.capitalize() + ("s" if not kind.endswith("s") else ""), 2))
        out.append(_items([f"{link(uri, tag_uri(n), n)} ({counts[n]}){also(n)}" for n in names]))
    if len(out) == 1:
        out.append("_No tags yet._\n")
    return "".join(out)


def tag_page(uri: str, name: str, kind: str, records: list[Record], index_uri: str, link: Linker) -> str:
    return (heading(name) + f"<p><small>{esc(kind)} · {len(records)} article(s) · "
            f"{link(uri, index_uri, 'all tags')}</small></p>\n\n" + article_list(uri, records, link))


def locations_index_page(uri: str, tree: dict[str, LocationNode], node_uri, title: str, link: Linker) -> str:
    out = [heading(title)]

    def emit(node: LocationNode) -> str:
        entry = f"{link(uri, node_uri(node), node.name)} ({len(node.articles)})"
        children = _children(node)
        if not children:
            return f"<li>{entry}</li>"
        # Collapsed by default: a country opens to its regions, a region to its places.
        inner = "\n<ul>\n" + "\n".join(emit(c) for c in children) + "\n</ul>\n"
        return f"<li><details><summary>{entry}</summary>{inner}</details></li>"

    if tree:
        out.append('<ul class="archive-tree">\n' + "\n".join(emit(n) for n in tree.values()) + "\n</ul>\n")
    else:
        out.append("_No locations yet._\n")
    return "".join(out)


def location_page(uri: str, node: LocationNode, parents: list[LocationNode], node_uri, index_uri: str,
                  link: Linker) -> str:
    crumbs = [link(uri, index_uri, "All locations")] + [link(uri, node_uri(p), p.name) for p in parents]
    out = [heading(node.name), "<p>" + " › ".join(crumbs) + "</p>\n\n"]
    place = node.place
    facts = [node.kind]
    if place and place.lat is not None and place.lon is not None:
        facts.append(f"{place.lat:.2f}, {place.lon:.2f}" + (" (approximate)" if place.approximate else ""))
    out.append(f"<p><small>{esc(' · '.join(facts))}</small></p>\n\n")
    if node.children:
        out.append(heading("Within " + node.name, 2))
        out.append(_items([f"{link(uri, node_uri(c), c.name)} ({len(c.articles)})" for c in _children(node)]))
    out.append(heading("Articles", 2))
    out.append(article_list(uri, node.articles, link))
    return "".join(out)


def archive_index_page(uri: str, months: dict[str, list[Record]], undated: list[Record], month_uri, undated_uri,
                       title: str, link: Linker) -> str:
    out = [heading(title)]
    by_year: dict[str, list[str]] = {}
    for key, records in months.items():
        by_year.setdefault(key.split("-")[0], []).append(f"{link(uri, month_uri(key), month_title(key))} ({len(records)})")
    for y, items in by_year.items():
        out.append(heading(y, 2) + _items(items))
    if undated:
        out.append(heading("Undated", 2))
        out.append(_items([f"{link(uri, undated_uri, 'Articles without a known date')} ({len(undated)})"]))
    return "".join(out)


def month_title(key: str) -> str:
    y, m = key.split("-")
    return f"{MONTHS[int(m) - 1]} {y}"


def month_page(uri: str, key: str, records: list[Record], index_uri: str, link: Linker) -> str:
    return (heading(month_title(key)) + f"<p>{link(uri, index_uri, 'Archive')}</p>\n\n"
            + article_list(uri, records, link))


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

