"""The GeoNames gazetteer's mention bounds: features it lacks (townships, forests, county roads), a type word or
'City' after a name, possessives."""
from __future__ import annotations

import pytest

from generator.enrich.places import default_gazetteer
from generator.gazetteer import GeoNamesGazetteer


@pytest.fixture(scope="module")
def gaz() -> GeoNamesGazetteer:
    g = default_gazetteer()
    assert isinstance(g, GeoNamesGazetteer)
    return g



def test_townships_forests_and_wildernesses_are_one_mention(gaz):
    text = ("She was born in Jackson Township, Ohio. The Monongahela National Forest gains the Dolly Sods "
            "Wilderness. The Texas Forest Service warned Texas.")
    got = [text[s:e] for s, e, _ in gaz.find(text)]
    assert {"Jackson Township", "Monongahela National Forest", "Dolly Sods Wilderness"} <= set(got)
    # a body named after the forest is not the forest: its state stays a mention
    assert "Texas Forest" not in got and got.count("Texas") == 2


def test_a_county_road_keeps_its_number(gaz):
    # "County Road 56" is one name; in "Douglas County Road 4" the county is the mention
    text = "Water washed out County Road 56, west of Brandon, Minnesota, and Douglas County Road 4 near Alexandria."
    got = [text[s:e] for s, e, _ in gaz.find(text)]
    assert "County Road 56" in got and "Douglas County" in got and "County Road" not in got


def test_city_after_a_town_is_part_of_its_name(gaz):
    # "Birmingham City" (the club, a toponym in GeoWebNews) and "CALAMBA CITY" are one mention;
    # before another capitalised word "City" starts a body of the town
    text = "Birmingham City lost on Saturday. CALAMBA CITY, Laguna. The Springfield City Council met."
    got = [text[s:e] for s, e, _ in gaz.find(text)]
    assert "Birmingham City" in got and "CALAMBA CITY" in got and "Springfield" in got


def test_states_named_with_their_type_word(gaz):
    # Nigeria's and Mexico's states are "Benue State", "Oaxaca State" in English news; elsewhere the type
    # word stays outside the mention ("Duhok province"), and "Kentucky State" is a university's
    text = "Gunmen attacked villages in Benue state, Nigeria, and Oaxaca State in Mexico, near Duhok province."
    got = [text[s:e] for s, e, _ in gaz.find(text)]
    assert {"Benue state", "Oaxaca State", "Duhok"} <= set(got)


def test_a_possessive_is_not_part_of_a_feature_name(gaz):
    text = "Overflows affect Lake Lanier's watershed near Mount Hood's slopes in Oregon."
    got = [text[s:e] for s, e, _ in gaz.find(text)]
    assert "Lake Lanier" in got and "Mount Hood" in got


def test_villages_and_towns_named_as_such_are_places_near_the_story(gaz):
    text = ("Shelling hit the Georgian-controlled villages of Nuli and Avnevi near Tskhinvali, South Ossetia, "
            "and an Ossetian-controlled village; a blast shook the town of Mais al-Jabal.")
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert {"Nuli", "Avnevi", "Mais al-Jabal"} <= set(got)
    assert got["Nuli"].approximate and got["Nuli"].country == "Georgia"
    assert not any("controlled" in k for k in got)  # a hyphened adjective names no village
    # a name the gazetteer knows is left to it; without another place there is nowhere to put one
    assert [text[s:e] for s, e, _ in gaz.find("They fled from Umemger village.")] == []


def test_a_sentence_word_before_a_river_is_not_part_of_its_name(gaz):
    # "The Kaveri river": the name is Kaveri, not "The Kaveri" (which was dropped whole)
    text = "The Kaveri river flows through Karnataka. In Heathrow airport, delays grew in England."
    got = {text[s:e] for s, e, _ in gaz.find(text)}
    assert {"Kaveri", "Heathrow"} <= got and not any(k.startswith(("The ", "In ")) for k in got)


