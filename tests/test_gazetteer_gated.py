"""Towns named like common words or surnames ("Decatur", "Greer", "Middletown"): places only where the
article vouches for them, on the packaged data."""
from __future__ import annotations

import pytest

from generator.enrich.places import default_gazetteer
from generator.gazetteer import GeoNamesGazetteer


@pytest.fixture(scope="module")
def gaz() -> GeoNamesGazetteer:
    g = default_gazetteer()
    assert isinstance(g, GeoNamesGazetteer)
    return g


def spans(gaz, text: str) -> list[str]:
    return [text[s:e] for s, e, _ in gaz.find(text)]


def test_region_after_a_comma_vouches_for_every_mention(gaz):
    text = "The mayor of Greer, South Carolina, spoke on Monday. Later Greer opened a new park."
    found = gaz.find(text)
    greer = [p for s, e, p in found if text[s:e] == "Greer"]
    assert len(greer) == 2
    assert all(p.region == "South Carolina" for p in greer)


def test_abbreviated_state_vouches(gaz):
    text = "Police in Decatur, Ga. arrested a man. Decatur officials said more."
    found = gaz.find(text)
    assert [p.region for s, e, p in found if text[s:e] == "Decatur"] == ["Georgia", "Georgia"]


def test_city_of_dateline_and_in_before_a_stop_vouch(gaz):
    assert "Middletown" in spans(gaz, "The city of Middletown approved the budget.")
    assert "MIDDLETOWN" in spans(gaz, "MIDDLETOWN — The school board met on Tuesday.")
    assert "Lombard" in spans(gaz, "Students at a school in Lombard, won prizes.")


def test_unvouched_or_wrong_region_stays_a_word(gaz):
    assert "Decatur" not in spans(gaz, "Stephen Decatur commanded the ship.")
    assert "Greer" not in spans(gaz, "Greer said the vote was close.")
    # a region that holds no town of that name does not vouch for it
    assert "Greer" not in spans(gaz, "Greer, Texas, is not a town the gazetteer has.")
    # "of" is not enough: "the Chamber of Commerce, ..." is no town called Commerce
    assert "Commerce" not in spans(gaz, "He spoke to the Chamber of Commerce, then left.")
    # a month is never vouched for by "in"
    assert "March" not in spans(gaz, "The law passed in March, after a long debate.")


def test_town_before_a_plural_name_is_still_named(gaz):
    # a team or body named in the plural keeps its town
    assert "Houston" in spans(gaz, "The Houston Rockets won on Sunday night.")
    assert "Bolton" in spans(gaz, "A defeat of Bolton Wanderers kept them up.")
    # a given name before a surname ending in s is a person, not the town
    assert "Kingston" not in spans(gaz, "Her survivors include a son, Kingston James, and her father.")


def test_eu_is_a_tag_and_a_place_kept_off_the_map(gaz):
    from generator.enrich.places import unique_places
    from generator.enrich.tags import default_vocabulary

    text = "Slovenia is a specific case in the EU and NATO. The European Union adopted the same measure."
    tags = default_vocabulary().find(text)
    assert {text[m.start:m.end] for m in tags} >= {"EU", "European Union"}  # still tagged
    found = gaz.find(text, exclude=[(m.start, m.end) for m in tags])
    named = {text[s:e]: p for s, e, p in found}
    assert named["EU"].name == "European Union" and named["European Union"].kind == "area"
    kept = {p.name for p in unique_places(found, gaz.metonyms(text, found))}
    assert "European Union" not in kept and "Slovenia" in kept
    # "European" alone is still Europe, and another organisation's name does not become a place
    more = "European leaders met at the European Commission."
    tags = default_vocabulary().find(more)
    spans_more = [more[s:e] for s, e, _ in gaz.find(more, exclude=[(m.start, m.end) for m in tags])]
    assert "European Commission" not in spans_more


def _resolved(gaz, text: str) -> dict[str, tuple]:
    return {text[s:e]: (p.name, p.country) for s, e, p in gaz.find(text)}


