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
"""
from __future__ import annotations

import html as html_lib
import json
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urljoin, urlparse

import lxml.html
from lxml import etree

from ..enrich.dates import date_from_url, parse_date, parse_timestamp
from ..model import MAX_HTML_DEPTH, MAX_HTML_ELEMENTS, Article, Block, RejectedInput
from ..textutil import clean_spaces
from .text import chrome_rules

# ---------------------------------------------------------------------------------------------
# Parsing helpers

_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "pre",
    "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "figure", "figcaption", "form", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "address", "details", "summary", "center",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
              "nav", "button", "select", "input", "textarea", "head", "title", "meta", "link"}
_SEPARATORS = re.compile(r"\s+(?:[|\-–—:·»«/•~]|::)\s+")


# libxml2 stops building the tree (silently) below this depth unless asked for a "huge" tree:
# 255 nested <div>s used to lose the whole article.
_LIBXML_DEPTH = 250
_PARSER = lxml.html.HTMLParser(huge_tree=True)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")  # lxml refuses str input with an encoding declaration


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """A tolerant lxml tree (None when the text has no element at all), at any nesting depth."""
    text = _XML_DECLARATION.sub("", text)
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def check_structure(tree) -> int:
    """The tree's nesting depth; raises RejectedInput past MAX_HTML_ELEMENTS or MAX_HTML_DEPTH, so
    a page built to make extraction crawl (200,000 paragraphs) costs one pass over it, not minutes."""
    elements = depth = deepest = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            elements += 1
            depth += 1
            deepest = max(deepest, depth)
            if elements > MAX_HTML_ELEMENTS:
                raise RejectedInput(f"HTML page too large to read: more than {MAX_HTML_ELEMENTS:,} elements")
        else:
            depth -= 1
    if deepest > MAX_HTML_DEPTH:
        raise RejectedInput(f"HTML page nested too deeply: {deepest:,} levels (limit {MAX_HTML_DEPTH:,})")
    return deepest


def _deep_tree(text: str):
    """The tree trafilatura would parse for itself (its parser's options), without libxml2's depth limit."""
    parser = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True,
                                  remove_pis=True, huge_tree=True)
    return lxml.html.document_fromstring(_XML_DECLARATION.sub("", text), parser=parser)


def _norm(text: str | None) -> str:
    return re.sub(r"\W+", " ", (text or "").casefold()).strip()


def _skipped(node) -> bool:
    """Comments, processing instructions, scripts, styles and page controls: only their tail is text."""
    return not isinstance(node.tag, str) or node.tag.lower() in _SKIP_TAGS


def _text_of(el) -> str:
    """Visible text of an element, skipping script/style and friends; block children and <br> separate words."""
    parts: list[str] = []

    def walk(node):
        if _skipped(node):
            if node.tail:
                parts.append(node.tail)
            return
        tag = node.tag.lower()
        block = tag in _BLOCK_TAGS or tag == "br"
        if block:
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append(" ")
        if node.tail:
            parts.append(node.tail)

    if el.text and isinstance(el.tag, str):
        parts.append(el.text)
    for child in el:
        walk(child)
    return clean_spaces(re.sub(r"\s+", " ", "".join(parts)))


def fragment_blocks(html: str) -> list[Block]:
    """Any HTML fragment (a feed entry, a JSON `html` field) as plain-text blocks, without boilerplate
    removal: block elements start a new paragraph, headings become "h2", `<br><br>` splits paragraphs."""
    if not html or not html.strip():
        return []
    if "<" not in html:  # text with entities at most (feeds escape their text this way)
        return [Block("p", t) for t in (clean_spaces(html_lib.unescape(x)) for x in re.split(r"\n\s*\n", html)) if t]
    try:
        root = lxml.html.fragment_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", html), create_parent="div")
    except (etree.ParserError, ValueError):
        return [Block("p", clean_spaces(html))] if clean_spaces(html) else []
    blocks: list[Block] = []
    current: list[str] = []
    last_br = [False]

    def flush(kind: str = "p"):
        text = clean_spaces(" ".join(current))
        current.clear()
        if text:
            blocks.append(Block(kind, text))

    def walk(node):
        if _skipped(node):
            if node.tail:
                current.append(node.tail)
            return
        tag = node.tag.lower()
        if tag == "br":
            if last_br[0]:
                flush()
            last_br[0] = True
            current.append(" ")
            if node.tail and node.tail.strip():
                last_br[0] = False
                current.append(node.tail)
            return
        last_br[0] = False
        if tag in _HEADINGS:
            flush()
            current.append(_text_of(node))
            flush("h2")
        elif tag in _BLOCK_TAGS:
            flush()
            if node.text:
                current.append(node.text)
            for child in node:
                walk(child)
            flush()
        else:
            if node.text:
                current.append(node.text)
            for child in node:
                walk(child)
        if node.tail:
            if node.tail.strip():
                last_br[0] = False
            current.append(node.tail)

    if root.text:
        current.append(root.text)
    for child in root:
        walk(child)
    flush()
    return settle_headings(blocks)


# ---------------------------------------------------------------------------------------------
# Metadata signals


def meta_values(tree) -> dict[str, list[str]]:
    """`<meta>` contents keyed by lower-cased property/name/itemprop (document order kept)."""
    found: dict[str, list[str]] = {}
    for m in tree.iter("meta"):
        content = m.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = m.get(attr)
            if key:
                found.setdefault(key.strip().lower(), []).append(clean_spaces(content))
    return found


def jsonld_objects(tree) -> list[dict]:
    """Every JSON-LD object on the page, `@graph` and nested lists flattened; bad JSON skipped."""
    out: list[dict] = []

    def collect(obj, depth=0):
        if depth > 6:
            return
        if isinstance(obj, list):
            for o in obj:
                collect(o, depth + 1)
        elif isinstance(obj, dict):
            out.append(obj)
            if "@graph" in obj:
                collect(obj["@graph"], depth + 1)
            main = obj.get("mainEntity")
            if isinstance(main, (dict, list)):
                collect(main, depth + 1)

    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        raw = re.sub(r"^\s*<!\[CDATA\[|\]\]>\s*$", "", raw)
        try:
            collect(json.loads(raw))
        except ValueError:
            try:  # trailing commas and control characters are common in hand-made JSON-LD
                collect(json.loads(re.sub(r",\s*([}\]])", r"\1", raw.replace("\n", " ")), strict=False))
            except ValueError:
                continue
    return out


def _types(obj: dict) -> list[str]:
    t = obj.get("@type", [])
    return [str(x) for x in (t if isinstance(t, list) else [t])]


def _articles(objs: list[dict]) -> list[dict]:
    """JSON-LD objects that describe the article (news/blog/article types first, then web pages)."""
    arts = [o for o in objs if any(re.search(r"article|posting|report|story|review", t, re.I) for t in _types(o))]
    pages = [o for o in objs if any(t.lower() in ("webpage", "itempage", "creativework") for t in _types(o))]
    return arts + pages


def _name_of(value) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_name_of(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) if names else None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and value.strip():
        return clean_spaces(value)
    return None


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for k in keys:
        if meta.get(k):
            return meta[k][0]
    return None


# ---------------------------------------------------------------------------------------------
# Title


def site_names(meta, ld_objs, url: str | None) -> list[str]:
    """Names the site goes by: its meta tags, the JSON-LD publisher and organisation, the domain."""
    names = [v.lstrip("@") for k in ("og:site_name", "application-name", "twitter:site",
                                     "apple-mobile-web-app-title", "publisher") for v in meta.get(k, [])]
    # A JSON-LD "site name" that repeats og:title is a page name (WebPage objects often repeat it).
    declared = {_norm(v) for k in ("og:title", "twitter:title") for v in meta.get(k, [])}
    for o in ld_objs:
        found = [_name_of(o.get("publisher"))]
        if any(t.lower() in ("organization", "newsmediaorganization", "website") for t in _types(o)):
            found.append(_name_of(o))
        names += [n for n in found if n and _norm(n) not in declared]
    host = urlparse(url).hostname if url else None
    if host:
        names.append(re.sub(r"^www\d?\.", "", host))
        names.append(re.sub(r"^www\d?\.", "", host).split(".")[0])
    return [n for n in dict.fromkeys(clean_spaces(n) for n in names) if n and len(n.split()) <= 6]


def _site_like(segment: str, sites: list[str]) -> bool:
    s = _norm(segment)
    if not s:
        return True
    squash = s.replace(" ", "")
    for site in sites:
        n = _norm(site)
        if not n:
            continue
        nsq = n.replace(" ", "")
        if s == n or squash == nsq or (len(nsq) >= 4 and (nsq in squash or squash in nsq) and len(s.split()) <= 5):
            return True
    return False


def strip_site(title: str, sites: list[str]) -> str:
    """'Headline | Site' / 'Site - Headline' -> 'Headline' when a segment is a known site name."""
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    seps = _SEPARATORS.findall(title)
    # Drop site-like segments from both ends, keep the inner text with its own separators.
    start, end = 0, len(parts)
    while end - start > 1 and _site_like(parts[end - 1], sites):
        end -= 1
    while end - start > 1 and _site_like(parts[start], sites):
        start += 1
    if (start, end) == (0, len(parts)):
        return title
    out = parts[start]
    for i in range(start + 1, end):
        out += seps[i - 1] + parts[i]
    return out.strip()


# Readability.js's separators in <title>: any of them splits off a site name; the "hierarchical" ones
# (\\ / > ») mark a breadcrumb.
_DOC_SEP = re.compile(r" [|\-\\/>»] ")
_DOC_HIER_SEP = re.compile(r" [\\/>»] ")
_DECLARED_META = ("dc:title", "dcterm:title", "og:title", "weibo:article:title", "weibo:webpage:title",
                  "title", "twitter:title", "parsely-title")
_ARTICLE_TYPE = re.compile(r"article|posting|report|story|review|apireference", re.I)


def _clean_title(text: str | None) -> str:
    if not text or not isinstance(text, str):
        return ""
    return clean_spaces(re.sub(r"\s+", " ", html_lib.unescape(text))).strip(" \u00b6#")


def _similarity(a: str, b: str) -> float:
    """Readability.js's text similarity: the share of b's token text that a also has."""
    ta = [t for t in re.split(r"\W+", a.lower()) if t]
    tb = [t for t in re.split(r"\W+", b.lower()) if t]
    if not ta or not tb:
        return 0.0
    uniq_b = [t for t in tb if t not in ta]
    return 1 - len(" ".join(uniq_b)) / len(" ".join(tb))


def _words(text: str) -> int:
    return len(text.split())


def document_title(tree) -> str:
    """The headline read out of <title> the way Readability.js reads it: a trailing site segment
    ("Headline | Site") or a leading one ("Site: Headline") comes off unless that leaves too little;
    a title too short or too long to be a headline yields to the page's only <h1>."""
    t = tree.find(".//title")
    orig = _clean_title(t.text_content()) if t is not None else ""
    h1s = [x for x in (_clean_title(_text_of(h)) for h in tree.iter("h1")) if x]
    cur, hierarchical = orig, False
    if _DOC_SEP.search(cur):
        hierarchical = bool(_DOC_HIER_SEP.search(cur))
        cur = orig[:list(_DOC_SEP.finditer(orig))[-1].start()]
        if _words(cur) < 3:
            cur = re.sub(r"^[^|\-\\/>»]*[|\-\\/>»]", "", orig)
    elif ": " in cur:
        headings = set(h1s) | {_clean_title(_text_of(h)) for h in tree.iter("h2")}
        if cur not in headings:
            cur = orig[orig.rfind(":") + 1:]
            if _words(cur) < 3:
                cur = orig[orig.find(":") + 1:]
            elif _words(orig[:orig.find(":")]) > 5:
                cur = orig
    elif (len(cur) > 150 or len(cur) < 15) and len(h1s) == 1:
        cur = h1s[0]
        if len(orig) < 15 and _words(orig) <= 2:
            return cur  # "Home", "Document": the page's only heading says more (unlike Readability.js)
    cur = clean_spaces(cur)
    n = _words(cur)
    if n <= 4 and (not hierarchical or n != _words(re.sub(r"[|\-\\/>»]+", "", orig)) - 1):
        cur = orig
    return cur or (h1s[0] if h1s else "")


def declared_titles(meta, ld_objs, doc_title: str) -> list[str]:
    """Titles the page declares for itself, most authoritative first (Readability.js's order): the
    article's JSON-LD name (its headline when only that matches <title>), then Dublin Core, Open
    Graph, plain and Twitter meta tags."""
    out = []
    for o in ld_objs:
        if any(_ARTICLE_TYPE.search(t) for t in _types(o)):
            name, headline = _clean_title(o.get("name")), _clean_title(o.get("headline"))
            if name and headline and _similarity(headline, doc_title) > 0.75 >= _similarity(name, doc_title):
                name = headline
            out.append(name or headline)
            break
    tags = [_clean_title(meta[key][0]) for key in _DECLARED_META if meta.get(key)]
    if out and _similarity(out[0], doc_title) == 0 and any(_similarity(t, doc_title) > 0.75 for t in tags):
        out = []  # a JSON-LD name sharing no word with a page whose other titles agree: a CMS label ("escenic")
    return [t for t in out + tags if 0 < len(t) <= 400]


def choose_title(tree, meta, ld_objs, sites: list[str]) -> str | None:
    """The publisher's declared title (unless it is only the site's name), else the headline in
    <title>; a known site name comes off either end ("Headline | Site")."""
    doc = document_title(tree)
    declared = [t for t in declared_titles(meta, ld_objs, doc) if not _site_like(t, sites)]
    chosen = declared[0] if declared else doc
    return strip_site(chosen, sites) if chosen else None


# ---------------------------------------------------------------------------------------------
# Date

_PUB_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "article.published",
    "datepublished", "published_time", "article:published", "pubdate", "publishdate", "publish-date",
    "publish_date", "publication_date", "published-date", "published_date", "sailthru.date",
    "parsely-pub-date", "cxenseparse:recs:publishtime", "dc.date.issued", "dcterms.issued",
    "dc.date.created", "dcterms.created", "citation_publication_date", "citation_date",
    "originalpublicationdate", "og:pubdate", "date.available", "article_date_original",
    "bt:pubdate", "rnews:datepublished", "ga-pubdate", "pub_date", "datecreated", "article.created",
)
# Generic date tags: often the last change rather than the publication; they count for less.
_GENERIC_META = ("dc.date", "dcterms.date", "date", "displaydate", "created", "creation_date")


