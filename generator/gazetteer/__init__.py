"""GeoNames-backed gazetteer: recognise place names in text and resolve each to one GeoNames entry.

Same interface as `generator.enrich.places.ListGazetteer`: `find(text, exclude)` and `lookup(name)`.
The data are compiled once from PyPI packages (see `build.py`) and cached; loading takes well under
a second after the first build.

Precision rules, in order:
- a tag beats a place (the caller passes the tagged spans as `exclude`);
- a mention starts with a capital letter; all-caps names (US, UK) match only in that case, and an
  all-caps surface of a short mixed-case name ("ISF" for "Isf") is not a place;
- common English words (data/place_stopwords.txt) are not place names;
- a capitalised multi-word name is not split: "Tal Abita" is not "Tal", "Paris Hilton" not Paris;
- candidates are ranked by feature class, population, capital status and the countries and regions
  the article already names, plus an explicit "Town, Region" qualifier.

Layout: recognise.py (which spans are names), resolve.py (which entry each is), features.py (streets,
bracketed regions, lone foreign towns, metonyms), weights.py (the numbers), textrules.py (the
patterns), and for the compiled data build.py (sources.py, overlay.py, cache.py).
"""
from __future__ import annotations

# The package's names are imported when first used: importing a submodule (`gazetteer.cache`, whose
# version key the read cache's fingerprint needs on every ingest) then no longer imports the
# recogniser, the resolver and the enrichers (about 60 ms), which only reading a file needs.
_LAZY = {
    "geonames": ("GeoNamesGazetteer", "default_geonames_gazetteer", "KINDS", "load_compiled", "normalise",
                 "_city_suffixed", "_feature_hits", "_type_word_trimmed", "Additions", "Recogniser",
                 "_exclusion", "Resolver", "Place", "Counter", "lru_cache"),
    "weights": ("ALIAS_PENALTY", "FAMOUS_GAP", "LONE_TOWN_CONTEXT", "LONE_TOWN_POP", "MAIN_REGION", "MAJOR_CITY",
                "MAX_CANDIDATES", "PREFIX_CITY"),
}
_WHERE = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})
