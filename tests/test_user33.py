"""What a new user's afternoon with the archive found (round 33): each test failed before its fix.
Browser fixtures come from test_browser.py (same server, same browser, same request check)."""
# ruff: noqa: F811 (the fixtures imported from test_browser.py are test arguments here)
from __future__ import annotations

import json
import re
from pathlib import Path

import frontmatter
import pytest

from generator.readers.html import extract_page
from generator.search.site import alias_words, place_aliases

from .conftest import SAMPLES, copy_project, run_archive
from .test_browser import after, browser, page, project, serve, server  # noqa: F401


def _all_results(pg) -> list[str]:
    """Every result's title, "More results" pressed until there are no more."""
    while pg.locator(".archive-search__more").is_visible():
        shown = pg.locator(".archive-search__results > li").count()
        pg.click(".archive-search__more")
        pg.wait_for_function(f"document.querySelectorAll('.archive-search__results > li').length > {shown}")
    return pg.locator(".archive-search__results > li > a").all_inner_texts()


def test_an_alias_finds_every_article_filed_under_its_tag(page, server, project):
    """"Daesh" found only the articles whose text says Daesh, not the others tagged Islamic State
    (whose aliases include Daesh): the vocabulary's aliases reached the tagging, not the search."""
    posts = [frontmatter.load(md) for md in sorted((project / "content" / "articles").rglob("*.md"))]
    tagged = {p["title"] for p in posts if "Islamic State" in (p.get("tags") or [])}
    silent = {p["title"] for p in posts if "Islamic State" in (p.get("tags") or [])
              and "daesh" not in (p["title"] + " " + p.get("summary", "") + " " + p.content).casefold()}
    assert silent  # the case: articles tagged Islamic State that never say Daesh
    page.goto(server + "/search/?q=Daesh")
    page.wait_for_selector("#archive-search[data-done]")
    found = _all_results(page)
    assert tagged <= set(found), sorted(tagged - set(found))
    # Read among the tag's articles only: an article tagged ISWAP alone is not an Islamic State one.
    untagged = {p["title"] for p in posts if "Islamic State" not in (p.get("tags") or [])
                and "daesh" not in (p["title"] + " " + p.get("summary", "") + " " + p.content).casefold()}
    assert not untagged & set(found), sorted(untagged & set(found))


def test_a_search_that_finds_nothing_says_so_and_offers_to_drop_the_filters(page, server):
    """No result showed "0 results (12 ms)" and nothing else; with a filter set the reader was not
    told that the filter was what emptied the list."""
    page.goto(server + "/search/?q=zzqxv")
    page.wait_for_selector("#archive-search[data-done]")
    count = page.locator(".archive-search__count")
    assert "Nothing found for \u201czzqxv\u201d" in count.inner_text()
    assert page.locator(".archive-search__clear").count() == 0  # no filter, nothing to drop
    page.goto(server + "/search/?q=Kharkiv&country=Iraq")  # a word found only outside the filter
    page.wait_for_selector("#archive-search[data-done]")
    text = count.inner_text()
    assert text.startswith("Nothing found") and "country: Iraq" in text, text
    after(page, lambda: page.click(".archive-search__clear"))
    assert page.locator("select[name=country]").input_value() == ""
    assert "country=" not in page.url
    assert page.locator(".archive-search__results > li").count() > 0