_UPDATE_LABEL = re.compile(r"updat|modif|aktualisiert|mis à jour|actualiz|bijgewerkt|edited|geändert", re.I)


def date_signals(tree, meta, ld_objs, urls: Iterable[str | None]) -> list[tuple[str, date, str]]:
    """Every publication-date signal the page carries as (source, day, kind), strongest first;
    kind is "utc" for a UTC time stamp (its local day may differ by one), else "local"."""
    sig: list[tuple[str, date, str]] = []
    for o in _articles(ld_objs):
        for key in ("datePublished", "dateCreated"):
            d, kind = parse_timestamp(o.get(key)) if isinstance(o.get(key), str) else (None, "")
            if d:
                sig.append(("jsonld", d, kind))
                break
    for source, keys in (("meta", _PUB_META), ("generic", _GENERIC_META)):
        for key in keys:
            for v in meta.get(key, [])[:1]:
                d, kind = parse_timestamp(v)
                if d:
                    sig.append((source, d, kind))
    for el in tree.xpath('//*[@itemprop="datePublished" or @itemprop="dateCreated"]'):
        d, kind = parse_timestamp(el.get("datetime") or el.get("content") or el.text_content())
        if d:
            sig.append(("itemprop", d, kind))
            break
    for el in tree.xpath("//time[@pubdate or contains(translate(@class,'PUBLISHED','published'),'publish')]"
                         " | //*[contains(translate(@class,'PUBLISHED','published'),'publish')]/time"):
        d, kind = parse_timestamp(el.get("datetime") or el.text_content())
        if d:
            sig.append(("time", d, kind))
            break
    if not any(src == "time" for src, _, _ in sig):
        # Otherwise the first machine-readable <time> inside the article itself.
        for el in tree.xpath("//article//time[@datetime] | //main//time[@datetime]")[:3]:
            parent = el.getparent()
            label = (parent.text or "") if parent is not None else ""
            if _UPDATE_LABEL.search(label + " " + (el.get("class") or "")):
                continue  # "Updated 19 March": the last change, not the publication
            d, kind = parse_timestamp(el.get("datetime"))
            if d:
                sig.append(("time", d, kind))
                break
    for u in urls:
        d = date_from_url(u)
        if d:
            sig.append(("url", d, "local"))
            break
    return sig