def test_settlement_names_are_found_as_the_whole_text_pattern_finds_them():
    # the pattern is tried only where a match can start (a keyword, a capital up to three words before
    # " village"): the same matches, in the same order, as running it over the whole text
    from generator.gazetteer.features import _SETTLEMENT, _settlements

    texts = ["the village of Achguara village", "Torkula village and the villages of Nuli and Avnevi",
             "Mais al-Jabal village, Ab Cd Ef village, X-Y-Z village", "Ossetian-controlled Tskhinvali village",
             "Towns of Xa, and Yb; Hamlets of Zed and the Town of Qu", "A village of Mo village village",
             "Ab\nCd Ef village", "Downtown of Lu", " village", "Villages of Oak Hill Park Lane village"]
    found = 0
    for text in texts:
        want = [(m.span(), m.groups()) for m in _SETTLEMENT.finditer(text)]
        assert [(m.span(), m.groups()) for m in _settlements(text)] == want, text
        found += len(want)
    assert found >= 14


def test_a_feature_named_after_a_far_town_is_placed_by_the_article(gaz):
    # "Star Lake" is not by Star, Idaho, 1,600 km away: the story is about Pelican Rapids, Minnesota
    text = "Anglers fished Star Lake near Pelican Rapids. Pelican Rapids police said the Pelican Rapids road was closed."
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert got["Star Lake"].region == "Minnesota" and got["Star Lake"].approximate
    # a feature named after a town near the story's place keeps that town's point
    text = "Hikers climbed Mount Sinjar from Sinjar, north of Mosul."
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert (got["Mount Sinjar"].lat, got["Mount Sinjar"].lon) == (got["Sinjar"].lat, got["Sinjar"].lon)


def test_town_named_like_a_feature_stays_the_town(gaz):
    # "Green Bay" and "Battle Creek" are towns, not features placed at the article's most-named place
    text = "He moved from Battle Creek to Green Bay, Wisconsin, last year."
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert got["Green Bay"].kind == "city" and not got["Green Bay"].approximate
    assert got["Battle Creek"].kind == "city" and got["Battle Creek"].region == "Michigan"


def test_lagoons_points_sounds_bypasses_and_estates_are_features(gaz):
    text = ("Police patrolled the South Kilburn Estate in London near the Woodman Point plant; "
            "Continental Real Estate won approvals.")
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert got["South Kilburn Estate"].approximate and got["South Kilburn Estate"].country == "United Kingdom"
    assert "Woodman Point" in got
    assert not any("Real Estate" in k for k in got)  # a business, not a housing estate


def test_town_the_text_puts_in_a_parent_abroad_is_placed_at_the_parent(gaz):
    # the gazetteer has no St. Thomas in Texas; Canada's is not the one "in Houston"
    text = "A professor at the University of St. Thomas in Houston, Texas, said so."
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert got["St. Thomas"].country == "United States" and got["St. Thomas"].approximate
    text = "He moved from St. Thomas, Ontario, to London."
    assert {text[s:e]: p for s, e, p in gaz.find(text)}["St. Thomas"].country == "Canada"


def test_big_town_named_like_a_feature_stays_the_town_abroad(gaz):
    # the article's most-named place is Dutch: "Green Bay" is still the town, not a feature placed there
    text = "He moved to Green Bay from Amsterdam, Rotterdam and Utrecht; Amsterdam misses him."
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert got["Green Bay"].country == "United States" and not got["Green Bay"].approximate


def test_cape_and_point_before_a_name_are_features(gaz):
    text = ("Testing of water off the coast of Cape Peron in Rockingham continued. "
            "She moved from Delft to Cape Town; Delft police said so.")
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert got["Cape Peron"].approximate
    assert got["Cape Town"].country == "South Africa" and not got["Cape Town"].approximate


def test_a_feature_is_placed_in_the_parent_the_text_names(gaz):
    # the story's most-named place is Des Moines; the street is in the town named right after it, and the
    # parks are in the states named before them with a possessive or after them with "in"
    text = ("Des Moines officials met in Des Moines. The museum on North Fourth Street in Red Oak opened; "
            "visitors crowded Utah's Zion National Park and Rocky Mountain National Park in Colorado.")
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    street = got["North Fourth Street"]
    assert street.approximate and (street.lat, street.lon) == (got["Red Oak"].lat, got["Red Oak"].lon)
    assert got["Zion National Park"].region == got["Utah"].name
    assert got["Rocky Mountain National Park"].region == got["Colorado"].name
    # without a parent named beside it, a feature stays at the story's most-named place
    text = "Des Moines officials met in Des Moines. The museum on North Fourth Street opened."
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert got["North Fourth Street"].region == "Iowa"
    assert (got["North Fourth Street"].lat, got["North Fourth Street"].lon) == (got["Des Moines"].lat, got["Des Moines"].lon)