@pytest.mark.parametrize("width", [360, 390, 540, 600])
def test_the_phone_header_shows_the_whole_site_name_and_search_placeholder(browser, server, width):
    """At 390 px the header cut the site name to "Conflict &…" and the box's placeholder to
    "Search the arch"; at 540 and 600 px (a large phone held sideways) the name was cut too."""
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=width < 500, has_touch=True)
    phone = context.new_page()
    for path in ("/", "/tags/islamic-state/", "/search/"):
        phone.goto(server + path)
        name = phone.locator(".md-header__topic:not([data-md-component]) .md-ellipsis")
        assert name.inner_text().strip() == "Conflict & Security News Archive"
        cut = name.evaluate("e => [e.scrollWidth > e.clientWidth, e.scrollHeight > e.clientHeight]")
        assert cut == [False, False], path
        box = phone.locator("header .archive-searchbox input")
        fits = box.evaluate("""e => {
            const c = getComputedStyle(e), ctx = document.createElement('canvas').getContext('2d');
            ctx.font = c.fontWeight + ' ' + c.fontSize + ' ' + c.fontFamily;
            const room = e.clientWidth - parseFloat(c.paddingLeft) - parseFloat(c.paddingRight);
            return ctx.measureText(e.placeholder).width <= room; }""")
        assert fits, path
        assert phone.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def _ingest_json(*args: str, cwd: Path) -> dict:
    done = run_archive("ingest", *args, "--json", cwd=cwd)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_json_report_gives_the_title_an_editor_fixed(tmp_path):
    """After an editor fixed a page's title, `archive ingest --json` went on reporting the title the
    reader had made: front matter is the truth, on every path (page read, page unchanged since the
    last ingest, input replayed from the ledger, and the read cache off)."""
    project = copy_project(tmp_path / "p")
    sample = sorted(SAMPLES.glob("*.txt"))[0]
    first = _ingest_json(str(sample), cwd=project)["entries"][0]
    page = project / first["page"]  # relative to the folder ingest ran in
    text = page.read_text(encoding="utf-8")
    generated = frontmatter.loads(text)["title"]
    fixed = "Finance courier for the Islamic State detained in Nineveh"
    assert generated != fixed
    page.write_text(re.sub(r"(?m)^title:.*$", f"title: {fixed}", text, count=1), encoding="utf-8")
    assert frontmatter.load(page)["title"] == fixed
    for extra in ((), (), ("--no-cache",)):  # the page read and merged; then unchanged (replayed); read again
        entry = _ingest_json(str(sample), *extra, cwd=project)["entries"][0]
        assert entry["outcome"] == "unchanged", entry
        assert entry["title"] == fixed, (extra, entry)
    assert frontmatter.load(page)["title"] == fixed


def test_ingest_writes_where_the_build_reads(tmp_path):
    """`archive ingest` wrote into content/ whatever mkdocs.yml's docs_dir said, so an archive whose
    mkdocs.yml reads pages/ built without the articles just ingested; the default now comes from
    mkdocs.yml, as the build's does (--content still overrides both)."""
    project = copy_project(tmp_path / "p")
    (project / "content").rename(project / "pages")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("docs_dir: content", "docs_dir: pages"),
                      encoding="utf-8")
    sample = sorted(SAMPLES.glob("*.txt"))[0]
    entry = _ingest_json(str(sample), cwd=project)["entries"][0]
    assert (project / entry["page"]).resolve().is_relative_to((project / "pages").resolve()), entry
    assert not (project / "content").exists()
    assert list((project / "pages" / "articles").rglob("*.md"))
    help_text = run_archive("ingest", "--help", cwd=project).stdout
    assert "docs_dir" in help_text


def test_an_identical_copy_under_another_name_is_a_duplicate(tmp_path):
    """content/editing.md: the same text again, from another file, is reported `duplicate` and listed
    in the page's sources. A copy ingested in a later run than its original was reported `updated`
    and taken for the page's own input. A file renamed (its old name gone) is still the page's input."""
    project = copy_project(tmp_path / "p")
    inbox = tmp_path / "in"
    inbox.mkdir()
    original = inbox / "story.txt"
    original.write_bytes(sorted(SAMPLES.glob("*.txt"))[2].read_bytes())
    assert _ingest_json(str(original), cwd=project)["entries"][0]["outcome"] == "new"
    copy = inbox / "story-copy.txt"
    copy.write_bytes(original.read_bytes())
    entry = _ingest_json(str(copy), cwd=project)["entries"][0]
    assert entry["outcome"] == "duplicate", entry
    assert "same article as" in entry["reason"]
    page = frontmatter.load(project / entry["page"])
    assert [s["file"] for s in page["sources"]] == ["story.txt", "story-copy.txt"]
    renamed = inbox / "story-renamed.txt"
    original.rename(renamed)
    copy.unlink()
    entry = _ingest_json(str(renamed), cwd=project)["entries"][0]
    assert entry["outcome"] == "updated", entry  # its own input under a new name: not a copy of itself


HTML_PAGE = """<html><head><title>{title}</title></head><body><article><h1>{h1}</h1>
<p>Police said the convoy was attacked near the border crossing on Tuesday morning, and two drivers were hurt.</p>
<p>The trucks were carrying flour and fuel to the camps, a spokesman for the aid group said later that day.</p>
<p>Officials said the road would stay closed until engineers had checked the bridges along the route.</p>
</article></body></html>"""