_MOD_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "dc.date.modified",
              "last-modified", "lastmod", "modified", "article.updated", "dateupdated")


def modified_dates(meta, ld_objs) -> list[date]:
    """Days the page's metadata gives as its last change (JSON-LD `dateModified`, modified-time meta tags)."""
    out = []
    for o in _articles(ld_objs):
        if isinstance(o.get("dateModified"), str):
            d, _ = parse_timestamp(o["dateModified"])
            if d:
                out.append(d)
    for key in _MOD_META:
        for v in meta.get(key, [])[:1]:
            d, _ = parse_timestamp(v)
            if d:
                out.append(d)
    return out


def shown_date(shown: list[tuple[date, bool]], signals: list[tuple[str, date, str]], modified: list[date],
               htmldate_day: date | None = None) -> date | None:
    """The day the page shows readers under its headline, when its own metadata confirms it.

    A printed dateline not labelled as an update ("Updated…", "Aktualisiert…") is the date the publisher
    presents the article with; it wins over the metadata vote when some metadata (publication or
    modification stamp, htmldate's find; a UTC stamp also for the day either side) names the same
    day, which rules out the date of a teaser or comment printed nearby. Several such datelines: the
    earliest. When the only datelines printed are updates and the modification stamp names one, the
    page presents itself by that update: the latest such day. A day in the URL keeps priority.
    """
    if any(s == "url" for s, _, _ in signals):
        return None
    known = {d for _, d, _ in signals} | set(modified)
    known |= {d + timedelta(days=k) for _, d, kind in signals if kind == "utc" for k in (-1, 1)}
    if htmldate_day is not None:
        known.add(htmldate_day)
    confirmed = [d for d, updated in shown if not updated and d in known]
    if confirmed:
        return min(confirmed)
    updates = [d for d, updated in shown if updated and d in modified]
    return max(updates) if updates else None


