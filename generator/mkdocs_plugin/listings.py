"""The generated listing pages (tags, locations, months, undated), one function per page type.

A listing is built once, as HTML, and never parsed back: the Markdown MkDocs sees holds only the
headings (so the table of contents still works) and one placeholder comment per HTML block;
`fill` puts the blocks in after Markdown (the plugin's on_page_content). Parsing thousands of list
items back through md_in_html and MkDocs' raw-HTML scan was most of a large build (issue 12).

Article lists are newest first, with date, source and summary. The listing's own address
(tags/<slug>/) shows the newest block of about PAGE_SIZE articles and the newer ones still filling
the next; older ones are on tags/<slug>/page-<date>-<mark>/, one content-defined block each
(PAGE_SIZE / 2 to 1.5 * PAGE_SIZE articles), so that they do not change when articles come in
anywhere else (paginate), and no page grows with the archive. Every function returns the listing's pages, its own page first.
"""
from __future__ import annotations

import hashlib
import html
import re
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Callable

from .index import LocationNode, Record, derive
from .pages import Linker, esc, fmt_date, heading, month_title

PAGE_SIZE = 50
# (its address, newer and older pages' addresses, its articles, how to make it) -> the page
OlderPage = Callable[[str, "str | None", "str | None", "list[Record]", Callable[[], "Listing"]], "Listing"]
_BLOCK = "<!-- archive:block {} -->"
_BLOCK_RE = re.compile(r"<!-- archive:block (\d+) -->")


@dataclass
class Listing:
    """One generated page: its source URI, plain-text title, Markdown with placeholders, HTML blocks."""

    uri: str
    title: str
    parts: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    standalone: bool = False  # out of the navigation: its HTML depends on its own content only
    stored_digest: str = ""  # a page taken from the build cache without its blocks (stored)

    @property
    def digest(self) -> str:
        """A hash of everything on the page (the build cache's key for it)."""
        if self.stored_digest:
            return self.stored_digest
        return hashlib.sha256("\0".join([self.uri, self.title, self.markdown, *self.blocks]).encode()).hexdigest()

    def summary(self) -> tuple[str, str, str, str]:
        """What the build cache keeps of a page whose HTML it keeps: (uri, title, Markdown, digest)."""
        return self.uri, self.title, self.markdown, self.digest

    @classmethod
    def stored(cls, uri: str, title: str, markdown: str, digest: str) -> "Listing":
        """A page of an unchanged listing: its HTML is served from the build cache, so its blocks
        (the article lists and charts, most of a listing's cost) are not generated."""
        return cls(uri, title, [markdown], [], standalone=True, stored_digest=digest)

    def md(self, text: str) -> "Listing":
        self.parts.append(text)
        return self

    def html(self, block: str) -> "Listing":
        self.parts.append("\n" + placeholder(len(self.blocks)) + "\n\n")
        self.blocks.append(block)
        return self

    @property
    def markdown(self) -> str:
        return "".join(self.parts)


def placeholder(number: int) -> str:
    """The Markdown that stands for HTML block `number` until `fill` replaces it."""
    return _BLOCK.format(number)


def fill(content: str, blocks: list[str]) -> str:
    """The page's HTML with each placeholder replaced by its block (Markdown wraps none of them)."""
    return _BLOCK_RE.sub(lambda m: blocks[int(m.group(1))], content)


def inert(markdown: str) -> str:
    """An editor's page (index.md) with any text that reads as a placeholder made inert, before the
    plugin puts its own in: `<!-- archive:block 5 -->` typed in index.md (copied from a built page)
    was a traceback (IndexError) of the whole build, and `<!-- archive:block 0 -->` a second copy of
    the latest articles wherever it stood."""
    return _BLOCK_RE.sub(lambda m: m.group(0).replace("archive:block", "archive: block"), markdown)


def _item_tail(r: Record) -> str:
    """An article's list item after its link's address (the rest is the record's alone): made once
    per record and kept with it, since a changed listing lists every article of its changed pages."""
    meta = esc(fmt_date(r.date)) + (f" · {esc(r.source)}" if r.source else "")
    summary = f'<br><span class="archive-list__summary">{esc(r.summary)}</span>' if r.summary else ""
    return f'">{esc(r.title)}</a> <small>{meta}</small>{summary}</li>'


