"""Listing pages: paginated at PAGE_SIZE, newest first, article text escaped, HTML kept out of Markdown."""
from __future__ import annotations

import re
from datetime import date, timedelta

from generator.mkdocs_plugin import listings
from generator.mkdocs_plugin.index import Record, newest_first
from generator.mkdocs_plugin.pages import Linker


def _records(n: int) -> list[Record]:
    start = date(2020, 1, 1)
    return newest_first([Record(src_uri=f"articles/a{i}.md", title=f"Article {i} <b>bold</b>",
                                date=start + timedelta(days=i), summary=f"Summary {i} & more", source="Wire",
                                url=None, tags=["Shelling"], places=[]) for i in range(n)])


def _texts(page: listings.Listing) -> tuple[str, list[int]]:
    html = listings.fill(page.markdown, page.blocks)
    assert "archive:block" not in html
    return html, [int(t) for t in re.findall(r"Article (\d+) &lt;b&gt;", html)]


def test_a_long_listing_is_split_into_linked_pages_of_about_page_size():
    link = Linker()
    size = listings.PAGE_SIZE
    recs = _records(6 * size + 7)
    pages = listings.tag_listing("tags/shelling.md", "Shelling", "event", recs, "tags/index.md", link)
    assert pages[0].uri == "tags/shelling.md" and len(pages) >= 4
    assert all(re.fullmatch(r"tags/shelling/page-2020-\d\d-\d\d-[0-9a-f]{8}\.md", p.uri) for p in pages[1:])
    seen = []
    for i, page in enumerate(pages):
        html, numbers = _texts(page)
        assert (size // 2 <= len(numbers) < 3 * size) if i == 0 else (size // 2 <= len(numbers) <= size + size // 2)
        seen += numbers
        assert "<b>" not in html and "Summary" in html and "&amp; more" in html
    assert seen == sorted(seen, reverse=True) and len(seen) == len(recs)  # newest first, each once
    assert set(link.targets) >= {p.uri for p in pages[1:]} | {"tags/index.md"}
    middle, _ = _texts(pages[1])
    assert "Newer" in middle and "Older" in middle


def test_older_pages_do_not_change_when_articles_are_added():
    """New articles change the first page only: the older pages keep their bytes (the build cache)."""
    recs = _records(6 * listings.PAGE_SIZE + 7)
    before = listings.tag_listing("tags/t.md", "T", "event", recs[5:], "tags/index.md", Linker())
    after = listings.tag_listing("tags/t.md", "T", "event", recs, "tags/index.md", Linker())
    old = {p.uri: (p.markdown, p.blocks) for p in before[1:]}
    assert old and all(old[p.uri] == (p.markdown, p.blocks) for p in after if p.uri in old)
    assert before[0].blocks != after[0].blocks


def test_an_old_or_undated_article_changes_the_pages_around_it_only():
    """Blocks end where their articles say (blocks_of), not every PAGE_SIZE counted from the
    oldest: an article coming in among old ones (an old date, or undated: listed last) leaves the
    other pages' bytes alone."""
    recs = _records(12 * listings.PAGE_SIZE)
    extra = [Record(src_uri="articles/old.md", title="Old", date=date(2020, 3, 3), summary=None, source=None,
                    url=None, tags=["Shelling"], places=[]),
             Record(src_uri="articles/undated.md", title="Undated", date=None, summary=None, source=None,
                    url=None, tags=["Shelling"], places=[])]
    for r in extra:
        before = listings.tag_listing("tags/t.md", "T", "event", recs, "tags/index.md", Linker())
        after = listings.tag_listing("tags/t.md", "T", "event", newest_first(recs + [r]), "tags/index.md", Linker())
        old = {p.uri: (p.markdown, p.blocks) for p in before}
        changed = [p.uri for p in after if old.get(p.uri) != (p.markdown, p.blocks)]
        assert len(before) >= 10 and 1 <= len(changed) <= 4, (r.title, changed)


def test_a_short_listing_is_one_page_without_pager():
    pages = listings.dated_listing("archive/2020-01.md", "January 2020", _records(3), "archive/index.md", Linker())
    assert len(pages) == 1
    html = listings.fill(pages[0].markdown, pages[0].blocks)
    assert "archive-pager" not in html and html.count("<li>") == 3


def test_markdown_holds_headings_and_placeholders_only():
    page = listings.tag_listing("tags/x.md", "X", "event", _records(5), "tags/index.md", Linker())[0]
    assert "<li>" not in page.markdown and page.markdown.startswith("# X")


def test_the_undated_page_reads_a_to_z_by_title():
    """Undated articles by title A to Z (ties on path), as in the feeds: newest_first gave Z to A."""
    recs = newest_first([Record(src_uri=f"articles/undated/u{i}.md", title=t, date=None, summary=None, source=None,
                                url=None, tags=[], places=[]) for i, t in enumerate(["beta", "Alpha", "gamma", "alpha"])])
    html = listings.fill(*(lambda p: (p.markdown, p.blocks))(
        listings.undated_listing("archive/undated.md", recs, "archive/index.md", Linker())[0]))
    assert re.findall(r">(\w+)</a> <small>", html) == ["Alpha", "alpha", "beta", "gamma"]


def test_a_list_item_is_its_link_then_the_record_s_own_facts_kept_with_the_record():
    """article_items keeps each record's part after the link's address (Record.derived, so in the
    build cache): the items are those of link() + date, source and summary, from any page."""
    from generator.mkdocs_plugin.pages import esc, fmt_date
    records = [Record(src_uri=f"articles/a{i}.md", title=f"A <{i}> & co", date=date(2024, 1, i) if i % 2 else None,
                      summary="Sum & more" if i % 3 else None, source="Wire <x>" if i % 4 else None, url=None,
                      tags=[], places=[]) for i in range(1, 7)]
    link = Linker()
    for here in ("tags/x.md", "archive/2024-01/page-x.md", "tags/x.md"):
        want = []
        for r in records:
            meta = esc(fmt_date(r.date)) + (f" · {esc(r.source)}" if r.source else "")
            summary = f'<br><span class="archive-list__summary">{esc(r.summary)}</span>' if r.summary else ""
            want.append(f"<li>{link(here, r.src_uri, r.title)} <small>{meta}</small>{summary}</li>")
        assert listings.article_items(here, records, link) == '<ul class="archive-list">\n' + "\n".join(want) + "\n</ul>\n"
    assert all("list_item" in r.derived for r in records)


def test_linker_hrefs_are_mkdocs_relative_urls():
    """Linker.href keeps each URL's normalised parts: the same relative URLs as MkDocs'
    get_relative_url, between every pair of pages, with and without directory URLs."""
    from mkdocs.utils import get_relative_url
    uris = ["index.md", "about.md", "tags/index.md", "tags/x.md", "tags/x/page-2024-01-01-0000abcd.md",
            "archive/2024-01.md", "archive/undated.md", "articles/2023/10/a.md", "articles/2023/10/b.md",
            "articles/undated/c d.md", "locations/fr/paris.md", "locations/fr.md", "find.md"]
    for directory_urls in (True, False):
        link = Linker(directory_urls)
        for _ in range(2):  # the second time from the kept parts
            for a in uris:
                for b in uris:
                    assert link.href(a, b) == get_relative_url(link.url(b), link.url(a)), (a, b, directory_urls)
