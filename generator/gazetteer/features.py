"""What the gazetteer adds to its mentions and how it reads them: features it lacks (streets, rivers,
bases), names placed by a bracketed region, a small foreign town yielding to the article's country,
metonyms, and the major places kept in text of another language. A mixin of GeoNamesGazetteer."""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from operator import itemgetter

from ..enrich.places import CONTAINERS, placed_under
from ..model import Place
from .airports import find_airport
from .build import KINDS, normalise
from .namesakes import _nearest_km
from .textrules import (
    NEIGHBOURS_OK,
    QUALIFIERS,
    _BRACKETED,
    _DIPLOMACY,
    _FEATURE_AFFIX,
    _IN_CONTAINER,
    _NAME_BEFORE,
    _PARTNER_BEFORE,
    _STANCE_AFTER,
    _STATE_MODIFIED,
    _STREETS,
    _feature_matches,
    in_body_name,
    _most_named,
    _next_word,
)


from .weights import (
    FAR_TOWN_KM,
    FEATURE_KM,
    LONE_TOWN_CONTEXT,
    LONE_TOWN_POP,
    MAJOR_CITY,
    NEAR_KM,
)

# Feature words that also end the first part of a body's name ("Texas Forest Service")
_ORG_AFTER = ("Forest", "Wilderness", "Township", "Twp.", "Airport")
_ROAD_NUMBER = re.compile(r" \d{1,4}[A-Z]?\b")  # "County Road 43"

# A settlement named as one: "the town of X", "the villages of X and Y", "X village" (one to three
# capitalised words, an Arabic article allowed inside: "Mais al-Jabal")
_WORD = r"[A-Z][\w'’]*(?:-[A-Z][\w'’]*)*"  # capitalised, hyphened parts too ("Ossetian-controlled" is no name)
_NAME = r"(" + _WORD + r"(?: (?:(?:al|el|as|ash|ad|ar|an|at|az)-)?" + _WORD + r"){0,2})"
# A country, area or region inside a body's name is a modifier, off the map (see metonyms())
BODY_KINDS = ("country", "area", "region")
_SETTLEMENT = re.compile(r"\b(?:[Tt]owns?|[Vv]illages?|[Hh]amlets?) of " + _NAME + r"(?:,? and " + _NAME + r")?"
                         r"|(?<![\w'’-])" + _NAME + r" village\b")
# the words that end _SETTLEMENT's first alternative's keyword, after its first letter ("own of " in "town of ")
_SETTLEMENT_CUES = ("own of ", "owns of ", "illage of ", "illages of ", "amlet of ", "amlets of ")


def _settlements(text: str) -> list[re.Match]:
    """`_SETTLEMENT.finditer(text)`, the pattern tried only where a match can start: a keyword found by a
    string search, or a capital at most three words before " village" (a name has at most two spaces).
    The pattern run over the whole text tried every position: ~330 µs for a 3 KB article with "village"
    in it. Same matches, same order: finditer's first match from each position on is the first
    candidate at or after it that matches, as no other position can start one."""
    starts = set()
    for cue in _SETTLEMENT_CUES:
        k = text.find(cue, 1)
        while k >= 0:
            starts.add(k - 1)
            k = text.find(cue, k + 1)
    k = text.find(" village")
    while k >= 0:
        q = k
        for _ in range(3):
            q = text.rfind(" ", 0, q)
            if q < 0:
                break
        starts.update(p for p in range(q + 1, k) if "A" <= text[p] <= "Z")
        k = text.find(" village", k + 1)
    out = []
    end = 0
    for p in sorted(starts):
        if p >= end:
            m = _SETTLEMENT.match(text, p)
            if m is not None:
                out.append(m)
                end = m.end()
    return out


