"""The reader's ways in, checked in Chromium on the built site: the article page's parts, the
indices (tags by kind, the folding location tree), charts under the breadcrumb, every search filter,
the map's zoom and pan, feeds and the analysts' data, and human dates wherever a date is shown.
Fixtures and helpers come from test_browser.py (same server, same browser, same request check)."""
# ruff: noqa: F811 (the fixtures imported from test_browser.py are test arguments here)
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import frontmatter
import yaml

from .test_browser import (PHONE, after, browser, find_page, map_settled, page, phone, project,  # noqa: F401
                           server, shot, url_of)

HUMAN_DATE = re.compile(r"^\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|"
                        r"December) \d{4}$")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
INDEX_PAGE = re.compile(r"^[A-Z][a-z]+$")  # a tag or place page's result: "Tag · 4 articles" (cut at " · ")


def posts(project: Path) -> list[frontmatter.Post]:
    return [frontmatter.load(md) for md in sorted((project / "content" / "articles").rglob("*.md"))]


def site_url(project: Path) -> str:
    return yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]


def test_article_page_has_date_source_summary_chips_neighbours_and_its_own_description(page, server, project):
    md = next(md for md in sorted((project / "content" / "articles").rglob("*.md"))
              if all(frontmatter.load(md).get(k) for k in ("date", "source", "summary", "tags", "places")))
    post = frontmatter.load(md)
    page.goto(server + url_of(md, project / "content"))
    facts = page.locator(".archive-meta p").first
    assert facts.inner_text().startswith(f"{post['date'].day} {post['date'].strftime('%B')} {post['date'].year}")
    assert post["source"] in facts.inner_text()
    if post.get("url"):  # the source links to the original when the input named it
        assert facts.locator("a", has_text=post["source"]).get_attribute("href") == post["url"]
    assert page.locator(".archive-summary").inner_text() == post["summary"]
    assert page.locator(".archive-chips:not(.archive-chips--places) a").all_inner_texts() == post["tags"]
    assert len(page.locator(".archive-chips--places a").all_inner_texts()) == len(post["places"])
    assert page.locator(".archive-locator").count() == 1
    assert page.locator(".archive-related a").count() >= 1
    # Its own description and Open Graph card, not the site's.
    assert page.locator("meta[name=description]").get_attribute("content") == post["summary"]
    assert page.locator("meta[property='og:description']").get_attribute("content") == post["summary"]
    assert page.locator("meta[property='og:url']").get_attribute("content").startswith(("http://", "https://"))
    # Previous / next in time.
    older = page.locator(".archive-prevnext .archive-prev a")
    newer = page.locator(".archive-prevnext .archive-next a")
    assert older.count() + newer.count() >= 1
    step = older if older.count() else newer
    with page.expect_navigation():
        step.click()
    there = page.locator(".archive-meta p").first.inner_text().split(" · ")[0]
    assert HUMAN_DATE.match(there) or there == "Undated", there
    shot(page, "article-desktop")


def test_tags_index_groups_by_kind_with_counts_and_aliases(page, server):
    page.goto(server + "/tags/")
    kinds = page.locator("article h2").all_inner_texts()
    assert {"Groups", "Forces"} <= set(kinds), kinds
    entry = page.locator("article li", has=page.locator("a", has_text=re.compile(r"^Islamic State$")))
    text = entry.inner_text()
    match = re.match(r"Islamic State \((\d+)\) also .*Daesh", text)
    assert match, text
    with page.expect_navigation():
        entry.locator("a").first.click()
    # The count is the number of articles the tag's page lists (one page at this size).
    assert page.locator("article ul.archive-list > li").count() == int(match.group(1))


def test_location_tree_opens_one_level_at_a_time(page, server):
    page.goto(server + "/locations/")
    assert page.locator(".archive-tree details[open]").count() == 0  # folded: no 5,000 px tree
    nineveh = page.locator(".archive-tree a", has_text=re.compile(r"^Nineveh$"))
    mosul = page.locator(".archive-tree a", has_text=re.compile(r"^Mosul$"))
    assert not nineveh.is_visible() and not mosul.is_visible()
    iraq = page.locator(".archive-tree summary", has=page.locator("a", has_text=re.compile(r"^Iraq$")))
    iraq.click(position={"x": 4, "y": 6})  # the ▸ in front of the name (the name is a link)
    assert nineveh.is_visible() and not mosul.is_visible()
    page.locator(".archive-tree summary", has=page.locator("a", has_text=re.compile(r"^Nineveh$"))).click(
        position={"x": 4, "y": 6})
    assert mosul.is_visible()
    shot(page, "locations-tree-open")
    count = int(re.search(r"\((\d+)\)", iraq.inner_text()).group(1))
    with page.expect_navigation():
        iraq.locator("a").click()
    assert page.locator("article h1").inner_text() == "Iraq"
    assert page.locator("article ul.archive-list > li").count() == count  # everything inside Iraq


