"""The archive's feeds: the whole archive (feed.xml), one per tag and one per country.

A feed is read by a feed reader, away from the site: its links must be absolute, so feeds are
written only when mkdocs.yml has a `site_url`; without it the build writes none and says so.
Each feed holds at most `feed_length` articles: the newest dated ones, then undated ones (feed_order)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from .. import sitewrite
from .feeds import rss
from .index import LocationNode, Record, name_slug

NO_SITE_URL = ("feeds not written: mkdocs.yml has no site_url, and a feed reader needs absolute links "
               "(set site_url, e.g. https://news.example.org/, to publish feed.xml and the tag and country feeds)")


def tag_feed(name: str) -> str:
    return f"feeds/tags/{name_slug(name)}.xml"


def country_feed(node: LocationNode) -> str:
    return f"feeds/countries/{node.slug}.xml"


def feed_order(records: list[Record]) -> list[Record]:
    """Dated articles newest first, then the undated ones by title: RSS lets an item go without a
    pubDate (a reader dates it when it first sees it), and leaving them out hid a third of the
    demo archive from feeds. Ties break on src_uri, so the order never depends on the input's and
    a rebuild writes the same bytes."""
    dated = sorted((r for r in records if r.date), key=lambda r: (r.date, r.title, r.src_uri), reverse=True)
    undated = sorted((r for r in records if not r.date), key=lambda r: (r.title.casefold(), r.title, r.src_uri))
    return dated + undated


def latest(ordered: list[Record], rank: dict[int, int], records: list[Record], length: int) -> list[Record]:
    """`feed_order(records)[:length]`, from `ordered` (feed_order of every record, `rank` each one's
    place in it by id()): the order is total (ties break on src_uri), so a subset's order is the
    whole's, and the ranks sort in C instead of a Python key per record (about 85,000 a build at
    10,000 articles). A record not in `ordered` falls back to feed_order."""
    try:
        ranks = sorted(map(rank.__getitem__, map(id, records)))
    except KeyError:
        return feed_order(records)[:length]
    return [ordered[i] for i in ranks[:length]]


def _write(path: Path, data: bytes) -> None:
    """Written only when its bytes changed (most feeds do not change between two builds); an
    unchanged one is confirmed, so `archive build` does not remove it as stale (sitewrite.update)."""
    sitewrite.update(path, data)


def write_all(site_dir: Path, records: list[Record], tags: dict[str, list[Record]], countries: list[LocationNode],
              urls: dict[str, str], site_name: str, site_url: str, description: str, main_path: str,
              length: int, tag_page: Callable[[str], str], country_page: Callable[[LocationNode], str]) -> int:
    """Write every feed; returns how many. The caller checks site_url first (NO_SITE_URL).
    `tag_page` and `country_page` give the site-relative URL of the page a feed stands for: its
    channel links there, not to the site's root."""
    ordered = feed_order(records)
    rank = {id(r): i for i, r in enumerate(ordered)}
    memo: dict[int, str] = {}  # each record's <item>, the same in every feed it is in

    def one(path: str, recs: list[Record], title: str, page: str = "") -> None:
        items = latest(ordered, rank, recs, length)
        _write(site_dir / path, rss(items, urls, title, site_url, description, page, memo).encode("utf-8"))

    one(main_path, records, site_name)
    for name, recs in tags.items():
        one(tag_feed(name), recs, f"{site_name}: {name}", tag_page(name))
    for node in countries:
        one(country_feed(node), node.articles, f"{site_name}: {node.name}", country_page(node))
    return 1 + len(tags) + len(countries)
