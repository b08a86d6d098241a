"""Every page the archive generates from its records, in a stable order: the tag, place, month and
undated listings with their indices, and the map and find pages.

Why apart from plugin.py: which pages exist and what each is made of is the site's own logic; the
plugin only hands them to MkDocs as virtual files. Building the list also sets what later events
read from the plugin (its tags, location tree, co-occurrence counts, the pages with a feed).
"""
from __future__ import annotations

import html
from typing import TYPE_CHECKING

from mkdocs.utils import get_relative_url

from ..enrich.tags import default_vocabulary
from . import charts, feedset, listingcache, listings, pages
from .index import LocationNode, Record, by_month, location_tree, newest_first, tag_index, tags_by_kind, walk
from .pages import month_title

if TYPE_CHECKING:
    from .plugin import ArchivePlugin

MAP_MARKER = "<!-- archive:map -->"
FIND_MARKER = "<!-- archive:find -->"


def indexes(plugin: ArchivePlugin) -> None:
    """The records newest first, their tag index and location tree, and the tag vocabulary: what
    the listings (`generated_pages`), the feeds and the search index are made from. Made before the
    search index's child forks (plugin.py), which made them again from the same records (about
    0.2 CPU-s of an add-10 rebuild at 10,000 articles)."""
    records = plugin.newest = newest_first(list(plugin.records.values()))
    plugin.tags = tag_index(records)
    plugin.tree = location_tree(records)
    default_vocabulary()  # loaded once, here, for the child too


def generated_pages(plugin: ArchivePlugin) -> list[listings.Listing]:
    """Every generated page (listings and the map and find pages), in a stable order, from
    `indexes(plugin)`."""
    c = plugin.config
    records = plugin.newest
    plugin.cooc = charts.Cooccurrence(records)
    out: list[listings.Listing] = []

    tags = plugin.tags
    plugin.page_feeds = {plugin.tag_uri(name): (feedset.tag_feed(name), name) for name in tags}
    vocab = default_vocabulary()
    tags_index = f"{c.tags_dir}/index.md"
    counts = {t: len(r) for t, r in tags.items()}
    aliases = {n: vocab.terms[n].aliases for n in tags if n in vocab.terms}
    out.append(listings.tags_index(tags_index, tags_by_kind(tags), plugin.tag_uri, counts, c.tags_title, plugin.link,
                                   aliases))
    for name, recs in tags.items():
        uri, kind, feed = plugin.tag_uri(name), vocab.kind_of(name), feedset.tag_feed(name)
        out += _listing(plugin, ("tag", uri, name, kind, feed, tags_index), 6, recs, lambda older: listings.tag_listing(
            uri, name, kind, recs, tags_index, plugin.link, c.page_size, _lead(plugin, uri, recs, feed, skip_tag=name),
            older))

    tree = plugin.tree
    loc_index = f"{c.locations_dir}/index.md"
    out.append(listings.locations_index(loc_index, tree, plugin.node_uri, c.locations_title, plugin.link))

    def emit(node: LocationNode, parents: list[LocationNode]) -> None:
        uri = plugin.node_uri(node)
        feed = None if parents else feedset.country_feed(node)
        if feed:
            plugin.page_feeds[uri] = (feed, node.name)
        skip = frozenset([node.slug] + [p.slug for p in parents])
        parts = ("place", uri, node.name, node.kind, node.slug, repr(node.place), feed, loc_index,
                 [(p.name, p.slug) for p in parents],
                 sorted((ch.name, ch.slug, len(ch.articles)) for ch in node.children.values()))
        out.extend(_listing(plugin, parts, 9, node.articles, lambda older: listings.location_listing(
            uri, node, parents, plugin.node_uri, loc_index, plugin.link, c.page_size,
            _lead(plugin, uri, node.articles, feed, skip_places=skip), older)))
        for child in node.children.values():
            emit(child, parents + [node])

    for node in tree.values():
        emit(node, [])
    plugin.map_nodes = list(walk(tree))
    out.append(listings.Listing(c.map_page, c.map_title).md(pages.heading(c.map_title) + MAP_MARKER + "\n"))
    out.append(listings.Listing(c.find_page, c.find_title).md(pages.heading(c.find_title) + FIND_MARKER + "\n"))

    months, undated = by_month(records)
    arch_index = f"{c.archive_dir}/index.md"
    undated_uri = f"{c.archive_dir}/undated.md"
    out.append(listings.archive_index(arch_index, months, undated, plugin.month_uri, undated_uri, c.archive_title,
                                      plugin.link))
    keys = list(months)  # newest first

    def month(j: int) -> tuple[str, str] | None:
        return (plugin.month_uri(keys[j]), month_title(keys[j])) if 0 <= j < len(keys) else None

    for i, (key, recs) in enumerate(months.items()):
        uri, title = plugin.month_uri(key), month_title(key)
        # the months before and after it, shown on each of its pages, so in the key of every one of
        # them: a new month changes its neighbour's pages
        around = (month(i + 1), month(i - 1))
        out += _listing(plugin, ("month", uri, title, arch_index, around), 5, recs,
                        lambda older, uri=uri, title=title, recs=recs, around=around: listings.dated_listing(
                            uri, title, recs, arch_index, plugin.link, c.page_size, older, around))
    out += _listing(plugin, ("undated", undated_uri, arch_index), 3, undated, lambda older: listings.undated_listing(
        undated_uri, undated, arch_index, plugin.link, c.page_size, older))
    return out

def _listing(plugin: ArchivePlugin, parts: tuple, stable: int, records: list[Record], make) -> list[listings.Listing]:
    """A tag's, place's, month's pages from `make(older)`, or from the build cache when made from
    the same things (listingcache.py). `parts[:stable]` is what its older pages show."""
    c = plugin.config
    settings = (c.page_size, c.charts, c.feed_enabled, plugin.site_url)
    return listingcache.listing(plugin.cache, plugin.link, (parts, settings), (parts[:stable], settings), records,
                                plugin.prints, make)


def _lead(plugin: ArchivePlugin, uri: str, records: list[Record], feed: str | None, **skip) -> str:
    """What the first page of a tag or place listing shows below its heading: its feed (when
    feeds are written) and its charts. Part of the listing's blocks, so of its cache key."""
    out = ""
    if feed and plugin.config.feed_enabled and plugin.site_url:
        href = html.escape(get_relative_url(feed, plugin.link.url(uri)), quote=True)
        out += f'<p class="archive-feedlink"><a href="{href}">Feed of this page (RSS)</a></p>\n'
    if plugin.config.charts:
        out += charts.panel(uri, records, plugin.tag_uri, plugin.place_uri, plugin.link, plugin.cooc, **skip)
    return out
