"""One real end-to-end run: ingest the samples (and the seed), `mkdocs build --strict`, inspect the HTML."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import frontmatter

from .conftest import SEED, run_archive

SEED_TITLE = "Iraq, Isis suffers a serious blow: medicines chief is caught"
SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default (archive serve's address)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts = 0
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1[-1] += data


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def page_html(site: Path, md: Path, content: Path) -> Path:
    rel = md.relative_to(content).with_suffix("")
    return site / rel / "index.html"


def seed_page(project: Path) -> Path:
    for md in (project / "content" / "articles").rglob("*.md"):
        if frontmatter.load(md).get("title") == SEED_TITLE:
            return md
    raise AssertionError("no page for the seed article")


def test_every_sample_became_a_page(built_site: Path):
    pages = list((built_site / "content" / "articles").rglob("*.md"))
    assert len(pages) >= 30
    dated = [p for p in pages if "undated" not in p.parts]
    assert dated and len(dated) < len(pages)  # both dated and undated articles exist
    for md in dated:
        post = frontmatter.load(md)
        assert md.parent.name == f"{post['date']:%m}" and md.parent.parent.name == f"{post['date']:%Y}"


def test_articles_are_not_in_the_navigation(built_site: Path):
    """Outside the page content (nav, tabs, sidebars) no page links to an article."""
    site = built_site / "site"
    some_article = next((site / "articles").rglob("index.html"))
    for page in (site / "index.html", site / "tags" / "index.html", some_article):
        html = page.read_text(encoding="utf-8")
        # The <head> names the page's own address (canonical link, og:url): only the body's chrome counts.
        chrome = html[html.find("<body"): html.find("<article")] + html[html.find("</article>"):]
        assert "articles/" not in chrome, page
        tabs = html[html.find('<nav class="md-tabs"'):]
        tabs = tabs[: tabs.find("</nav>")]
        assert "Tags" in tabs and "Locations" in tabs and "Archive" in tabs


class NavTitles(HTMLParser):
    """The text of each link in the page's navigation drawer (`md-nav__link`), by its address."""

    def __init__(self):
        super().__init__()
        self.titles: list[tuple[str, str]] = []
        self._href: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "md-nav__link" in (a.get("class") or ""):
            self._href = a.get("href") or ""
            self.titles.append((self._href, ""))

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None

    def handle_data(self, data):
        if self._href is not None:
            href, text = self.titles[-1]
            self.titles[-1] = (href, text + data)


def test_navigation_titles_are_the_same_on_every_page(built_site: Path):
    """A nav entry titled by its page's heading (About's) keeps that title on every page, built before
    it or after it: the plugin once freed each written page's Markdown as None, and MkDocs gives a
    page without Markdown no title, so every page built after About showed "None" in its drawer."""
    site = built_site / "site"
    pages = [site / "index.html", site / "tags" / "index.html", *sorted((site / "articles").rglob("index.html"))[:5]]
    for page in pages:
        nav = NavTitles()
        nav.feed(page.read_text(encoding="utf-8"))
        texts = [" ".join(text.split()) for _href, text in nav.titles]
        assert "None" not in texts, page
        assert "About this archive" in texts, (page, texts)


def test_home_page_lists_latest_articles(built_site: Path):
    home = parse(built_site / "site" / "index.html")
    assert sum("articles/" in h for h in home.hrefs) >= 10
    # The way on: undated articles never reach a newest-first list, so the home page links to them
    # with their count, and to the archive by month when the list is cut.
    text = (built_site / "site" / "index.html").read_text(encoding="utf-8")
    undated = sum(1 for _ in (built_site / "content" / "articles" / "undated").glob("*.md"))
    assert undated and "archive/undated/" in home.hrefs and f"{undated} undated articles</a>" in text
    dated = sum(1 for _ in (built_site / "content" / "articles").rglob("*.md")) - undated
    assert "archive/" in home.hrefs and f"All {dated} dated articles, by month</a>" in text


