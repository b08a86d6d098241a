"""The controlled vocabulary as data: editors add entries without code; matching rules hold."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.enrich.tags import Vocabulary, default_vocabulary


def test_editor_adds_an_entry_without_code(tmp_path: Path):
    path = tmp_path / "vocabulary.yml"
    path.write_text("- {name: Sea Shepherd, kind: organisation, aliases: [SSCS, Sea Shepherd Conservation Society]}\n",
                    encoding="utf-8")
    v = Vocabulary.load(path)
    assert [m.key for m in v.find("The Sea Shepherd Conservation Society and SSCS, not sscs.")] == \
        ["Sea Shepherd", "Sea Shepherd"]


def test_entry_without_kind_is_refused(tmp_path: Path):
    path = tmp_path / "vocabulary.yml"
    path.write_text("- {name: Nameless}\n", encoding="utf-8")
    with pytest.raises(ValueError):
        Vocabulary.load(path)


@pytest.mark.parametrize("text,expected", [
    ("Fighters of the Islamic State of Iraq and Syria fled.", ["Islamic State"]),  # longest match wins
    ("The IRGC and the Quds Force", ["Islamic Revolutionary Guard Corps", "Quds Force"]),
    ("Hezbollah's fighters", ["Hezbollah"]),  # a possessive is still the name
    ("Is it true? It is.", []),  # 'IS' is an acronym: case-sensitive
    ("Let them in, the mod said.", []),  # 'LeT' and 'MoD' have a capital inside: case-sensitive too
    ("Police blamed LeT; the MoD agreed.", ["Lashkar-e-Taiba", "UK Ministry of Defence"]),
    ("ISIS-K claimed it", ["Islamic State Khorasan Province"]),
    ("a US-led coalition strike", ["US-led Coalition"]),
    ("Médecins Sans Frontières and Doctors Without Borders", ["Médecins Sans Frontières"] * 2),
    # a car bomb or a roadside IED is a bombing, not a suicide attack nor a landmine
    ("A car bomb and a roadside IED hit the convoy.", ["Bombings", "Bombings"]),
    ("A suicide bomber struck; a landmine killed two.", ["Suicide bombings", "Landmines"]),
    # governments, service branches and the anti-IS coalition by the names press releases give them
    ("The Iraqi government and the Asad regime met; the Iraqi federal government left first.",
     ["Iraqi government", "Assad government", "Iraqi government"]),
    ("Jets of the counter-ISIL coalition, the Royal Navy and U.S. Marines took part.",
     ["US-led Coalition", "Royal Navy", "United States Marine Corps"]),
    ("The U.S. Department of State and the Treasury Department named them.",
     ["US State Department", "US Department of the Treasury"]),
    # no such name: a city's air quality index, Treasury yields, today's Syrian government
    ("The AQI rose as US Treasury yields fell; the Syrian government said so.", []),
])
def test_real_vocabulary_matches(text, expected):
    assert [m.key for m in default_vocabulary().find(text)] == expected


def test_kinds_are_known():
    v = default_vocabulary()
    assert {t.kind for t in v.terms.values()} == {"group", "force", "operation", "organisation", "topic"}
    assert v.kind_of("Peshmerga") == "force" and v.kind_of("not a tag") == "other"


def test_everyday_english_gives_no_organisation_tags():
    """Organisation, group and force aliases are names: plain prose full of the words they are made
    of ("foreign", "office", "state", "front", "party") tags none of them. (An unquoted comma in a
    YAML alias list once made "Foreign" an alias of the UK Foreign Office.)"""
    prose = ("The foreign visitors said the state of the front garden was poor. The office party was "
             "held by the army of volunteers from the union, the council and the local forces of the "
             "market; the guards let the crowd in, the ministry of fun was busy and the agency said so.")
    vocab = default_vocabulary()
    named = [m.key for m in vocab.find(prose) if vocab.kind_of(m.key) != "topic"]
    assert named == []


def test_not_before_drops_a_term_the_next_word_rules_out(tmp_path: Path):
    vocab = default_vocabulary()
    policy = "Baghdad is busy discussing the future of the US military presence with Washington."
    assert "United States Armed Forces" not in [m.key for m in vocab.find(policy)]
    assert [m.key for m in vocab.find("US forces struck a convoy near the border.")] == ["United States Armed Forces"]
    path = tmp_path / "vocabulary.yml"
    path.write_text("- {name: Blue Force, kind: force, not_before: [Kit]}\n", encoding="utf-8")
    v = Vocabulary.load(path)
    assert [m.key for m in v.find("Blue Force advanced; a Blue Force kit was lost.")] == ["Blue Force"]
    path.write_text("- {name: Blue Force, kind: force, not_before: kit}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not_before"):
        Vocabulary.load(path)


def test_not_after_drops_a_term_inside_a_longer_name(tmp_path: Path):
    """"the Syrian Arab Coalition" (a part of the SDF) had been tagged as the Saudi-led coalition."""
    vocab = default_vocabulary()
    assert "Saudi-led Coalition" not in [m.key for m in vocab.find("Fighters of the Syrian Arab Coalition advanced.")]
    assert [m.key for m in vocab.find("The Arab Coalition struck Hodeidah.")] == ["Saudi-led Coalition"]
    path = tmp_path / "vocabulary.yml"
    path.write_text("- {name: Blue Force, kind: force, not_after: [Old]}\n", encoding="utf-8")
    v = Vocabulary.load(path)
    assert [m.start for m in v.find("The Old Blue Force left; Blue Force stayed.")] == [25]
    path.write_text("- {name: Blue Force, kind: force, not_after: old}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not_after"):
        Vocabulary.load(path)


def test_a_tag_typed_by_hand_is_read_as_the_term_its_alias_names():
    """canonical(): aliases as typed, longer ones in any case; short acronyms only in their case; a
    name no term claims stays as typed."""
    from generator.enrich.tags import Term, Vocabulary

    v = Vocabulary([Term("Islamic State", "group", ("IS", "Daesh", "Islamic State group")),
                    Term("Ministry of Defence", "organisation", ("MoD",)),
                    Term("Shared A", "group", ("Twin Name",)), Term("Shared B", "group", ("Twin Name",))])
    assert v.canonical("Daesh") == v.canonical("daesh") == v.canonical("IS") == "Islamic State"
    assert v.canonical("islamic state group") == "Islamic State"
    assert v.canonical("is") == "is" and v.canonical("mod") == "mod" and v.canonical("MoD") == "Ministry of Defence"
    assert v.canonical("Twin Name") == "Twin Name"  # two terms claim it: neither for sure
    assert v.canonical("Convoys") == "Convoys"


def test_a_government_tag_leaves_its_country_and_capital_places():
    # a tag hides the places inside it (a tag beats a place): the Iraqi government's tag keeps "Iraqi",
    # which names the country, and is not read in "the Government of Iraq" or "the Baghdad government"
    from generator.enrich import Context

    ctx = Context.default()
    text = "The Iraqi government, the Government of Iraq and the Baghdad government all said so."
    tags = ctx.vocabulary.find(text)
    places = [text[s:e] for s, e, _ in ctx.gazetteer.find(text, exclude=[(m.start, m.end) for m in tags])]
    assert [m.key for m in tags] == ["Iraqi government"]
    assert places == ["Iraqi", "Iraq", "Baghdad"]
