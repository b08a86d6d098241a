"""Saved web pages: body text with trafilatura, metadata by combining the page's own signals.

Body: trafilatura's XML output, mapped to plain-text blocks (`<head>` -> "h2", paragraphs, list
items, quotes and table rows -> "p"). Text is data: markup-looking text in a paragraph (for example
an escaped `<script>` shown to readers) stays as visible text; real `<script>`/`<style>` elements
are never read.

Title: the title the publisher declares (the article's JSON-LD name or headline, then Dublin Core,
Open Graph, `<meta name=title>` and Twitter tags, in Readability.js's order), skipped when it is only
the site's name; else the headline read out of `<title>` by Readability.js's rule. A known site name
(og:site_name, the JSON-LD publisher, the domain) then comes off either end: "Headline | Site".

Date: a full day in the (canonical) URL first; otherwise one vote each from JSON-LD
`datePublished`, publication meta tags (`article:published_time` and friends), htmldate's extensive
search, `itemprop="datePublished"`, a publication `<time datetime>`, and generic date tags; UTC
stamps one day off a local-day signal yield to it (see `choose_date`). Unknown stays None: nothing
is invented.

Parsing and visible text live in html_tree.py, declared metadata and the title in html_meta.py,
dates in html_dates.py; their public names are imported here too (`from .html import ...` keeps working).
"""
from __future__ import annotations

import re
from typing import Iterator

import lxml.html

from ..model import Article, Block, RejectedInput
from ..textutil import clean_spaces
from .html_dates import (date_signals, dateline_near_headline, datelines, dates_in_text,  # noqa: F401
                         htmldate_fallback, lean_copy, modified_dates, month_names, page_date, shown_date,
                         choose_date, _LEAN_ABOVE)
from .html_meta import (_articles, _canonical, _author, _description, _first, _name_of,  # noqa: F401
                        choose_title, jsonld_objects, meta_values, site_names, strip_site, title_site)
from .html_tree import (_LIBXML_DEPTH, _deep_tree, _norm, _words, check_structure,  # noqa: F401
                        fragment_blocks, parse_html, settle_headings)
from .text import chrome_rules

# ---------------------------------------------------------------------------------------------
# Body


_XML_CONTAINERS = ("p", "list", "item", "quote", "table", "row", "div", "head")


