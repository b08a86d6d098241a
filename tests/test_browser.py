"""The built site in a real browser: Debian's Chromium driven by Playwright, pages served on localhost."""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import frontmatter
import pytest

from .conftest import ROOT, SAMPLES, SEED

SHOTS = ROOT / "test-output" / "screenshots"  # gitignored: look at them after a run
PHONE = {"width": 390, "height": 844}

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    """folder's files on 127.0.0.1, on a free port, in a background thread (shutdown() stops it)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # one line per request would bury the test report
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture(scope="module")
def project(request) -> Path:
    """The archive whose site/ the browser opens: the test build (samples and the seed), or the one
    named by BROWSER_PROJECT, e.g. the checkout after `make demo` (BROWSER_PROJECT=. pytest ...)."""
    named = os.environ.get("BROWSER_PROJECT")
    return Path(named).resolve() if named else request.getfixturevalue("built_site")


@pytest.fixture(scope="module")
def server(project: Path):
    httpd = serve(project / "site")
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _page(browser, **context_args):
    context = browser.new_context(**context_args)
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    # Every request the page makes, to check that none leaves 127.0.0.1.
    pg.requested = []
    pg.on("request", lambda r: pg.requested.append(r.url))
    return context, pg


@pytest.fixture
def page(browser):
    context, pg = _page(browser)
    yield pg
    assert [u for u in pg.requested if urlparse(u).scheme in ("http", "https", "ws", "wss")
            and urlparse(u).hostname != "127.0.0.1"] == []
    context.close()


@pytest.fixture
def phone(browser):
    context, pg = _page(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    yield pg
    context.close()


def shot(pg, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def url_of(md: Path, content: Path) -> str:
    return "/" + md.relative_to(content).with_suffix("").as_posix() + "/"


def find_page(project: Path, needle: str) -> Path:
    for md in sorted((project / "content" / "articles").rglob("*.md")):
        if needle in frontmatter.load(md).get("title", ""):
            return md
    raise AssertionError(f"no article titled with {needle!r}")


def has_title(project: Path, needle: str) -> bool:
    try:
        return bool(find_page(project, needle))
    except AssertionError:
        return False


def test_article_page_shows_metadata_and_tag_link_works(page, server, project):
    md = next(md for md in sorted((project / "content" / "articles").rglob("*.md"))
              if frontmatter.load(md).get("tags") and frontmatter.load(md).get("date"))
    post = frontmatter.load(md)
    page.goto(server + url_of(md, project / "content"))
    assert page.locator("article h1").inner_text() == post["title"]
    meta = page.locator(".archive-meta").inner_text()
    assert str(post["date"].year) in meta
    first_tag = post["tags"][0]
    with page.expect_navigation():
        page.locator(".archive-meta a", has_text=first_tag).first.click()
    assert page.locator("article h1").inner_text() == first_tag
    assert page.locator("article a", has_text=post["title"]).count() >= 1


def test_hostile_text_is_shown_not_run(page, server, project):
    md = find_page(project, "Hackers deface ministry portal")
    page.goto(server + url_of(md, project / "content"))
    body = page.locator("article").inner_text()
    assert "<script>alert(1)</script>" in body  # visible as text
    assert page.dialogs == []  # and never executed
    assert page.locator("article script").count() == 0


def test_location_hierarchy_navigates_down(page, server, project):
    page.goto(server + "/locations/")
    with page.expect_navigation():
        page.locator("article a", has_text="Iraq").first.click()
    assert page.locator("article h1").inner_text() == "Iraq"
    assert page.locator("article a", has_text="Nineveh").count() >= 1
    assert page.locator("article li a[href*='articles/']").count() >= 1


def test_journey_home_tag_article_place_country(page, server, project):
    """A reader's way in by topic and place: home -> a tag -> an article -> a place -> its country."""
    page.goto(server + "/")
    with page.expect_navigation():
        page.locator(".md-tabs a", has_text="Tags").first.click()
    with page.expect_navigation():
        page.locator("article a", has_text="Islamic State").first.click()
    assert page.locator("article h1").inner_text() == "Islamic State"
    assert page.locator(".archive-chart svg rect").count() >= 1  # the timeline
    assert page.locator(".archive-cooc a").count() >= 2  # tags and places seen with it, as links
    with page.expect_navigation():
        page.locator("article a[href*='articles/']", has_text="finance courier in Nineveh").first.click()
    title = page.locator("article h1").inner_text()
    assert page.locator(".archive-locator circle").count() >= 1  # the locator map
    assert page.locator(".archive-related a").count() >= 1
    assert page.locator("meta[property='og:title']").get_attribute("content") == title
    with page.expect_navigation():
        page.locator(".archive-chips--places a", has_text="Nineveh").click()
    assert page.locator("article h1").inner_text() == "Nineveh"
    assert page.locator("article a", has_text=title).count() >= 1
    with page.expect_navigation():
        page.locator("article p a", has_text="Iraq").first.click()
    assert page.locator("article h1").inner_text() == "Iraq"
    # The country page includes everything inside it: the article found under Nineveh is listed.
    assert page.locator("article a", has_text=title).count() >= 1
    shot(page, "journey-country")