_EXPLICIT = ("jsonld", "meta", "itemprop", "time")  # signals that name the publication explicitly
_DATE_PRIORITY = ("jsonld", "meta", "htmldate", "itemprop", "time", "generic")


def choose_date(signals: list[tuple[str, date, str]], htmldate_day: date | None = None) -> date | None:
    """Combine the signals into one day, or None when the page says nothing.

    1. A full day in the URL wins: it is fixed when the page is created, later edits do not move it.
    2. A UTC stamp one day off a local-day signal is the same moment seen from Greenwich: dropped.
    3. One vote per kind of source (JSON-LD, publication meta tags, htmldate's own search, itemprop,
       <time>, generic date meta tags);
       the day with most votes wins, ties go to the stronger source in that order.
    4. Generic date tags vote only when no explicit publication signal (JSON-LD, publication meta,
       itemprop, <time>) exists; htmldate's day does not vote when it merely repeats a generic tag.
    """
    for s, d, _ in signals:
        if s == "url":
            return d
    local = {d for _, d, k in signals if k == "local"}
    kept = [(s, d) for s, d, k in signals if not (k == "utc" and any(abs((d - x).days) == 1 for x in local))]
    explicit = {d for s, d in kept if s in _EXPLICIT}
    if explicit:
        # Generic date tags (often the last change) do not vote against explicit publication signals,
        # nor does htmldate when it only repeats such a generic tag.
        generic = {d for s, d in kept if s == "generic"}
        kept = [(s, d) for s, d in kept if s != "generic"]
        if htmldate_day in generic and htmldate_day not in explicit:
            htmldate_day = None
    first: dict[str, date] = {}
    for s, d in kept:
        first.setdefault(s, d)
    if htmldate_day is not None:
        first["htmldate"] = htmldate_day
    if not first:
        return None
    votes = Counter(first.values())
    best = max(votes.values())
    for s in _DATE_PRIORITY:
        if s in first and votes[first[s]] == best:
            return first[s]
    return None


