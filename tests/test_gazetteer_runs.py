"""Names inside longer capitalised runs, on the packaged gazetteer (sentences written for these tests)."""
from __future__ import annotations

import pytest

from generator.enrich.places import default_gazetteer
from generator.gazetteer import GeoNamesGazetteer


@pytest.fixture(scope="module")
def gaz() -> GeoNamesGazetteer:
    g = default_gazetteer()
    assert isinstance(g, GeoNamesGazetteer)
    return g


def spans(gaz: GeoNamesGazetteer, text: str) -> list[str]:
    return [text[s:e] for s, e, _ in gaz.find(text)]


def test_a_name_set_aside_inside_a_run_gives_no_shorter_name_inside_it(gaz):
    # "NEW JERSEY" after another capitalised word is set aside as part of a longer name; the island of
    # Jersey inside it is not a mention either
    text = "The draw was held on Monday. LUCKY PLAYERS NEW JERSEY!! A ticket was sold in Trenton."
    assert spans(gaz, text) == ["Trenton"]
    # the same name on its own is still found
    text = "The draw was held on Monday. Two tickets were sold in NEW JERSEY and one in Trenton."
    assert spans(gaz, text) == ["NEW JERSEY", "Trenton"]
