"""`archive review`: organisation-like names the vocabulary lacks, counted over the archive."""
from __future__ import annotations

import json
from pathlib import Path

from generator.cli import main
from generator.enrich.places import default_gazetteer
from generator.review import candidates

TEXTS = {
    "a.md": "Fighters of the Coastal Shield Brigade (CSB) attacked a post. CSB said Jama'at Nusrat al-Islam "
            "wal-Muslimin (JNIM) was not involved. The Sahel Defence Front denied it, and so did the UN.",
    "b.md": "CSB struck again near the border, where the Sahel Defence Front keeps a base. The XQZ met in Mali.",
}


def test_names_with_acronyms_names_and_acronyms_are_listed_with_counts():
    found = {c.name: c for c in candidates(TEXTS, gazetteer=default_gazetteer())}
    csb = found["Coastal Shield Brigade"]
    assert csb.kind == "expanded" and csb.acronym == "CSB"
    assert csb.mentions == 3 and csb.articles == {"a.md", "b.md"}  # "CSB" alone counts for the name
    assert "CSB" not in found  # listed once, with its expansion
    assert found["Sahel Defence Front"].kind == "name" and len(found["Sahel Defence Front"].articles) == 2
    assert found["XQZ"].kind == "acronym"
    # what the vocabulary (JNIM, UN) or the gazetteer (Mali) knows is not listed; nor a sentence's first word
    assert not set(found) & {"JNIM", "Jama'at Nusrat al-Islam wal-Muslimin", "UN", "Mali"}
    assert not any(name.startswith(("Fighters", "The ")) for name in found)
    assert list(found)[0] == "Coastal Shield Brigade"  # most articles first


def test_cli_report(tmp_path: Path, capsys):
    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    for name, text in TEXTS.items():
        (articles / name).write_text(f"---\ntitle: Report {name}\n---\n\n{text}\n", encoding="utf-8")
    assert main(["review", "--content", str(tmp_path / "content"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    row = next(r for r in out["names"] if r["name"] == "Coastal Shield Brigade")
    assert {k: v for k, v in row.items() if k not in ("sentence", "add")} == {
        "name": "Coastal Shield Brigade", "kind": "expanded", "acronym": "CSB", "mentions": 3, "articles": 2,
        "example": "articles/a.md"}
    assert "Coastal Shield Brigade" in row["sentence"]  # the sentence it first appears in, in that page
    assert row["add"] == 'archive add-tag "Coastal Shield Brigade" --kind group --alias "CSB"'
    assert main(["review", "--content", str(tmp_path / "content")]) == 0
    assert "Coastal Shield Brigade (CSB)" in capsys.readouterr().out
    assert main(["review", "--content", str(tmp_path / "nowhere")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_parts_of_known_names_joined_names_and_shouted_lines_are_not_listed():
    texts = {
        # the vocabulary knows the whole name; the regex alone would stop at "Committee" / "Mission"
        "c.md": "Aid came from the International Committee of the Red Cross on Monday. Officers of the "
                "African Union Transition Mission in Somalia handed over a base.",
        # two known names joined by "and" are not one organisation
        "d.md": "SDF and Coalition forces raided a farm near the river.",
        # a line written in capitals holds no acronyms
        "e.md": "Residents shared a warning: KEEP OFF THE BRIDGE TONIGHT and stay indoors.",
    }
    found = {c.name for c in candidates(texts, gazetteer=default_gazetteer())}
    assert not found & {"International Committee", "African Union Transition Mission", "SDF and Coalition",
                        "KEEP", "OFF", "THE", "BRIDGE", "TONIGHT"}
    # a new name and an acronym in ordinary text are still listed
    found = {c.name for c in candidates({"f.md": "The Northern Rivers Brigade and the QRX met twice."},
                                        gazetteer=default_gazetteer())}
    assert {"Northern Rivers Brigade", "QRX"} <= found


def test_a_term_named_without_its_qualifier_is_known_not_new(tmp_path: Path, capsys):
    # the vocabulary holds "National Liberation Army (Colombia)" and leaves the bare name untagged (several
    # groups bear it): the bare name, with no acronym beside it to say which, is listed apart with the term
    # it may be and no line to add it, not as a name to add
    texts = {"g.md": "In the north, the National Liberation Army said it would attend talks on Monday."}
    found = {c.name: c for c in candidates(texts, gazetteer=default_gazetteer())}
    nla = found["National Liberation Army"]
    assert nla.kind == "qualified" and nla.known_as == "National Liberation Army (Colombia)"
    articles = tmp_path / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "g.md").write_text(f"---\ntitle: Talks\n---\n\n{texts['g.md']}\n", encoding="utf-8")
    assert main(["review", "--content", str(tmp_path / "content")]) == 0
    out = capsys.readouterr().out
    assert "Organisation-like names not in the vocabulary: 0" in out
    assert "Names the vocabulary knows only with a qualifier (ambiguous, so not tagged): 1" in out
    assert "the tag National Liberation Army (Colombia) bears it with its qualifier" in out
    assert "add it:" not in out
