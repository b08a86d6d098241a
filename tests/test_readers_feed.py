"""RSS and Atom feeds: one article per entry, full content preferred to the summary."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.model import Article, Block, RejectedInput
from generator.readers import Rejected, choose

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def read(name: str) -> list:
    text = (FEEDS / name).read_text(encoding="utf-8")
    reader = choose(text)
    assert reader.name == "feed"
    return list(reader.read(text, name))


def test_rss2_one_article_per_item_with_full_content():
    items = read("rss2_full_content.xml")
    assert [type(a) for a in items] == [Article, Article]
    ferry, market = items
    assert ferry.title == "Ferry service resumes after winter repairs"
    assert ferry.blocks == [
        Block("p", "The island ferry is back in service after six weeks in dry dock, the operator said on Tuesday."),
        Block("h2", "New timetable"),
        Block("p", "Crossings will run every ninety minutes until the summer schedule begins in May."),
    ]
    assert "trackRead" not in ferry.body_text
    assert ferry.url == "https://harbour.example.net/news/ferry-resumes"
    assert ferry.date == date(2024, 3, 12)
    assert ferry.source == "Harbour Weekly"
    assert ferry.author == "Ines Calloway"
    assert ferry.origin == "rss2_full_content.xml#entry-1"
    # No full content: the description is the body.
    assert market.blocks == [Block("p", "Traders will sell from the restored rope works while the market hall roof is replaced.")]
    assert market.date == date(2024, 3, 11)


def test_atom_content_preferred_to_summary_and_published_to_updated():
    bridge, library = read("atom_entries.xml")
    assert bridge.title == "Bridge inspection finds no new cracks"
    assert bridge.blocks[0].text.startswith("Engineers who inspected")
    assert len(bridge.blocks) == 2
    assert bridge.summary == "Short: the bridge is fine."
    assert bridge.date == date(2024, 5, 1)
    assert bridge.url == "https://valley.example.org/2024/05/bridge-inspection"
    assert bridge.author == "Tomas Reyes"
    assert bridge.source == "Valley Notes"
    assert library.blocks == [Block("p", "The town library will open until eight on Thursdays from next month.")]
    assert library.date == date(2024, 4, 28)  # only <updated>


def test_entry_without_text_is_reported_not_fatal():
    first, second = read("rss_entry_without_text.xml")
    assert isinstance(first, Rejected) and first.origin.endswith("#entry-1") and "without text" in first.reason
    assert isinstance(second, Article) and second.title == "A headline with text"


def test_feed_without_entries_is_rejected():
    text = '<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title></channel></rss>'
    with pytest.raises(RejectedInput):
        list(choose(text).read(text, "empty.xml"))


def test_declared_encoding_does_not_garble_decoded_text():
    text = ('<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Café Bulletin</title>'
            "<item><title>Crème brûlée stall returns</title><description>The stall opens on Saturday.</description>"
            "</item></channel></rss>")
    (article,) = list(choose(text).read(text, "latin.xml"))
    assert article.title == "Crème brûlée stall returns"
    assert article.source == "Café Bulletin"


def test_entity_definitions_in_a_dtd_are_not_expanded():
    entities = "".join(f'<!ENTITY e{i} "' + f"&e{i - 1};" * 10 + '">' for i in range(2, 10))
    text = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e1 "boom">' + entities + ']>'
            '<rss version="2.0"><channel><title>Safe</title><item><title>Quiet harbour day</title>'
            "<description>&amp;e9; Boats stayed in port.</description></item></channel></rss>")
    (article,) = list(choose(text).read(text, "dtd.xml"))
    assert article.title == "Quiet harbour day"
    assert "boom" not in article.body_text and len(article.body_text) < 200
