"""Namesakes: a town resolved far from the article's other places yields to one of the same name
near them (in its country, or in any country when the places cluster). A mixin of Resolver, split
from resolve.py by concern: these rules run after every mention has a first entry."""
from __future__ import annotations

import math
from collections import Counter

from .build import KINDS
from .weights import CLUSTER_GAP, CLUSTER_NEED, MAJOR_CITY, NAMESAKE_GAP, NEAR_KM


class Namesakes:
    """The namesake rules of Resolver (its tables: _lat, _lon, _kind, _cc, _first_rows, the memos)."""

    def _clustered_namesakes(self, mentions: list[tuple[int, int, int]], out: list[int]) -> None:
        """A town far (`NEAR_KM`) from every other place of the article yields to a namesake, in any
        country and up to `CLUSTER_GAP` prior points less known, that lies near at least `CLUSTER_NEED`
        of them: the article's places cluster, so "Sharon, Cornwall and Salisbury" beside Falls Village
        and Kent are the Connecticut towns, not Pennsylvania's, and "East Zorra-Tavistock" beside
        Woodstock and Plattsville is in Ontario, not England. One near place is not enough (that is
        _nearest_namesakes' job, within a country and a smaller gap). Changes `out` in place."""
        lat, lon = self._lat, self._lon
        memo, wide = self._wide_memo, self._wide_namesakes
        js = [m[2] for m in mentions]
        todo = []  # (mention, its namesakes): _wide_namesakes(j, i), from the memo in one map() when known
        for k, v in enumerate(list(map(memo.get, zip(js, out)))):
            if v is None:
                v = wide(js[k], out[k])
            if v:
                todo.append((k, v))
        if not todo:
            return
        anchors = self._anchors(mentions, out)
        if len(anchors) <= CLUSTER_NEED:
            return
        done: dict[tuple[int, int], int] = {}  # (name, entry) -> the entry it moves to
        for k, namesakes in todo:
            j, i = mentions[k][2], out[k]
            v = done.get((j, i))
            if v is None:
                v = i
                pts = [(lat[a], lon[a]) for a, js in anchors.items() if js != {j} and a != i]
                if len(pts) >= CLUSTER_NEED and _nearest_km(lat[i], lon[i], pts) >= NEAR_KM:
                    most = CLUSTER_NEED - 1
                    for c in namesakes:
                        n = _near_count(lat[c], lon[c], pts, NEAR_KM)
                        if n > most:
                            v, most = c, n
                done[(j, i)] = v
            out[k] = v

    def _wide_namesakes(self, j: int, i: int) -> tuple[int, ...]:
        """Towns named j, in any country, with coordinates, at most CLUSTER_GAP prior points below town i
        (see _clustered_namesakes); none unless i is a town with coordinates. Computed once."""
        memo = self._wide_memo
        kind, lat = self._kind, self._lat
        if KINDS[kind[i]] != "city" or lat[i] != lat[i]:
            v: tuple[int, ...] = ()
        else:
            floor = self._info(i)[0] - CLUSTER_GAP
            v = tuple(c for c, prior in self._candidates(j) if c != i and prior >= floor
                      and kind[c] == kind[i] and lat[c] == lat[c])
        if len(memo) >= 65536:
            memo.clear()
        memo[(j, i)] = v
        return v

    def _anchors(self, mentions: list[tuple[int, int, int]], out: list[int]) -> dict[int, set[int]]:
        """The article's places that can vouch for a namesake near them (towns, districts, regions with
        coordinates), each with the names resolved to it: a name does not vouch for itself."""
        kind, lat = self._kind, self._lat
        anchors: dict[int, set[int]] = {}
        for (_, _, j), i in zip(mentions, out):
            if KINDS[kind[i]] in ("city", "district", "region") and lat[i] == lat[i]:
                anchors.setdefault(i, set()).add(j)
        return anchors

    def _short_forms(self, mentions: list[tuple[int, int, int]], out: list[int]) -> None:
        """A town named by the first words of a town the article named before is that town ("Avondale" in a
        story about Avondale Estates, Georgia, was Avondale, Arizona): a story names its own town in full
        first and by the short form after, and the gazetteer may hold no town of the short name near it.
        Only when the short name's entry lies NEAR_KM or more from the longer one and is no MAJOR_CITY
        ("Washington" after "Washington Court House" stays the capital); a short name met before the long
        one is a town of its own ("Bury North" ... "Bury St Edmunds" in a list of seats). Changes `out` in
        place."""
        kind, pop, lat, lon, names = self._kind, self._pop, self._lat, self._lon, self._names
        longer: dict[str, tuple[int, int]] = {}  # first words of a town's name with a space -> (entry, end)
        for (_, e, j), i in zip(mentions, out):
            name = names[j]  # the name as matched: no slice of the text for each mention
            if " " in name and KINDS[kind[i]] == "city" and lat[i] == lat[i]:
                words = name.split(" ")
                for n in range(1, len(words)):
                    longer.setdefault(" ".join(words[:n]), (i, e))
        if not longer:
            return
        first: dict[int, int] = {}  # a short name -> where the article first names it alone
        for k, ((s, _, j), i) in enumerate(zip(mentions, out)):
            got = longer.get(names[j])
            if got is None:
                continue
            a, long_end = got
            if first.setdefault(j, s) < long_end or a == i or KINDS[kind[i]] != "city" or pop[i] >= MAJOR_CITY:
                continue
            if lat[i] == lat[i] and _nearest_km(lat[i], lon[i], [(lat[a], lon[a])]) < NEAR_KM:
                continue
            out[k] = a

    def _nearest_namesakes(self, mentions: list[tuple[int, int, int]], out: list[int]) -> None:
        """A town whose region no other name of the article shares yields to a namesake of its country,
        nearly as well known, that lies near the article's other places ("Hanover" in a story naming
        Vermont is Hanover, New Hampshire, not Maryland; "Middletown" beside Hartford is the one in
        Connecticut, not New Jersey). Changes `out` in place."""
        lat, lon, key = self._lat, self._lon, self._region_key
        rows = self._first_rows
        memo, namesakes = self._namesake_memo, self._namesakes
        todo = []
        for k, ((_, _, j), i) in enumerate(zip(mentions, out)):
            if rows[j][3] < 0:
                v = memo.get((j, i))
                if v is None:
                    v = namesakes(j, i)
                if v:
                    todo.append(k)
        if not todo:
            return
        anchors = self._anchors(mentions, out)
        if len(anchors) < 2:
            return
        regions = Counter(key(i) for i in anchors)
        done: dict[tuple[int, int], int] = {}  # (name, entry) -> the entry it moves to
        for k in todo:
            j, i = mentions[k][2], out[k]
            if (j, i) in done:
                continue
            done[(j, i)] = i
            if regions[key(i)] > 1:
                continue
            pts = [(lat[a], lon[a]) for a, js in anchors.items() if js != {j} and a != i]
            if not pts:
                continue
            best, best_d = i, _nearest_km(lat[i], lon[i], pts)
            if best_d < NEAR_KM:
                continue
            for c in self._namesakes(j, i):
                d = _nearest_km(lat[c], lon[c], pts)
                if d < NEAR_KM and d < best_d:
                    best, best_d = c, d
            done[(j, i)] = best
        for k in todo:
            out[k] = done[(mentions[k][2], out[k])]

    def _namesakes(self, j: int, i: int) -> tuple[int, ...]:
        """Towns named j in the same country as town i, with coordinates, at most NAMESAKE_GAP prior points
        below it (see _nearest_namesakes), computed once."""
        memo = self._namesake_memo
        v = memo.get((j, i))
        if v is None:
            kind, lat, cc = self._kind, self._lat, self._cc
            if KINDS[kind[i]] != "city" or lat[i] != lat[i]:
                v = ()
            else:
                floor = self._info(i)[0] - NAMESAKE_GAP
                v = tuple(c for c, prior in self._candidates(j) if c != i and prior >= floor and cc[c] == cc[i]
                          and KINDS[kind[c]] == "city" and lat[c] == lat[c])
            if len(memo) >= 65536:
                memo.clear()
            memo[(j, i)] = v
        return v


def _nearest_km(la: float, lo: float, pts: list[tuple[float, float]]) -> float:
    """Distance in km from a point to the nearest of `pts` (equirectangular: fine at these ranges)."""
    c = math.cos(math.radians(la))
    return 111.2 * math.sqrt(min((la - a) ** 2 + ((lo - b) * c) ** 2 for a, b in pts))


def _near_count(la: float, lo: float, pts: list[tuple[float, float]], km: float) -> int:
    """How many of `pts` lie within `km` of a point (equirectangular, as _nearest_km)."""
    c = math.cos(math.radians(la))
    lim = (km / 111.2) ** 2
    return sum(1 for a, b in pts if (la - a) ** 2 + ((lo - b) * c) ** 2 <= lim)


# Between two items of a list ("Washington, New York and Boston")