def article_items(from_uri: str, records: list[Record], link: Linker) -> str:
    """Articles as an HTML list: title, date, source, summary (all article text escaped)."""
    if not records:
        return "<p><em>No articles.</em></p>\n"
    items = [f'<li><a href="{html.escape(link.href(from_uri, r.src_uri), quote=True)}' + derive(r, "list_item", _item_tail)
             for r in records]
    return '<ul class="archive-list">\n' + "\n".join(items) + "\n</ul>\n"


def home(uri: str, records: list[Record], shown: int, archive_uri: str, undated_uri: str, link: Linker) -> str:
    """The home page's latest articles and the way on to the rest: the archive by month, and the
    undated articles (which a newest-first list never reaches)."""
    dated = [r for r in records if r.date]
    undated = len(records) - len(dated)
    more = []
    if len(dated) > shown:
        more.append(link(uri, archive_uri, f"All {len(dated)} dated articles, by month"))
    if undated:
        more.append(link(uri, undated_uri, f"{undated} undated article{'s' if undated != 1 else ''}"))
    tail = f'<p class="archive-more">More: {" · ".join(more)}</p>\n' if more else ""
    return article_items(uri, dated[:shown], link) + tail


def page_uri(uri: str, block: list[Record]) -> str:
    """The older page of the listing whose first page is `uri` that holds `block` (oldest first):
    named after its newest article, the one whose mark ended the block, so an article coming into
    the block (at any place) leaves its name, and its neighbours' links to it, alone."""
    r = block[-1]
    return f"{uri[:-3]}/page-{r.date.isoformat() if r.date else 'undated'}-{_mark(r.src_uri):08x}.md"


@lru_cache(maxsize=None)
def _mark(src_uri: str) -> int:
    """A stable number per article (not Python's salted hash): where blocks end."""
    return int.from_bytes(hashlib.blake2b(src_uri.encode("utf-8", "surrogatepass"), digest_size=4).digest(), "big")