def page_date(signals: list[tuple[str, date, str]], shown: list[tuple[date, bool]], modified: list[date],
              htmldate_day: date | None) -> date | None:
    """The page's day from all its evidence: metadata signals, datelines printed under the headline
    (with their "updated" flag), modification stamps and htmldate's find."""
    # The dateline printed under the headline, when the page's metadata confirms it.
    found = shown_date(shown, signals, modified, htmldate_day)
    if found is None and not signals and shown:
        # No metadata at all: the first dateline is the best evidence left.
        found = shown[0][0]
    if found is None and signals and not any(s in _EXPLICIT or s == "url" for s, _, _ in signals):
        # Only generic date tags (often the last change): a printed, unlabelled dateline wins over them.
        printed = [d for d, updated in shown if not updated]
        found = printed[0] if printed else None
    return found if found is not None else choose_date(signals, htmldate_day)


_MONTHS: dict[str, int] | None = None


def month_names() -> dict[str, int]:
    """Month name or abbreviation (lower case) -> month number, from generator/data/month_names.json."""
    global _MONTHS
    if _MONTHS is None:
        path = Path(__file__).resolve().parent.parent / "data" / "month_names.json"
        table = json.loads(path.read_text(encoding="utf-8"))
        _MONTHS = {}
        for lang, names in table.items():
            if lang.startswith("_"):
                continue
            for i, name in enumerate(names, 1):
                _MONTHS.setdefault(name, i)
    return _MONTHS