class Additions:
    """Mentions beyond the automaton's, their placement, and how a mention reads (metonym, major)."""

    def _plural_demonym(self, surface: str, p: Place) -> bool:
        """True when the mention is a plural demonym of place p: its singular is a name of p too
        ("Iraqis", "Filipinos", "Ohioans", "Britons"), and p's own name is not this plural ("Philippines",
        though "Philippine" names it)."""
        if len(surface) < 5 or surface[-1] != "s" or p.name.lower().startswith(surface.lower()):
            return False
        j = self._scan.index(" " + normalise(surface[:-1]) + " ")
        return j >= 0 and any(self.place(i) == p for i in self._cand[j])

    def metonyms(self, text: str, mentions: list[tuple[int, int, Place]]) -> set[int]:
        """Numbers of the mentions that name a state rather than a place: a national capital standing for
        its government ("Baghdad is busy discussing ... with Washington", "London said": followed by a
        speech or stance verb, or after "with"/"between"/"and" in a sentence about diplomacy), and a
        country right before "military", "officials", "presence"... ("the US military presence"), a
        country, area or region inside a body's name ("Russian Foreign Ministry", "Bank of England"), and
        a plural demonym, which names the people ("Iraqis fled"). The
        mention is still recognised; the caller decides (the site leaves such a place off the map
        unless another mention of it is literal). Other acting countries ("Turkey fired") are kept:
        leaving them out lost literal toponyms on GeoWebNews (content/geoparsing.md)."""
        if self._capital_gids is None:
            cap = self._capital
            self._capital_gids = {self._gid[i] for i in range(len(cap)) if cap[i]}
        out = set()
        for k, (s, e, p) in enumerate(mentions):
            if p.name in self._bodies:
                out.add(k)  # "the EU said", "EU leaders": the body acting, which its tag already names
                continue
            if p.kind == "country" and _STATE_MODIFIED.match(text, e):
                out.add(k)  # "the US military presence", "Iranian officials": the state, not the land
                continue
            if p.kind in BODY_KINDS and in_body_name(text, s, e):
                out.add(k)  # "Russian Foreign Ministry", "Bank of England", "Air Canada": the body named
                continue
            if p.kind in ("country", "region", "area") and self._plural_demonym(text[s:e], p):
                out.add(k)  # "Iraqis", "Filipinos", "Ohioans": the people, not the land
                continue
            if p.kind != "city" or p.geonameid not in self._capital_gids:
                continue
            if _STANCE_AFTER.match(text, e):
                out.add(k)
                continue
            if _PARTNER_BEFORE.search(text, max(0, s - 12), s):
                a = max(text.rfind(". ", 0, s), 0)
                b = text.find(". ", e)
                if _DIPLOMACY.search(text, a, b if b >= 0 else len(text)):
                    out.add(k)
        return out

    def _features(self, text: str, hits: list[int], found: list[tuple[int, int, Place]],
                  exclude, named: list[tuple[int, int]] = ()) -> list[tuple[int, int, Place]]:
        """Streets, rivers, mountains, crossings and bases the gazetteer lacks ("Haifa Street", "Wichita
        Drive", "Jebel Sinjar", "Ain al-Asad Air Base"): a capitalised name with its feature word is one
        mention, replacing a town found inside it ("Wichita"). It is placed, approximately, at the place
        the article names most often (a town or region before a country); without one it is left out.
        `named`: names before a lowercase feature word ("the Caucasus mountains", "Heathrow airport"),
        the name alone a mention, where it is no tag and the gazetteer found nothing there."""
        spans = [(s, e) for s, e in named if not any(a < e and s < b for a, b in exclude)
                 and not any(a < e and s < b for a, b, _ in found)]
        for m in _feature_matches(text, hits):
            s, e = m
            words = text[s:e].split(" ")
            while len(words) > 2 and words[0].lower() in NEIGHBOURS_OK and words[0].lower() not in QUALIFIERS:
                s += len(words[0]) + 1  # "In Haifa Street": the sentence's first word is not the name
                words = words[1:]
            if text[s + 1] == "-" and text[s] in "RDI":
                s += 2  # "Rep. Torrey Westrom, R-Elbow Lake": a party, then the home town
            if text.endswith(("'s", "’s"), s, e):
                e -= 2  # "Lake Lanier's watershed", "Mount Hood's slopes": the possessive is not the name
            k = max(text.rfind("'s ", s, e), text.rfind("’s ", s, e))
            if k >= 0 and _FEATURE_AFFIX.search(text[k + 3:e]):
                s = k + 3  # "Harare's Third Street": the street of a town the text names, not one name
            if any(a < e and s < b for a, b in exclude):
                continue  # a tag beats a place
            if text.endswith(_ORG_AFTER, 0, e) and e + 1 < len(text) and text[e] == " " and text[e + 1].isupper() \
                    and _next_word(text, e).lower() not in NEIGHBOURS_OK:
                continue  # "Texas Forest Service", "Clinton Township Board": a body, not the place
            if text.endswith("County Road", s, e):
                num = _ROAD_NUMBER.match(text, e)
                if num:
                    if e - s > 11:
                        continue  # "Douglas County Road 4": the road of a county, and the county is the mention
                    e = num.end()  # "County Road 43" is one name, its number included
            if any(a < s < b or a < e < b for a, b, _ in found):
                continue  # a longer name we found crosses it
            if text.endswith("Airport", s, e) and (text.find("- ", s, e) >= 0
                                                  or any(s <= a and b <= e for a, b, _ in found)):
                continue  # "London International Airport", "Dallas/Fort Worth ...": the town it is named after
            spans.append((s, e))
        if not spans:
            return found
        spans.sort()
        outside = found  # the mentions inside no feature's span, one pass per span (a span or two; an any()
        for s, e in spans:  # over the spans for each mention cost ~0.5 µs a mention)
            outside = [f for f in outside if not (s <= f[0] and f[1] <= e)]
        host = _most_named(outside)
        extra = []
        for s, e in spans:
            if self._town_of_feature_name(found, s, e, host, text[s:e]):
                continue
            base = None
            name = text[s:e]
            # "Wichita Drive", "County Road 43": streets of the article's town, not in Wichita
            m = None if name.endswith(_STREETS) else _FEATURE_AFFIX.search(name)
            if m is not None:
                bare = (name[:m.start()] + name[m.end():]).strip()
                base = self.lookup(bare) if bare else None  # "Mount Sinjar", "Sacramento River": by the town
                if base is not None and host is not None and base.country != host.country:
                    base = None  # a namesake abroad: the article's own place is the better guess
                elif base is not None and host is not None and host.kind != "country" and base.lat is not None \
                        and host.lat is not None and _nearest_km(base.lat, base.lon, [(host.lat, host.lon)]) > FEATURE_KM:
                    base = None  # "Lake Cumberland" in a Kentucky story: not by Cumberland, Rhode Island
            parent = _feature_parent(text, outside, s, e)
            if parent is not None and not (base is not None and _inside(base, parent)):
                base = parent  # "North Fourth Street in Red Oak", "Utah's Zion National Park": where the text puts it
            base = base or host
            airport = self._airport(name, host) if name.endswith("Airport") or text.startswith(" airport", e) else None
            if airport is not None:
                extra.append((s, e, airport))
                continue
            if base is None or base.lat is None:
                continue
            extra.append((s, e, Place(name=text[s:e], country=base.country,
                                      region=base.name if base.kind == "region" else base.region,
                                      kind="place", lat=base.lat, lon=base.lon, approximate=True)))
        if not extra:
            return found
        kept = found
        for s, e, _ in extra:
            kept = [f for f in kept if not (s <= f[0] and f[1] <= e)]
        return sorted(kept + extra, key=itemgetter(0))

    def _airport(self, name: str, host: Place | None) -> Place | None:
        """The airport the feature mention names, at its own coordinates (airports.py), in its country."""
        codes = self.__dict__.get("_cc_of_country")
        if codes is None:
            codes = self.__dict__["_cc_of_country"] = {self._pname[i]: cc for cc, i in self._country_idx.items()}
        near = (host.lat, host.lon) if host is not None and host.lat is not None else None
        found = find_airport(name, near, codes.get(host.country) if host is not None else None)
        if found is None or found[2] not in self._country_idx:
            return None
        return Place(name=name, country=self._pname[self._country_idx[found[2]]], kind="place",
                     lat=found[0], lon=found[1])

    def _town_of_feature_name(self, found: list[tuple[int, int, Place]], s: int, e: int, host: Place | None,
                              name: str) -> bool:
        """True when the gazetteer found a town of the feature's whole name ("Green Bay", "Battle Creek",
        "Mount Pleasant") where a feature named after a town would be placed by it: in the country of
        the article's most-named place and, unless that is a country, within FEATURE_KM of it. A far
        one ("Mount Washington" in a Los Angeles story) stays a feature placed at the article's place; a
        town of MAJOR_CITY people ("Cape Town", "Green Bay") stays the town wherever the article's place is."""
        town = next((f for a, b, f in found if a == s and b == e and f.kind == "city"), None)
        if town is None:
            return False
        if host is None or host.lat is None or town.lat is None:
            return True
        j = self._scan.index(" " + normalise(name) + " ")
        if j >= 0 and any(self._gid[i] == town.geonameid and self._pop[i] >= MAJOR_CITY for i in self._cand[j]):
            return True
        return town.country == host.country and (
            host.kind == "country" or _nearest_km(town.lat, town.lon, [(host.lat, host.lon)]) <= FEATURE_KM)

    def _named_settlements(self, text: str, found: list[tuple[int, int, Place]],
                           exclude) -> list[tuple[int, int, Place]]:
        """Villages and towns the gazetteer lacks, named as such ("the village of Achguara", "the town of
        Akuressa", "the villages of Nuli and Avnevi", "Torkula village"): placed, approximately, at the
        place the article names most often; without one, or where the name is known, left out."""
        spans = []
        for m in _settlements(text):
            for g in (1, 2, 3):
                s, e = m.span(g)
                if s < 0 or any(a < e and s < b for a, b in exclude) or any(a < e and s < b for a, b, _ in found):
                    continue
                name = text[s:e]
                if name.lower() in NEIGHBOURS_OK or self.lookup(name) is not None:
                    continue  # "the city of Decatur" is the gazetteer's, or a gated name it did not vouch for
                spans.append((s, e))
        if not spans:
            return found
        host = _most_named(found)
        if host is None or host.lat is None:
            return found
        extra = []
        for s, e in spans:
            base = _feature_parent(text, found, s, e) or host  # "the village of Achguara in X district"
            extra.append((s, e, Place(name=text[s:e], country=base.country,
                                      region=base.name if base.kind == "region" else base.region,
                                      kind="place", lat=base.lat, lon=base.lon, approximate=True)))
        return sorted(found + extra, key=itemgetter(0))

    def _lone_foreign(self, text: str, mentions: list[tuple[int, int, int]],
                      resolved: list[int]) -> dict[int, Place | None]:
        """A small town alone in its country while the article's other places agree on another one ("the
        Gara region of Duhok province" in a story naming Iraq, Erbil and Baghdad is not Gara, Hungary):
        the name is kept, placed approximately in what the text puts it in ("region of Duhok"); without
        such a container it is dropped: such names were mostly people and brands ("Lucey", "Lada",
        "Bajwa"), not places. Returns replacements (None: drop) by mention number."""
        kind, pop, cc, curated = self._kind, self._pop, self._cc, self._curated
        # each distinct entry tested once (an article names the same few places again and again)
        towns = {i for i in set(resolved) if KINDS[kind[i]] == "city" and pop[i] < LONE_TOWN_POP and i not in curated}
        if not towns:
            return {}
        small = [k for k, i in enumerate(resolved) if i in towns]
        by_cc: dict[str, set[int]] = {}
        for (_, _, j), i in zip(mentions, resolved):
            if cc[i]:
                by_cc.setdefault(cc[i], set()).add(j)
        out = {}
        for k in small:
            i, j = resolved[k], mentions[k][2]
            if by_cc.get(cc[i], set()) - {j}:
                continue  # another place of that country is named: not alone
            home, names = max(by_cc.items(), key=lambda kv: len(kv[1]))
            if home == cc[i] or len(names) < LONE_TOWN_CONTEXT:
                continue
            s, e = mentions[k][0], mentions[k][1]
            container = None
            if k + 1 < len(mentions) and _IN_CONTAINER.fullmatch(text, e, mentions[k + 1][0]):
                c = resolved[k + 1]
                if KINDS[kind[c]] in ("country", "region", "district") and cc[c] == home:
                    container = self.place(c)
            if container is None:
                out[k] = None  # no container named: more often a person or a brand than a place
                continue
            out[k] = Place(name=text[s:e], country=container.country,
                           region=container.name if container.kind in ("region", "district") else None,
                           kind="place", lat=container.lat, lon=container.lon, approximate=True)
        return out

    def _outside_parent(self, text: str, mentions: list[tuple[int, int, int]],
                        resolved: list[int]) -> dict[int, Place]:
        """A town the text puts in a parent ("the University of St. Thomas in Houston", "Rego Park, New
        York": " in " and a town, region or district, or ", " and a region or district) while its entry
        lies in another country, or FAR_TOWN_KM from the parent and outside it: the gazetteer lacks the
        town there (the qualifier rules would have chosen it), so it is placed, approximately, at the
        parent. Towns of MAJOR_CITY people or more keep their entry. Returns replacements by
        mention number."""
        kind, pop, cc, lat, lon, curated, admin1 = (self._kind, self._pop, self._cc, self._lat, self._lon,
                                                   self._curated, self._admin1)
        out: dict[int, Place] = {}
        for k in range(len(mentions) - 1):
            i, c = resolved[k], resolved[k + 1]
            if KINDS[kind[i]] != "city" or pop[i] >= MAJOR_CITY or i in curated or lat[c] != lat[c]:
                continue
            e, s2 = mentions[k][1], mentions[k + 1][0]
            ck = KINDS[kind[c]]
            if not (text.startswith(" in ", e) and s2 == e + 4 and ck in ("city", "region", "district")
                    or text.startswith(", ", e) and s2 == e + 2 and ck in ("region", "district")):
                continue
            if cc[i] == cc[c] and (admin1[i] == c or lat[i] != lat[i]
                                   or _nearest_km(lat[i], lon[i], [(lat[c], lon[c])]) <= FAR_TOWN_KM):
                continue
            parent = self.place(c)
            s = mentions[k][0]
            out[k] = Place(name=text[s:e], country=parent.country,
                           region=parent.name if parent.kind in ("region", "district") else parent.region,
                           kind="place", lat=parent.lat, lon=parent.lon, approximate=True)
        return out

    @lru_cache(maxsize=65536)
    def _major(self, i: int, surface: str) -> bool:
        """Worth keeping in text whose language the precision rules are not written for: countries,
        regions, seas and areas, curated entries, and cities of MAJOR_CITY people or more, named as
        they are called unless they are five times bigger ("München" is Munich; "Namen" is Namur
        only in Dutch, and a German noun)."""
        kind = KINDS[self._kind[i]]
        if i in self._curated or kind in ("country", "region", "area", "sea"):
            return True
        pop = self._pop[i] or 0
        if kind != "city" or pop < MAJOR_CITY:
            return False
        return pop >= 5 * MAJOR_CITY or normalise(surface) == normalise(self._pname[i])

    def _located_unknowns(self, text, found, exclude, exclusion=None) -> list[tuple[int, int, Place]]:
        """'Tal Abita (Nineveh)': a name we lack, placed by the region in brackets; coordinates approximate.

        `exclusion`, when given, is the first three of `_exclusion(len(text), exclude)` for maskable spans;
        `found` must then be sorted by start and free of overlaps, as find() makes it (then an overlap is a
        bisection, not a scan)."""
        extra = []
        if not _has_bracket(text):
            return extra
        placed = self._placed_memo
        fast = exclusion is not None
        if fast:
            ex_starts, ex_ends, blocked = exclusion
            brackets = _brackets(text)
        else:
            brackets = _BRACKETED.finditer(text)
        for b in brackets:  # cheap scan for " (...)", then the name just before it
            w0 = max(0, b.start() - 80)
            window = text[w0:b.start()]
            if fast:
                # the name has at most three spaces, so it starts after the fourth space from the end:
                # searching from there finds what a search from the start finds
                lo = len(window)
                for _ in range(4):
                    lo = window.rfind(" ", 0, lo)
                    if lo < 0:
                        break
                m = _NAME_BEFORE.search(window, lo + 1 if lo >= 0 else 0)
            else:
                m = _NAME_BEFORE.search(window)
            if m is None:
                continue
            name, container = m.group(1), b.group(1)
            lead = 0
            words = name.split(" ")
            while len(words) > 1 and words[0].lower() in NEIGHBOURS_OK and words[0].lower() not in QUALIFIERS:
                lead += len(words[0]) + 1  # "Then Tal Kaif (Nineveh)": the sentence's first word is not the name
                words = words[1:]
            name = " ".join(words)
            # placed_under(name, lookup(container)), once per pair: its Place is the same for every mention
            # (a frozen dataclass, ~1.4 µs to make)
            place = placed.get((name, container), _UNPLACED)
            if place is _UNPLACED:
                place = placed_under(name, self.lookup(container, CONTAINERS))
                if len(placed) >= 65536:
                    placed.clear()
                placed[(name, container)] = place
            if place is None:
                continue
            s, e = w0 + m.start(1) + lead, w0 + m.end(1)
            if fast:
                if ex_starts is not None:
                    k = bisect_left(ex_starts, e) - 1
                    if k >= 0 and ex_ends[k] > s:
                        continue
                elif blocked is not None and blocked.find(1, s, e) >= 0:
                    continue
                k = bisect_left(found, (e,)) - 1  # the last mention starting before e ends the furthest
                if k >= 0 and found[k][1] > s:
                    continue
            elif any(a < e and s < z for a, z in exclude) or any(a < e and s < z for a, z, _ in found):
                continue
            known = self.lookup(name)
            if known is not None:
                continue
            extra.append((s, e, place))
        return extra