def _xml_text(el) -> str:
    """Text of a trafilatura XML element: inline markup joined as is, line breaks (<lb/>) as spaces."""
    parts = [el.text or ""]
    for child in el:
        parts.append(" " if child.tag == "lb" else _xml_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _plain(text: str) -> str:
    return clean_spaces(re.sub(r"\s+", " ", text))


def _xml_blocks(body, title: str | None) -> list[Block]:
    """trafilatura's XML body as blocks: <head> -> "h2"; paragraphs, list items, quotes, table rows,
    and loose text between them -> "p"."""
    blocks: list[Block] = []

    def add(kind: str, text: str) -> None:
        text = _plain(text)
        if text:
            blocks.append(Block(kind, text))

    def walk(el):
        tag = el.tag if isinstance(el.tag, str) else ""
        nested = any(isinstance(c.tag, str) and c.tag in _XML_CONTAINERS for c in el)
        if tag == "head":
            add("h2", _xml_text(el))
        elif tag == "row":
            cells = [_plain(_xml_text(c)) for c in el if isinstance(c.tag, str)]
            add("p", " | ".join(c for c in cells if c))
        elif tag in ("graphic", "lb"):
            pass
        elif not nested and tag not in ("body", "doc", "main", "list", "table"):
            add("p", _xml_text(el))
        else:
            add("p", el.text or "")
            for c in el:
                walk(c)
                add("p", c.tail or "")

    walk(body)
    return settle_headings(drop_chrome(blocks, title))


CHROME_MAX = 60  # characters: page furniture in a body is short; longer blocks are article text


def drop_chrome(blocks: list[Block], title: str | None) -> list[Block]:
    """Page furniture left in an extracted body: short blocks the scraped-text reader's chrome rules
    drop ("You are here", "Advertisement", "Share this article"), and the headline repeated as one of
    the first headings."""
    drop = chrome_rules().drop
    tnorm = _norm(title)
    out = []
    for i, b in enumerate(blocks):
        if len(b.text) <= CHROME_MAX and drop.fullmatch(b.text.strip()):
            continue
        if b.kind == "h2" and tnorm and i < 4 and _norm(b.text) == tnorm:
            continue
        out.append(b)
    return out


def extract_body(html: str | lxml.html.HtmlElement, url: str | None, title: str | None) -> list[Block]:
    from trafilatura import bare_extraction

    try:
        doc = bare_extraction(html, url=url, include_comments=False, include_tables=True, with_metadata=False)
    except Exception:
        doc = None
    if doc is None or doc.body is None:
        return []
    return _xml_blocks(doc.body, title)


# ---------------------------------------------------------------------------------------------
# The reader


def extract_page(text: str, origin: str, url: str | None = None, use_htmldate: bool = True) -> Article:
    """One HTML page -> Article (raises RejectedInput when there is no body text)."""
    tree = parse_html(text)
    if tree is None:
        raise RejectedInput("HTML without any element")
    depth = check_structure(tree)
    meta = meta_values(tree)
    ld = jsonld_objects(tree)
    canonical = _canonical(tree, meta, url)
    page_url = canonical or url
    sites = site_names(meta, ld, page_url)
    title = choose_title(tree, meta, ld, sites)
    blocks = extract_body(text if depth < _LIBXML_DEPTH else _deep_tree(text), page_url, title)
    if not blocks:
        body = tree.find(".//article") if tree.find(".//article") is not None else tree.find(".//body")
        blocks = fragment_blocks(lxml.html.tostring(body, encoding="unicode")) if body is not None else []
    if not any(b.kind == "p" for b in blocks):
        raise RejectedInput("HTML page without article text")
    if not title:
        title = blocks[0].text if len(blocks[0].text) <= 200 else blocks[0].text[:200].rsplit(" ", 1)[0] + "…"
    signals = date_signals(tree, meta, ld, [canonical, url])
    shown = datelines(tree, title=title)
    found_by_htmldate = None
    if use_htmldate and not any(s == "url" for s, _, _ in signals):
        # A very large page (a long comment thread, inlined data) goes to htmldate without scripts,
        # styles and comments: its time stays bounded; smaller pages go whole (their scripts carry dates).
        found_by_htmldate = htmldate_fallback(lean_copy(tree) if len(text) > _LEAN_ABOVE else text, page_url)
    found = page_date(signals, shown, modified_dates(meta, ld), found_by_htmldate)
    source = None
    for o in _articles(ld):
        source = _name_of(o.get("publisher"))
        if source:
            break
    source = _first(meta, "og:site_name") or source or _first(meta, "application-name") or title_site(tree, title)
    summary = _description(meta, ld)
    if summary and blocks and _norm(blocks[0].text).startswith(_norm(summary)):
        summary = None  # the description is just the first paragraph again
    return Article(title=title, blocks=blocks, origin=origin, summary=summary, date=found,
                   source=source, url=page_url, author=_author(meta, ld))


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b")


def looks_like_html(head: str) -> bool:
    low = head[:1024].lower()
    if low.startswith(("<!doctype html", "<html", "<head", "<body")) or re.match(r"(<\?xml[^>]*>\s*)?<!doctype html", low):
        return True
    if re.search(r"<html[\s>]|<body[\s>]|<head[\s>]", head[:4096], re.I):
        return True
    if re.match(r"<(?:p|div|article|section|main|header|h[1-6])[\s>]", low) and re.search(r"</(?:p|div|article|section|main|h[1-6])>", low):
        return True  # a saved fragment without <html>/<body>
    tags = _TAG.findall(head)
    return len(tags) >= 8 and low.startswith("<")


class HtmlReader:
    name = "html"
    extensions = (".html", ".htm", ".xhtml")

    def sniff(self, head: str) -> bool:
        return looks_like_html(head)

    def read(self, text: str, origin: str) -> Iterator[Article]:
        yield extract_page(text, origin)