_DATE_RES: list[tuple[str, re.Pattern]] | None = None


def _date_res() -> list[tuple[str, re.Pattern]]:
    global _DATE_RES
    if _DATE_RES is None:
        months = "|".join(sorted((re.escape(m) for m in month_names()), key=len, reverse=True))
        year = r"((?:19|20)\d\d)(?!\d)"
        _DATE_RES = [
            ("dmy_name", re.compile(r"(?<!\d)(\d{1,2})(?:\.|º|er|st|nd|rd|th)?\s*(?:de\s+)?(?<!\w)(" + months
                                    + r")(?!\w)\.?,?\s*(?:de\s+|del\s+)?" + year, re.I)),
            ("mdy_name", re.compile(r"(?<!\w)(" + months + r")(?!\w)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+" + year, re.I)),
            ("ymd", re.compile(r"(?<!\d)((?:19|20)\d\d)([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")),
            ("dmy_dot", re.compile(r"(?<!\d)(\d{1,2})\.\s?(\d{1,2})\.\s?" + year)),
            ("slash", re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/" + year)),
            ("cjk", re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")),
        ]
    return _DATE_RES


def _make_day(y: int, m: int, d: int) -> date | None:
    try:
        day = date(y, m, d)
    except ValueError:
        return None
    return day if date(1950, 1, 1) <= day <= date.today() else None


def dates_in_text(text: str) -> list[tuple[int, date]]:
    """Calendar days written in a text as (position, day), in reading order. Numeric, month-name (in the
    languages of generator/data/month_names.json) and CJK forms; a slash date whose day and month could
    be swapped (03/04/2024) is ambiguous and skipped."""
    months = month_names()
    found: list[tuple[int, date]] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _date_res():
        for m in rx.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            g = m.groups()
            if kind == "dmy_name":
                d = _make_day(int(g[2]), months[g[1].lower()], int(g[0]))
            elif kind == "mdy_name":
                d = _make_day(int(g[2]), months[g[0].lower()], int(g[1]))
            elif kind == "ymd":
                d = _make_day(int(g[0]), int(g[2]), int(g[3]))
            elif kind == "dmy_dot":
                d = _make_day(int(g[2]), int(g[1]), int(g[0]))
            elif kind == "slash":
                a, b = int(g[0]), int(g[1])
                if a > 12 >= b:
                    d = _make_day(int(g[2]), b, a)
                elif b > 12 >= a:
                    d = _make_day(int(g[2]), a, b)
                else:
                    d = _make_day(int(g[2]), a, b) if a == b else None
            else:
                d = _make_day(int(g[0]), int(g[1]), int(g[2]))
            if d:
                found.append((m.start(), d))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda x: x[0])


def _headline_element(tree, title: str | None = None):
    """The page's headline element: the <h1> whose text is the chosen title, else the first
    non-empty <h1>."""
    first = None
    want = _norm(title) if title else ""
    for h in tree.iter("h1"):
        text = _norm(_text_of(h))
        if not text:
            continue
        if first is None:
            first = h
        if want and (text == want or text.startswith(want)):
            return h
    return first


_NO_TEXT = {"script", "style", "noscript", "template", "svg"}


def _texts_from(el) -> Iterator[str]:
    """Text of an element and its descendants in document order (scripts and styles skipped), then
    its tail."""
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag not in _NO_TEXT and isinstance(el.tag, str):
        if el.text:
            yield el.text
        for child in el:
            yield from _texts_from(child)
    if el.tail:
        yield el.tail


def _headline_block_text(tree, span: int, title: str | None = None) -> str:
    """Up to `span` characters of visible text from the first <h1> on: its own text, then what
    follows it in document order. Walks lazily, so a huge page costs no more than a small one."""
    h1 = _headline_element(tree, title)
    if h1 is None:
        return ""

    def following(el):
        yield from _texts_from(el)
        node = el
        while node is not None:
            for sib in node.itersiblings():
                yield from _texts_from(sib)
            node = node.getparent()
            if node is not None and node.tail:
                yield node.tail

    near = ""
    # The headline's own text first (descendants), then the text after it; its tail belongs to "after".
    for t in following(h1):
        t = t.strip()
        if t:
            near += " " + t
            if len(near) > span:
                break
    return near[:span]


def datelines(tree, span: int = 400, title: str | None = None) -> list[tuple[date, bool]]:
    """Dates printed in the headline block or just after it, in reading order, each with whether it
    is labelled as a change ("Updated", "Aktualisiert", "Mis à jour"… just before it)."""
    near = _headline_block_text(tree, span, title)
    if title and not dates_in_text(near):
        near = _headline_block_text(tree, span)  # the title's <h1> shows no date: try the first <h1>
    return [(d, bool(_UPDATE_LABEL.search(near[max(0, pos - 30):pos]))) for pos, d in dates_in_text(near)]


def dateline_near_headline(tree, span: int = 400) -> date | None:
    """The first date printed in the headline block or just after it (the visible dateline), if any:
    the text of the first non-empty <h1> after its own words, then the text that follows it, up to
    `span` characters (scripts and styles skipped)."""
    found = datelines(tree, span)
    return found[0][0] if found else None


_LEAN_ABOVE = 2_000_000  # characters


def lean_copy(tree):
    """A copy of the page without what holds no date a reader sees and costs time to scan: scripts
    (except JSON-LD), styles, comments, inline SVG, templates. htmldate on a 10 MB page spends most of
    its time there."""
    from copy import deepcopy

    lean = deepcopy(tree)
    etree.strip_elements(lean, etree.Comment, "style", "noscript", "template", "svg", with_tail=False)
    for script in list(lean.iter("script")):
        if (script.get("type") or "").strip().lower() != "application/ld+json" and script.getparent() is not None:
            script.drop_tree()
    return lean


def htmldate_fallback(tree_or_html, url: str | None) -> date | None:
    """htmldate's extensive search for the original publication date (one voter among the signals)."""
    try:
        from htmldate import find_date

        found = find_date(tree_or_html, extensive_search=True, original_date=True, url=url)
    except Exception:  # htmldate is a best-effort fallback; a crash there must not lose the page
        return None
    return parse_date(found) if found else None


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


_SENTENCE_END = re.compile(r"""[.!?…]["'”’»)\]]*$""")
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


def settle_headings(blocks: list[Block]) -> list[Block]:
    """Headings with nothing under them at the end of a body are page furniture ("Related", "Share"):
    dropped. A body that is nothing but headings (a gallery's captions) keeps them, as paragraphs:
    its text is all the page has; so does a "heading" that is a long sentence."""
    if blocks and all(b.kind == "h2" for b in blocks):
        return [Block("p", b.text) for b in blocks]
    while blocks and blocks[-1].kind == "h2":
        blocks.pop()
    # A "heading" that is a long sentence is a standfirst or a quote set large: a paragraph.
    return [Block("p", b.text) if b.kind == "h2" and _words(b.text) >= 12 and _SENTENCE_END.search(b.text)
            else b for b in blocks]


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


def _canonical(tree, meta, base: str | None) -> str | None:
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href:
            return urljoin(base or "", href) if base else href
    og = _first(meta, "og:url", "twitter:url")
    if og and re.match(r"https?://", og):
        return og
    return None


def _author(meta, ld_objs) -> str | None:
    for o in _articles(ld_objs):
        n = _name_of(o.get("author"))
        if n and not re.match(r"https?://", n):
            return n
    for key in ("author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author"):
        v = _first(meta, key)
        if v and not re.match(r"https?://", v):
            return re.sub(r"^by\s+", "", v, flags=re.I)
    return None


def _description(meta, ld_objs) -> str | None:
    d = _first(meta, "og:description", "description", "twitter:description")
    if not d:
        for o in _articles(ld_objs):
            if isinstance(o.get("description"), str):
                d = clean_spaces(o["description"])
                break
    if not d or len(d.split()) < 5 or d.endswith(("...", "…")) and len(d) < 60:
        return None
    return d


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
    source = _first(meta, "og:site_name") or source or _first(meta, "application-name")
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