def test_seed_article_page(built_site: Path):
    if not SEED.exists():
        import pytest
        pytest.skip("seed not present")
    md = seed_page(built_site)
    post = frontmatter.load(md)
    assert post["summary"].startswith("ISIS suffers a serious blow in Iraq: ")
    assert {"Islamic State", "Iraqi Security Forces", "Syrian Democratic Forces", "Operation Inherent Resolve",
            "US-led Coalition"} <= set(post["tags"])
    assert {"Iraq", "Syria", "Nineveh", "Deir Ezzor", "Baghdad"} <= set(post["locations"])
    assert "date" not in post.metadata and md.parent.name == "undated"

    html_path = page_html(built_site / "site", md, built_site / "content")
    html = html_path.read_text(encoding="utf-8")
    links = parse(html_path)
    assert links.h1 == [SEED_TITLE]
    assert "skip to Main Content" not in html and "Back To Top" not in html
    # the seed's second standfirst (a 200-character sentence) is a paragraph, not a heading (issue 8)
    assert re.search(r"<p>Meanwhile, Daesh tries to open a safe escape corridor from Syria", html)
    assert not re.search(r"<h2[^>]*>Meanwhile, Daesh", html)
    assert any(h.endswith("tags/islamic-state/") for h in links.hrefs)
    assert any(h.endswith("locations/iraq/") for h in links.hrefs)

    slug = md.stem
    for index in ("tags/islamic-state/index.html", "locations/iraq/index.html"):
        assert any(slug in h for h in parse(built_site / "site" / index).hrefs), index


def test_tag_and_location_indices_link_every_page(built_site: Path):
    site = built_site / "site"
    tags = parse(site / "tags" / "index.html").hrefs
    locations = parse(site / "locations" / "index.html").hrefs
    assert len([h for h in tags if re.fullmatch(r"[a-z0-9-]+/", h)]) >= 10
    assert len([h for h in locations if re.fullmatch(r"\.\./[a-z0-9-]+/", h) or re.fullmatch(r"[a-z0-9-]+/", h)]) >= 10
    assert (site / "archive" / "index.html").exists() and (site / "archive" / "undated" / "index.html").exists()


def test_markup_in_article_text_stays_text(built_site: Path):
    """Samples quote '<script>alert(1)</script>' and other markup; no page may execute it."""
    hits = 0
    for page in (built_site / "site" / "articles").rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        body = html[html.find('<article'): html.find('</article>')]
        assert "<script" not in body.lower(), page
        hits += "&lt;script&gt;" in body
    assert hits >= 1  # the hostile sample is there and shown as text


def test_strict_build_fails_on_a_broken_link(built_site: Path, tmp_path: Path):
    import shutil
    project = tmp_path / "p"
    shutil.copytree(built_site, project, ignore=shutil.ignore_patterns("site"))
    (project / "content" / "about.md").write_text("# About\n\nSee [nowhere](missing.md).\n", encoding="utf-8")
    result = run_archive("build", cwd=project)
    assert result.returncode != 0
    assert "missing.md" in result.stderr + result.stdout


def test_hand_edited_front_matter_cannot_inject_markup(site_project: Path):
    """An editor (or a hostile export) puts markup in title, summary, tags and places: all shown as text."""
    evil = '<img src=x onerror="alert(1)">'
    page = site_project / "content" / "articles" / "2024" / "05" / "evil.md"
    page.parent.mkdir(parents=True)
    post = frontmatter.Post("Body text with " + evil.replace("<", "&lt;") + ".\n",
                            id="0123456789abcdef", title=f"Title {evil} </title><script>alert(2)</script>",
                            date=__import__("datetime").date(2024, 5, 1), summary=f"Summary {evil}",
                            source=f"Source {evil}", url="javascript:alert(3)", tags=[f"Tag {evil}"],
                            locations=[f"Place {evil}"])
    page.write_text(frontmatter.dumps(post), encoding="utf-8")
    result = run_archive("build", cwd=site_project)
    # The javascript: url is refused: one warning line, which fails the strict build (content/editing.md).
    assert result.returncode == 1 and "evil.md: url: 'javascript:alert(3)' is not an http(s) address" in result.stderr
    from .test_hostile_site import lenient_build

    result = lenient_build(site_project)  # the page is still built, with the url left out
    assert result.returncode == 0, result.stderr
    htmls = list((site_project / "site").rglob("*.html"))
    assert len(htmls) > 5
    for html_path in htmls:
        html = html_path.read_text(encoding="utf-8")
        assert "<img src=x" not in html, html_path
        assert "<script>alert" not in html, html_path
        assert 'href="javascript:' not in html, html_path
    article = (site_project / "site" / "articles" / "2024" / "05" / "evil" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=" in article  # the text is there, as text


def test_feed_lists_latest_articles_with_working_links(built_site: Path):
    import xml.etree.ElementTree as ET

    site = built_site / "site"
    items = ET.parse(site / "feed.xml").getroot().findall("./channel/item")
    assert len(items) >= 10
    dates = []
    for item in items:
        link = item.findtext("link")
        assert link.startswith(SITE_URL), link  # absolute: a feed reader has no page to resolve it against
        assert (site / link.removeprefix(SITE_URL) / "index.html").exists(), link
        if item.findtext("pubDate"):  # undated articles come last, without one (tests/test_feeds.py)
            dates.append(__import__("email.utils").utils.parsedate_to_datetime(item.findtext("pubDate")))
    assert dates == sorted(dates, reverse=True)


def test_map_links_every_circle_to_a_location_page(built_site: Path):
    site = built_site / "site"
    html = (site / "map" / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a href="([^"]+)" class="archive-map__place', html)
    assert len(hrefs) >= 10
    for href in hrefs:
        assert (site / "map" / href / "index.html").resolve().exists(), href


