"""The archive's indices, derived from article front matter only (no re-extraction at build time)."""
from __future__ import annotations

import hashlib
import html
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..enrich.places import default_gazetteer
from ..enrich.tags import default_vocabulary
from ..model import FIELD_LIMITS, MAX_LIST_ENTRIES, Place, safe_url
from ..textutil import composed, mixed_scripts, page_text, slugify
from ..writers.markdown import parse_page, split_page
from ..writers.pagefile import repeated_keys

UNPLACED = "Unplaced"


@dataclass
class Record:
    """One article page as the indices see it."""

    src_uri: str
    title: str
    date: date | None
    summary: str | None
    source: str | None
    url: str | None
    tags: list[str]
    places: list[Place]
    # The page as read once at build start: MkDocs is handed the body, so it does not parse the
    # front matter a second time (with the pure-Python YAML loader, a tenth of a large build).
    meta: dict = field(default_factory=dict, repr=False)
    body: str | None = field(default=None, repr=False)
    author: str | None = None
    digest: str = field(default="", repr=False)  # of the page file's text (the build cache's key)
    problems: list[str] = field(default_factory=list, repr=False)  # hand-edit mistakes, one line each
    # What the build derives from this record alone (its listing fingerprint, its map's view), kept
    # with it in the build cache: a cached record's are not computed again (about 2 s a rebuild at
    # 10,000 articles, profiled). Set by the plugin; the cache's key covers the code that made them.
    derived: dict = field(default_factory=dict, repr=False, compare=False)


@dataclass
class LocationNode:
    name: str
    kind: str  # country / world region / sea / unplaced (top nodes), region, place
    slug: str
    place: Place | None = None
    children: dict[str, "LocationNode"] = field(default_factory=dict)
    articles: list[Record] = field(default_factory=list)  # articles naming this node or anything under it


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE_TEXT.match(value.strip()) if isinstance(value, str) else None
    if m and int(m.group(1) or 0) < 24 and int(m.group(2) or 0) < 60 and int(m.group(3) or 0) < 61:
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


# A date, or a date and a time: `2024-05-012` (a key pressed twice) had been read as 1 May 2024, and
# `2024-05-01 25:61` (YAML leaves a time that is no time as text) as that day.
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?\Z")


def _strings(value) -> list[str]:
    if isinstance(value, str):
        value = [value]
    return [str(v).strip() for v in value or [] if str(v).strip()]


# ---- Front matter as the site reads it: declared fields, typed, bounded --------------------------
# A page is a hand-editable file: a field with the wrong type or an unsafe value is ignored (the
# page is still built) and named in one warning line "<file>: <key>: <what is wrong> (ignored)",
# which fails the strict build. Only these fields reach the site; page.meta gets TEMPLATE_FIELDS.
TEXT_FIELDS = ("title", "summary", "source", "author", "url")
LIST_FIELDS = {"tags": "tag", "locations": "place"}
TEMPLATE_FIELDS = ("title", "description", "author")
# Characters XML 1.0 forbids (a YAML escape such as "\x01" types them): one made feed.xml unreadable.
# And direction overrides and isolates: one left open in a title reversed the rest of its listing line
# (date, source) and could disguise what a link says; ingest drops both kinds (textutil.clean_spaces).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _text(value, key: str, problems: list[str]) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        problems.append(f"{key}: {_shown(value)} is a {type(value).__name__}, not text")
        return None
    text = composed(str(value).strip()).strip()  # "Zürich" as u + U+0308, "Aleppo\u200b": the names typed
    if _CONTROLS.search(text):
        problems.append(f"{key}: {_shown(value)} holds a control character no page or feed may show")
        return None
    if key not in TEXT_FIELDS and (mix := mixed_scripts(text)):  # a tag or place name: a page of its own
        problems.append(f"{key}: {_shown(value)} mixes {mix[0]} and {mix[1]} letters in one word "
                        "(a look-alike of another name, with a page of its own)")
        return None
    limit = FIELD_LIMITS.get(key.split("[")[0].split(".")[-1], FIELD_LIMITS["place"])
    if len(text) > limit:
        problems.append(f"{key}: {len(text):,} characters (limit {limit:,})")
        return None
    return text or None