def blocks_of(oldest_first: list[Record], size: int = PAGE_SIZE) -> tuple[list[list[Record]], bool]:
    """Content-defined blocks, oldest first: a block ends after an article whose mark says so once
    it holds size // 2 articles, and at 1.5 * size in any case (about `size` on average). Fixed
    blocks counted from the oldest changed every older page when an old or undated article came in
    (1,575 of 1,835 pages rendered again after adding 10 articles to 10,000, issue 12); here an
    insertion changes the block it falls in, rarely the next. Also says whether the last block
    ended at a mark (else it is still filling)."""
    low, high = max(1, size // 2), max(1, size + size // 2)
    div = max(1, size - low)
    blocks: list[list[Record]] = []
    block: list[Record] = []
    for r in oldest_first:
        block.append(r)
        if len(block) >= high or (len(block) >= low and _mark(r.src_uri) % div == 0):
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    return blocks, not block


def _pager(here: str, newer: str | None, older: str | None, link: Linker) -> str:
    """Newer / older links between the pages of one listing (none when it has one page)."""
    parts = ([link(here, newer, "← Newer")] if newer else []) + ([link(here, older, "Older →")] if older else [])
    return '<nav class="archive-pager"><p>' + " · ".join(parts) + "</p></nav>\n" if parts else ""


def _span(records: list[Record]) -> str:
    dates = [r.date for r in records if r.date]
    if not dates:
        return "undated"
    first, last = fmt_date(min(dates)), fmt_date(max(dates))
    return first if first == last else f"{first} – {last}"


def _build(here: str, newer: str | None, older: str | None, chunk: list[Record],
           build: Callable[[], Listing]) -> Listing:
    return build()


def paginate(uri: str, title: str, records: list[Record], link: Linker,
             intro: Callable[[Listing, bool], None], size: int = PAGE_SIZE, lead: str = "",
             older_page: OlderPage | None = None) -> list[Listing]:
    """The listing's pages. Older articles sit in content-defined blocks (blocks_of), so a new
    article changes the page it lands on (the first, for a new article) and the other pages are
    never rendered again (the build cache keeps them): the first page holds the newest complete
    block and the newer articles still filling one; each older page one block, named after its
    newest article (page_uri). `intro(page, first)` writes what comes above each page's articles;
    `lead` (HTML: feed link, charts) goes right below the first page's heading. `older_page` makes
    (or takes from a cache: listingcache.py) each older page from its inputs: its address, its
    neighbours' and its articles (with what the listing shows on every page: the caller's key)."""
    blocks, complete = blocks_of(records[::-1], size)
    if len(blocks) > 1 and not complete:
        blocks[-2:] = [blocks[-2] + blocks[-1]]
    older = blocks[:-1]
    names = [page_uri(uri, b) for b in older]
    out = []
    first = Listing(uri, title, standalone=True).md(heading(title))
    if lead:
        first.html(lead)
    intro(first, True)
    first.html(article_items(uri, records[:len(blocks[-1])] if blocks else [], link)
               + _pager(uri, None, names[-1] if names else None, link))
    out.append(first)
    for k in range(len(older) - 1, -1, -1):
        chunk = older[k][::-1]
        here = names[k]
        newer = uri if k == len(older) - 1 else names[k + 1]
        before = names[k - 1] if k > 0 else None

        def build(here: str = here, newer: str = newer, before: str | None = before,
                  chunk: list[Record] = chunk) -> Listing:
            page = Listing(here, f"{title}: {_span(chunk)}", standalone=True).md(heading(f"{title}: {_span(chunk)}"))
            intro(page, False)
            page.html(article_items(here, chunk, link) + _pager(here, newer, before, link))
            return page

        out.append((older_page or _build)(here, newer, before, chunk, build))
    return out


def tag_listing(uri: str, name: str, kind: str, records: list[Record], index_uri: str, link: Linker,
                size: int = PAGE_SIZE, lead: str = "", older_page: OlderPage | None = None) -> list[Listing]:
    def intro(page: Listing, first: bool) -> None:
        n = len(records)
        count = f" · {n} article{'' if n == 1 else 's'}" if first else ""  # older pages do not change
        page.html(f"<p><small>{esc(kind)}{count} · {link(page.uri, index_uri, 'all tags')}</small></p>\n")
        if first and lead:  # below the way back, as on place pages
            page.html(lead)
            page.md(heading("Articles", 2))  # the list is not more of the charts' links

    return paginate(uri, name, records, link, intro, size, older_page=older_page)


def _children(node: LocationNode) -> list[LocationNode]:
    return sorted(node.children.values(), key=lambda n: n.name.casefold())


def items(lines: list[str]) -> str:
    return "<ul>\n" + "\n".join(f"<li>{x}</li>" for x in lines) + "\n</ul>\n"


def location_listing(uri: str, node: LocationNode, parents: list[LocationNode], node_uri, index_uri: str,
                     link: Linker, size: int = PAGE_SIZE, lead: str = "",
                     older_page: OlderPage | None = None) -> list[Listing]:
    def intro(page: Listing, first: bool) -> None:
        crumbs = [link(page.uri, index_uri, "All locations")] + [link(page.uri, node_uri(p), p.name) for p in parents]
        if not first:
            crumbs.append(link(page.uri, uri, node.name))
        page.html("<p>" + " › ".join(crumbs) + "</p>\n")
        if not first:
            return
        place = node.place
        facts = ["names the gazetteer does not know" if node.kind == "unplaced" else node.kind]
        if place and place.lat is not None and place.lon is not None:
            facts.append(f"{place.lat:.2f}, {place.lon:.2f}" + (" (approximate)" if place.approximate else ""))
        page.html(f"<p><small>{esc(' · '.join(facts))}</small></p>\n")
        if lead:  # the charts below the country > region path, not above it
            page.html(lead)
        if node.children:
            page.md(heading("Within " + node.name, 2))
            page.html(items([f"{link(page.uri, node_uri(c), c.name)} ({len(c.articles)})" for c in _children(node)]))
        page.md(heading("Articles", 2))

    return paginate(uri, node.name, node.articles, link, intro, size, older_page=older_page)


def dated_listing(uri: str, title: str, records: list[Record], index_uri: str, link: Linker,
                  size: int = PAGE_SIZE, older_page: OlderPage | None = None,
                  around: tuple[tuple[str, str] | None, tuple[str, str] | None] = (None, None)) -> list[Listing]:
    """A month's articles, or the undated ones. `around`: the (address, title) of the month before
    and of the month after that have articles, linked on each page beside the archive's index (a
    reader of one month had to go back to the index for the next)."""
    before, after = around

    def intro(page: Listing, first: bool) -> None:
        links = ([link(page.uri, before[0], f"\u2190 {before[1]}")] if before else []) + [
            link(page.uri, index_uri, "Archive")] + ([link(page.uri, after[0], f"{after[1]} \u2192")] if after else [])
        page.html(f'<p class="archive-months">{" · ".join(links)}</p>\n')

    return paginate(uri, title, records, link, intro, size, older_page=older_page)


def undated_order(records: list[Record]) -> list[Record]:
    """Undated articles read A to Z by title, ties on path, as in the feeds (feedset.feed_order):
    newest_first put them Z to A, the reverse of its date order's tie-break."""
    return sorted(records, key=lambda r: (r.title.casefold(), r.title, r.src_uri))


def undated_listing(uri: str, records: list[Record], index_uri: str, link: Linker,
                    size: int = PAGE_SIZE, older_page: OlderPage | None = None) -> list[Listing]:
    """The articles without a date, A to Z by title (undated_order)."""
    return dated_listing(uri, UNDATED_TITLE, undated_order(records), index_uri, link, size, older_page)


UNDATED_TITLE = "Undated articles"


def tags_index(uri: str, by_kind: dict[str, list[str]], tag_uri, counts: dict[str, int], title: str,
               link: Linker, aliases: dict[str, tuple[str, ...]] | None = None) -> Listing:
    """Tags grouped by kind, each with its number of articles and the spellings it also stands for."""
    aliases = aliases or {}
    page = Listing(uri, title).md(heading(title))

    def also(n: str) -> str:
        names = [a for a in aliases.get(n, ()) if a != n]
        return f' <span class="archive-aliases">also {esc(", ".join(names))}</span>' if names else ""

    for kind, names in by_kind.items():
        page.md(heading(kind.capitalize() + ("s" if not kind.endswith("s") else ""), 2))
        page.html(items([f"{link(uri, tag_uri(n), n)} ({counts[n]}){also(n)}" for n in names]))
    if not by_kind:
        page.md("_No tags yet._\n")
    return page


def locations_index(uri: str, tree: dict[str, LocationNode], node_uri, title: str, link: Linker) -> Listing:
    page = Listing(uri, title).md(heading(title))

    def emit(node: LocationNode) -> str:
        entry = f"{link(uri, node_uri(node), node.name)} ({len(node.articles)})"
        children = _children(node)
        if not children:
            return f"<li>{entry}</li>"
        # Collapsed by default: a country opens to its regions, a region to its places.
        inner = "\n<ul>\n" + "\n".join(emit(c) for c in children) + "\n</ul>\n"
        return f"<li><details><summary>{entry}</summary>{inner}</details></li>"

    # Continents, world regions and seas apart from the countries, above them (issue 10); names the
    # gazetteer does not know below them, under a heading that says so, not as one more "country"
    parts = {"beyond": [], "country": [], "unplaced": []}
    for n in tree.values():
        parts[n.kind if n.kind in parts else "beyond"].append(n)
    titled = bool(parts["beyond"] or parts["unplaced"])
    for part, part_title in (("beyond", "Regions of the world and seas"), ("country", "Countries"),
                             ("unplaced", "Not in the gazetteer")):
        nodes = parts[part]
        if nodes:
            if titled:
                page.md(heading(part_title, 2))
            page.html('<ul class="archive-tree">\n' + "\n".join(emit(n) for n in nodes) + "\n</ul>\n")
    if not tree:
        page.md("_No locations yet._\n")
    return page


def archive_index(uri: str, months: dict[str, list[Record]], undated: list[Record], month_uri, undated_uri,
                  title: str, link: Linker) -> Listing:
    page = Listing(uri, title).md(heading(title))
    by_year: dict[str, list[str]] = {}
    for key, records in months.items():
        by_year.setdefault(key.split("-")[0], []).append(
            f"{link(uri, month_uri(key), month_title(key))} ({len(records)})")
    for year, lines in by_year.items():
        page.md(heading(year, 2)).html(items(lines))
    if undated:
        page.md(heading("Undated", 2))
        page.html(items([f"{link(uri, undated_uri, 'Articles without a known date')} ({len(undated)})"]))
    return page