def test_geonames_is_credited_on_every_page(built_site: Path):
    site = built_site / "site"
    for page in (site / "index.html", site / "map" / "index.html", next((site / "articles").rglob("index.html"))):
        assert 'href="https://www.geonames.org/">GeoNames</a>, CC BY 4.0' in page.read_text(encoding="utf-8"), page


def test_every_internal_link_on_every_page_resolves(built_site: Path):
    """The indices and article headers link with generated HTML, which MkDocs does not check: every
    relative link in the built site must lead to a file that exists."""
    site = built_site / "site"
    pages = list(site.rglob("index.html"))
    assert len(pages) > 50
    checked = 0
    for page in pages:
        for href in parse(page).hrefs:
            if not href or re.match(r"^[a-z][a-z0-9+.-]*:|^#|^//", href):
                continue
            target = (page.parent / href.split("#")[0].split("?")[0]).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{page.relative_to(site)} links to {href}"
            checked += 1
    assert checked > 1000


def test_a_body_opening_like_metadata_stays_body_text(site_project: Path):
    """MkDocs reads "Key: value" lines at the top of a page without front matter as metadata; the
    plugin hands MkDocs article bodies, and such a first line must stay article text."""
    page = site_project / "content" / "articles" / "2024" / "06" / "update.md"
    page.parent.mkdir(parents=True)
    post = frontmatter.Post("Update: the ministry corrected the casualty figures on Tuesday.\n\nMore text.\n",
                            id="fedcba9876543210", title="Casualty figures corrected",
                            date=__import__("datetime").date(2024, 6, 4), tags=["Hand Tag"], hide=["toc"])
    page.write_text(frontmatter.dumps(post), encoding="utf-8")
    result = run_archive("build", cwd=site_project)
    assert result.returncode == 0, result.stderr
    html = (site_project / "site" / "articles" / "2024" / "06" / "update" / "index.html").read_text(encoding="utf-8")
    assert "Update: the ministry corrected the casualty figures on Tuesday." in html
    assert "<title>Casualty figures corrected" in html
    assert 'data-md-component="toc"' not in html  # the page's own `hide: [toc]` front matter still applies


def test_a_generated_link_to_a_missing_page_is_a_warning(caplog):
    """The safety net under the generated links: a target that is not a page of the site is logged
    as a warning, which makes a strict build fail."""
    from mkdocs.structure.files import Files

    from generator.mkdocs_plugin.plugin import ArchivePlugin

    plugin = ArchivePlugin()
    html = plugin.link("tags/index.md", "tags/no-such-tag.md", "No such tag")
    assert html == '<a href="no-such-tag/">No such tag</a>'  # tags/ -> tags/no-such-tag/
    with caplog.at_level("WARNING"):
        plugin._check_links(Files([]))
    assert any("tags/no-such-tag.md" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)
    assert not plugin.link.targets  # checked once


