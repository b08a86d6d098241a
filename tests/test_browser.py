"""The built site in a real browser: Debian's Chromium driven by Playwright, pages served on localhost."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import frontmatter
import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(built_site: Path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_site / "site"))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
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


@pytest.fixture
def page(browser):
    context = browser.new_context()
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()


def url_of(md: Path, content: Path) -> str:
    return "/" + md.relative_to(content).with_suffix("").as_posix() + "/"


def find_page(project: Path, needle: str) -> Path:
    for md in sorted((project / "content" / "articles").rglob("*.md")):
        if needle in frontmatter.load(md).get("title", ""):
            return md
    raise AssertionError(f"no article titled with {needle!r}")


def test_article_page_shows_metadata_and_tag_link_works(page, server, built_site):
    md = next(md for md in sorted((built_site / "content" / "articles").rglob("*.md"))
              if frontmatter.load(md).get("tags") and frontmatter.load(md).get("date"))
    post = frontmatter.load(md)
    page.goto(server + url_of(md, built_site / "content"))
    assert page.locator("article h1").inner_text() == post["title"]
    meta = page.locator(".archive-meta").inner_text()
    assert str(post["date"].year) in meta
    first_tag = post["tags"][0]
    with page.expect_navigation():
        page.locator(".archive-meta a", has_text=first_tag).first.click()
    assert page.locator("article h1").inner_text() == first_tag
    assert page.locator("article a", has_text=post["title"]).count() >= 1


def test_hostile_text_is_shown_not_run(page, server, built_site):
    md = find_page(built_site, "Hackers deface ministry portal")
    page.goto(server + url_of(md, built_site / "content"))
    body = page.locator("article").inner_text()
    assert "<script>alert(1)</script>" in body  # visible as text
    assert page.dialogs == []  # and never executed
    assert page.locator("article script").count() == 0


def test_location_hierarchy_navigates_down(page, server, built_site):
    page.goto(server + "/locations/")
    with page.expect_navigation():
        page.locator("article a", has_text="Iraq").first.click()
    assert page.locator("article h1").inner_text() == "Iraq"
    assert page.locator("article a", has_text="Nineveh").count() >= 1
    assert page.locator("article li a[href*='articles/']").count() >= 1


def test_search_finds_an_article(page, server, built_site):
    page.goto(server + "/")
    page.wait_for_load_state("networkidle")  # the search worker has fetched its index
    box = page.locator("input.md-search__input")
    results = page.locator(".md-search-result__item")
    for _ in range(12):  # the worker may still be building its index on a busy machine: type again
        box.click()
        box.fill("")
        box.type("Timbuktu", delay=20)
        try:
            results.first.wait_for(timeout=5000)
            break
        except Exception:
            continue
    assert results.count() >= 1
    assert "Timbuktu" in page.locator(".md-search-result").inner_text()


def test_find_page_filters_by_tag_location_date_and_words(page, server, built_site):
    posts = [frontmatter.load(md) for md in sorted((built_site / "content" / "articles").rglob("*.md"))]
    page.goto(server + "/find/")
    count = page.locator(".archive-find__count")
    count.wait_for()
    page.wait_for_function("document.querySelector('.archive-find__count').textContent.includes('of')")
    assert count.inner_text().startswith(f"{len(posts)} of {len(posts)}")

    page.select_option("select[name=tag]", "Islamic State")
    expected = [p for p in posts if "Islamic State" in (p.get("tags") or [])]
    assert count.inner_text().startswith(f"{len(expected)} of ")
    assert 0 < len(expected) < len(posts)

    page.select_option("select[name=tag]", "")
    page.select_option("select[name=location]", "Iraq")
    page.fill("input[name=from]", "2024-01-01")
    expected = [p for p in posts if "Iraq" in (p.get("locations") or []) and p.get("date") and str(p["date"]) >= "2024-01-01"]
    assert count.inner_text().startswith(f"{len(expected)} of ")
    assert "location=Iraq" in page.url  # the filter is in the address, so it can be shared

    page.select_option("select[name=location]", "")
    page.fill("input[name=from]", "")
    page.fill("input[name=q]", "deface ministry")
    results = page.locator(".archive-find__results a")
    assert results.count() == 1
    assert '"We are everywhere,"' in results.first.inner_text()
    with page.expect_navigation():
        results.first.click()
    assert "Hackers deface ministry portal" in page.locator("article h1").inner_text()
