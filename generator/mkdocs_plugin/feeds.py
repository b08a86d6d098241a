"""An RSS 2.0 feed of the latest articles, written beside the site (feed readers and alerting)."""
from __future__ import annotations

from datetime import datetime, time, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from ..model import safe_url
from .index import Record


def rss(records: list[Record], urls: dict[str, str], site_name: str, site_url: str, description: str,
        page: str = "", memo: dict[int, str] | None = None) -> str:
    """`urls` maps an article's src_uri to its site-relative URL; links are absolute when site_url is set.
    `page` is the site-relative URL of the page the feed stands for (a tag's, a country's): the
    channel's <link>, which a feed reader shows as the feed's home; "" is the site's root.
    `memo` keeps each record's <item> by id() for feeds written together with the same `urls` and
    `site_url` (an article is in the feeds of each of its tags and of its country)."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    items = []
    for r in records:
        if memo is not None and id(r) in memo:
            items.append(memo[id(r)])
            continue
        link = base + urls[r.src_uri]
        parts = [f"<title>{escape(r.title)}</title>", f"<link>{escape(link)}</link>",
                 f'<guid isPermaLink="false">{escape(r.src_uri)}</guid>']
        if r.summary:
            parts.append(f"<description>{escape(r.summary)}</description>")
        if r.date:
            parts.append(f"<pubDate>{format_datetime(datetime.combine(r.date, time(12), tzinfo=timezone.utc))}</pubDate>")
        for tag in r.tags:
            parts.append(f"<category>{escape(tag)}</category>")
        original = safe_url(r.url)  # a hand-edited `url: javascript:...` never reaches a feed reader
        if r.source and original:
            parts.append(f"<source url={quoteattr(original)}>{escape(r.source)}</source>")
        item = "<item>" + "".join(p for p in parts if p) + "</item>"
        if memo is not None:
            memo[id(r)] = item
        items.append(item)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{escape(site_name)}</title><link>{escape((base or './') + page)}</link>"
            f"<description>{escape(description or site_name)}</description>"
            + "\n".join(items) + "</channel></rss>\n")
