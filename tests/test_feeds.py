"""The tag and country feeds, as a feed reader sees them: each names its own page as its home,
is announced by that page, and lists the archive's articles (undated ones too) in a stable order.
Feeds are parsed with the standard library's XML parser (a malformed feed fails there)."""
from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import frontmatter

from generator.mkdocs_plugin import feedset
from generator.mkdocs_plugin.index import Record
from generator.textutil import slugify

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


def items(path: Path) -> list[ET.Element]:
    return channel(path).findall("item")


def test_feeds_hold_undated_articles_after_the_dated_ones(built_site: Path):
    """An undated article (a third of the samples) is in the feeds, with no pubDate (RSS allows
    it; a reader dates it when it first sees it), after every dated one, by title."""
    site = built_site / "site"
    articles = json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))["articles"]
    undated = [a for a in articles if not a["date"]]
    assert undated and len(articles) <= 50  # feed_length: the whole sample archive fits in feed.xml
    main = items(site / "feed.xml")
    assert sorted(i.findtext("title") for i in main) == sorted(a["title"] for a in articles)
    per_tag = Counter(slugify(t) for a in articles for t in dict.fromkeys(a["tags"]))
    feeds = [site / "feed.xml", *(site / "feeds").rglob("*.xml")]
    for feed in feeds:
        found = items(feed)
        if "tags" in feed.parts:
            assert len(found) == min(50, per_tag[feed.stem]), feed
        dated = [i for i in found if i.findtext("pubDate")]
        assert found[: len(dated)] == dated, feed  # no dated item after an undated one
        titles = [i.findtext("title") for i in found[len(dated):]]
        assert titles == sorted(titles, key=str.casefold), feed
    assert sum(1 for f in feeds for i in items(f) if not i.findtext("pubDate")) > len(undated)


def record(uri: str, title: str, day: date | None) -> Record:
    return Record(src_uri=uri, title=title, date=day, summary=None, source=None, url=None, tags=["T"], places=[])


def test_feed_order_and_length_do_not_depend_on_the_input_order(tmp_path: Path):
    """Same titles and dates break on the page's path: a rebuild, or the same articles read in
    another order, writes the same bytes; the cap keeps the newest dated, then undated ones."""
    records = [record("a/2.md", "Same", date(2024, 1, 2)), record("a/1.md", "Same", date(2024, 1, 2)),
               record("a/3.md", "Older", date(2023, 5, 1)), record("u/2.md", "same undated", None),
               record("u/1.md", "Same undated", None), record("u/0.md", "Another", None)]
    urls = {r.src_uri: r.src_uri[:-3] + "/" for r in records}
    written = set()
    for n, order in enumerate(itertools.permutations(records)):
        if n % 37:  # a sample of the 720 orders
            continue
        site = tmp_path / str(n)
        feedset.write_all(site, list(order), {"T": list(order)}, [], urls, "S", "https://x.example/", "", "feed.xml",
                          5, lambda name: "tags/t/", lambda node: "")
        written.add((site / "feed.xml").read_bytes())
        tag = items(site / "feeds" / "tags" / "t.xml")
        assert [ET.tostring(i) for i in tag] == [ET.tostring(i) for i in items(site / "feed.xml")]
    assert len(written) == 1
    found = items(tmp_path / "0" / "feed.xml")
    assert [i.findtext("guid") for i in found] == ["a/2.md", "a/1.md", "a/3.md", "u/0.md", "u/1.md"]
    assert [bool(i.findtext("pubDate")) for i in found] == [True, True, True, False, False]


def test_latest_of_a_subset_is_its_own_feed_order(tmp_path: Path):
    """A tag's feed takes its articles' places in the whole archive's feed order (feedset.latest):
    the same list as ordering the tag's articles alone, and a record outside the archive's order
    falls back to ordering them alone."""
    records = [record(f"a/{i}.md", f"T{i % 3}", date(2024, 1, 1 + i % 4) if i % 5 else None) for i in range(20)]
    ordered = feedset.feed_order(records)
    rank = {id(r): i for i, r in enumerate(ordered)}
    for start in range(4):
        subset = records[start::3]
        assert feedset.latest(ordered, rank, subset, 4) == feedset.feed_order(subset)[:4]
    stray = [record("b/0.md", "Stray", date(2025, 1, 1))] + records[:5]
    assert feedset.latest(ordered, rank, stray, 3) == feedset.feed_order(stray)[:3]