def test_breadcrumb_then_charts_on_place_and_tag_pages_on_a_phone(phone, server):
    for path, crumb in (("/locations/iraq-nineveh-mosul/", "All locations"), ("/tags/islamic-state/", "all tags")):
        phone.goto(server + path)
        way = phone.locator("article a", has_text=crumb).first
        chart = phone.locator(".archive-chart").first
        assert way.bounding_box()["y"] < chart.bounding_box()["y"], path
        assert phone.locator(".archive-chart svg rect").count() >= 1
        assert phone.locator(".archive-cooc a").count() >= 1
        shot(phone, "phone-charts" + path.rstrip("/").replace("/", "-"))
    crumbs = phone.locator("article p", has=phone.locator("a", has_text="All locations"))
    phone.goto(server + "/locations/iraq-nineveh-mosul/")
    assert crumbs.inner_text() == "All locations › Iraq › Nineveh"
    with phone.expect_navigation():  # what it is seen with: each a link to its page
        phone.locator(".archive-cooc a").first.click()
    assert phone.locator(".archive-chart").count() == 1


def _count(page) -> int:
    return int(page.locator(".archive-search__count").inner_text().split()[0])


def test_each_search_filter_narrows_to_exactly_its_articles(page, server, project):
    """Tag, country, place, year and source: with no words, a filter lists exactly its articles;
    with words, it narrows their results; two filters narrow further."""
    everything = posts(project)
    in_nineveh = [p for p in everything if any(pl.get("country") == "Iraq" and "Nineveh" in
                                               (pl.get("name"), pl.get("region")) for pl in p.get("places") or [])]
    source = next(p["source"] for p in everything if p.get("source"))
    expected = {
        "tag": ("Islamic State", [p for p in everything if "Islamic State" in (p.get("tags") or [])]),
        "country": ("Iraq", [p for p in everything if any(pl.get("country") == "Iraq" for pl in p.get("places") or [])]),
        "place": ("Nineveh, Iraq", in_nineveh),
        "year": ("2024", [p for p in everything if p.get("date") and p["date"].year == 2024]),
        "source": (source, [p for p in everything if p.get("source") == source]),
    }
    page.goto(server + "/search/")
    page.wait_for_selector("#archive-search[data-ready]")
    for name, (value, want) in expected.items():
        assert 0 < len(want) < len(everything), name
        after(page, lambda: page.select_option(f"select[name={name}]", value))
        assert _count(page) == len(want), (name, value)
        shown = set(page.locator(".archive-search__results > li > a").all_inner_texts())
        assert shown <= {p["title"] for p in want}, (name, shown)
        after(page, lambda: page.select_option(f"select[name={name}]", ""))
    after(page, lambda: page.fill("#archive-search input[name=q]", "security"))
    words = _count(page)
    after(page, lambda: page.select_option("select[name=year]", "2024"))
    year = _count(page)
    after(page, lambda: page.select_option("select[name=tag]", "Islamic State"))
    assert words > year > _count(page) > 0
    assert all(HUMAN_DATE.match(s.strip().split(" · ")[0])
               for s in page.locator(".archive-search__results > li > small").all_inner_texts())