def _number(value, key: str, low: float, high: float, problems: list[str]) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        problems.append(f"{key}: {_shown(value)} is not a number from {low:g} to {high:g}")
        return None
    return float(value)


def _place(d, i: int, problems: list[str]) -> Place | None:
    key = f"places[{i}]"
    if not isinstance(d, dict):
        problems.append(f"{key}: {_shown(d)} is not a mapping with a name")
        return None
    name = _text(d.get("name"), f"{key}.name", problems)
    if not name:
        return None
    country = _text(d.get("country"), f"{key}.country", problems) or name
    kind = _text(d.get("kind"), f"{key}.kind", problems) or "place"
    lat = lon = None
    if d.get("lat") is not None or d.get("lon") is not None:
        lat = _number(d.get("lat"), f"{key}.lat", -90, 90, problems)
        lon = _number(d.get("lon"), f"{key}.lon", -180, 180, problems)
        if lat is None or lon is None:
            lat = lon = None
    gid = d.get("geonameid")
    return Place(name=name, country=country, region=_text(d.get("region"), f"{key}.region", problems),
                 kind=kind, lat=lat, lon=lon, geonameid=gid if isinstance(gid, int) and not isinstance(gid, bool) else None,
                 approximate=d.get("approximate") is True)


def checked_meta(meta: dict) -> tuple[dict, list[Place], list[str]]:
    """(declared fields with valid values, the typed `places`, one problem line per ignored value)."""
    problems: list[str] = []
    out: dict = {}
    for key in TEXT_FIELDS:
        value = _text(meta.get(key), key, problems)
        if key == "url" and value is not None and safe_url(value) is None:
            problems.append(f"url: {_shown(value)} is not an http(s) address")
            value = None
        out[key] = value
    if isinstance(meta.get("title", 0), (str, type(None))) and not composed(str(meta["title"] or "")).strip(): problems.append("title: empty, so the page would show its file name as its title")
    raw_date = meta.get("date")
    out["date"] = _as_date(raw_date)
    if raw_date not in (None, "") and out["date"] is None:
        problems.append(f"date: {_shown(raw_date)} is not a date (YYYY-MM-DD)")
    for key, kind in LIST_FIELDS.items():
        value = meta.get(key)
        if value in (None, "", []):
            out[key] = []
            continue
        if not isinstance(value, list):
            value = [value]
        if len(value) > MAX_LIST_ENTRIES:
            problems.append(f"{key}: {len(value):,} entries (limit {MAX_LIST_ENTRIES:,})")
            out[key] = []
            continue
        out[key] = [t for t in (_text(v, f"{key}[{i}]", problems) for i, v in enumerate(value)) if t]
    raw_places = meta.get("places")
    if raw_places not in (None, "", []) and not isinstance(raw_places, list):
        problems.append(f"places: {_shown(raw_places)} is not a list")
        raw_places = []
    if raw_places and len(raw_places) > MAX_LIST_ENTRIES:
        problems.append(f"places: {len(raw_places):,} entries (limit {MAX_LIST_ENTRIES:,})")
        raw_places = []
    places = [p for p in (_place(d, i, problems) for i, d in enumerate(raw_places or [])) if p]
    return out, places, problems


def _yaml_problem(exc: yaml.YAMLError, text: str) -> str:
    """One line for a front matter YAML cannot read, naming the key on the line it fails at."""
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    what = ", ".join(x for x in (getattr(exc, "context", None), getattr(exc, "problem", None)) if x)
    what = what or str(exc).splitlines()[0]
    if mark is None:
        return f"front matter is not valid YAML: {what}"
    # The YAML text starts right after the opening '---', so its line n is the file's line n + 1.
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    key = line.split(":", 1)[0].strip() if ":" in line else ""
    where = f"key {key!r} (line {mark.line + 1})" if key else f"line {mark.line + 1}"
    return f"front matter is not valid YAML at {where}: {what}"


