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
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache

from ..enrich.matcher import padded_normalised
from ..enrich.places import CONTAINERS, placed_under
from ..model import Place
from .build import KINDS, load_compiled, normalise
from .textrules import (
    INSTITUTIONS,
    NEIGHBOURS_OK,
    QUALIFIERS,
    _BRACKETED,
    _DIPLOMACY,
    _FEATURE_AFFIX,
    _IN_CONTAINER,
    _NAME_BEFORE,
    _PARTNER_BEFORE,
    _PERSON_AFTER,
    _AFTER_COMMA,
    _CITY_OF,
    _DATELINE,
    _IN_BEFORE,
    _MONTHS,
    _PLACE_BEFORE,
    _STANCE_AFTER,
    _STATE_MODIFIED,
    _STREETS,
    _WORD_RUN,
    _ends_sentence,
    _feature_hits,
    _feature_matches,
    _initial,
    _lower_article,
    _most_named,
    _names_a_thing,
    _next_word,
    _prev_word,
    _sentence_start,
    _type_word_trimmed,
)


MAX_CANDIDATES = 30
ALIAS_PENALTY = 1.5
FAMOUS_GAP = 2.0  # prior points (~100 times the people) below the best namesake: country context alone no longer lifts it
PREFIX_CITY = 30_000  # people: a town this big keeps its name before another capitalised word
MAJOR_CITY = 100_000
MAIN_REGION = 1_000_000  # people: a region this big stays a place where a person of its name is named
LONE_TOWN_POP = 20_000  # people: a town smaller than this, alone in its country, yields to the article's context
LONE_TOWN_CONTEXT = 3  # distinct names in another country that make that country the article's context  # people: the towns kept in text whose language the precision rules are not written for


