"""JSON exports: an array, one object, a wrapped list, or JSON Lines; bad records are reported."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.model import Article, Block, RejectedInput
from generator.readers import Rejected, choose
from generator.readers.jsonl import record_to_article

JSON = Path(__file__).parent / "fixtures" / "json"


def read(name: str) -> list:
    text = (JSON / name).read_text(encoding="utf-8")
    reader = choose(text)
    assert reader.name == "json"
    return list(reader.read(text, name))


def test_array_of_records():
    tram, market = read("array_of_records.json")
    assert tram.title == "Tram line extension opens"
    assert tram.blocks == [Block("p", "The new tram stop at the hospital opened on Monday."),
                           Block("p", "Passengers can change to the airport bus at the same platform.")]
    assert (tram.date, tram.url, tram.source, tram.author) == (
        date(2024, 2, 14), "https://metro.example.com/tram-extension", "Metro Daily", "Lena Park")
    assert tram.origin == "array_of_records.json#1"
    # Alternative field names: body / published / link / site.
    assert market.body_text == "Stalls will trade every Friday from six until midnight."
    assert (market.date, market.url, market.source) == (
        date(2024, 2, 14), "https://metro.example.com/night-market", "Metro Daily")


def test_single_object_with_schema_org_names_and_html_body():
    (a,) = read("single_object.json")
    assert a.title == "Reservoir reaches full capacity"
    assert a.blocks == [Block("p", "The reservoir above the town is full for the first time in three years."),
                        Block("p", "Water restrictions end on Sunday.")]
    assert a.date == date(2024, 4, 3)
    assert a.url == "https://water.example.org/reservoir-full"
    assert a.source == "Water Board News"
    assert a.author == "Sam Okafor, Ria Mendes"
    assert a.summary == "Restrictions end after a wet spring."


def test_wrapped_list_html_field_and_unix_timestamp():
    (a,) = read("wrapped_articles.json")
    assert a.title == "Cycle path closed for resurfacing"
    assert a.body_text == "The riverside cycle path is closed between the two bridges until Friday."
    assert a.date == date(2024, 5, 1)


def test_jsonl_bad_records_are_reported_and_the_rest_read():
    items = read("records_with_bad_lines.jsonl")
    assert len(items) == 5  # five non-blank lines
    school, broken, untitled, not_object, harvest = items
    assert isinstance(school, Article) and school.source == "County Courier" and school.date == date(2024, 8, 30)
    assert school.origin == "records_with_bad_lines.jsonl:1"
    assert isinstance(broken, Rejected) and broken.origin.endswith(":2") and "not valid JSON" in broken.reason
    assert isinstance(untitled, Rejected) and "without a title" in untitled.reason
    assert isinstance(not_object, Rejected) and "not an object" in not_object.reason
    assert isinstance(harvest, Article) and harvest.origin.endswith(":6")
    assert [b.text for b in harvest.blocks] == ["Organisers counted twelve thousand visitors over the weekend.",
                                                "The festival raised money for the lifeboat station."]
    assert harvest.summary == "Organisers counted twelve thousand visitors."


def test_record_without_body_is_rejected():
    r = record_to_article({"title": "Headline only", "date": "2024-01-01"}, "x.json#1")
    assert isinstance(r, Rejected) and "without body text" in r.reason


def test_markup_looking_text_stays_visible_text():
    # A text field without HTML structure is plain text: a <script> in it is shown, never run or dropped.
    a = record_to_article({"title": "Form <b>fixed</b>", "text": "Typing <script>x()</script> no longer runs code."}, "x#1")
    assert a.title == "Form fixed"
    assert a.body_text == "Typing <script>x()</script> no longer runs code."
    # With HTML structure it is HTML: tags become blocks, script elements are not text.
    h = record_to_article({"title": "T", "text": "<p>Kept.</p><script>x()</script><p>Also kept.</p>"}, "x#3")
    assert h.body_text == "Kept.\n\nAlso kept."
    b = record_to_article({"title": "Plain", "text": "Use a < b and c > d in formulas."}, "x#2")
    assert b.body_text == "Use a < b and c > d in formulas."


def test_field_names_match_case_and_separator_insensitively():
    a = record_to_article({"Title": "Mixed case", "Body": "Body text here.", "Published-At": "2024-06-01",
                           "Site_Name": "Example"}, "x#1")
    assert (a.title, a.date, a.source) == ("Mixed case", date(2024, 6, 1), "Example")


def test_not_json_at_all_is_rejected():
    text = "{ this is not json\n{ neither is this"
    with pytest.raises(RejectedInput):
        list(choose('{"a": 1}').read(text, "bad.json"))


def test_deeply_nested_json_is_a_reason_not_a_crash():
    text = '{"title": "x", "text": ' + "[" * 5000 + '"a"' + "]" * 5000 + "}"
    with pytest.raises(RejectedInput, match="nested too deeply"):
        list(choose(text).read(text, "deep.json"))
