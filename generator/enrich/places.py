"""Places: find names in text, resolve them to gazetteer entries with a country > region > place chain.

`Gazetteer` is the interface the rest of the pipeline uses. The default is the GeoNames-backed
`generator.gazetteer.GeoNamesGazetteer` (data compiled once from PyPI packages, data/places.yml as
curated overlay); `ListGazetteer` is the first, small implementation from a curated list alone, kept
for tests and for projects that want only their own list.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import yaml

from ..model import Place
from .matcher import PhraseMatcher

DATA = Path(__file__).resolve().parent.parent / "data"


class Gazetteer(Protocol):
    def find(self, text: str, exclude: list[tuple[int, int]] = ...,
             major_only: bool = ...) -> list[tuple[int, int, Place]]:
        """Resolved place mentions as (start, end, place), skipping spans already claimed (e.g. by tags);
        with major_only, countries, regions and big cities only."""

    def lookup(self, name: str, kinds: tuple[str, ...] | None = None) -> Place | None:
        """The entry for a display name or alias (used for names an editor typed by hand), of one
        of `kinds` when given."""


_PARENTHESISED = re.compile(r"\b((?:[A-Z][\w'’-]+)(?: [A-Z][\w'’-]+){0,3}) \(([^()]{2,40})\)")


class ListGazetteer:
    """A small curated list: exact names and aliases, whole words, longest match."""

    def __init__(self, places: list[tuple[Place, tuple[str, ...]]]):
        self.by_name: dict[str, Place] = {}
        pairs = []
        for place, aliases in places:
            self.by_name.setdefault(place.name.casefold(), place)
            for alias in (place.name, *aliases):
                self.by_name.setdefault(alias.casefold(), place)
                pairs.append((alias, place.name))
        self._matcher = PhraseMatcher(pairs)

    @classmethod
    def load(cls, path: Path) -> "ListGazetteer":
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        out: list[tuple[Place, tuple[str, ...]]] = []
        for section, kind in (("countries", "country"), ("regions", "region"), ("places", "city")):
            for e in raw.get(section) or []:
                country = e.get("country", e["name"])
                place = Place(name=e["name"], country=country, region=e.get("region"),
                              kind=e.get("kind", kind), lat=e.get("lat"), lon=e.get("lon"),
                              geonameid=e.get("geonameid"))
                out.append((place, tuple(e.get("aliases") or ())))
        return cls(out)

    def lookup(self, name: str, kinds: tuple[str, ...] | None = None) -> Place | None:
        place = self.by_name.get(name.casefold())
        return place if place is None or not kinds or place.kind in kinds else None

    def find(self, text: str, exclude: list[tuple[int, int]] = (),
             major_only: bool = False) -> list[tuple[int, int, Place]]:
        found = []  # a curated list has only places worth naming: major_only changes nothing
        for m in self._matcher.find(text):
            if any(s < m.end and m.start < e for s, e in exclude):
                continue  # a tag beats a place: "Isis" is the group
            found.append((m.start, m.end, self.by_name[m.key.casefold()]))
        found.extend(self._located_unknowns(text, found, exclude))
        found.sort(key=lambda x: x[0])
        return found

    def _located_unknowns(self, text, found, exclude) -> list[tuple[int, int, Place]]:
        """'Tal Abita (Nineveh)': a name we lack, placed by the region in brackets; coordinates approximate."""
        extra = []
        known = {(s, e) for s, e, _ in found}
        for m in _PARENTHESISED.finditer(text):
            name, container = m.group(1), m.group(2)
            place = placed_under(name, self.lookup(container, CONTAINERS))
            if place is None or self.lookup(name):
                continue
            s, e = m.span(1)
            if (s, e) in known or any(a < e and s < b for a, b in exclude) or any(a < e and s < b for a, b, _ in found):
                continue
            extra.append((s, e, place))
        return extra


CONTAINERS = ("region", "country")  # what "Name (Container)" may put a place under


def placed_under(name: str, parent: Place | None) -> Place | None:
    """'Tal Abita (Nineveh)': a place the gazetteer lacks, kept under the region or country its text
    puts it in, at that container's coordinates (marked approximate). None for any other container."""
    if parent is None or parent.kind not in CONTAINERS:
        return None
    return Place(name=name, country=parent.country, region=parent.name if parent.kind == "region" else None,
                 kind="place", lat=parent.lat, lon=parent.lon, approximate=True)


@lru_cache(maxsize=2)
def default_gazetteer(path: Path | None = None) -> Gazetteer:
    """The single swap point: the GeoNames gazetteer, or a `ListGazetteer` when a list file is given."""
    if path is not None:
        return ListGazetteer.load(path)
    from ..gazetteer.geonames import default_geonames_gazetteer

    return default_geonames_gazetteer()


def unique_places(mentions: list[tuple[int, int, Place]], metonyms: set[int] = frozenset()) -> list[Place]:
    """Places in order of first mention, one entry per display name. A place whose every mention is in
    `metonyms` (a capital standing for its government) is left out: it is not where anything happened."""
    seen: dict[str, Place] = {}
    for k, (_, _, place) in enumerate(mentions):
        if k not in metonyms:
            seen.setdefault(place.name, place)
    return list(seen.values())