class GeoNamesGazetteer:
    """Aho-Corasick over ~600k GeoNames names and aliases; context-aware disambiguation."""

    def __init__(self, data: dict):
        self._names: list[str] = data["names"]
        self._cand = data["cand"]  # name index -> entry indices (build.Ragged)
        self._forced: set[str] = data["forced"]
        self._gated: set[int] = data.get("gated", set())  # names of towns that are common words: see _gated_ok
        self._automaton = data["automaton"]
        p = data["places"]
        self._pname, self._kind, self._cc = p["name"], p["kind"], p["cc"]
        self._lat, self._lon, self._gid = p["lat"], p["lon"], p["gid"]
        self._pop, self._capital, self._admin1 = p["pop"], p["capital"], p["admin1"]
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
        self._capital_gids: set[int] | None = None  # see metonyms()

    # --- public interface ------------------------------------------------------------------------
    @classmethod
    def load(cls, rebuild: bool = False) -> "GeoNamesGazetteer":
        return cls(load_compiled(rebuild=rebuild))

    def lookup(self, name: str, kinds: tuple[str, ...] | None = None) -> Place | None:
        """The best entry for a name out of context; with `kinds`, the best of those kinds only
        ("Idlib" as a container is the governorate, though the bare name is the town)."""
        memo = self._lookups
        if (name, kinds) in memo:
            return memo[(name, kinds)]  # the data never change, so neither does the answer
        j = self._automaton.get(" " + normalise(" ".join(name.split())) + " ", -1)  # the trie is the index
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
        resolved = self.resolve(text, mentions)
        place = self.place
        found = [(s, e, place(i)) for (s, e, _), i in zip(mentions, resolved)
                 if not major_only or self._major(i, text[s:e])]
        if not major_only:
            found = [(s, _type_word_trimmed(text, s, e, p.name, p.kind), p) for s, e, p in found]
        if not major_only and len(mentions) > 2:
            for k, p in self._lone_foreign(text, mentions, resolved).items():
                found[k] = (found[k][0], found[k][1], p)
        if major_only:
            return found
        hits = _feature_hits(text)
        if hits:
            found = self._features(text, hits, found, exclude)
        if " (" in text:
            extra = self._located_unknowns(text, found, exclude, (starts, ends, blocked) if maskable else None)
            if extra:
                found.extend(extra)
                found.sort(key=lambda x: x[0])
        return found

    # --- recognition -------------------------------------------------------------------------------
    def recognise(self, text: str, exclude=()) -> list[tuple[int, int, int]]:
        """Mentions as (start, end, name index): word-bounded, leftmost-longest, precision rules applied."""
        return self._recognise(text, *_exclusion(len(text), exclude)[:3])

    def _recognise(self, text: str, ex_starts: list[int] | None, ex_ends: list[int] | None,
                   blocked: bytearray | None) -> list[tuple[int, int, int]]:
        """recognise() with the excluded spans as _exclusion() gives them."""
        padded = padded_normalised(text)  # " " + normalise(text) + " ", shared with the tagger
        n = len(text)
        names, forced = self._names, self._forced
        cands = []
        meta = self._meta
        for end_idx, j in self._automaton.iter(padded):
            m = meta.get(j)
            if m is None:
                name = names[j]
                m = meta[j] = (len(name), name[-1] if not name[-1].isalnum() else "", name.isupper(), name,
                               " " in name)
            length, last, caps, name, _ = m
            start = end_idx - length - 1  # the key is " name ", and padded is shifted by one
            first = text[start]
            if not (first.isupper() or first.isdigit()) and not _lower_article(text, start, start + length):
                continue
            end = start + length
            if ex_starts is not None:
                k = bisect_left(ex_starts, end) - 1  # the last excluded span starting before the end
                if k >= 0 and ex_ends[k] > start and not (
                        ex_starts[k] == start and end < ex_ends[k] and text[end] == " " and self._has_country(j)) \
                        and not (ex_starts[k] == start and ex_ends[k] == end and self._is_body(j)):
                    continue  # a tag beats a place, but "Syrian army", "U.S. military" name their country
            elif blocked is not None and blocked.find(1, start, end) >= 0 and not self._is_body(j):
                continue  # a tag beats a place
            if last and text[end - 1] != last:
                continue  # "U.S." needs its final dot; "Tal." never matches "Tal "
            if end + 1 < n:
                c = text[end]
                if c in "-'’":
                    c2 = text[end + 1]
                    if c2.isupper() and not (c == "-" and self._has_country(j)):
                        continue  # "Iraq-based" and "Syrian-Turkish" are fine, but not "Jean-Pierre"
                    if c != "-" and c2.isalpha() and \
                            not (c2 in "sS" and (end + 2 >= n or not text[end + 2].isalnum())):
                        continue  # "Syria's" is Syria, but "Jama'at" is not "Jama"
            if caps or (length > 1 and text[start + 1].isupper()):
                surface = text[start:end]
                if caps:
                    if surface != name:
                        continue
                elif surface.isupper() and sum(c.isalpha() for c in surface) <= 4 and surface not in forced:
                    continue  # "ISF", "SDF": short capitals are acronyms, not towns
            cands.append((start, -end, j))
        if self._gated:
            cands = self._gated_ok(text, cands)
        # by start, longer first: no two candidates share a span (one automaton key per span), so the plain
        # tuple order is that order
        cands.sort()
        chosen = []
        surnames: set[int] = set()
        last_end = -1
        rtext = None
        run = _WORD_RUN.match
        head = _title_case_head(text)
        for s, e, j in cands:
            if s < last_end:
                continue
            e = -e
            if s < head:
                chosen.append((s, e, j))  # a headline in title case: its capitals say nothing of the name
                last_end = e
                continue
            # _split_name() inlined: the previous word is only looked at after a space (not after a comma
            # etc.: it is empty then), the next word only when it is capitalised
            pre = s > 1 and text[s - 1] == " " and text[s - 2] not in ",;:!?\n"
            if pre or (e + 1 < n and text[e] == " " and text[e + 1].isupper()):
                split = False
                prev = ""
                if pre:  # _prev_word(text, s), read right to left in the reversed text
                    if rtext is None:
                        rtext = text[::-1]
                    k = n - s + 1
                    prev = text[s - 1 - (run(rtext, k).end() - k):s - 1]
                    if prev and prev[0].isupper() and (prev.lower().strip(".") not in NEIGHBOURS_OK or
                                                       _initial(prev)) and not prev.endswith(("'s", "’s")) \
                            and not _ends_sentence(prev) and not _sentence_start(text, s - len(prev) - 1) \
                            and not self._has_country(j):
                        split = True  # but "Air Zimbabwe", "Turkish-backed Syrian militiamen" name the country
                    elif prev in _PARTICLES and not meta[j][4] and not self._mainly_area(j):
                        k2 = s - len(prev) - 1  # "Mike de Kock", "Luc van den Brande": a surname
                        before = _prev_word(text, k2)
                        while before in _PARTICLES:
                            k2 -= len(before) + 1
                            before = _prev_word(text, k2)
                        if _given_name(before) and before.lower() not in NEIGHBOURS_OK:
                            surnames.add(j)
                            continue
                by_prev = split
                if not split and e + 1 < n and text[e] == " " and text[e + 1].isupper():
                    nxt = _next_word(text, e)
                    if nxt and nxt[0].isupper() and nxt.lower() not in NEIGHBOURS_OK \
                            and nxt.lower() not in INSTITUTIONS and not meta[j][4] and not self._has_country(j) \
                            and not (self._prefixes_names(j) and _names_a_thing(text, e, nxt)):
                        split = True  # country-level names and demonyms modify capitalised nouns
                if split:
                    if by_prev and not meta[j][4] and _given_name(prev):
                        surnames.add(j)  # "Michael Jones": later, a bare "Jones" is the same person (not after
                        # "A429", nor before a capitalised word: "The Dublin Singers" names no person Dublin)
                    continue
            if e < n and text[e] in " ,'’" and not meta[j][4]:
                who = _PERSON_AFTER.match(text, e)
                if who and who.group(1):
                    surnames.add(j)  # "Flores, 26,", "Flores' stepfather": a person, here and elsewhere
                    continue
                if who and not self._strong(j) and not _PLACE_BEFORE.search(text, max(0, s - 6), s):
                    if self._small_town(j):
                        surnames.add(j)  # "Sandberg said": a person, here and elsewhere ("Moscow said" stays)
                    continue  # "Nelson said": a person here ("the city of Sevierville said" stays a place)
            chosen.append((s, e, j))
            last_end = e
        if surnames:
            chosen = [m for m in chosen if m[2] not in surnames or self._mainly_area(m[2])]
        return chosen

    def _gated_ok(self, text: str, cands: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """Candidates without the gated names the article does not vouch for. A town named like a common
        word or surname ("Decatur", "Greer", "Middletown") is a place in an article that names it once
        with its region or country after a comma ("Greer, South Carolina", "Decatur, Ga.") or as "the
        city of Decatur"; then each of its mentions is, as any other name's."""
        gated = self._gated
        todo = {j for _, _, j in cands if j in gated}
        if not todo:
            return cands
        ok = set()
        for s, e, j in cands:
            if j not in todo or j in ok:
                continue
            e = -e
            if _CITY_OF.search(text, max(0, s - 12), s) or (
                    text[s:e].isupper() and (s == 0 or text[s - 1] == "\n") and _DATELINE.match(text, e)) or (
                    e < len(text) and text[e] in ".,;)" and _IN_BEFORE.search(text, max(0, s - 6), s)
                    and text[s:e] not in _MONTHS):
                ok.add(j)  # "the city of Decatur", a dateline "DECATUR —", "lives in Decatur."
                continue
            m = _AFTER_COMMA.match(text, e)
            if m is None:
                continue
            words = m.group(1).split(" ")
            for n in range(len(words), 0, -1):
                phrase = " ".join(words[:n])
                for name in (phrase, phrase[:-1]) if phrase.endswith(".") else (phrase,):
                    k = self._automaton.get(" " + normalise(name) + " ", -1)
                    if k >= 0 and k not in gated and self._contains(k, j):
                        ok.add(j)
                        break
                if j in ok:
                    break
        return [c for c in cands if c[2] not in todo or c[2] in ok]

    def _contains(self, k: int, j: int) -> bool:
        """True when a region or country named by name k holds a town named by name j."""
        towns = self._cand[j]
        for r in self._cand[k]:
            kind = KINDS[self._kind[r]]
            if kind == "region" and any(self._admin1[i] == r for i in towns):
                return True
            if kind == "country" and any(self._cc[i] == self._cc[r] for i in towns):
                return True
        return False

    def _is_body(self, j: int) -> bool:
        """True when name j is an area that is also a body a tag names ("EU"): both the tag and the place."""
        return bool(self._bodies) and any(self._pname[i] in self._bodies for i in self._cand[j])

    def _strong(self, j: int) -> bool:
        """True when name j names a country, region or area (never a person's name), computed once."""
        v = self._strength.get(j)
        if v is None:
            v = self._strength[j] = any(KINDS[self._kind[i]] in ("country", "region", "area") for i in self._cand[j])
        return v

    def _small_town(self, j: int) -> bool:
        """True when name j, out of context, is a town of fewer than MAJOR_CITY people that no editor
        listed: a name a person may bear ("Nelson", "Sandberg"), unlike "Moscow" acting as the state."""
        i = self._first_row(j)[0]
        return KINDS[self._kind[i]] == "city" and self._pop[i] < MAJOR_CITY and i not in self._curated

    def _mainly_area(self, j: int) -> bool:
        """True when name j, out of context, is a country, an area, a region of MAIN_REGION people
        ("Georgia", "Alberta") or a big national capital ("Berlin"): it stays a place where a person of
        that name is named too; a town that is also a small region's name ("Nelson"), or such a region
        ("Flores, 26,"), does not."""
        i = self._first_row(j)[0]
        kind = KINDS[self._kind[i]]
        return kind in ("country", "area") or (kind == "region" and self._pop[i] >= MAIN_REGION) or (
            kind == "city" and self._capital[i] and self._pop[i] >= MAJOR_CITY)  # "die Stadt Berlin"

    def _split_name(self, text: str, s: int, e: int, j: int) -> bool:
        """True when the match is part of a longer capitalised name we do not know ("Tal Abita")."""
        if not ((s > 1 and text[s - 1] == " " and text[s - 2] not in ",;:!?\n") or
                (e + 1 < len(text) and text[e] == " " and text[e + 1].isupper())):
            return False  # the usual case, decided without looking at the neighbouring words
        prev = _prev_word(text, s)
        if prev and prev[0].isupper() and prev.lower().strip(".") not in NEIGHBOURS_OK \
                and not _ends_sentence(prev) and not _sentence_start(text, s - len(prev) - 1) \
                and not self._has_country(j):
            return True
        if not (e + 1 < len(text) and text[e] == " " and text[e + 1].isupper()):
            return False  # the next word, if any, is not capitalised
        nxt = _next_word(text, e)
        if nxt and nxt[0].isupper() and nxt.lower() not in NEIGHBOURS_OK and nxt.lower() not in INSTITUTIONS \
                and " " not in self._names[j]:
            # country-level names and demonyms modify capitalised nouns ("Iraqi Army", "U.S. Senate")
            if not self._has_country(j) and not (self._prefixes_names(j) and _names_a_thing(text, e, nxt)):
                return True
        return False

    def _prefixes_names(self, j: int) -> bool:
        """True when the name is the main name of a region or a big town, known well enough to stay a place before another capitalised word:
        a first-level region or a big town ("Texas Parks and Wildlife", "Ohio Department of
        Development", "Dublin Arts Council"): names of things located there."""
        v = self._prefixing.get(j)
        if v is None:
            key = normalise(self._names[j])
            v = self._prefixing[j] = any(
                KINDS[self._kind[i]] in ("region", "city") and self._pop[i] >= PREFIX_CITY
                and normalise(self._pname[i]) == key for i in self._cand[j])
        return v

    def _has_country(self, j: int) -> bool:
        v = self._country_name.get(j)
        if v is None:
            v = self._country_name[j] = any(KINDS[self._kind[i]] == "country" for i in self._cand[j])
        return v

    # --- resolution --------------------------------------------------------------------------------
    def _prior_score(self, i: int) -> float:
        kind = KINDS[self._kind[i]]
        pop = self._pop[i] or 0
        score = math.log10(pop + 10)
        score += {"country": 2.5, "region": 0.5, "district": -2.5, "city": 0.0, "area": 3.0, "place": 0.0,
                  "sea": 3.0}[kind]
        if self._capital[i]:
            score += 1.0
        if i in self._curated:
            score += 1.5
        if self._lat[i] != self._lat[i]:  # NaN: no coordinates
            score -= 0.5
        return score

    def _region_key(self, i: int) -> int:
        """The first-level region an entry is in (a region is its own)."""
        return i if KINDS[self._kind[i]] == "region" else self._admin1[i]

    def _info(self, i: int) -> tuple[float, int, str, bool]:
        """(prior score, region key, country code, is a country) for one entry, computed once."""
        info = self._prior.get(i)
        if info is None:
            info = self._prior[i] = (self._prior_score(i), self._region_key(i), self._cc[i],
                                     KINDS[self._kind[i]] == "country")
        return info

    def _candidates(self, j: int) -> tuple[int, ...]:
        """A name's entries, best prior first, at most MAX_CANDIDATES: context can lift a small town
        named "Paris" over the French capital, but not the 200th "Springfield"."""
        c = self._ranked.get(j)
        if c is None:
            key = normalise(self._names[j])
            scored = []
            for i in self._cand[j]:
                prior = self._info(i)[0]
                if i not in self._curated and KINDS[self._kind[i]] in ("city", "district") \
                        and normalise(self._pname[i]) != key:
                    prior -= ALIAS_PENALTY  # an old or foreign name of a town ("Washington" for Piqua, Ohio)
                scored.append((prior, i))
            # A region named after its capital ("Najaf", "Aleppo", "Zarqa"): the bare name is the town,
            # which ranks just above its region (the region is meant when the text says "province").
            # Only a town called exactly that: "New York" stays the state, not New York City.
            region_prior = {i: p for p, i in scored if KINDS[self._kind[i]] == "region"}
            if region_prior:
                scored = [(max(p, region_prior[self._admin1[i]] + 0.1)
                           if KINDS[self._kind[i]] == "city" and self._admin1[i] in region_prior
                           and normalise(self._pname[i]) == key else p, i)
                          for p, i in scored]
            scored.sort(key=lambda x: -x[0])
            c = self._ranked[j] = tuple((i, prior) for prior, i in scored[:MAX_CANDIDATES])
        return c

    def _best(self, cands: tuple[tuple[int, float], ...], ccs: Counter, admin1s: Counter,
              qualifier: set | None = None) -> int:
        best, best_score = cands[0][0], -1e9
        total = sum(ccs.values()) or 1
        total_a1 = sum(admin1s.values()) or 1
        info, known = self._info, self._prior
        top = cands[0][1] - FAMOUS_GAP  # a far better-known namesake: the country alone is not enough
        for i, score in cands:
            r = known.get(i)  # _info(i), without the call when it is known
            _, a1, cc, is_country = info(i) if r is None else r
            if cc and ccs and (score >= top or a1 in admin1s or self._pop[i] >= MAJOR_CITY):
                # a country too: "Mexico" after "MEXICO CITY" is the country, not the city again; but
                # "London" in a story about the US is not London, Ohio unless the story names Ohio
                # (a city of 100,000 is enough on its own: Tripoli in a story naming Lebanon)
                n = ccs.get(cc)
                if n:
                    score += 1.5 + 3.0 * n / total  # the article's countries, weighted by their share
            if a1 >= 0 and admin1s:
                n = admin1s.get(a1)
                if n:
                    score += 1.0 + 3.0 * n / total_a1  # ... and its regions (Paris, Texas)
            if qualifier and (cc in qualifier or self._admin1[i] in qualifier or i in qualifier):
                score += 6.0
            if score > best_score:
                best, best_score = i, score
        return best

    def _first_row(self, j: int) -> tuple[int, str, int, int]:
        """For resolve(): (best entry without context, its country code, its region key, the only candidate
        or -1), once per name."""
        cache = self._context_free
        i = cache.get(j)
        if i is None:
            i = cache[j] = self._best(self._candidates(j), Counter(), Counter())
        offsets = self._cand.offsets
        single = self._cand.flat[offsets[j]] if offsets[j + 1] - offsets[j] == 1 else -1
        return (i, self._cc[i], self._region_key(i), single)

    def resolve(self, text: str, mentions: list[tuple[int, int, int]]) -> list[int]:
        """One entry per mention: a first pass without context, then again with the countries and regions
        that the article's *other* mentions point to; when that moved any of them, once more with the
        moved ones as context ("Red Oak", out of context in Texas, is in Iowa once the article's Iowa
        places are counted, and then so is its "Montgomery County")."""
        rows = self._first_rows
        first = []
        for _, _, j in mentions:
            r = rows.get(j)
            if r is None:
                r = rows[j] = self._first_row(j)
            first.append(r)
        guess = [r[0] for r in first]
        out = self._in_context(text, mentions, guess, Counter([r[1] for r in first if r[1]]),
                               Counter([r[2] for r in first if r[2] >= 0]))
        if out != guess:
            cc, key = self._cc, self._region_key
            out = self._in_context(text, mentions, out, Counter([cc[i] for i in out if cc[i]]),
                                   Counter([a for a in map(key, out) if a >= 0]))
        if len(mentions) > 2:
            self._like_neighbours(text, mentions, out)
        return out

    def _like_neighbours(self, text: str, mentions: list[tuple[int, int, int]], out: list[int]) -> None:
        """A name inside a list whose neighbours on both sides are towns (or both regions) is one too:
        "Washington, New York and Boston" names the city, "Missouri, New York, North Carolina" the state.
        Changes `out` in place."""
        kind, rows = self._kind, self._first_rows
        for k in range(1, len(mentions) - 1):
            (_, e0, _), (s, e, j), (s2, _, _) = mentions[k - 1], mentions[k], mentions[k + 1]
            if rows[j][3] >= 0 or not _LIST_SEP.fullmatch(text, e0, s) or not _LIST_SEP.fullmatch(text, e, s2):
                continue
            want = KINDS[kind[out[k - 1]]]
            if want not in ("city", "region") or KINDS[kind[out[k + 1]]] != want or KINDS[kind[out[k]]] == want:
                continue
            cands = tuple(c for c in self._candidates(j) if KINDS[kind[c[0]]] == want)
            if cands:
                cc = self._cc[out[k - 1]]
                out[k] = self._best(cands, Counter({cc: 1}) if cc else Counter(), Counter())

    def _in_context(self, text: str, mentions: list[tuple[int, int, int]], first: list[int], ccs: Counter,
                    admin1s: Counter) -> list[int]:
        """resolve()'s pass: each mention with more than one candidate by the countries (`ccs`) and regions
        (`admin1s`) of `first`, the entries guessed for all mentions, less its own."""
        rows = self._first_rows
        repeats = Counter([j for _, _, j in mentions])
        out = []
        seen: dict[int, int] = {}
        for k, (s, e, j) in enumerate(mentions):
            single = rows[j][3]
            if single >= 0:
                out.append(single)
                continue  # a single candidate needs no context
            qualifier = None
            # "Springfield, Illinois" / "Tripoli, Lebanon": the next mention qualifies this one
            if k + 1 < len(mentions):
                s2, e2, _ = mentions[k + 1]
                if text[e:s2].strip() == ",":
                    q = first[k + 1]
                    qualifier = {self._cc[q], q} if KINDS[self._kind[q]] in ("country", "region") else None
            if qualifier is None and j in seen:  # the same name again: same context, same answer
                out.append(seen[j])
                continue
            # the context is the *other* names: "Paris" said three times does not vote for France
            own_cc, own_a1, times = self._cc[first[k]], self._region_key(first[k]), repeats[j]
            if own_cc:
                ccs[own_cc] -= times
            if own_a1 >= 0:
                admin1s[own_a1] -= times
            cands = self._candidates(j)
            if text[s].isupper() and text[e - 1].isupper() and text[s:e].isupper() and _DATELINE.match(text, e):
                # a dateline ("NEW YORK (AP) —") names a town, not the state of that name
                cands = tuple(c for c in cands if KINDS[self._kind[c[0]]] == "city") or cands
            best = self._best(cands, +ccs, +admin1s, qualifier)
            out.append(best)
            if qualifier is None:
                seen[j] = best
            if own_cc:
                ccs[own_cc] += times
            if own_a1 >= 0:
                admin1s[own_a1] += times
        return out

    def metonyms(self, text: str, mentions: list[tuple[int, int, Place]]) -> set[int]:
        """Numbers of the mentions that name a state rather than a place: a national capital standing for
        its government ("Baghdad is busy discussing ... with Washington", "London said": followed by a
        speech or stance verb, or after "with"/"between"/"and" in a sentence about diplomacy), and a
        country right before "military", "officials", "presence"... ("the US military presence"). The
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
                  exclude) -> list[tuple[int, int, Place]]:
        """Streets, rivers, mountains, crossings and bases the gazetteer lacks ("Haifa Street", "Wichita
        Drive", "Jebel Sinjar", "Ain al-Asad Air Base"): a capitalised name with its feature word is one
        mention, replacing a town found inside it ("Wichita"). It is placed, approximately, at the place
        the article names most often (a town or region before a country); without one it is left out."""
        spans = []
        for m in _feature_matches(text, hits):
            s, e = m
            words = text[s:e].split(" ")
            while len(words) > 2 and words[0].lower() in NEIGHBOURS_OK and words[0].lower() not in QUALIFIERS:
                s += len(words[0]) + 1  # "In Haifa Street": the sentence's first word is not the name
                words = words[1:]
            if any(a < e and s < b for a, b in exclude):
                continue  # a tag beats a place
            if any(a < s < b or a < e < b for a, b, _ in found):
                continue  # a longer name we found crosses it
            spans.append((s, e))
        if not spans:
            return found
        host = _most_named([f for f in found if not any(s <= f[0] and f[1] <= e for s, e in spans)])
        extra = []
        for s, e in spans:
            base = None
            name = text[s:e]
            if not name.endswith(_STREETS):  # "Wichita Drive" is a street of the article's town, not in Wichita
                m = _FEATURE_AFFIX.search(name)
                bare = (name[:m.start()] + name[m.end():]).strip()
                base = self.lookup(bare) if bare else None  # "Mount Sinjar", "Sacramento River": by the town
                if base is not None and host is not None and base.country != host.country:
                    base = None  # a namesake abroad: the article's own place is the better guess
            base = base or host
            if base is None or base.lat is None:
                continue
            extra.append((s, e, Place(name=text[s:e], country=base.country,
                                      region=base.name if base.kind == "region" else base.region,
                                      kind="place", lat=base.lat, lon=base.lon, approximate=True)))
        if not extra:
            return found
        kept = [f for f in found if not any(s <= f[0] and f[1] <= e for s, e, _ in extra)]
        return sorted(kept + extra, key=lambda x: x[0])

    def _lone_foreign(self, text: str, mentions: list[tuple[int, int, int]], resolved: list[int]) -> dict[int, Place]:
        """A small town alone in its country while the article's other places agree on another one ("the
        Gara region of Duhok province" in a story naming Iraq, Erbil and Baghdad is not Gara, Hungary):
        the name is kept, placed approximately in what the text puts it in ("region of Duhok") or else in
        the article's own country. Returns replacements by mention number."""
        kind, pop, cc, curated = self._kind, self._pop, self._cc, self._curated
        small = [k for k, i in enumerate(resolved)
                 if KINDS[kind[i]] == "city" and pop[i] < LONE_TOWN_POP and i not in curated]
        if not small:
            return {}
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
                container = self.place(self._country_idx[home]) if home in self._country_idx else None
            if container is None:
                continue
            out[k] = Place(name=text[s:e], country=container.country,
                           region=container.name if container.kind in ("region", "district") else None,
                           kind="place", lat=container.lat, lon=container.lon, approximate=True)
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

    def _located_unknowns(self, text, found, exclude, exclusion=None) -> list[tuple[int, int, Place]]:
        """'Tal Abita (Nineveh)': a name we lack, placed by the region in brackets; coordinates approximate.

        `exclusion`, when given, is the first three of `_exclusion(len(text), exclude)` for maskable spans;
        `found` must then be sorted by start and free of overlaps, as find() makes it (then an overlap is a
        bisection, not a scan)."""
        extra = []
        if " (" not in text:
            return extra
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
            place = placed_under(name, self.lookup(container, CONTAINERS))
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


# Between two items of a list ("Washington, New York and Boston")
_LIST_SEP = re.compile(r",? (?:and|or) |, ")


# Particles of surnames ("Mike de Kock", "Luc van den Brande", "Ludwig von Mises")
# (not the Arabic "al", "bin": "Ras al Ain" is a town)
_PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "di", "du", "del", "della", "dos", "das", "ter",
                        "ten"})