def test_feeds_per_tag_and_per_country_with_absolute_links(built_site: Path):
    import xml.etree.ElementTree as ET

    site = built_site / "site"
    iraq = ET.parse(site / "feeds" / "countries" / "iraq.xml").getroot()
    links = [i.findtext("link") for i in iraq.findall("./channel/item")]
    assert links and all(u.startswith(SITE_URL) and (site / u.removeprefix(SITE_URL) / "index.html").exists() for u in links)
    tag = ET.parse(site / "feeds" / "tags" / "islamic-state.xml").getroot()
    assert all("Islamic State" in [c.text for c in i.findall("category")] for i in tag.findall("./channel/item"))
    page = (site / "tags" / "islamic-state" / "index.html").read_text(encoding="utf-8")
    assert "../../feeds/tags/islamic-state.xml" in page  # the tag page links its feed


def test_build_without_site_url_writes_no_feed_and_says_so(site_project: Path):
    from .conftest import SAMPLES

    config = site_project / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url:.*$", "", config.read_text(encoding="utf-8")), encoding="utf-8")
    assert run_archive("ingest", str(SAMPLES), "--quiet", cwd=site_project).returncode == 0
    build = run_archive("build", cwd=site_project)
    assert build.returncode == 0, build.stderr
    assert "feeds not written: mkdocs.yml has no site_url" in build.stderr
    site = site_project / "site"
    assert not (site / "feed.xml").exists() and not (site / "feeds").exists()
    assert (site / "index.html").exists()
    # No page points a reader or a browser at a feed that was not written (a 404 otherwise).
    assert feed_links(site) == {}
    # A deploy names its address in SITE_URL: the feeds are written, with links to it.
    deployed = run_archive("build", cwd=site_project, env={"SITE_URL": "https://news.example.org/archive/"})
    assert deployed.returncode == 0 and "feeds not written" not in deployed.stderr, deployed.stderr
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "<link>https://news.example.org/archive/articles/" in feed
    linked = feed_links(site)
    assert linked["index.html"] == ['<link rel="alternate" type="application/rss+xml" href="feed.xml">']
    assert '<a href="../../feeds/tags/islamic-state.xml">' in linked["tags/islamic-state/index.html"]
    for page, links in linked.items():  # every feed a page names was written
        for href in re.findall(r'href="([^"]+)"', " ".join(links)):
            # 404.html links from the site's root path (it is served at any depth)
            target = site / href.removeprefix("/archive/") if href.startswith("/") else (site / page).parent / href
            assert target.resolve().is_file(), (page, href)


