"""A compact Aho-Corasick automaton over the gazetteer's folded names (values are name indices)."""
from __future__ import annotations

import ahocorasick

from .build import normalise


def make_automaton(names: list[str]) -> ahocorasick.Automaton:
    a = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for i, n in enumerate(names):
        a.add_word(" " + normalise(n), i)  # names are unique by normalise() (see build._finish)
    a.make_automaton()
    return a
