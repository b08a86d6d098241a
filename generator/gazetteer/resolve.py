"""Resolution: one GeoNames entry per mention, by prior (kind, population, capital, curated) and the
article's own context (the countries and regions its other mentions name). A mixin of GeoNamesGazetteer."""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, _count_elements

from .build import KINDS, normalise
from .namesakes import Namesakes
from .textrules import _DATELINE, in_body_name
from .weights import (
    ALIAS_PENALTY,
    CAPITAL_PRIOR,
    CAPITAL_SHARE,
    COUNTRY_BASE,
    COUNTRY_SHARE,
    COUNTY_PAIR,
    CURATED_PRIOR,
    FAMOUS_GAP,
    KIND_PRIOR,
    MAJOR_CITY,
    MAX_CANDIDATES,
    NAMED_COUNTRY_GAP,
    QUALIFIER,
    REGION_BASE,
    REGION_SHARE,
    REGION_SUPPORT,
)


class Resolver(Namesakes):
    """Ranking a name's entries, then the article's context over them."""

    # --- resolution --------------------------------------------------------------------------------
    def _prior_score(self, i: int) -> float:
        kind = KINDS[self._kind[i]]
        pop = self._pop[i] or 0
        score = math.log10(pop + 10)
        score += KIND_PRIOR[kind]
        if self._capital[i]:
            score += CAPITAL_PRIOR
        if i in self._curated:
            score += CURATED_PRIOR
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
                        and normalise(self._pname[i]) != key and _unaccented(self._pname[i]) != key:
                    # an old or foreign name of a town ("Washington" for Piqua, Ohio); its own name without
                    # accents is no other name ("Cancun" for Cancún, "Bogota" for Bogotá)
                    prior -= ALIAS_PENALTY
                scored.append((prior, i))
            # A region named after its capital ("Najaf", "Aleppo", "Hama", "Nablus"): the bare name is the
            # town, which ranks just above the region (the region is meant when the text says "province"):
            # a town of that country named so, in a transliteration of as many words ("Hamah", "Basrah"),
            # with a fifth of the region's people. "New York" stays the state, not New York City, and
            # "Xinjiang" the region, not a small town of that name in it.
            regions = [(p, i) for p, i in scored if KINDS[self._kind[i]] == "region"]
            if regions:
                region_prior = {i: p for p, i in regions}
                top_p, top_r = max(regions)
                words = key.count(" ")
                pop, cc, admin1 = self._pop, self._cc, self._admin1
                out = []
                for p, i in scored:
                    if KINDS[self._kind[i]] == "city" and pop[i] > 0:
                        own = normalise(self._pname[i])
                        if own == key and admin1[i] in region_prior \
                                and pop[i] * 10 * CAPITAL_SHARE >= pop[admin1[i]]:
                            p = max(p, region_prior[admin1[i]] + 0.1)  # "Najaf", "Bern" in their regions
                        elif cc[i] == cc[top_r] and pop[i] * CAPITAL_SHARE >= pop[top_r] \
                                and own.count(" ") == words and own[:3] == key[:3]:
                            p = max(p, top_p + 0.1)  # "Hamah" for "Hama", "Nablus" of the West Bank
                    out.append((p, i))
                scored = out
            scored.sort(key=lambda x: -x[0])
            c = self._ranked[j] = tuple((i, prior) for prior, i in scored[:MAX_CANDIDATES])
        return c

    def _best(self, cands: tuple[tuple[int, float], ...], ccs: Counter, admin1s: Counter,
              qualifier: set | None = None, paired: set[int] | frozenset = frozenset(),
              support: tuple[dict[int, float], dict[int, float], float] | None = None,
              inner: Counter | None = None) -> int:
        """The best of `cands` in the article's context: its countries `ccs` and regions `admin1s` (the
        other mentions' entries), `inner` the countries of those that are not countries themselves."""
        best, best_score = cands[0][0], -1e9
        total = sum(ccs.values()) or 1
        total_a1 = sum(admin1s.values()) or 1
        info, known, pop = self._info, self._prior, self._pop
        top = cands[0][1] - FAMOUS_GAP  # a far better-known namesake: the country alone is not enough
        named_top = cands[0][1] - NAMED_COUNTRY_GAP
        # what stays the same for every candidate, read once (up to MAX_CANDIDATES of them)
        cc_get = ccs.get if ccs else None
        a1_get = admin1s.get if admin1s else None
        if support:
            sup_all, sup_own, sup_n = support[0].get, support[1].get, support[2]
        else:
            sup_all = None
        for i, score in cands:
            r = known.get(i)  # _info(i), without the call when it is known
            _, a1, cc, is_country = info(i) if r is None else r
            if cc and cc_get is not None and (score >= top or a1 in admin1s or pop[i] >= MAJOR_CITY) \
                    and (inner is None or is_country or score >= named_top or inner.get(cc, 0) > 0
                         or pop[i] >= MAJOR_CITY):
                # a country named only by its name ("the U.S." in a story of Ukraine) lifts a big city
                # (London, Ontario beside "Canada") but not a lesser namesake (Venice, California)
                # a country too: "Mexico" after "MEXICO CITY" is the country, not the city again; but
                # "London" in a story about the US is not London, Ohio unless the story names Ohio
                # (a city of 100,000 is enough on its own: Tripoli in a story naming Lebanon)
                n = cc_get(cc)
                if n:
                    score += COUNTRY_BASE + COUNTRY_SHARE * n / total  # the article's countries, weighted by their share
            if a1 >= 0 and a1_get is not None:
                n = a1_get(a1)
                if n:
                    score += REGION_BASE + REGION_SHARE * n / total_a1  # ... and its regions (Paris, Texas)
            if qualifier and (cc in qualifier or self._admin1[i] in qualifier or i in qualifier):
                score += QUALIFIER
            if paired and i in paired:
                score += COUNTY_PAIR  # a town of a county the article names, or the county of a town it names
            if sup_all is not None and a1 >= 0 and score >= top:  # the regions the other names may be in
                score += REGION_SUPPORT * (sup_all(a1, 0.0) - sup_own(a1, 0.0)) / sup_n
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
        body = self._in_body_names(text, mentions, guess)
        if body:  # "Air Canada", "Bank of England": a country inside a body's name is no context
            first = [(r[0], "", -1, r[3]) if k in body else r for k, r in enumerate(first)]
        names = {j for _, _, j in mentions}  # the distinct names, for both of these
        paired = self._county_pairs(mentions, names)
        support = self._region_support(mentions, names)
        if paired:  # a town and its county start as each other's context
            guess = [next((i for i, _ in self._candidates(j) if i in paired), i0)
                     for (_, _, j), i0 in zip(mentions, guess)]
            out = self._in_context(text, mentions, guess, *self._context(guess, body), paired, support, body)
        else:
            out = self._in_context(text, mentions, guess, _counts([r[1] for r in first if r[1]]),
                                   _counts([r[2] for r in first if r[2] >= 0]), paired, support, body)
        if out != guess:
            out = self._in_context(text, mentions, out, *self._context(out, body), paired, support, body)
        if len(mentions) > 2:
            self._like_neighbours(text, mentions, out)
        if len(mentions) > 1:
            self._nearest_namesakes(mentions, out)
        if len(mentions) > 2:
            self._clustered_namesakes(mentions, out)
        if len(mentions) > 1:
            self._short_forms(mentions, out)
        return out

    def _context(self, chosen: list[int], body: set[int]) -> tuple:
        """The countries and regions of the entries chosen for the mentions, counted: the article's
        context for `_in_context` (a mention inside a body's name left out)."""
        cc, keys = self._cc, [self._region_key(i) for i in chosen]
        return (_counts([cc[i] for k, i in enumerate(chosen) if cc[i] and k not in body]),
                _counts([a for k, a in enumerate(keys) if a >= 0 and k not in body]))

    def _in_body_names(self, text: str, mentions: list[tuple[int, int, int]], guess: list[int]) -> set[int]:
        """Numbers of the mentions of a country inside a body's name ("Air Canada Cargo", "Bank of
        England"; metonyms() leaves them off the map): they say where the body is from, not where the
        story is, so "London" beside "Air Canada" had become London, Ontario."""
        kind, country = self._kind, KINDS.index("country")
        return {k for k, ((s, e, _), i) in enumerate(zip(mentions, guess)) if kind[i] == country
                and in_body_name(text, s, e)}

    def _support_of(self, j: int) -> dict[int, float]:
        """Name j's vote for the first-level regions its entries are in: one vote, split evenly (a
        "Springfield" in thirty states says little of any), computed once."""
        v = self._support_memo.get(j)
        if v is None:
            a1s = {self._region_key(i) for i, _ in self._candidates(j)}
            a1s.discard(-1)
            v = self._support_memo[j] = {a: 1.0 / len(a1s) for a in a1s} if a1s else {}
        return v

    def _region_support(self, mentions: list[tuple[int, int, int]],
                        names: set[int] | None = None) -> tuple[dict[int, float], int]:
        """The article's names' votes for regions, summed, and the number of names: a town is more likely
        in a region where the other names may lie too ("Rogersville", "Logan" and "Springfield" are all
        towns of Missouri), whatever each of them would be on its own. `names`: the mentions' names,
        when the caller has them."""
        if names is None:
            names = {j for _, _, j in mentions}
        out: dict[int, float] = {}
        if len(names) > 1:
            memo = self._support_memo
            get = out.get
            for j in names:
                votes = memo.get(j)  # _support_of(j), without the call once it is known
                if votes is None:
                    votes = self._support_of(j)
                for a, v in votes.items():
                    out[a] = get(a, 0.0) + v
        return out, len(names)

    def _county_rows(self, j: int) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...]]:
        """Name j's counties or districts, and its towns with their county as (county, town), once."""
        v = self._county_memo.get(j)
        if v is None:
            kind, a2 = self._kind, self._admin2
            districts, towns = [], []
            for i, _ in self._candidates(j):
                k = KINDS[kind[i]]
                if k == "district":
                    districts.append(i)
                elif k == "city" and a2[i] >= 0:
                    towns.append((a2[i], i))
            v = self._county_memo[j] = (tuple(districts), tuple(towns))
        return v

    def _county_pairs(self, mentions: list[tuple[int, int, int]],
                      names: set[int] | None = None) -> set[int] | frozenset:
        """Entries that a county or district named in the article ties to another of its names: the town
        of that county ("Huntsville" beside "Walker County" is Huntsville, Texas, not the bigger one in
        Alabama) and the county that holds a town the article names. Empty without a county. `names`:
        the mentions' names, when the caller has them."""
        if names is None:
            names = {j for _, _, j in mentions}
        if len(names) < 2:
            return frozenset()
        memo = self._county_memo
        rows = {}
        district_of: dict[int, set[int]] = {}  # district entry -> the names it is a candidate of
        for j in names:
            row = memo.get(j)  # _county_rows(j), without the call once it is known
            if row is None:
                row = self._county_rows(j)
            rows[j] = row
            for d in row[0]:
                district_of.setdefault(d, set()).add(j)
        if not district_of:
            return frozenset()
        out = set()
        for j, (_, towns) in rows.items():
            for d, i in towns:
                by = district_of.get(d)
                if by and (len(by) > 1 or j not in by):  # another name: "Lancaster" does not vouch for itself
                    stem = normalise(self._names[j]) + " "
                    if all(b == j or normalise(self._names[b]).startswith(stem) for b in by):
                        continue  # nor does "Madison" for "Madison County": the one name, said twice
                    out.add(i)
                    out.add(d)
        return out

    def _like_neighbours(self, text: str, mentions: list[tuple[int, int, int]], out: list[int]) -> None:
        """A name inside a list whose neighbours on both sides are towns (or both regions) is one too:
        "Washington, New York and Boston" names the city, "Missouri, New York, North Carolina" the state.
        Changes `out` in place."""
        kind, rows = self._kind, self._first_rows
        sep = _LIST_SEP.fullmatch
        for k in range(1, len(mentions) - 1):
            s, e, j = mentions[k]
            if rows[j][3] >= 0:
                continue
            e0, s2 = mentions[k - 1][1], mentions[k + 1][0]
            # a separator is 2 to 6 characters (", " to ", and "): the lengths first, the pattern then
            if not (2 <= s - e0 <= 6 and 2 <= s2 - e <= 6) or not sep(text, e0, s) or not sep(text, e, s2):
                continue
            want = KINDS[kind[out[k - 1]]]
            if want not in ("city", "region") or KINDS[kind[out[k + 1]]] != want or KINDS[kind[out[k]]] == want:
                continue
            cands = tuple(c for c in self._candidates(j) if KINDS[kind[c[0]]] == want)
            if cands:
                cc = self._cc[out[k - 1]]
                out[k] = self._best(cands, Counter({cc: 1}) if cc else Counter(), Counter())

    def _in_context(self, text: str, mentions: list[tuple[int, int, int]], first: list[int], ccs: Counter,
                    admin1s: Counter, paired: set[int] | frozenset = frozenset(),
                    support: tuple[dict[int, float], int] = ({}, 0), body: set[int] | frozenset = frozenset()) -> list[int]:
        support_all, n_names = support
        """resolve()'s pass: each mention with more than one candidate by the countries (`ccs`) and regions
        (`admin1s`) of `first`, the entries guessed for all mentions, less its own."""
        rows = self._first_rows
        repeats = _counts([j for k, (_, _, j) in enumerate(mentions) if k not in body])
        kind, country, cc_of = self._kind, KINDS.index("country"), self._cc
        inner = _counts([cc_of[i] for k, i in enumerate(first) if cc_of[i] and k not in body and kind[i] != country])
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
                    kq = KINDS[self._kind[q]]
                    # "Tripoli, Lebanon": any entry of that country; "Springfield, Ohio": one of that
                    # region, not any town of its country
                    qualifier = {self._cc[q], q} if kq == "country" else {q} if kq == "region" else None
            if qualifier is None and j in seen:  # the same name again: same context, same answer
                out.append(seen[j])
                continue
            # the context is the *other* names: "Paris" said three times does not vote for France
            own_cc, own_a1, times = self._cc[first[k]], self._region_key(first[k]), repeats[j]
            own_inner = own_cc if own_cc and kind[first[k]] != country else ""
            if own_inner:
                inner[own_inner] -= times
            if own_cc:
                ccs[own_cc] -= times
            if own_a1 >= 0:
                admin1s[own_a1] -= times
            cands = self._candidates(j)
            if text[s].isupper() and text[e - 1].isupper() and text[s:e].isupper() and _DATELINE.match(text, e):
                # a dateline ("NEW YORK (AP) —") names a town, not the state of that name
                cands = tuple(c for c in cands if KINDS[self._kind[c[0]]] == "city") or cands
            # the share of the *other* names that may lie in each region
            sup = (support_all, self._support_of(j), n_names - 1) if n_names > 1 else None
            best = self._best(cands, _positive(ccs), _positive(admin1s), qualifier, paired, sup, inner)
            out.append(best)
            if qualifier is None:
                seen[j] = best
            if own_inner:
                inner[own_inner] += times
            if own_cc:
                ccs[own_cc] += times
            if own_a1 >= 0:
                admin1s[own_a1] += times
        return out


def _unaccented(name: str) -> str:
    """normalise() without diacritics ("Cancún" -> "cancun"), for the rare name that has them."""
    low = normalise(name)
    if low.isascii():
        return low
    return "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))


_LIST_SEP = re.compile(r",? (?:and|or) |, ")


def _counts(items: list) -> Counter:
    """`Counter(items)` for a list: Counter() and its update() check for a mapping first (~0.6 µs, five to
    seven times an article); this counts straight away, as update() does for any other iterable."""
    c = Counter.__new__(Counter)
    _count_elements(c, items)
    return c


def _positive(counts: Counter) -> Counter:
    """`+counts` (the positive counts, in their order) without Counter()'s mapping check: once or twice
    per mention that needs its context."""
    c = Counter.__new__(Counter)
    for k, v in counts.items():
        if v > 0:
            c[k] = v
    return c