def feed_links(site: Path) -> dict[str, list[str]]:
    """Per built page (path inside the site), its links to a feed: <link rel=alternate> and <a>."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        alternate = ['<link rel="alternate" type="application/rss+xml" href="{}">'.format(m)
                     for m in re.findall(r'<link rel="alternate" type="application/rss\+xml"[^>]*href="([^"]+)"', text)]
        anchors = re.findall(r'<a href="[^"]*(?:feed\.xml|feeds/[^"]*\.xml)">', text)
        if alternate or anchors:
            found[page.relative_to(site).as_posix()] = alternate + anchors
    return found


def test_exports_hold_every_article_with_places_and_coordinates(built_site: Path):
    import csv
    import json

    site = built_site / "site"
    pages = list((built_site / "content" / "articles").rglob("*.md"))
    data = json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))["articles"]
    assert len(data) == len(pages)
    seed = next(a for a in data if a["title"] == SEED_TITLE) if SEED.exists() else data[0]
    assert {"id", "title", "date", "source", "url", "tags", "places"} <= set(seed)
    assert any("lat" in p and "lon" in p for p in seed["places"])
    rows = list(csv.DictReader((site / "data" / "articles.csv").open(encoding="utf-8")))
    assert len(rows) == len(pages) and rows[0]["title"] == data[0]["title"]
    geo = json.loads((site / "data" / "places.geojson").read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) >= 10
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert all(f"../data/{name}" in about for name in ("articles.json", "articles.csv", "places.geojson"))


def test_indices_group_tags_with_aliases_and_fold_the_location_tree(built_site: Path):
    site = built_site / "site"
    tags = (site / "tags" / "index.html").read_text(encoding="utf-8")
    groups = re.findall(r"<h2[^>]*>([^<]+)</h2>", tags)
    assert {"Groups", "Forces"} <= set(groups), groups
    assert re.search(r">Islamic State</a> \(\d+\) <span class=\"archive-aliases\">also [^<]*Daesh", tags)
    tree = (site / "locations" / "index.html").read_text(encoding="utf-8")
    # Countries with regions or places inside fold (closed by default); the counts are shown.
    assert re.search(r"<details><summary><a href=\"iraq/\">Iraq</a> \(\d+\)</summary>", tree)
    assert "<details open" not in tree


def test_every_tag_and_place_page_has_a_timeline_and_links_to_what_it_is_seen_with(built_site: Path):
    """Undated-only pages say so where the timeline would be, instead of leaving it out silently."""
    site = built_site / "site"
    pages = [f for d in ("tags", "locations") for f in (site / d).glob("*/index.html")]
    assert len(pages) > 50
    for f in pages:
        text = f.read_text(encoding="utf-8")
        assert '<figure class="archive-chart' in text, f
        assert re.search(r'<div class="archive-cooc">.*?<a href="\.\./', text), f  # tags/places, as links
    undated_only = [f for f in pages if "archive-chart--empty" in f.read_text(encoding="utf-8")]
    assert all("undated" in f.read_text(encoding="utf-8") for f in undated_only)


def test_search_index_has_every_article_and_index_page(built_site: Path):
    import json

    index = built_site / "site" / "search-index"
    meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    pages = list((built_site / "content" / "articles").rglob("*.md"))
    assert meta["articles"] == len(pages)
    by_id = {int(f.stem) * meta["chunk"] + n: row for f in index.glob("d/*.json")
             for n, row in enumerate(json.loads(f.read_text(encoding="utf-8"))) if row is not None}
    rows = [by_id[i] for i in sorted(by_id)]
    assert len(rows) == meta["docs"] > meta["articles"]
    # Tag and place pages have the ids below `first_article`, undated articles those from there to -1,
    # dated articles those from 0 up, in time order: "newest first" is "highest id first".
    pages = [row for i, row in by_id.items() if i < meta["first_article"]]
    articles = [by_id[i] for i in sorted(by_id) if i >= meta["first_article"]]
    assert {r[5] for r in articles} == {"a"} and len(articles) == meta["articles"] and {r[5] for r in pages} == {"t", "p"}
    assert not any(by_id[i][2] for i in by_id if meta["first_article"] <= i < 0)
    dated = [by_id[i][2] for i in sorted(by_id) if i >= 0]
    assert all(dated) and dated == sorted(dated)
    for row in rows:
        assert (built_site / "site" / row[1] / "index.html").exists(), row[1]
    # An index page's line in the results counts in words a reader says: "1 article", "3 articles".
    counts = [re.fullmatch(r"[A-Z][a-z]+(?: [a-z]+)? · (\d+) (articles?)", r[4]) for r in pages]  # "World region · 2 articles"
    assert all(counts) and {(m.group(1) == "1", m.group(2)) for m in counts} == {(True, "article"), (False, "articles")}
    assert {"tag", "country", "place", "source"} == set(meta["facets"])
    assert any(v[0] == "Iraq" for v in meta["facets"]["country"])


def test_tag_and_place_pages_show_where_they_are_before_their_charts(built_site: Path):
    """The breadcrumb (all tags; All locations > country > region) right under the heading, then
    the timeline and what it is seen with: the reader learns where the page sits before the pictures."""
    site = built_site / "site"
    pages = {f: "all tags" for f in (site / "tags").glob("*/index.html")}
    pages |= {f: "All locations" for f in (site / "locations").glob("*/index.html")}
    assert len(pages) > 50
    for f, crumb in pages.items():
        text = f.read_text(encoding="utf-8")
        article = text[text.index("<article"):text.index("</article>")]
        assert f">{crumb}</a>" in article and "archive-charts" in article, f
        assert article.index(f">{crumb}</a>") < article.index("archive-charts") < article.index("archive-list"), f
        # The list has its own heading: on a tag page it no longer reads as more of "Places seen with it".
        assert article.index("archive-charts") < article.index('<h2 id="articles">Articles</h2>') < \
            article.index('<ul class="archive-list">'), f
    mosul = (site / "locations" / "iraq-nineveh-mosul" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'>All locations</a> › <a href="../iraq/">Iraq</a> › <a href="../iraq-nineveh/">Nineveh</a>'
                     r'.*?archive-charts', mosul, re.S)
