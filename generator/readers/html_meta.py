"""What an HTML page declares about itself: `<meta>` tags, JSON-LD objects, the site's names, the
title (declared, else read out of `<title>`), canonical URL, author and description."""
from __future__ import annotations

import html as html_lib
import json
import re
from urllib.parse import urljoin, urlparse

from ..textutil import clean_spaces
from .html_tree import _SEPARATORS, _norm, _text_of, _words

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
    try:
        host = urlparse(url).hostname if url else None
    except ValueError:  # 'http://[::1/c' (Invalid IPv6 URL) rejected the whole page
        host = None
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


# What parts a site's name from the headline at the end of <title>: a bar, a dash, a dot, "::"; not
# ":" (a dateline, "Syria: ...") or a breadcrumb's "/" and "»".
_SUFFIX_SEP = re.compile(r" (?:\||-|–|—|·|•|::) ")
# A last segment that numbers the page, not a name: "Part 2", "Page 3", "Updated", "2024".
_NOT_A_NAME = re.compile(r"^(?:part|page|pt|episode|chapter|vol|no|updated?|live|video|photos?)\b|^[\d\W]+$", re.I)


def title_site(tree, headline: str | None) -> str | None:
    """The site's name out of a <title> of "Headline | Site Name": the segment after the last
    separator, when all before it is the headline the page was given (the title reader already
    judged that segment not to be part of it) and it is short, like a name. Why: a page that names
    its site nowhere else (no og:site_name, no JSON-LD publisher) had no source at all."""
    t = tree.find(".//title")
    orig = _clean_title(t.text_content()) if t is not None else ""
    seps = list(_SUFFIX_SEP.finditer(orig))
    if not seps or not headline:
        return None
    head, name = orig[:seps[-1].start()].strip(), orig[seps[-1].end():].strip()
    if _norm(head) != _norm(headline) or _norm(name) in _norm(headline):
        return None
    if not 0 < len(name.split()) <= 5 or len(name) > 40 or _NOT_A_NAME.search(name) or name[-1] in ".?!,;:":
        return None
    return name


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



def _canonical(tree, meta, base: str | None) -> str | None:
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href:
            try:
                return urljoin(base or "", href) if base else href
            except ValueError:  # a base or href Python cannot split: no canonical URL
                return None
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