def test_country_context_alone_does_not_lift_a_far_smaller_namesake(gaz):
    # a story about the US: London is still the capital, the Middle East still the region
    got = _resolved(gaz, "Officials in Washington and New York said the United States would act; talks in "
                         "London went on.")
    assert got["London"][1] == "United Kingdom"
    got = _resolved(gaz, "Tensions in the Middle East rose, officials in Washington and New York said.")
    assert got["Middle East"][1] != "United States"
    # with its region named, the small town wins
    got = _resolved(gaz, "The fair in London, Ohio drew crowds from Columbus.")
    assert got["London"][1] == "United States"


def test_possessive_before_a_name_is_not_part_of_it(gaz):
    text = "Victims in Friday's Darke County crash were named."
    assert "Darke County" in spans(gaz, text)
    assert "Ohio" in spans(gaz, "He asked the Ohio Supreme Court to delay his execution.")
    assert "Tal Abita" not in spans(gaz, "Michael Tal Abita said so.")  # an unknown longer name is not cut


def test_a_direction_downtown_a_dateline_after_a_headline_and_a_list_of_towns_vouch(gaz):
    assert "Decatur" in spans(gaz, "Deputies closed roads 20 miles north of Decatur on Sunday.")
    assert "Decatur" in spans(gaz, "The parade ends in downtown Decatur at noon.")
    assert "DECATUR" in spans(gaz, "Storm damage is wide. DECATUR — Crews worked overnight.")
    # a list with a town of the same state: "Middletown" beside Hamilton, Ohio is a town too
    found = gaz.find("Flooding closed roads in Hamilton and Middletown on Friday.")
    assert [(p.name, p.region) for _, _, p in found] == [("Hamilton", "Ohio"), ("Middletown", "Ohio")]
    # without any of these, the name stays a common word
    assert "Decatur" not in spans(gaz, "Decatur said the plan was good.")


def test_a_legislators_home_town_vouches_for_it(gaz):
    # "R-Marshall": a party and a home town, a town named like a surname is a place there
    text = "House Minority Leader Marty Seifert, R-Marshall, and Rep. Torrey Westrom, R-Elbow Lake, said so."
    got = [text[s:e] for s, e, _ in gaz.find(text)]
    assert "Marshall" in got and "Elbow Lake" in got


def test_home_town_after_an_age_vouches(gaz):
    # "NAME, 34, of PLACE": a person's home town, as local news names it; not a street of that name
    text = "Her son, Christopher Bowers, 19, of Martinez, was arrested. Later Martinez police spoke."
    assert spans(gaz, text) == ["Martinez", "Martinez"]
    assert spans(gaz, "Police arrested John Smith, 34, of Greer on Friday.") == ["Greer"]
    assert spans(gaz, "Police arrested John Smith, 34, of Greer Street on Friday.") == []


def test_home_town_after_a_name_and_comma_or_formerly_vouches(gaz):
    # "NAME, of PLACE", "formerly of PLACE": a home town without the age
    assert spans(gaz, "He had argued with Michael Durr, of Trenton. Witnesses told officers.") == ["Trenton"]
    assert spans(gaz, "Her mother, Prudence Young, formerly of Augusta; and her children.") == ["Augusta"]
    assert spans(gaz, "The Duke of Augusta spoke.") == []


def test_from_one_town_to_another_of_its_state_vouches(gaz):
    # "from X to Y" names two towns as a list does: Greenville (a stoplisted name) beside Spartanburg
    for text in ("The new bus line runs from Greenville to Spartanburg twice a day.",
                 "The new bus line runs from Spartanburg to Greenville twice a day."):
        got = {text[s:e]: p for s, e, p in gaz.find(text)}
        assert got["Greenville"].region == "South Carolina", text
    # "to" without "from" is no pair of towns
    assert "Greenville" not in spans(gaz, "The coach traded Greenville to Spartanburg's team.")
