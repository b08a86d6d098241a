"""The search page's layout (site.py stamp_page): a query in the address gets its shards preloaded as
the page is parsed, beside meta.json, and the page still searches without it. In a real browser."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from generator.search.site import shards_version

from .test_browser import browser, serve  # noqa: F401 (the browser fixture)

# Two stop words, an accent and three words: the early script's words and pairs must be search.js's.
QUERY = "drónes ON the grid of Kharkiv"  # no alias: an alias reading asks for more shards later


@pytest.fixture(scope="module")
def server(built_site: Path):
    httpd = serve(built_site / "site")
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _run(browser, url: str, strip_layout: bool = False) -> tuple[list[str], set[str], set[str]]:  # noqa: F811
    """(result titles, shard URLs requested, shard URLs the page preloaded); strip_layout: as an
    older page, without data-layout."""
    context = browser.new_context()
    page = context.new_page()
    requested: set[str] = set()
    page.on("request", lambda r: requested.add(r.url) if "/search-index/s/" in r.url else None)
    if strip_layout:
        def older(route):
            body = route.fetch().text()
            route.fulfill(body=re.sub(r' data-layout="[^"]*"', "", body), content_type="text/html")
        page.route("**/search/?*", older)
    try:
        page.goto(url)
        page.wait_for_selector("#archive-search[data-done]")
        titles = page.locator(".archive-search__results > li > a").all_inner_texts()
        preloaded = set(page.eval_on_selector_all('link[rel=preload][href*="/s/"]', "ls => ls.map(l => l.href)"))
    finally:
        context.close()
    return titles, requested, preloaded


def test_page_carries_the_index_layout(built_site: Path):
    text = (built_site / "site" / "search" / "index.html").read_text(encoding="utf-8")
    layout = json.loads(html.unescape(re.search(r'data-layout="([^"]*)"', text).group(1)))
    meta = json.loads((built_site / "site" / "search-index" / "meta.json").read_text(encoding="utf-8"))
    assert layout == {"shards": meta["shards"], "stopwords": meta["stopwords"],
                      "v": shards_version(built_site / "site" / "search-index" / "s")}


def test_query_in_address_preloads_exactly_its_shards(browser, server):  # noqa: F811
    titles, requested, preloaded = _run(browser, f"{server}/search/?q={QUERY}")
    assert titles and any("Kharkiv" in t for t in titles), titles
    # search.js asked for the very shards the page's early script preloaded, versioned, no other.
    assert preloaded and requested == preloaded
    assert all("?v=" in u for u in requested)


def test_older_page_without_layout_still_finds(browser, server):  # noqa: F811
    titles, requested, preloaded = _run(browser, f"{server}/search/?q={QUERY}")
    old_titles, old_requested, old_preloaded = _run(browser, f"{server}/search/?q={QUERY}", strip_layout=True)
    assert old_titles == titles
    assert not old_preloaded and old_requested and not any("?v=" in u for u in old_requested)