def page_parts(text: str) -> tuple[dict, str | None, str | None]:
    """(front matter, body, problem): parsed as the writer parses them (libyaml when available).
    A front matter that cannot be read gives {} and the body after it, with the problem in one line."""
    try:
        meta, body = parse_page(text)
        repeated = repeated_keys(text)
        return meta, body, (f"{', '.join(repeated)}: set twice in the front matter, so the first value"
                            if repeated else None)
    except yaml.YAMLError as exc:
        return {}, split_page(text)[1], _yaml_problem(exc, text)  # closed (parse_page got to the YAML)
    except ValueError as exc:
        return {}, None, str(exc)  # unclosed or not a mapping: MkDocs reads the file as it is


def read_page_text(path: Path) -> tuple[str, str, str | None]:
    """(the page's text, its digest, a problem with its bytes or None): what the build cache keys
    an article page on. A page not saved as UTF-8 is read all the same (textutil.page_text), and
    its problem is part of the digest, so the same text saved again as UTF-8 is a change."""
    text, problem = page_text(path.read_bytes())
    keyed = text if problem is None else f"{text}\0{problem}"
    return text, hashlib.sha256(keyed.encode("utf-8", errors="surrogatepass")).hexdigest(), problem


def load_record(path: Path, src_uri: str) -> Record:
    """An article page as the site sees it (record_from_text)."""
    return record_from_text(*read_page_text(path), src_uri=src_uri)


def record_from_text(text: str, digest: str, encoding: str | None = None, *, src_uri: str) -> Record:
    """An article page as the site sees it. Never raises on what an editor may type: every value
    that is ignored is listed in `problems` (the plugin logs each as one warning line); `encoding`,
    a problem with the file's bytes (read_page_text), leads them."""
    meta, body, problem = page_parts(text)
    fields, detailed_places, problems = checked_meta(meta)
    problems = [f"{src_uri}: {p} (ignored)" for p in ([problem] if problem else []) + problems]
    if encoding:
        problems.insert(0, f"{src_uri}: {encoding}")
    detailed = {p.name: p for p in detailed_places}
    places = []
    for name in fields["locations"]:
        # The `locations` list is what editors edit; `places` carries the hierarchy we resolved.
        # Only a name typed by hand (absent from `places`) needs the gazetteer.
        place = detailed.get(name) or default_gazetteer().lookup(name) or Place(name=name, country=UNPLACED)
        places.append(place if place.name == name else Place(**{**place.__dict__, "name": name}))
    return Record(
        src_uri=src_uri,
        title=fields["title"] or Path(src_uri).stem,
        date=fields["date"],
        summary=fields["summary"],
        source=fields["source"],
        url=fields["url"],
        tags=list(dict.fromkeys(default_vocabulary().canonical(t) for t in fields["tags"])),
        places=places,
        author=fields["author"],
        meta=meta,
        body=body,
        problems=problems,
        digest=digest,
        derived={"page_id": str(meta["id"])} if isinstance(meta.get("id"), (str, int)) and meta.get("id") != "" else {},
    )


def shared_ids(records: list[Record]) -> list[str]:
    """One line per page whose `id` an earlier page (in path order) has too: a page copied to make
    a new one, id kept. The ingest finds an article's page by its id, so a re-ingest updated only
    one of the two (the copy, when it sorts first) and the other stayed published, stale."""
    first: dict[str, str] = {}
    out = []
    for r in sorted(records, key=lambda r: r.src_uri):
        aid = r.derived.get("page_id")
        if not aid:
            continue
        if aid in first:
            out.append(f"{first[aid]}: its id {aid} is also the id of {r.src_uri}: one article on two pages "
                       f"(delete the copy, or remove the copy's id line to keep it as a page of its own)")
        else:
            first[aid] = r.src_uri
    return out


FUTURE_SLACK = timedelta(days=1)  # a page dated tomorrow somewhere east of the build machine is fine


