"""The tag and country feeds, as a feed reader sees them: each names its own page as its home,
is announced by that page, and lists the archive's articles (undated ones too) in a stable order.
Feeds are parsed with the standard library's XML parser (a malformed feed fails there)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default (archive serve's address)


def channel(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0", path
    found = root.find("channel")
    assert found is not None, path
    return found


def test_a_tag_or_country_feed_links_to_its_own_page(built_site: Path):
    """A feed reader shows the channel <link> as the feed's home: for a tag's feed that is the
    tag's page, absolute, not the site's root."""
    site = built_site / "site"
    assert channel(site / "feed.xml").findtext("link") == SITE_URL
    feeds = {f: f"tags/{f.stem}/" for f in (site / "feeds" / "tags").glob("*.xml")}
    feeds |= {f: f"locations/{f.stem}/" for f in (site / "feeds" / "countries").glob("*.xml")}
    assert len(feeds) > 20 and any("countries" in f.parts for f in feeds)
    for feed, page in feeds.items():
        assert channel(feed).findtext("link") == SITE_URL + page, feed
        assert (site / page / "index.html").is_file(), page
