"""What an article page has besides its text: a locator map, related articles, previous/next in
time, and its own Open Graph card. Article text is data: escaped everywhere (pages.esc)."""
from __future__ import annotations

import html

from . import locator as locmap
from .index import Record
from .pages import Linker, esc, fmt_date
from .related import Neighbours


def locator(r: Record, href) -> str:
    """The page's locator map; `href(site_uri)` links to the view's shared outline file."""
    points = locmap.points_of(r.places)
    view = locmap.view_of(points)
    return locmap.figure(points, view, href(locmap.uri(view))) if view else ""


def view(r: Record) -> locmap.View | None:
    """The view of the page's locator map (kept in `Record.derived` by the plugin)."""
    return locmap.view_of(locmap.points_of(r.places))


def footer(r: Record, nb: Neighbours | None, link: Linker) -> str:
    if nb is None:
        return ""
    out = []
    if nb.related:
        items = "".join(f"<li>{link(r.src_uri, o.src_uri, o.title)} <small>{esc(fmt_date(o.date))}"
                        + (f" · {esc(o.source)}" if o.source else "") + "</small></li>" for o in nb.related)
        out.append(f'<h2 id="related">Related articles</h2>\n<ul class="archive-list archive-related">{items}</ul>\n')
    if nb.previous or nb.next:
        parts = []
        if nb.previous:
            parts.append(f'<span class="archive-prev">← Older: {link(r.src_uri, nb.previous.src_uri, nb.previous.title)}</span>')
        if nb.next:
            parts.append(f'<span class="archive-next">Newer: {link(r.src_uri, nb.next.src_uri, nb.next.title)} →</span>')
        out.append('<nav class="archive-prevnext" aria-label="Previous and next in time">' + "".join(parts) + "</nav>\n")
    return "\n\n" + "".join(out) if out else ""


def open_graph(r: Record, site_name: str, page_url: str) -> list[tuple[str, str]]:
    """(property, value escaped for an attribute) pairs; main.html prints them as og: meta tags."""
    values = [("type", "article"), ("title", r.title), ("site_name", site_name)]
    if r.summary:
        values.append(("description", r.summary))
    if page_url.startswith(("http://", "https://")):
        values.append(("url", page_url))
    return [(k, html.escape(" ".join(v.split()), quote=True)) for k, v in values if v]


class Links:
    """An article page's links (tag and place chips, related articles, older/newer), made once per
    folder of pages: a link's HTML depends on the linking page only through its folder (a month's
    articles link to the same tags and places, and to each other, with the same relative URLs), so
    the pages of a folder share it. A target inside the linking page's own URL is linked as Linker
    does, unshared. Every target is still recorded for the link check (Linker.targets). Per link:
    a dict lookup instead of a relative URL, two escapes and a slug (about 188,000 links at 10,000
    articles)."""

    LIMIT = 200_000  # entries kept; the memo starts again past it (memory at 100,000 articles)

    def __init__(self, link: Linker, tag_uri, place_uri) -> None:
        self.link, self._tag_uri, self._place_uri = link, tag_uri, place_uri
        self._tags: dict[str, str] = {}
        self._places: dict[object, str] = {}
        self._html: dict[tuple[str, str, str], str] = {}

    def tag_uri(self, name: str) -> str:
        uri = self._tags.get(name)
        if uri is None:
            uri = self._tags[name] = self._tag_uri(name)
        return uri

    def place_uri(self, place) -> str:
        uri = self._places.get(place)
        if uri is None:
            uri = self._places[place] = self._place_uri(place)
        return uri

    def __call__(self, from_uri: str, to_uri: str, text: str) -> str:
        here = self.link.url(from_uri).rstrip("/")
        if here in ("", ".") or here.startswith(("./", "../")) or self.link.url(to_uri).startswith(here):
            return self.link(from_uri, to_uri, text)  # the site's root, or a target at or under the page
        key = (here.rpartition("/")[0], to_uri, text)
        out = self._html.get(key)
        if out is None:
            if len(self._html) >= self.LIMIT:
                self._html.clear()
            out = self._html[key] = self.link(from_uri, to_uri, text)
        else:
            self.link.targets.setdefault(to_uri, from_uri)
        return out
