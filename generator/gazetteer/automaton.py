"""The gazetteer's Aho-Corasick automaton over its folded names, and the one scan of a text it shares with
the tagger: the vocabulary's aliases are keys of the same automaton, so an article is scanned once for
both (two scans cost ~90 µs more per 5 KB article; see docs/scaling.md)."""
from __future__ import annotations

from array import array
from typing import Any, Iterable

import ahocorasick

from ..enrich.matcher import padded_normalised
from .build import normalise


def make_automaton(names: list[str], tag_keys: Iterable[str] = ()) -> tuple[ahocorasick.Automaton, array]:
    """Keys " name " with value j (the name's index; names are unique by normalise()) and the tagger's
    keys " alias " with value len(names) + t (t: the key's index in `tag_keys`); `tag_gaz[t]` is the
    name index of a key both have, else -1."""
    a = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    index = {k: t for t, k in enumerate(tag_keys)}
    tag_gaz = array("i", [-1]) * len(index)
    for j, n in enumerate(names):
        # " name ": whole words only, so "Suf" is never a hit inside "suffers"
        key = " " + normalise(n) + " "
        t = index.get(key)
        if t is None:
            a.add_word(key, j)
        else:
            tag_gaz[t] = j
    n = len(names)
    for key, t in index.items():
        a.add_word(key, n + t)
    a.make_automaton()
    return a, tag_gaz


class Scan:
    """One pass of the automaton over a text, its hits split between the gazetteer (name indices) and a
    linked tagger (its PhraseMatcher's values), remembered for the last text object: tagging and
    geoparsing read the same article one after the other (keyed by identity, as padded_normalised())."""

    __slots__ = ("automaton", "n", "tag_keys", "tag_gaz", "_last")

    def __init__(self, automaton: ahocorasick.Automaton, n: int, tag_keys: tuple[str, ...] = (),
                 tag_gaz: array | None = None):
        self.automaton, self.n = automaton, n
        self.tag_keys = tuple(tag_keys)
        self.tag_gaz = tag_gaz if tag_gaz is not None else array("i")
        self._last: tuple = (None, None, None)

    def index(self, key: str) -> int:
        """The name index of an automaton key (" name "), -1 when no name has it."""
        v = self.automaton.get(key, -1)
        return self.tag_gaz[v - self.n] if v >= self.n else v

    def values_for(self, keys: dict[str, Any]) -> list[Any] | None:
        """A tagger's value of each tag key (its automaton's keys and values are `keys`), in the order of the
        tag hits' numbers; None unless its keys are exactly the ones this automaton was built with (its
        hits would differ: that tagger keeps its own scan)."""
        if len(keys) != len(self.tag_keys) or not all(k in keys for k in self.tag_keys):
            return None
        return [keys[k] for k in self.tag_keys]

    def hits(self, text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """(gazetteer hits as (end, name index), tag hits as (end, tag key number)), in the automaton's order."""
        last = self._last
        if last[0] is text:
            return last[1], last[2]
        padded = padded_normalised(text)
        n = self.n
        tag_gaz = self.tag_gaz
        gaz: list[tuple[int, int]] = []
        tags: list[tuple[int, int]] = []
        add_gaz, add_tag = gaz.append, tags.append
        for end, v in self.automaton.iter(padded):
            if v < n:
                add_gaz((end, v))
                continue
            v -= n
            j = tag_gaz[v]
            if j >= 0:
                add_gaz((end, j))
            add_tag((end, v))
        self._last = (text, gaz, tags)
        return gaz, tags
