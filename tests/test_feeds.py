"""The tag and country feeds, as a feed reader sees them: each names its own page as its home,
is announced by that page, and lists the archive's articles (undated ones too) in a stable order.
Feeds are parsed with the standard library's XML parser (a malformed feed fails there)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import frontmatter

from .conftest import run_archive

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


class Head(HTMLParser):
    """The feed links a page announces in its <head> (<link rel="alternate" type="application/rss+xml">)."""

    def __init__(self) -> None:
        super().__init__()
        self.feeds: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "alternate" and a.get("type") == "application/rss+xml":
            self.feeds.append(a)


def announced(page: Path) -> list[dict[str, str | None]]:
    head = Head()
    text = page.read_text(encoding="utf-8")
    head.feed(text[: text.index("</head>")])
    return head.feeds


def test_tag_and_country_pages_announce_their_own_feed(built_site: Path):
    """A browser or feed reader finds a tag's feed from the tag's page (autodiscovery), titled with
    the tag, before the whole archive's; the title is the feed's own (the site name has an '&')."""
    site = built_site / "site"
    whole = channel(site / "feed.xml").findtext("title")
    assert "&" in whole  # the attribute must hold it escaped, and the parser give it back
    own = {site / "tags" / f.stem / "index.html": f for f in (site / "feeds" / "tags").glob("*.xml")}
    own |= {site / "locations" / f.stem / "index.html": f for f in (site / "feeds" / "countries").glob("*.xml")}
    assert len(own) > 20
    for page, feed in own.items():
        links = announced(page)
        assert len(links) == 2, (page, links)
        assert (page.parent / links[0]["href"]).resolve() == feed.resolve(), (page, links[0])
        assert links[0]["title"] == channel(feed).findtext("title") != whole, (page, links[0])
        assert links[1]["title"] == whole and (page.parent / links[1]["href"]).resolve() == site / "feed.xml"
    iraq = announced(site / "locations" / "iraq" / "index.html")[0]["title"]
    assert iraq == whole + ": Iraq"
    # Pages with no feed of their own (a town, the tags index, an article) announce only the archive's.
    others = [site / "locations" / "iraq-nineveh-mosul" / "index.html", site / "tags" / "index.html",
              site / "index.html", next((site / "articles").rglob("index.html"))]
    for page in others:
        assert [a["title"] for a in announced(page)] == [whole], page


def test_a_tag_name_with_markup_is_escaped_in_the_announced_feed(site_project: Path):
    """A hand-edited tag with quotes and angle brackets stays text in the <link> title and the feed."""
    tag = 'Q&A "quoted" <b>bold</b>'
    page = site_project / "content" / "articles" / "2024" / "05" / "qa.md"
    page.parent.mkdir(parents=True)
    page.write_text(frontmatter.dumps(frontmatter.Post("Body text.\n", id="0123456789abcdef", title="A Q&A",
                                                       date=date(2024, 5, 2), tags=[tag])), encoding="utf-8")
    build = run_archive("build", cwd=site_project)
    assert build.returncode == 0, build.stderr
    site = site_project / "site"
    html = (site / "tags" / "q-a-quoted-b-bold-b" / "index.html").read_text(encoding="utf-8")
    raw = re.findall(r'<link rel="alternate" type="application/rss\+xml" title="([^"]*)"', html)
    assert len(raw) == 2 and "<" not in raw[0] and "&#34;quoted&#34;" in raw[0], raw  # the quotes did not end it
    links = announced(site / "tags" / "q-a-quoted-b-bold-b" / "index.html")
    assert links[0]["title"].endswith(": " + tag) and links[0]["href"] == "../../feeds/tags/q-a-quoted-b-bold-b.xml"
    feed = channel(site / "feeds" / "tags" / "q-a-quoted-b-bold-b.xml")
    assert feed.findtext("title") == links[0]["title"]
    assert [c.text for c in feed.iter("category")] == [tag]
