"""normalise(): the text both automata read. Its fast paths must give what the plain definition gives."""
from __future__ import annotations

import random

import pytest

from generator.enrich.matcher import Match, PhraseMatcher, fold, normalise


def _by_definition(text: str) -> str:
    """Each character of fold(text): kept when it is a letter or digit, else a space."""
    return "".join(c if c.isalnum() else " " for c in fold(text))


@pytest.mark.parametrize("text", [
    "",
    "Plain ASCII, with punctuation: Mosul (Nineveh) - fine?",
    "Curly quotes: “Iraq’s forces” reached Tal Afar — then al-Qaim…",
    "Accents and marks: Ālbū Kamāl, Al Ḩasakah, Sinjār; São Paulo? Québec!",
    "Mostly not ASCII: الحسكة دير الزور Москва Київ",
    "Question marks ??? next to ¿qué? and digits ١٢٣ and ß and İstanbul",
])
def test_normalise_matches_its_definition(text: str):
    out = normalise(text)
    assert out == _by_definition(text)
    assert len(out) == len(text)


def test_normalise_matches_its_definition_on_random_text():
    rnd = random.Random(3)
    pool = "abcXYZ 09?_-’“”é—İßΣσςﬁ١ḩāÅ\u00a0\n\t.,;:!'\"()" + "".join(chr(rnd.randrange(0x80, 0x3000)) for _ in range(200))
    for _ in range(2000):
        text = "".join(rnd.choice(pool) for _ in range(rnd.randrange(0, 120)))
        assert normalise(text) == _by_definition(text)


def test_matches_are_named_tuples_with_their_fields():
    m = PhraseMatcher([("Islamic State", "Islamic State"), ("US", "United States")]).find(
        "The US said the Islamic State’s cells remain.")
    assert [(x.start, x.end, x.key, x.surface) for x in m] == [
        (4, 6, "United States", "US"), (16, 29, "Islamic State", "Islamic State")]
    assert all(isinstance(x, Match) for x in m)
