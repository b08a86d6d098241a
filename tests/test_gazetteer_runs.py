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


def test_a_country_has_one_capital_not_every_town_named_like_it(gaz):
    # thirty US towns are named Washington; only the most populous is the capital (its prior point and
    # the metonym rule "Washington said" belong to it alone)
    capitals = [i for i in range(len(gaz._capital)) if gaz._capital[i]]
    per_country = [gaz._cc[i] for i in capitals]
    assert len(per_country) == len(set(per_country))
    gids = {gaz._gid[i] for i in capitals}
    assert 4140963 in gids  # Washington, D.C.
    assert 5549222 not in gids  # Washington, Utah
    text = "The mayor of Washington, Utah, said the road would reopen. Crews from St. George helped."
    assert {p.region for _, _, p in gaz.find(text) if p.name == "Washington"} == {"State of Utah"}


def test_a_small_town_of_a_gated_name_is_a_namesake_where_its_region_is_named(gaz):
    # "Shelby" is a surname: its towns of 5,000+ people are places where the article vouches for them;
    # the smaller ones are now their namesakes, so the Montana town of 3,000 wins in a Montana story
    text = "HELENA, Mont. (AP) — The state will close the jail in Shelby. Montana lawmakers agreed on Monday."
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert got["Shelby"].region == "Montana"
    # out of context the best-known one is still meant, and a small town's name alone is no mention
    text = "The state will close the jail in Shelby. Lawmakers agreed on Monday."
    assert [p.region for _, _, p in gaz.find(text)] == ["Michigan"]
    assert gaz.find("Emma Shelby spoke to lawmakers in the morning.") == []


def test_press_abbreviations_of_australian_states(gaz):
    text = "Bushfires burned near the coast of NSW on Sunday, and crews from Qld. flew south to help."
    got = {text[s:e]: p.name for s, e, p in gaz.find(text)}
    assert got == {"NSW": "New South Wales", "Qld.": "Queensland"}