def map_settled(pg) -> None:
    """Wait until Leaflet's zoom, cluster and pan animations are over (a busy machine draws them slowly)."""
    pg.wait_for_function("() => !document.querySelector('#archive-map .leaflet-zoom-anim, .leaflet-cluster-anim, "
                         "#archive-map .leaflet-pan-anim')")
    pg.wait_for_timeout(300)


def test_map_shows_outlines_and_markers_and_a_marker_opens_a_list(page, server):
    page.goto(server + "/map/")
    page.wait_for_selector("#archive-map[data-ready]", timeout=20000)
    assert page.locator("#archive-map .leaflet-overlay-pane path").count() > 100  # country outlines
    assert int(page.get_attribute("#archive-map", "data-markers")) >= 10
    markers = page.locator(".archive-marker")
    if markers.count() == 0:  # all clustered at this zoom: open a cluster first
        page.locator(".marker-cluster").first.click()
        map_settled(page)
    page.locator(".archive-marker").first.click()
    popup = page.locator(".archive-map-popup")
    popup.wait_for()
    map_settled(page)  # the popup pans the map into view: click its link once it stands still
    assert popup.locator("li a").count() >= 1
    shot(page, "map-popup")
    assert page.locator("#archive-map .leaflet-tile").count() == 0  # no tile server configured: outlines only
    with page.expect_navigation():
        popup.locator("li a").first.click()
    assert "/articles/" in page.url


TILE = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                     "1f15c4890000000d49444154789c6360f8cf000000030101009a5a4b4a0000000049454e44ae426082")


def test_a_configured_tile_server_draws_tiles_under_the_outlines(browser, tmp_path):
    """map_tiles (mkdocs.yml) names a tile server: the map draws its tiles, with the configured
    credit, and the country outlines become lines that do not hide them."""
    from .conftest import copy_project, run_archive

    tiles: list[str] = []

    class Tiles(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            tiles.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(TILE)))
            self.end_headers()
            self.wfile.write(TILE)

        def log_message(self, *args):
            pass

    tile_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=tile_server.serve_forever, daemon=True).start()
    project = copy_project(tmp_path / "tiles")
    config = project / "mkdocs.yml"
    url = f"http://127.0.0.1:{tile_server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
    text = config.read_text(encoding="utf-8").replace(
        "  - archive\n", f"  - archive:\n      map_tiles: {url}\n      map_attribution: Test tiles\n")
    assert "map_tiles" in text
    config.write_text(text, encoding="utf-8")
    samples = sorted(p for p in SAMPLES.glob("*.txt"))[:3]
    assert run_archive("ingest", *map(str, samples), "--quiet", cwd=project).returncode == 0
    build = run_archive("build", cwd=project)
    assert build.returncode == 0, build.stderr
    site = serve(project / "site")
    context, pg = _page(browser)
    try:
        pg.goto(f"http://127.0.0.1:{site.server_address[1]}/map/")
        pg.wait_for_selector("#archive-map[data-ready]", timeout=20000)
        pg.wait_for_selector("#archive-map .leaflet-tile-loaded", timeout=20000)
        assert tiles and all(t.endswith(".png") for t in tiles)
        assert "Test tiles" in pg.locator(".leaflet-control-attribution").inner_text()
        fills = pg.locator("#archive-map .leaflet-overlay-pane path").evaluate_all(
            "ps => ps.map(p => p.getAttribute('fill-opacity'))")
        assert len(fills) > 100 and set(fills) == {"0"}
        shot(pg, "map-tiles")
    finally:
        context.close()
        site.shutdown()
        tile_server.shutdown()


