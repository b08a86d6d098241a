"""Where an airport the text names lies, from the PyPI package airportsdata (MIT; about 28,000
airports and landing strips with their coordinates and country).

Why: GeoNames' packages have no airports, so "Dulles International Airport" or "Heathrow airport" was
a feature mention placed at the article's own place (features.py): "Dulles" landed in the middle of
Virginia, 189 km from the airport. An airport is named by its own name, with or without its town
("London Heathrow Airport" is written "Heathrow Airport") and with or without "International": the
key is the name's words without those. Loaded on the first airport mention only (the table is read
in about a tenth of a second), never for text that names none."""
from __future__ import annotations

import re
from functools import lru_cache

from .namesakes import _nearest_km

# Words an airport's name may be written with or without
_GENERIC = frozenset({"airport", "international", "regional", "municipal", "intl", "county", "the"})
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def airport_key(name: str) -> str:
    """The words that name an airport: "Washington Dulles International Airport" -> "washington dulles"."""
    return " ".join(w for w in _WORDS.findall(name.casefold().replace("’", "'")) if w not in _GENERIC)


Airport = tuple[float, float, str, bool]  # lat, lon, country code, has an IATA code (a commercial airport)


@lru_cache(maxsize=1)
def airport_table() -> dict[str, tuple[Airport, ...]]:
    """key -> the airports it may name. An airport is keyed by its name and, when the name starts
    with its town's, by the name without the town."""
    try:
        import airportsdata
    except ImportError:  # pragma: no cover - a pinned dependency; without it airports stay features
        return {}
    out: dict[str, list[Airport]] = {}
    for a in airportsdata.load().values():
        name, city = a.get("name") or "", a.get("city") or ""
        if "airport" not in name.casefold():
            continue  # heliports, bases and strips named otherwise: not what "X Airport" names
        entry = (float(a["lat"]), float(a["lon"]), a.get("country") or "", bool(a.get("iata")))
        keys = {airport_key(name)}
        if city and name.casefold().startswith(city.casefold() + " "):
            keys.add(airport_key(name[len(city) + 1:]))
        for k in keys:
            if k and entry not in out.setdefault(k, []):
                out[k].append(entry)
    return {k: tuple(v) for k, v in out.items()}


def find_airport(name: str, near: tuple[float, float] | None, country_code: str | None) -> Airport | None:
    """The airport `name` ("Dulles International Airport", "Heathrow") names: a commercial one (with an
    IATA code) over a strip of the same name ("Heathrow" names London's, not a Texan ranch's strip);
    of those, the one in the country of the article's own place (`country_code`), the nearest to that
    place (`near`) when there are several; with none there, the only one anywhere ("Heathrow" in a
    story set in Harare). None when the name is no airport's or names several abroad."""
    found = airport_table().get(airport_key(name))
    if not found:
        return None
    found = [a for a in found if a[3]] or list(found)
    home = [a for a in found if country_code and a[2] == country_code]
    if len(home) > 1:
        return min(home, key=lambda a: _nearest_km(a[0], a[1], [near])) if near else None
    if home:
        return home[0]
    return found[0] if len(found) == 1 else None
