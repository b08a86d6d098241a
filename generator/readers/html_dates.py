"""Dates of an HTML page: metadata signals, the dateline printed under the headline, htmldate's
search, and how they are combined into one day; also calendar days written in any text (the
scraped-text reader's datelines use it)."""
from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable, Iterator

from lxml import etree

from ..enrich.dates import date_from_url, parse_date, parse_timestamp
from .html_meta import _articles
from .html_tree import _norm, _text_of

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


_ANY_YEAR = re.compile(r"(?:19|20)\d\d")


def dates_in_text(text: str) -> list[tuple[int, date]]:
    """Calendar days written in a text as (position, day), in reading order. Numeric, month-name (in the
    languages of generator/data/month_names.json) and CJK forms; a slash date whose day and month could
    be swapped (03/04/2024) is ambiguous and skipped."""
    if not _ANY_YEAR.search(text):
        return []  # every form below holds a year: most lines of a page have none
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
