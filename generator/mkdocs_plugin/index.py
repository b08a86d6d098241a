"""The archive's indices, derived from article front matter only (no re-extraction at build time)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml

from ..enrich.places import default_gazetteer
from ..enrich.tags import default_vocabulary
from ..model import Place
from ..textutil import slugify
from ..writers.markdown import parse_page, places_from_meta

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


@dataclass
class LocationNode:
    name: str
    kind: str  # country / region / place
    slug: str
    place: Place | None = None
    children: dict[str, "LocationNode"] = field(default_factory=dict)
    articles: list[Record] = field(default_factory=list)  # articles naming this node or anything under it


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _strings(value) -> list[str]:
    if isinstance(value, str):
        value = [value]
    return [str(v).strip() for v in value or [] if str(v).strip()]


def read_page_parts(path: Path) -> tuple[dict, str | None]:
    """Front matter and body, parsed as the writer parses them (libyaml when available); body None
    when the front matter cannot be told apart (MkDocs then reads the file itself, as usual)."""
    try:
        return parse_page(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: front matter is not valid YAML: {str(exc).splitlines()[0]}") from exc
    except ValueError:
        return {}, None  # unclosed or not a mapping: indexed by file name, as before


def load_record(path: Path, src_uri: str) -> Record:
    meta, body = read_page_parts(path)
    detailed = {p.name: p for p in places_from_meta(meta)}
    places = []
    for name in _strings(meta.get("locations")):
        # The `locations` list is what editors edit; `places` carries the hierarchy we resolved.
        # Only a name typed by hand (absent from `places`) needs the gazetteer.
        place = detailed.get(name) or default_gazetteer().lookup(name) or Place(name=name, country=UNPLACED)
        places.append(place if place.name == name else Place(**{**place.__dict__, "name": name}))
    return Record(
        src_uri=src_uri,
        title=str(meta.get("title") or Path(src_uri).stem),
        date=_as_date(meta.get("date")),
        summary=meta.get("summary"),
        source=meta.get("source"),
        url=meta.get("url"),
        tags=_strings(meta.get("tags")),
        places=places,
        meta=meta,
        body=body,
    )


def newest_first(records: list[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r.date or date.min, r.title), reverse=True)


def tag_index(records: list[Record]) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        for t in dict.fromkeys(r.tags):
            out[t].append(r)
    return dict(sorted(out.items(), key=lambda kv: kv[0].casefold()))


def tags_by_kind(tags: dict[str, list[Record]]) -> dict[str, list[str]]:
    vocab = default_vocabulary()
    out: dict[str, list[str]] = defaultdict(list)
    for t in tags:
        out[vocab.kind_of(t)].append(t)
    return dict(sorted(out.items()))


def country_slug(country: str) -> str:
    return slugify(country)


def region_slug(country: str, region: str) -> str:
    return slugify(f"{country}-{region}")


def place_slug(p: Place) -> str:
    """The slug of the index node an article's place maps to (country, region or place)."""
    if p.kind == "country" and p.name == p.country:
        return country_slug(p.country)
    if p.kind == "region":
        return region_slug(p.country, p.name)
    return slugify(f"{p.country}-{p.region or ''}-{p.name}")


def location_tree(records: list[Record]) -> dict[str, LocationNode]:
    """country > region > place, each node listing the articles that name it or anything inside it."""
    countries: dict[str, LocationNode] = {}
    for r in records:
        for p in r.places:
            country = countries.setdefault(p.country, LocationNode(p.country, "country", country_slug(p.country)))
            chain = [country]
            if p.kind == "country" and p.name == p.country:
                country.place = p
            else:
                region_name = p.name if p.kind == "region" else p.region
                node = country
                if region_name:
                    node = country.children.setdefault(
                        region_name, LocationNode(region_name, "region", region_slug(p.country, region_name)))
                    chain.append(node)
                    if p.kind == "region":
                        node.place = p
                if p.kind != "region":
                    leaf = node.children.setdefault(
                        p.name, LocationNode(p.name, "place", place_slug(p), p))
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
            months[f"{r.date:%Y-%m}"].append(r)
        else:
            undated.append(r)
    return dict(sorted(months.items(), reverse=True)), undated
