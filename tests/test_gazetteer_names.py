"""The GeoNames gazetteer's names: English names and spellings of places, exonyms, press abbreviations, territories
the packages leave out, and which sense a bare name shared by a region and its town has."""
from __future__ import annotations

import pytest

from generator.enrich.places import default_gazetteer
from generator.gazetteer import GeoNamesGazetteer


@pytest.fixture(scope="module")
def gaz() -> GeoNamesGazetteer:
    g = default_gazetteer()
    assert isinstance(g, GeoNamesGazetteer)
    return g


def found(gaz: GeoNamesGazetteer, text: str) -> dict:
    """Each mention's text and the place it was resolved to."""
    return {text[s:e]: p for s, e, p in gaz.find(text)}


def test_countries_without_a_packaged_centre_are_places(gaz):
    # countryinfo gives no point for a dozen territories; they were missing from the gazetteer
    text = "Tickets are sold in 44 states and the U.S. Virgin Islands; Curaçao and the Turks and Caicos Islands too."
    got = found(gaz, text)
    assert {"U.S. Virgin Islands", "Curaçao", "Turks and Caicos Islands"} <= set(got)
    assert got["U.S. Virgin Islands"].kind == "country" and got["U.S. Virgin Islands"].lat is not None


def test_press_abbreviations_of_provinces_and_cities(gaz):
    text = "Phila. rape suspect to stand trial. St. John's, N.L., and Toronto, Ont., sent help."
    got = {text[s:e]: p.name for s, e, p in gaz.find(text)}
    assert got.get("Phila.") == "Philadelphia" and got.get("N.L.") == "Newfoundland and Labrador"
    assert got.get("Ont.") == "Ontario"


def test_mecca_is_the_saudi_city_unless_the_text_says_otherwise(gaz):
    # the stoplist dropped GeoNames' alternate name "Mecca" of Makkah, leaving only Mecca, California
    text = "Pilgrims travelled to Mecca, in Saudi Arabia."
    assert {text[s:e]: p.country for s, e, p in gaz.find(text)}["Mecca"] == "Saudi Arabia"
    text = "Police in Mecca, California, said."
    assert {text[s:e]: p.region for s, e, p in gaz.find(text)}["Mecca"] == "California"


def test_english_names_of_big_cities_are_not_stopwords(gaz):
    # the stoplist had taken in exonyms and ASCII spellings of big cities with the common words
    text = "Flights from Montreal and Zurich to Cologne, Seville and Bombay resumed."
    got = {text[s:e]: p.country for s, e, p in gaz.find(text)}
    assert got == {"Montreal": "Canada", "Zurich": "Switzerland", "Cologne": "Germany", "Seville": "Spain",
                   "Bombay": "India"}


def test_regions_by_their_english_names(gaz):
    # English names of regions were stoplisted with the common words, or shown in the local language
    text = "Fires in Sicily, Catalonia and Bavaria; camps in Xinjiang; elections in Kosovo."
    got = {text[s:e]: (p.name, p.kind) for s, e, p in gaz.find(text)}
    assert got == {"Sicily": ("Sicily", "region"), "Catalonia": ("Catalonia", "region"),
                   "Bavaria": ("Bavaria", "region"), "Xinjiang": ("Xinjiang", "region"),
                   "Kosovo": ("Kosovo", "country")}
    # a given name stays one ("her daughter, Brittany")
    text = "She was accused of harming her daughter, Brittany, in Ohio."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["Ohio"]


def test_towns_of_the_mosul_campaign_by_their_news_names(gaz):
    text = "Iraqi forces pushed toward Tal Afar, while Qayyarah and Hawija were retaken."
    got = found(gaz, text)
    assert {"Tal Afar", "Qayyarah", "Hawija"} <= set(got)
    assert got["Tal Afar"].country == "Iraq" and got["Tal Afar"].lat is not None


def test_bare_kurdistan_is_the_kurds_lands(gaz):
    text = "Oil from Kurdistan flows through Turkey."
    got = found(gaz, text)
    assert got["Kurdistan"].name == "Kurdistan" and got["Kurdistan"].country != "Iran"


def test_a_bare_name_of_a_region_and_its_town_is_the_town(gaz):
    # "Hama", "Basra", "Nablus": the town, shown as English news writes it (GeoNames: "Hamah", "Basrah");
    # "Hama province" is the region; "Xinjiang" and "New York" stay regions
    text = "Shelling hit Hama, Basra and Nablus, then Hama province. Camps in Xinjiang; a trip to New York."
    got = [(text[s:e], p.name, p.kind) for s, e, p in gaz.find(text)]
    assert got[:3] == [("Hama", "Hama", "city"), ("Basra", "Basra", "city"), ("Nablus", "Nablus", "city")]
    assert ("Hama", "Hama Governorate", "region") in got
    assert ("Xinjiang", "Xinjiang", "region") in got and ("New York", "New York", "region") in got


def test_demonym_forms_add_plurals_english_has():
    from generator.gazetteer.names import demonym_forms

    assert demonym_forms("Filipino") == ["Filipino", "Filipinos"]
    assert demonym_forms("New Zealander") == ["New Zealander", "New Zealanders"]
    assert demonym_forms("Czech") == ["Czech", "Czechs"]
    assert demonym_forms("Antiguan,Barbudan") == ["Antiguan", "Antiguans", "Barbudan", "Barbudans"]
    for no_plural in ("Chinese", "Swiss", "Danish", "Malagasy"):
        assert demonym_forms(no_plural) == [no_plural]
    assert demonym_forms("Djibouti", "Djibouti") == ["Djibouti"]


def test_plural_demonyms_name_their_country(gaz):
    text = ("Filipinos, Greeks and Cypriots joined New Zealanders, Antiguans and Bosnians; Turks, Spaniards "
            "and Britons watched as Gazans waited.")
    got = {k: (p.name, p.kind) for k, p in found(gaz, text).items()}
    assert got["Filipinos"] == ("Philippines", "country") and got["Greeks"] == ("Greece", "country")
    assert got["Cypriots"][0] == "Cyprus" and got["New Zealanders"][0] == "New Zealand"
    assert got["Antiguans"][0] == "Antigua and Barbuda" and got["Bosnians"][0] == "Bosnia and Herzegovina"
    assert got["Turks"][0] == "Turkey" and got["Spaniards"][0] == "Spain" and got["Britons"][0] == "United Kingdom"
    assert got["Gazans"][0] == "Gaza Strip"
