"""The GeoNames gazetteer itself (its precision rules: the package docstring, generator/gazetteer/__init__.py)."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from operator import itemgetter

from ..enrich.matcher import PhraseMatcher, link_scan
from ..model import Place
from .automaton import Scan
from .build import KINDS, load_compiled, normalise
from .textrules import _city_suffixed, _feature_hits, _most_named, _named_before_feature, _type_word_trimmed
from .features import Additions, _has_bracket
from .recognise import Recogniser, _exclusion
from .namesakes import _nearest_km
from .resolve import Resolver
from .weights import (  # noqa: F401 - the weights, as they were importable from here
    ALIAS_PENALTY,
    FAMOUS_GAP,
    FAR_TOWN_KM,
    LONE_TOWN_CONTEXT,
    LONE_TOWN_POP,
    MAIN_REGION,
    MAJOR_CITY,
    MAX_CANDIDATES,
    NEAR_KM,
    PREFIX_CITY,
)


class GeoNamesGazetteer(Recogniser, Resolver, Additions):
    """Aho-Corasick over ~600k GeoNames names and aliases; context-aware disambiguation."""

    def __init__(self, data: dict):
        self._names: list[str] = data["names"]
        self._cand = data["cand"]  # name index -> entry indices (build.Ragged)
        self._forced: set[str] = data["forced"]
        self._gated: set[int] = data.get("gated", set())  # names of towns that are common words: see _gated_ok
        self._automaton = data["automaton"]  # names and the vocabulary's aliases (automaton.make_automaton)
        # the one scan of a text that recognition and a linked tagger share (link_tagger)
        self._scan = Scan(self._automaton, len(self._names), data.get("tag_keys", ()), data.get("tag_gaz"))
        p = data["places"]
        self._pname, self._kind, self._cc = p["name"], p["kind"], p["cc"]
        self._lat, self._lon, self._gid = p["lat"], p["lon"], p["gid"]
        self._pop, self._capital, self._admin1 = p["pop"], p["capital"], p["admin1"]
        self._admin2 = p["admin2"]  # a town's county or district (entry number), -1 when unknown
        self._country_idx: dict[str, int] = p["country_idx"]
        self._labels: dict[int, str] = p.get("labels", {})
        self._curated: set[int] = p.get("curated", set())
        self._bodies: set[str] = set(p.get("bodies", ()))  # areas whose name is also a tag ("EU")
        self._prior: dict[int, tuple] = {}  # see _info()
        self._ranked: dict[int, tuple[int, ...]] = {}  # see _candidates()
        self._country_name: dict[int, bool] = {}  # see _has_country()
        self._prefixing: dict[int, bool] = {}  # see _prefixes_names()
        self._context_free: dict[int, int] = {}
        self._first_rows: dict[int, tuple] = {}  # see _first_row()
        self._meta: dict[int, tuple] = {}  # name index -> (length, final punctuation, all caps, name, has a space)
        self._lookups: dict[str, Place | None] = {}  # see lookup()
        self._places: dict[int, Place] = {}  # see place()
        self._strength: dict[int, bool] = {}  # see _strong()
        self._county_memo: dict[int, tuple] = {}  # see _county_rows()
        self._support_memo: dict[int, dict[int, float]] = {}  # see _support_of()
        self._namesake_memo: dict[tuple[int, int], tuple[int, ...]] = {}  # see _namesakes()
        self._wide_memo: dict[tuple[int, int], tuple[int, ...]] = {}  # see _wide_namesakes()
        self._capital_gids: set[int] | None = None  # see metonyms()
        self._placed_memo: dict[tuple[str, str], Place | None] = {}  # see _located_unknowns()

    def forget(self) -> None:
        """Clear every memo of rankings and answers: for a process that changes the weights between runs
        (tools/geoparse_cv.py); the data are untouched."""
        for memo in (self._prior, self._ranked, self._country_name, self._prefixing, self._context_free,
                     self._first_rows, self._meta, self._lookups, self._places, self._strength, self._county_memo,
                     self._support_memo, self._namesake_memo, self._wide_memo, self._placed_memo):
            memo.clear()
        self._capital_gids = None

    # --- public interface ------------------------------------------------------------------------
    @classmethod
    def load(cls, rebuild: bool = False) -> "GeoNamesGazetteer":
        return cls(load_compiled(rebuild=rebuild))

    def link_tagger(self, matcher: PhraseMatcher) -> bool:
        """Let the tagger's matcher take its hits from this gazetteer's scan of each text (one pass of one
        automaton for both), when the automaton was built with exactly its aliases; see automaton.Scan."""
        return link_scan(matcher, self._scan)

    def lookup(self, name: str, kinds: tuple[str, ...] | None = None) -> Place | None:
        """The best entry for a name out of context; with `kinds`, the best of those kinds only
        ("Idlib" as a container is the governorate, though the bare name is the town)."""
        memo = self._lookups
        if (name, kinds) in memo:
            return memo[(name, kinds)]  # the data never change, so neither does the answer
        j = self._scan.index(" " + normalise(" ".join(name.split())) + " ")  # the trie is the index
        cands = () if j < 0 else self._candidates(j)
        if kinds:
            cands = tuple(c for c in cands if KINDS[self._kind[c[0]]] in kinds)
        place = self.place(self._best(cands, Counter(), Counter())) if cands else None
        if len(memo) >= 65536:
            memo.clear()
        memo[(name, kinds)] = place
        return place

    def find(self, text: str, exclude: list[tuple[int, int]] = (),
             major_only: bool = False) -> list[tuple[int, int, Place]]:
        """Place mentions in the text, resolved. `major_only` keeps only major places (see _major): for
        text in a language whose capitalised common nouns are also names of towns ("Ende", "Grund")."""
        starts, ends, blocked, maskable = _exclusion(len(text), exclude)
        mentions = self._recognise(text, starts, ends, blocked)
        restore = None
        if " City " in text or " CITY " in text:
            mentions, restore = self._city_bodies(text, mentions)
        resolved = self.resolve(text, mentions)
        if restore:
            self._city_of_restored(mentions, resolved, restore)
        place = self.place
        if major_only:
            found = [(s, e, place(i)) for (s, e, _), i in zip(mentions, resolved) if self._major(i, text[s:e])]
        else:
            # each mention's Place (from place()'s dict when built), its end trimmed: _type_word_trimmed()
            # and _city_suffixed() return e unless the mention has a space or " City" follows, so those
            # plain tests first, two calls fewer for most mentions
            built = self._places
            trimmed = []
            for (s, e, _), i in zip(mentions, resolved):
                p = built.get(i) or place(i)
                if text.find(" ", s, e) >= 0:
                    e = _type_word_trimmed(text, s, e, p.name, p.kind, p.country)
                if text.startswith((" City", " CITY"), e):
                    e = _city_suffixed(text, e, p.kind)
                trimmed.append((s, e, p))
            found = trimmed
        if not major_only and len(mentions) > 1:
            for k, p in self._outside_parent(text, mentions, resolved).items():
                found[k] = (found[k][0], found[k][1], p)
        if not major_only and len(mentions) > 2:
            for k, p in self._far_towns(text, mentions, resolved, found).items():
                found[k] = (found[k][0], found[k][1], p)
            lone = self._lone_foreign(text, mentions, resolved)
            if lone:
                for k, p in lone.items():
                    found[k] = (found[k][0], found[k][1], p)
                found = [f for f in found if f[2] is not None]
        if major_only:
            return found
        hits = _feature_hits(text)
        named = _named_before_feature(text)
        if hits or named:
            found = self._features(text, hits, found, exclude, named)
        if "illage" in text or "own of " in text or "owns of " in text or "amlet" in text:
            found = self._named_settlements(text, found, exclude)
        if _has_bracket(text):
            extra = self._located_unknowns(text, found, exclude, (starts, ends, blocked) if maskable else None)
            if extra:
                found.extend(extra)
                found.sort(key=itemgetter(0))
        return found

    def _city_bodies(self, text: str, mentions: list[tuple[int, int, int]]
                     ) -> tuple[list[tuple[int, int, int]], dict[int, tuple[int, int]] | None]:
        """A town's body named with "City" ("Springfield City Schools", "Springfield City Council") is a
        mention of the town the article names on its own elsewhere, resolved with it: "Springfield City"
        is an alias of one Springfield only (Massachusetts'), which had placed that one mention there in a
        story about Springfield, Ohio. A town whose own name ends with "City" keeps it ("Kansas City"), but not
        a region so named: "Dublin City Council" in a story about Dublin, Ohio is that town's, not Ireland's
        council area "Dublin City".
        "City of X" likewise, its mention trimmed to X: "the City of Richmond's public works" in a story
        about Richmond, Kentucky is that town, not the Virginian district named "City of Richmond".
        Returns the mentions and, for the "City of X" ones, their first start and name (see
        _city_of_restored)."""
        out = None
        names = None
        restore: dict[int, tuple[int, int]] | None = None
        for k, (s, e, j) in enumerate(mentions):
            ns = s
            if text.startswith(("City of ", "CITY OF "), s) and e - s > 9:
                ns = s + 8
                bare = self._scan.index(" " + normalise(text[ns:e]) + " ")
            elif e - s < 7 or not text.endswith((" City", " CITY"), s, e) or text[e:e + 1] != " " \
                    or not text[e + 1:e + 2].isupper():
                continue
            else:
                cands = self._candidates(j)
                if not cands or (normalise(self._pname[cands[0][0]]).endswith(" city")
                                 and KINDS[self._kind[cands[0][0]]] == "city"):
                    continue
                bare = self._scan.index(" " + normalise(text[s:e - 5]) + " ")
            if bare < 0:
                continue
            if names is None:
                names = {m[2] for m in mentions}
            if bare in names:
                if out is None:
                    out = list(mentions)
                out[k] = (ns, e, bare)
                if ns != s:
                    if restore is None:
                        restore = {}
                    restore[k] = (s, j)
        return (mentions, None) if out is None else (out, restore)

    def _city_of_restored(self, mentions: list[tuple[int, int, int]], resolved: list[int],
                          restore: dict[int, tuple[int, int]]) -> None:
        """A "City of X" read as X that landed where the entry named "City of X" is (within NEAR_KM) is
        that entry again, with its whole span: "the City of London" is the financial district, in London.
        Changes both lists in place."""
        lat, lon = self._lat, self._lon
        for k, (s, j) in restore.items():
            i0, i = self._candidates(j)[0][0], resolved[k]
            if lat[i0] == lat[i0] and lat[i] == lat[i] and _nearest_km(lat[i0], lon[i0], [(lat[i], lon[i])]) < NEAR_KM:
                mentions[k] = (s, mentions[k][1], j)
                resolved[k] = i0

    def _far_towns(self, text: str, mentions: list[tuple[int, int, int]], resolved: list[int],
                   found: list[tuple[int, int, Place]]) -> dict[int, Place]:
        """A small town (under LONE_TOWN_POP people) FAR_TOWN_KM from every other town, district and region
        of the article, while two of those lie within NEAR_KM of each other, is more likely a place the
        gazetteer lacks (or a namesake it lacks) near them than that far entry: it is placed,
        approximately, at the article's most named place, as a feature is. Not when the article names the
        town's country or region ("the small village of Flumeri in southern Italy"), nor when a place
        qualifies it ("Sun Valley, Idaho"). Likewise, placed at the first region the article names, a small
        town FAR_TOWN_KM from every region named when those are all of one other country and so is every
        other place but small towns (a story naming only NSW is not about Glenrock, Wyoming: see
        _named_abroad). Returns replacements by mention number; `found` is find()'s list for the same
        mentions."""
        kind, pop, cc, lat, lon, curated = self._kind, self._pop, self._cc, self._lat, self._lon, self._curated
        small = {i for i in set(resolved) if KINDS[kind[i]] == "city" and pop[i] < LONE_TOWN_POP
                 and i not in curated and lat[i] == lat[i]}
        if not small:
            return {}
        pts: dict[int, int] = {}  # entry -> the name that gave it (a name is no context for itself)
        named: dict[int | str, None] = {}  # the countries and regions the article names, first named first
        for (_, _, j), a in zip(mentions, resolved):
            k = KINDS[kind[a]]
            if k in ("country", "region"):
                named.setdefault(cc[a] if k == "country" else a, None)
            if k == "country":
                continue
            elif k in ("city", "district", "region") and lat[a] == lat[a]:
                pts.setdefault(a, j)
        out: dict[int, Place] = {}
        done: dict[tuple[int, int], bool] = {}
        far_ks = []
        abroad: dict[int, Place | None] = {}  # town entry -> _named_abroad's answer, once per article
        # the country named vouches for a town only where the article's other places lie elsewhere too: a
        # story whose towns and regions are all in one country says nothing by naming it ("America")
        home = {cc[a] for a in pts}
        home_cc = next(iter(home)) if len(home) == 1 else None
        for k, ((_, _, j), i) in enumerate(zip(mentions, resolved)):
            if i not in small or (cc[i] in named and cc[i] != home_cc) or self._admin1[i] in named:
                continue
            e = mentions[k][1]
            if k + 1 < len(mentions) and text.startswith(", ", e) and mentions[k + 1][0] == e + 2:
                continue  # "Sun Valley, Idaho": placed by its qualifier
            far = done.get((j, i))
            if far is None:
                others = [(lat[a], lon[a]) for a, jj in pts.items() if jj != j]
                far = len(others) >= 2 and _nearest_km(lat[i], lon[i], others) >= FAR_TOWN_KM \
                    and any(_nearest_km(q[0], q[1], others[:n] + others[n + 1:]) < NEAR_KM
                            for n, q in enumerate(others))
                done[(j, i)] = far
            if far:
                far_ks.append(k)
                continue
            at = abroad[i] if i in abroad else abroad.setdefault(i, self._named_abroad(i, named, pts))
            if at is not None:
                out[k] = self._placed_at(found[k][2], at)
        if far_ks:
            # the most named place but the far towns themselves (one far town is no host for another)
            gone = {normalise(self._pname[resolved[k]]) for k in far_ks}
            host = _most_named([f for f in found if f[2].kind != "country" and normalise(f[2].name) not in gone])
            if host is not None:
                for k in far_ks:
                    out[k] = self._placed_at(found[k][2], host)
        return out

    @staticmethod
    def _placed_at(p: Place, at: Place) -> Place:
        """Place p, named as it is, placed approximately at `at` (a place the gazetteer lacks there)."""
        return Place(name=p.name, country=at.country, region=at.name if at.kind == "region" else at.region,
                     kind="place", lat=at.lat, lon=at.lon, approximate=True)

    def _named_abroad(self, i: int, named: dict[int | str, None], pts: dict[int, int]) -> Place | None:
        """The first region `named` (the article's countries and regions) when small town i is more likely a
        place the gazetteer lacks in it: all of them are of one country, not i's, i lies FAR_TOWN_KM from
        each named region, and the article's other towns, districts and regions are in that country or
        small towns themselves (a byline's "Jewell" does not make a story about NSW American). Else None."""
        cc, kind, lat, lon, pop = self._cc, self._kind, self._lat, self._lon, self._pop
        countries = {a if isinstance(a, str) else cc[a] for a in named}
        if len(countries) != 1 or cc[i] in countries:
            return None
        regions = [a for a in named if not isinstance(a, str) and lat[a] == lat[a]]
        if not regions or _nearest_km(lat[i], lon[i], [(lat[a], lon[a]) for a in regions]) < FAR_TOWN_KM:
            return None
        if all(cc[a] in countries or KINDS[kind[a]] == "city" and pop[a] < LONE_TOWN_POP for a in pts):
            return self.place(regions[0])
        return None

    def place(self, i: int) -> Place:
        """Entry i as a Place, built once (Place is frozen and the data never change)."""
        p = self._places.get(i)
        if p is None:
            if len(self._places) >= 65536:
                self._places.clear()
            p = self._places[i] = self._make_place(i)
        return p

    def _make_place(self, i: int) -> Place:
        kind = KINDS[self._kind[i]]
        cc = self._cc[i]
        country = self._pname[self._country_idx[cc]] if cc in self._country_idx else self._labels.get(i, self._pname[i])
        a1 = self._admin1[i]
        region = self._pname[a1] if a1 >= 0 and kind != "region" else None
        if not cc and kind == "sea":
            country = self._pname[i]  # a sea is its own top node: not "International waters › Red Sea"
        lat, lon = self._lat[i], self._lon[i]
        if lat != lat or lon != lon:
            lat = lon = None
        return Place(name=self._pname[i], country=country, region=region,
                     kind="region" if kind == "area" and cc else kind,
                     lat=lat, lon=lon, geonameid=self._gid[i] or None)


@lru_cache(maxsize=1)
def default_geonames_gazetteer() -> GeoNamesGazetteer:
    return GeoNamesGazetteer.load()
