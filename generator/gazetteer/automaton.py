"""A compact Aho-Corasick automaton over the gazetteer's folded names (values are name indices)."""
from __future__ import annotations

import ahocorasick

from .build import normalise


def make_automaton(names: list[str]) -> ahocorasick.Automaton:
    a = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for i, n in enumerate(names):
        # " name ": whole words only, so "Suf" is never a hit inside "suffers" (names are unique by normalise())
        a.add_word(" " + normalise(n) + " ", i)
    a.make_automaton()
    return a