def build_day() -> date:
    """The day a build runs: SOURCE_DATE_EPOCH's when set (a reproducible build of an old commit
    judges its dates by that day), else today in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return datetime.now(timezone.utc).date()


def implausible_dates(records: list[Record], today: date, earliest: date) -> list[str]:
    """One line per page dated after `today` (one day's slack) or before `earliest`: a typo (2062
    for 2026) sorts the article above every other on the home page, its listings and the feeds,
    where it stays for years; `0001-01-01` or `0202-05-01` made a year-1 or year-202 archive page,
    without a word. The page keeps the date typed (the build never rewrites an editor's value)."""
    out = []
    for r in sorted(records, key=lambda r: r.src_uri):
        if r.date is not None and r.date > today + FUTURE_SLACK:
            out.append(f"{r.src_uri}: date: {r.date.isoformat()} is after the day of the build "
                       f"({today.isoformat()}): a typo? It is listed first everywhere until then")
        elif r.date is not None and r.date < earliest:
            out.append(f"{r.src_uri}: date: {r.date.isoformat()} is before {earliest.isoformat()}, the earliest "
                       "date an article of this archive may have: a typo? (earliest_date lowers it)")
    return out


def template_meta(record: Record) -> dict:
    """What the theme's templates may print from an article page (TEMPLATE_FIELDS), escaped for
    an HTML attribute, the strictest place any of them lands (`<meta name="author" content=...>`)."""
    values = {"title": record.title, "description": record.summary, "author": record.author}
    return {k: html.escape(v, quote=True) for k, v in values.items() if v}


def newest_first(records: list[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r.date or date.min, r.title), reverse=True)


def tag_index(records: list[Record]) -> dict[str, list[Record]]:
    """Each tag's records, by name. Names that make one page (`Kurdish forces` and `Kurdish Forces`,
    typed by hand: the same slug) are one tag, named by its most used spelling (then the first in
    order): as two tags on one URL, one spelling's articles were on no tag page."""
    out: dict[str, list[Record]] = defaultdict(list)
    spellings: dict[str, dict[str, int]] = defaultdict(dict)
    for r in records:
        for t in dict.fromkeys(r.tags):
            slug = name_slug(t)
            found = out[slug]
            if not found or found[-1] is not r:  # both spellings on one article: listed once
                found.append(r)
            names = spellings[slug]
            names[t] = names.get(t, 0) + 1
    named = {min(spellings[slug].items(), key=lambda kv: (-kv[1], kv[0]))[0]: found for slug, found in out.items()}
    return dict(sorted(named.items(), key=lambda kv: kv[0].casefold()))


def tags_by_kind(tags: dict[str, list[Record]]) -> dict[str, list[str]]:
    vocab = default_vocabulary()
    out: dict[str, list[str]] = defaultdict(list)
    for t in tags:
        out[vocab.kind_of(t)].append(t)
    return dict(sorted(out.items()))


@lru_cache(maxsize=1 << 16)
def name_slug(text: str) -> str:
    """A tag's or place's part of a URL: slugify's, with a digest of the name when it has letters no
    ASCII spelling keeps (Arabic, Cyrillic, ß): every Arabic tag was `tags/untitled/`, one page for all.
    Names that differ only in case or punctuation still share their slug (tag_index merges them)."""
    slug = slugify(text)
    if slug == "index":  # tags/index.md is the index of all tags, which a tag named Index replaced
        return "index-" + hashlib.blake2b(b"index", digest_size=4).hexdigest()
    if len(slug) < len(slugify(text, 1 << 20)) or any(c.isalnum() and not c.isascii() for c in unicodedata.normalize("NFKD", text)):
        digest = hashlib.blake2b(text.casefold().encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
        slug = digest if slug == "untitled" else f"{slug[:71].rstrip('-')}-{digest}"
    return slug


def country_slug(country: str) -> str:
    return name_slug(country)


def region_slug(country: str, region: str) -> str:
    return name_slug(f"{country}-{region}")


def place_slug(p: Place) -> str:
    """The slug of the index node an article's place maps to (country, region or place)."""
    return _place_slug(p.name, p.country, p.region, p.kind)


_MISSING = object()


def derive(r: Record, name: str, make: Callable[[Record], Any]) -> Any:
    """`make(r)`, kept in `r.derived` (and so in the build cache with the record): a cached record's
    derived values are not computed again."""
    value = r.derived.get(name, _MISSING)
    if value is _MISSING:
        value = r.derived[name] = make(r)
    return value


def place_slugs(r: Record) -> dict[str, Place]:
    """The record's places by their index node's slug (in order of first appearance, the last place
    of each slug), computed once per record: charts and related articles asked for them over a
    million times at 10,000 articles."""
    slugs = r.__dict__.get("_slugs")
    if slugs is None:
        slugs = {}
        for p in r.places:
            slugs[place_slug(p)] = p
        r.__dict__["_slugs"] = slugs
    return slugs


@lru_cache(maxsize=65536)
def _place_slug(name: str, country: str, region: str | None, kind: str) -> str:
    """Memoised: listings, charts and related articles ask for it over a million times at 10,000 articles."""
    if name == country:  # a country, or a sea or city that is its own top node ("Red Sea", "Singapore")
        return country_slug(country)
    if kind == "region" or region == name:  # a city under its namesake region is that region's node
        return region_slug(country, name)
    return name_slug(f"{country}-{region or ''}-{name}")


# A top node named by a place of these kinds is not a country: the locations index lists it apart,
# above the countries, and the search offers it under Place, not Country.
BEYOND_COUNTRIES = {"area": "world region", "sea": "sea"}


def location_tree(records: list[Record]) -> dict[str, LocationNode]:
    """country > region > place, each node listing the articles that name it or anything inside it."""
    countries: dict[str, LocationNode] = {}
    for r in records:
        for p in r.places:
            # A node is made only when new (made for every place of every article, with its slug,
            # this was most of the tree's cost: twice a second per build at 10,000 articles).
            country = countries.get(p.country)
            if country is None:
                # names the gazetteer does not know (typed by hand) gather under a node that is no country
                kind = "unplaced" if p.country == UNPLACED else "country"
                country = countries[p.country] = LocationNode(p.country, kind, country_slug(p.country))
            chain = [country]
            if p.name == p.country:  # no "Red Sea › Red Sea"
                country.place = country.place or p
                # "Africa", "Middle East" and the seas are top nodes but no countries (issue 10)
                country.kind = BEYOND_COUNTRIES.get(p.kind, country.kind)
            else:
                region_name = p.name if p.kind == "region" else p.region
                node = country
                if region_name:
                    node = country.children.get(region_name)
                    if node is None:
                        node = country.children[region_name] = LocationNode(
                            region_name, "region", region_slug(p.country, region_name))
                    chain.append(node)
                    if p.kind == "region":
                        node.place = p
                if p.kind != "region" and p.name == region_name:  # no "Addis Ababa › Addis Ababa"
                    node.place = node.place or p
                elif p.kind != "region":
                    leaf = node.children.get(p.name)
                    if leaf is None:
                        leaf = node.children[p.name] = LocationNode(p.name, "place", place_slug(p), p)
                    chain.append(leaf)
            for n in chain:
                if not n.articles or n.articles[-1] is not r:
                    n.articles.append(r)
    return dict(sorted(countries.items(), key=lambda kv: (kv[0] == UNPLACED, kv[0].casefold())))


def walk(nodes: dict[str, LocationNode]):
    for node in nodes.values():
        yield node
        yield from walk(node.children)


def by_month(records: list[Record]) -> tuple[dict[str, list[Record]], list[Record]]:
    months: dict[str, list[Record]] = defaultdict(list)
    undated = []
    for r in newest_first(records):
        if r.date:
            months[f"{r.date.year:04d}-{r.date.month:02d}"].append(r)  # year 999: "0999", sorted
        else:
            undated.append(r)
    return dict(sorted(months.items(), reverse=True)), undated