@pytest.mark.parametrize(("title", "h1", "source"), [
    ("Convoy attacked near the border crossing | Lagoon Times", "Convoy attacked near the border crossing", "Lagoon Times"),
    ("Convoy attacked near the border crossing - The Lagoon Ledger", "Convoy attacked", "The Lagoon Ledger"),
    ("Convoy attacked near the border crossing | World | Lagoon Times", "Convoy attacked", "Lagoon Times"),
    # Not a site's name: no separator, a dateline's colon, a page number, a headline that goes on.
    ("Convoy attacked near the border crossing", "Convoy attacked", None),
    ("Syria: convoy attacked near the border crossing", "Convoy attacked", None),
    ("Convoy attacked near the border crossing - Part 2", "Convoy attacked", None),
    ("Police - fire", "Convoy attacked near the border crossing", None),
])
def test_a_site_name_after_the_headline_in_title_is_the_source(title, h1, source):
    """An HTML page titled "Headline | Site Name" with no og:site_name or JSON-LD publisher had no
    source at all (the source shown under every listing and offered by the search's filter)."""
    article = extract_page(HTML_PAGE.format(title=title, h1=h1), "page.html")
    assert article.source == source, (title, article.title)
    if source:
        assert source not in article.title


def test_the_alias_map_holds_the_archive_s_tags_and_places_and_leaves_a_shared_spelling_out():
    """aliases.json: each tag, country and place in the archive -> its aliases as the search splits
    them; a spelling two of them share would send a search to either: it is left out (the text
    search still finds it). Places' aliases are places.yml's (Kiev for Kyiv)."""
    spellings = {"tag": {"Islamic State": ("ISIS", "Daesh", "Islamic State group", "IS"),
                         "Al-Shabaab": ("al Shabab", "Shabaab"), "Harakat Shabaab": ("Shabaab",)},
                 "place": {"Kyiv, Ukraine": place_aliases("Kyiv", "Ukraine")},
                 "country": {"Ukraine": ()}}
    got = alias_words(spellings)
    assert got["tag"]["Islamic State"] == ["daesh", "isis", "islamic state group"]  # "IS" is a stopword: no words
    assert got["tag"]["Al-Shabaab"] == ["al shabab"] and "Harakat Shabaab" not in got["tag"]
    assert got["place"] == {"Kyiv, Ukraine": ["kiev"]} and "country" not in got


def test_a_place_s_other_spelling_finds_the_articles_placed_there(page, server, project):
    """"Kiev" found nothing though articles are placed in Kyiv (places.yml: aliases [Kiev])."""
    posts = [frontmatter.load(md) for md in sorted((project / "content" / "articles").rglob("*.md"))]
    placed = {p["title"] for p in posts if any(pl.get("name") == "Kyiv" for pl in p.get("places") or [])}
    assert placed and not any("kiev" in (p["title"] + p.content).casefold() for p in posts)
    page.goto(server + "/search/?q=Kiev")
    page.wait_for_selector("#archive-search[data-done]")
    assert placed <= set(_all_results(page))


def test_the_search_filters_sit_in_rows_so_results_show_on_a_phone_s_first_screen(browser, server):
    """The six filters stood one a row, each as wide as its longest option: on a phone the form
    filled the first screen (results from 630 px down), at 1280 px in four ragged rows."""
    for width, rows in ((390, 3), (1280, 2)):
        context = browser.new_context(viewport={"width": width, "height": 844})
        pg = context.new_page()
        pg.goto(server + "/search/?q=drone")
        pg.wait_for_selector("#archive-search[data-done]")
        tops = pg.eval_on_selector_all(".archive-search__form select",
                                       "s => s.map(e => Math.round(e.getBoundingClientRect().top))")
        assert len(tops) == 6 and len(set(tops)) <= rows, (width, tops)
        widths = pg.eval_on_selector_all(".archive-search__form select", "s => s.map(e => e.offsetWidth)")
        assert max(widths) - min(widths) <= 2, (width, widths)  # one column width
        first = pg.locator(".archive-search__results > li").first.bounding_box()
        assert first and first["y"] < 0.65 * 844, (width, first)
        assert pg.evaluate("document.documentElement.scrollWidth") <= width
        context.close()
