"""Sidecar metadata next to an input file: url, date, source (and title, author) win over the reader's."""
from __future__ import annotations

from datetime import date

import pytest

from generator.model import Article, Block, RejectedInput
from generator.readers.sidecar import apply_sidecar, find_sidecar


def article() -> Article:
    return Article(title="Dock workers vote to end strike", blocks=[Block("p", "The vote passed.")],
                   origin="story.txt", date=date(2024, 1, 2), source=None)


def test_json_sidecar_named_after_the_full_file_name(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("x", encoding="utf-8")
    (tmp_path / "story.txt.meta.json").write_text(
        '{"url": "https://port.example.com/strike-ends", "date": "2024-01-05", "source": "Port Herald"}', encoding="utf-8")
    a = apply_sidecar(article(), story)
    assert (a.url, a.date, a.source) == ("https://port.example.com/strike-ends", date(2024, 1, 5), "Port Herald")
    assert a.title == "Dock workers vote to end strike"  # not in the sidecar: kept


def test_yaml_sidecar_named_after_the_stem_with_title_and_author(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("x", encoding="utf-8")
    (tmp_path / "story.meta.yml").write_text(
        "date: 2024-01-06\nsource: Port Herald\ntitle: 'Strike ends: dockers back at work'\nauthor: [A. Moss, B. Lind]\n",
        encoding="utf-8")
    a = apply_sidecar(article(), story)
    assert a.date == date(2024, 1, 6)  # YAML reads it as a date already
    assert a.title == "Strike ends: dockers back at work"
    assert a.author == "A. Moss, B. Lind"


def test_no_sidecar_changes_nothing(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("x", encoding="utf-8")
    assert find_sidecar(story) is None
    before = article()
    assert apply_sidecar(article(), story) == before


@pytest.mark.parametrize("name,content,reason", [
    ("story.txt.meta.json", "{not json", "not valid JSON"),
    ("story.txt.meta.yaml", "- just\n- a list\n", "not a mapping"),
    ("story.txt.meta.json", '{"date": "sometime soon"}', "not a calendar date"),
])
def test_broken_sidecar_is_a_reason_not_a_crash(tmp_path, name, content, reason):
    story = tmp_path / "story.txt"
    story.write_text("x", encoding="utf-8")
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(RejectedInput, match=reason):
        apply_sidecar(article(), story)


def test_records_of_a_multi_record_file_are_not_overridden(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text("x", encoding="utf-8")
    (tmp_path / "feed.xml.meta.json").write_text('{"url": "https://one.example.com/"}', encoding="utf-8")
    entry = Article(title="Entry", blocks=[Block("p", "Text.")], origin=f"{feed}#entry-2", url="https://e.example/2")
    assert apply_sidecar(entry, feed).url == "https://e.example/2"
    whole = Article(title="Page", blocks=[Block("p", "Text.")], origin=str(feed))
    assert apply_sidecar(whole, feed).url == "https://one.example.com/"