_UNPLACED = object()  # not yet in _placed_memo (None there means: no container of that name)


_PARENT_AFTER = (", ", " in ")
_PARENT_KINDS = ("city", "district", "region")


def _feature_parent(text: str, found: list[tuple[int, int, Place]], s: int, e: int) -> Place | None:
    """The town, district or region the text puts a feature in: right after it (", " or " in ": "North
    Fourth Street in Red Oak", "Rego Park, New York") or right before it with a possessive ("Utah's
    Zion National Park", "Warren County's Hamilton Township")."""
    for a, b, p in found:
        if p.kind not in _PARENT_KINDS or p.lat is None:
            continue
        if a > e:
            if text.startswith(_PARENT_AFTER, e) and a == e + (2 if text[e] == "," else 4):
                return p
            break
        if b == s - 3 and text[b:s] in ("'s ", "’s "):
            return p
    return None


def _inside(base: Place, parent: Place) -> bool:
    """A feature's own namesake is the better point when it lies in the parent the text names."""
    if base.country != parent.country:
        return False
    if parent.kind == "region":
        return base.region == parent.name
    return base.lat is not None and _nearest_km(base.lat, base.lon, [(parent.lat, parent.lon)]) <= NEAR_KM


def _has_bracket(text: str) -> bool:
    """`" (" in text`, searching for the rare "(" alone: a two-character search costs ~1 ns a character
    (~5 µs an article without brackets), a one-character one a fraction of that."""
    k = text.find("(", 1)
    while k >= 0:
        if text[k - 1] == " ":
            return True
        k = text.find("(", k + 1)
    return False


def _brackets(text: str):
    """`_BRACKETED.finditer(text)`, trying the pattern only where " (" occurs (found as "(" after a space:
    see _has_bracket)."""
    match = _BRACKETED.match
    find = text.find
    pos = 0
    while True:
        k = find("(", pos + 1)
        while k >= 0 and text[k - 1] != " ":
            k = find("(", k + 1)
        if k < 0:
            return
        i = k - 1
        b = match(text, i)
        if b is None:
            pos = i + 1
        else:
            yield b
            pos = b.end()