def test_canadian_provinces_by_their_press_abbreviations(gaz):
    # "B.C." after a year or a century is a date, not British Columbia
    text = ("Tools from 800 B.C. and the fourth century B.C. were shown in Kelowna, B.C., then in Moncton, N.B., "
            "Truro, N.S., and Summerside, P.E.I.")
    got = [(text[s:e], p.name) for s, e, p in gaz.find(text)]
    regions = [n for s, n in got if s in ("B.C.", "N.B.", "N.S.", "P.E.I.")]
    assert regions == ["British Columbia", "New Brunswick", "Nova Scotia", "Prince Edward Island"]


def test_a_country_point_lies_in_its_country(gaz):
    # countryinfo's Kuwait point (45.75 E) is in Saudi Arabia; Kuwait spans about 46.5-48.4 E
    kuwait = gaz.lookup("Kuwait")
    assert kuwait.kind == "country" and 46.5 < kuwait.lon < 48.5 and 28.5 < kuwait.lat < 30.1


def test_an_airport_not_named_after_a_town_is_one_mention(gaz):
    # an airport named after a person or an old estate is a place of its own, placed by the story's town;
    # one named after its town is that town (how the corpora mark it), and a body of the airport is a body
    text = ("Flights from Chicago land at Ellery Marsh International Airport, south of Chicago, and at "
            "Tamworth Regional Airport in Tamworth. The Chicago Airport Authority met in Chicago.")
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert got["Ellery Marsh International Airport"].approximate
    assert got["Ellery Marsh International Airport"].region == "Illinois"
    assert "Tamworth" in got and not any(k.startswith("Tamworth ") for k in got)
    assert not any("Authority" in k or k.endswith("Airport Authority") for k in got)
    assert [k for k in got if "Airport" in k] == ["Ellery Marsh International Airport"]


def test_an_airport_is_placed_where_it_is(gaz):
    # GeoNames' packages have no airports: "Dulles" had been placed at the middle of Virginia (the
    # story's region), 189 km away, and "Heathrow" in a story set in Harare at Zimbabwe. Now at the
    # airport's own coordinates (airportsdata), whether written with its town, "International" or not.
    import airportsdata

    from generator.gazetteer.namesakes import _nearest_km

    iata = airportsdata.load("IATA")
    text = ("The senator drove from Richmond, Virginia, to Dulles International Airport. A minister flew from "
            "Harare, Zimbabwe, and her plane waited at Heathrow airport. Flights from Chicago land at Ellery "
            "Marsh International Airport.")
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    for name, code, country in (("Dulles International Airport", "IAD", "United States"),
                                ("Heathrow", "LHR", "United Kingdom")):
        p, a = got[name], iata[code]
        assert p.country == country and not p.approximate, p
        assert _nearest_km(p.lat, p.lon, [(a["lat"], a["lon"])]) < 5, (p, a["name"])
    # a name no airport has stays a feature placed, approximately, at the story's place
    assert got["Ellery Marsh International Airport"].approximate


def test_a_name_before_a_lowercase_feature_word_is_the_mention(gaz):
    # the corpora mark the name alone: "Heathrow" of "Heathrow airport", "Loop Head" of "the Loop Head
    # peninsula"; placed at the story's place, as a feature is
    text = ("Travellers from London queued at Heathrow airport, then drove to the Loop Head peninsula "
            "and the Caucasus mountains.")
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert got["Heathrow"].country == "United Kingdom"  # placed at the airport (test_an_airport_is_placed_...)
    assert "Loop Head" in got and "Caucasus" in got
    assert not any(k.endswith(("airport", "peninsula", "mountains")) for k in got)
    # a capitalised word that starts a sentence is no name of one
    text = "Flooding hit Leeds on Monday. Lake water rose. Mountains lake levels fell in Leeds."
    assert {text[s:e] for s, e, _ in gaz.find(text)} == {"Leeds"}