def _search(page, server, query: str) -> list[str]:
    page.goto(server + "/")
    page.fill("header input[name=q]", query)  # the header's box, on every page
    with page.expect_navigation():
        page.press("header input[name=q]", "Enter")
    page.wait_for_selector("#archive-search[data-done]")
    return page.locator(".archive-search__results > li > a").all_inner_texts()


def after(page, action) -> None:
    """Do action, then wait for the search it starts to show its results."""
    before = page.get_attribute("#archive-search", "data-done") or ""  # none yet: no search has run
    action()
    page.wait_for_function("(old) => (document.getElementById('archive-search').dataset.done || '') !== old",
                           arg=before)


def test_phrase_search_returns_its_article_first(page, server, project):
    """The phrase's article comes first; the place page named like it comes after the article."""
    md = find_page(project, "Hackers deface ministry portal")
    others = [frontmatter.load(o).content.casefold() for o in (project / "content" / "articles").rglob("*.md") if o != md]
    words = [w.strip(".,;:\"'()") for w in frontmatter.load(md).content.split()]
    # The first four-word phrase of its text that no other article has (its words may be in others).
    phrase = next(p for p in (" ".join(words[i:i + 4]) for i in range(len(words) - 4))
                  if all(p.casefold() not in o for o in others) and all(len(w) > 2 for w in p.split()))
    results = _search(page, server, phrase)
    assert results and results[0] == frontmatter.load(md)["title"], (phrase, results[:3])
    # A place's name finds the articles about it first, its own page below them. The seed (when
    # present) is the case: its town Tal Abita, whose one article lunr ranked 9th.
    cases = [("Deir Ezzor", "Syria: SDF and Coalition raid targets Islamic State cell near Deir Ezzor")]
    if SEED.exists() and has_title(project, "Iraq, Isis suffers a serious blow"):
        cases.append(("Tal Abita", "Iraq, Isis suffers a serious blow: medicines chief is caught"))
    for place, title in cases:
        found = _search(page, server, place)
        assert found[0] == title, (place, found[:3])
        assert place in found[1:]  # the place page: found, below the article


def test_search_filters_narrow_and_sort_by_date(page, server, project):
    posts = [frontmatter.load(md) for md in sorted((project / "content" / "articles").rglob("*.md"))]
    page.goto(server + "/search/?q=attack")
    page.wait_for_selector("#archive-search[data-done]")
    count = page.locator(".archive-search__count")
    everything = int(count.inner_text().split()[0])
    assert page.locator(".archive-search__more").is_visible() == (everything > 10)  # a page of results is 10
    after(page, lambda: page.select_option("select[name=country]", "Iraq"))
    narrowed = int(count.inner_text().split()[0])
    assert 0 < narrowed < everything
    assert "country=Iraq" in page.url  # the filter is in the address, so it can be shared
    in_iraq = {p["title"] for p in posts if any(pl.get("country") == "Iraq" for pl in p.get("places") or [])}
    assert set(page.locator(".archive-search__results > li > a").all_inner_texts()) <= in_iraq
    # "More results" only while there are more (Material's button style must not show it when hidden).
    assert page.locator(".archive-search__results > li").count() == narrowed
    assert not page.locator(".archive-search__more").is_visible()
    after(page, lambda: (page.fill("#archive-search input[name=q]", ""), page.select_option("select[name=sort]", "newest")))
    shown = page.locator(".archive-search__results > li > small").all_inner_texts()
    assert shown and "Undated" not in shown[0]
    # Oldest first too: the dated articles from the oldest, the undated ones after them (not first).
    after(page, lambda: (page.fill("#archive-search input[name=q]", "attack"), page.select_option("select[name=country]", ""),
                         page.select_option("select[name=sort]", "oldest")))
    shown = [s for s in page.locator(".archive-search__results > li > small").all_inner_texts()
             if not s.strip().startswith(("Tag", "Place", "Region", "Country"))]
    kinds = ["Undated" in s for s in shown]
    assert kinds and not kinds[0] and kinds == sorted(kinds), shown
    shot(page, "search-filtered")