def _title_case_head(text: str) -> int:
    """The end of the text's first line or sentence when it is a headline in title case ("Freemason
    Bogdanov Joins Sochi Mayor Race."), else 0."""
    stop = len(text)
    for mark in (". ", "\n"):
        k = text.find(mark, 0, 200)
        if 0 <= k < stop:
            stop = k
    if stop == len(text) and stop > 200:
        return 0
    words = [w for w in _HEAD_WORD.findall(text, 0, stop) if len(w) >= 4]
    if len(words) < 3 or sum(w[0].isupper() for w in words) < 0.8 * len(words):
        return 0
    return stop


_HEAD_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _given_name(word: str) -> bool:
    """A word that may be a given name, an initial or a title before a surname ("Michael", "D.", "Mr."):
    not a number, a hyphenated or all-capital word ("A429", "Philadelphia-based", "NBC")."""
    core = word[:-1] if word.endswith(".") else word
    return core.isalpha() and (len(core) == 1 or core[1:].islower())


def _brackets(text: str):
    """`_BRACKETED.finditer(text)`, trying the pattern only where " (" occurs."""
    match = _BRACKETED.match
    pos = 0
    while True:
        i = text.find(" (", pos)
        if i < 0:
            return
        b = match(text, i)
        if b is None:
            pos = i + 1
        else:
            yield b
            pos = b.end()


