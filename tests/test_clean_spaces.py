"""clean_spaces' ASCII fast path (no substitution when a text has no tab and no double space) gives
what the one substitution over every text gave, on random mixes of every kind of character it treats."""
from __future__ import annotations

import random

from generator import textutil as tu


def _reference(text: str) -> str:
    text = tu._ASCII_CONTROLS.sub("", text)
    if not text.isascii():
        text = tu.composed(tu._NON_ASCII.sub(tu._keep, text))
    return tu._SPACE_RUNS.sub(" ", text).strip()


PIECES = [" ", "  ", "\t", "\n", "\r", "\x00", "\x0b", "\x1f", "\x7f", "\u00a0", "\u2000", "\u200b", "\u200d",
          "\u202f", "\u205f", "\u3000", "\u2060", "\ufeff", "\u00ad", "a", "Z", "é", "e\u0301", "\u0301"]


def test_same_as_one_substitution():
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        assert tu.clean_spaces(text) == _reference(text), repr(text)


def test_ascii_runs_collapse():
    assert tu.clean_spaces(" a  b\tc \t d ") == "a b c d"
    assert tu.clean_spaces("a b c") == "a b c"