PAGE_TYPES = ["/", "/tags/", "/tags/islamic-state/", "/locations/", "/locations/iraq/", "/locations/iraq-nineveh-mosul/",
              "/map/", "/search/?q=convoy", "/archive/", "/archive/2024-03/", "/archive/undated/", "/about/"]
SECTIONS = {"Home": "/", "Archive": "/archive/", "Tags": "/tags/", "Locations": "/locations/", "Map": "/map/",
            "Search": "/search/", "About": "/about/"}


def open_navigation(pg) -> list[str]:
    """The site's sections the reader can reach from this page: the tabs on a wide screen, else the
    drawer the menu button opens (Material's primary sidebar)."""
    tabs = pg.locator(".md-tabs a:visible")
    if tabs.count():
        return tabs.all_inner_texts()
    pg.locator("label.md-header__button[for=__drawer]").click()
    # On a page inside a group (About's pages) the drawer opens at the group: its back arrow leads up.
    for toggle in pg.locator(".md-sidebar--primary input.md-nav__toggle[id^=__nav_]:checked").all():
        pg.locator(f".md-sidebar--primary label.md-nav__title[for={toggle.get_attribute('id')}]").click()
    drawer = pg.locator(".md-sidebar--primary nav > ul > li > a:visible, .md-sidebar--primary nav > ul > li > label:visible")
    drawer.first.wait_for(state="visible")
    return [t.strip() for t in drawer.all_inner_texts()]


def test_phone_navigation_and_no_sideways_scroll_on_every_page_type(phone, server, project):
    md = find_page(project, "finance courier in Nineveh")
    paths = PAGE_TYPES + [url_of(md, project / "content")]
    for i, path in enumerate(paths):
        phone.goto(server + path)
        phone.wait_for_load_state("networkidle")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
        # Chart labels keep a readable size when the picture shrinks to the phone's width.
        for label in phone.locator(".archive-chart text, .archive-chart__labels span").all():
            assert label.bounding_box()["height"] >= 10, (path, label.inner_text())
        assert phone.locator("header input[name=q]").is_visible(), path  # search from every page
        if path == "/map/":  # the picture once the map has fitted its markers
            phone.wait_for_selector("#archive-map[data-ready]", timeout=20000)
            map_settled(phone)
        shot(phone, "phone-" + (path.strip("/").replace("/", "-").replace("?", "-") or "home"))
        # The menu opens the site's navigation (not an empty overlay), and its links work.
        assert set(SECTIONS) <= set(open_navigation(phone)), path
        links = phone.locator(".md-sidebar--primary nav a.md-nav__link:not(.md-nav__link--active):visible")
        def link(section: str):  # About is a group: its first page is "About this archive"
            return links.filter(has_text=re.compile(r"^\s*" + ("About this archive" if section == "About" else section)
                                                    + r"\s*$"))

        targets = [t for t in SECTIONS if link(t).count()]  # the current page's entry opens its contents
        target = targets[i % len(targets)]
        with phone.expect_navigation():
            link(target).first.click()
        assert urlparse(phone.url).path == SECTIONS[target], (path, target, phone.url)
    external = [u for u in phone.requested if urlparse(u).scheme in ("http", "https")
                and urlparse(u).hostname != "127.0.0.1"]
    assert external == []


@pytest.mark.parametrize("width", [768, 1024, 1280])
def test_every_page_type_has_navigation_at_tablet_and_desktop_widths(browser, server, project, width):
    context, pg = _page(browser, viewport={"width": width, "height": 900})
    md = find_page(project, "finance courier in Nineveh")
    try:
        for path in PAGE_TYPES + [url_of(md, project / "content")]:
            pg.goto(server + path)
            assert set(SECTIONS) <= set(open_navigation(pg)), (width, path)
            assert pg.locator("header input[name=q]").is_visible(), (width, path)
            assert pg.evaluate("document.documentElement.scrollWidth") <= width, (width, path)
            if width == 1280:
                if path == "/map/":
                    pg.wait_for_selector("#archive-map[data-ready]", timeout=20000)
                    map_settled(pg)
                shot(pg, "desktop-" + (path.strip("/").replace("/", "-").replace("?", "-") or "home"))
        assert [u for u in pg.requested if urlparse(u).hostname not in (None, "127.0.0.1")] == []
    finally:
        context.close()