def _exclusion(n: int, exclude) -> tuple:
    """(starts, ends, mask, maskable) for the excluded spans. Sorted, disjoint, non-empty spans (the tagger's)
    give their starts and ends, for a bisection; others a byte mask built as it always was (`maskable`: the
    mask means what the span list means for an overlap test)."""
    if not exclude:
        return None, None, None, True
    prev = 0
    for a, b in exclude:
        if not prev <= a < b:
            return None, None, _mask(n, exclude), _maskable(exclude)
        prev = b
    return [a for a, _ in exclude], [b for _, b in exclude], None, True


def _mask(n: int, exclude) -> bytearray | None:
    """Excluded positions as a byte mask (1 = excluded), so an overlap test is one `find`; None when nothing
    is excluded."""
    if not exclude:
        return None
    blocked = bytearray(n + 1)
    for a, b in exclude:
        blocked[a:b] = b"\x01" * (b - a)
    return blocked


def _maskable(exclude) -> bool:
    """True when the mask means what the span list means for an overlap test: no empty, reversed or negative
    span (tags never are)."""
    for a, b in exclude:
        if not 0 <= a < b:
            return False
    return True


@lru_cache(maxsize=1)
def default_geonames_gazetteer() -> GeoNamesGazetteer:
    return GeoNamesGazetteer.load()