def test_map_zooms_and_pans_and_fits_a_phone(page, phone, server):
    def outlines(pg) -> list[dict]:
        """Each outline's box; Leaflet keeps one path element per country across zooms."""
        return pg.locator("#archive-map .leaflet-overlay-pane path").evaluate_all(
            "ps => ps.map(p => { const r = p.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; })")

    def inside(r: dict, box: dict) -> bool:
        return (r["x"] > box["x"] and r["y"] > box["y"] and r["x"] + r["w"] < box["x"] + box["width"]
                and r["y"] + r["h"] < box["y"] + box["height"])

    page.goto(server + "/map/")
    page.wait_for_selector("#archive-map[data-ready]", timeout=20000)
    map_settled(page)
    box = page.locator("#archive-map").bounding_box()
    before = outlines(page)
    page.locator(".leaflet-control-zoom-in").click()
    map_settled(page)
    ratios = [b["w"] / a["w"] for a, b in zip(before, outlines(page))
              if a["w"] > 10 and inside(a, box) and inside(b, box)]
    assert ratios and all(1.8 < r < 2.2 for r in ratios), ratios  # one zoom level: twice the size
    first = page.locator("#archive-map .leaflet-overlay-pane path").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 120, box["y"] + box["height"] / 2 + 40, steps=8)
    page.mouse.up()
    map_settled(page)
    moved = page.locator("#archive-map .leaflet-overlay-pane path").first.bounding_box()
    assert moved["x"] - first["x"] >= 100 and moved["y"] - first["y"] >= 30, (first, moved)  # dragged: it pans
    phone.goto(server + "/map/")
    phone.wait_for_selector("#archive-map[data-ready]", timeout=20000)
    size = phone.locator("#archive-map").bounding_box()
    assert size["width"] >= PHONE["width"] - 40 and size["height"] >= 320, size  # not a 358x200 picture
    assert phone.locator(".leaflet-control-zoom-in").is_visible()
    assert phone.locator(".archive-marker, .marker-cluster").count() >= 1
    map_settled(phone)
    shot(phone, "phone-map-zoomable")


def test_feeds_per_tag_and_country_are_linked_and_absolute(page, server, project):
    base = site_url(project)
    page.goto(server + "/")
    assert page.locator("link[rel=alternate][type='application/rss+xml']").count() == 1
    for path in ("/tags/islamic-state/", "/locations/iraq/"):
        page.goto(server + path)
        href = page.locator(".archive-feedlink a").get_attribute("href")
        feed = page.request.get(urljoin(page.url, href))
        assert feed.ok, (path, href)
        links = re.findall(r"<link>([^<]+)</link>", feed.text())
        assert len(links) >= 2 and all(u.startswith(base) for u in links), (path, links[:3])
    page.goto(server + "/locations/iraq-nineveh-mosul/")
    assert page.locator(".archive-feedlink").count() == 0  # one feed per country, not per town


def test_about_links_the_data_as_json_csv_and_geojson(page, server, project):
    count = len(posts(project))
    page.goto(server + "/about/")
    links = {t: page.locator("article a", has_text=t).first.get_attribute("href")
             for t in ("All articles as JSON", "as CSV", "All places as GeoJSON")}

    def get(text: str):
        got = page.request.get(urljoin(page.url, links[text]))
        assert got.ok, text
        return got.text()

    articles = json.loads(get("All articles as JSON"))["articles"]
    assert len(articles) == count and {"id", "title", "date", "source", "url", "tags", "places"} <= set(articles[0])
    rows = list(csv.DictReader(io.StringIO(get("as CSV"))))
    assert len(rows) == count
    geo = json.loads(get("All places as GeoJSON"))
    assert geo["type"] == "FeatureCollection" and geo["features"][0]["geometry"]["type"] == "Point"


def test_dates_read_as_words_wherever_they_are_shown(page, server, project):
    """Listings, article headers, related articles, search results and the map's lists: "14 March
    2024", never 2024-03-14."""
    md = find_page(project, "finance courier in Nineveh")
    shown: list[str] = []
    for path, selector in (("/", "article ul.archive-list > li > small"),
                           ("/tags/islamic-state/", "article ul.archive-list > li > small"),
                           ("/locations/iraq/", "article ul.archive-list > li > small"),
                           ("/archive/2024-03/", "article ul.archive-list > li > small"),
                           (url_of(md, project / "content"), ".archive-meta p:first-child, .archive-related small")):
        page.goto(server + path)
        texts = page.locator(selector).all_inner_texts()
        assert texts, path
        shown += [t.strip().split(" · ")[0] for t in texts]
        assert not ISO_DATE.search(page.locator("article").inner_text().split("Related articles")[0][:600]), path
    page.goto(server + "/search/?q=attack")
    page.wait_for_selector("#archive-search[data-done]")
    shown += [t.strip().split(" · ")[0] for t in page.locator(".archive-search__results > li > small").all_inner_texts()]
    bad = [t for t in shown if not (HUMAN_DATE.match(t) or t == "Undated" or INDEX_PAGE.match(t))]
    assert not bad, bad
