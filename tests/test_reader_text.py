"""The scraped-text reader on the seed and on our own varied scrapes (tests/fixtures/scrapes)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.model import RejectedInput
from generator.readers.text import parse_scrape

from .conftest import FIXTURES, SAMPLES

SCRAPES = sorted((FIXTURES / "scrapes").glob("*.txt"))


def read(path: Path):
    return parse_scrape(path.read_text(encoding="utf-8"), str(path))


def test_seed_title_summary_heading_and_no_chrome(seed_path):
    a = read(seed_path)
    assert a.title == "Iraq, Isis suffers a serious blow: medicines chief is caught"
    assert a.summary.startswith("ISIS suffers a serious blow in Iraq: ")
    headings = [b.text for b in a.blocks if b.kind == "h2"]
    assert len(headings) == 1 and headings[0].startswith("Meanwhile, Daesh tries to open a safe escape corridor from Syria")
    text = a.title + a.summary + a.body_text
    assert "skip to Main Content" not in text and "Back To Top" not in text
    assert [b.kind for b in a.blocks] == ["p", "h2", "p"]
    assert a.date is None  # the seed has no date: never invented


def test_fixture_set_is_varied_enough():
    assert len(SCRAPES) >= 12


@pytest.mark.parametrize("path", SCRAPES, ids=[p.stem for p in SCRAPES])
def test_scrape_matches_expectation(path: Path):
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    a = read(path)
    assert a.title == expected["title"]
    assert a.summary == expected["summary"]
    assert (a.date.isoformat() if a.date else None) == expected["date"]
    assert [b.text for b in a.blocks if b.kind == "h2"] == expected["headings"]
    paragraphs = [b.text for b in a.blocks if b.kind == "p"]
    assert paragraphs[0].startswith(expected["first_paragraph_starts"])
    assert paragraphs[-1].endswith(expected["last_paragraph_ends"])
    everything = "\n".join([a.title, a.summary or "", a.body_text])
    for chrome in expected["must_not_contain"]:
        assert chrome not in everything, f"chrome left in: {chrome!r}"


def test_every_sample_reads_with_a_title_and_body():
    samples = sorted(SAMPLES.glob("*.txt"))
    assert len(samples) >= 30
    for path in samples:
        a = read(path)
        assert len(a.title.split()) >= 3, path
        assert sum(b.kind == "p" for b in a.blocks) >= 2, path


def test_hard_wrapped_paragraphs_are_rejoined():
    line = "The convoy reached the town after a long delay caused by checkpoints"
    text = f"A long enough headline for a test\n\n{line}\nand damaged roads near the\nriver crossing.\n\n{line}\nagain and again on the\nsame road.\n"
    a = parse_scrape(text, "wrapped")
    assert [b.text for b in a.blocks] == [
        f"{line} and damaged roads near the river crossing.",
        f"{line} again and again on the same road.",
    ]


def test_published_line_gives_date_and_is_removed():
    a = parse_scrape("Menu\nHome\n\nRebels agree to a new truce\n\nPublished: 12 March 2024\n\nThe truce holds.\n", "d")
    assert a.date.isoformat() == "2024-03-12"
    assert "Published" not in a.body_text


def test_no_title_is_rejected_with_a_reason():
    with pytest.raises(RejectedInput, match="no title"):
        parse_scrape("Home\nWorld\n\nShare\n", "x")


def test_very_long_line_with_chrome_words_is_kept_as_body():
    """A 400 KB line full of menu separators is body text, not chrome (chrome patterns test short lines only)."""
    long_line = "Fighting resumed near the river | Privacy Policy | and the town, " * 6000 + "end."
    a = parse_scrape("A headline that is long enough\n\n" + long_line + "\n", "long")
    assert a.blocks[0].text == long_line.strip()
