"""One scan of a text for tags and places (gazetteer/automaton.py): the same tags and places as two scans,
a vocabulary edit seen at once, and an automaton built from another vocabulary never used for tagging."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.enrich import Context
from generator.enrich.matcher import PhraseMatcher, link_scan
from generator.enrich.tags import Vocabulary, default_vocabulary
from generator.gazetteer import cache
from generator.gazetteer.automaton import Scan, make_automaton

NAMES = ["Mosul", "Iraq", "Islamic State", "Raqqa", "Al Qaim", "US"]
VOCAB_A = """
- name: Islamic State
  kind: organisation
  aliases: [ISIS, Daesh]
- name: Popular Mobilization Forces
  kind: force
  aliases: [PMF]
"""
TEXT = "ISIS fighters left Mosul for Raqqa; the PMF and the Bar Brigade held Al Qaim. Islamic State denied it."


def _scan(names: list[str], keys) -> Scan:
    automaton, tag_gaz = make_automaton(names, keys)
    return Scan(automaton, len(names), tuple(keys), tag_gaz)


def test_shared_hits_are_each_automatons_own():
    """The scan's gazetteer hits are a plain names automaton's, in its order; the tagger's matches are its own."""
    matcher = PhraseMatcher([("ISIS", "Islamic State"), ("Daesh", "Islamic State"), ("Islamic State", "Islamic State"),
                             ("PMF", "Popular Mobilization Forces")])
    alone = matcher.find(TEXT)
    plain, _ = make_automaton(NAMES)
    scan = _scan(NAMES, sorted(matcher._keys))
    assert link_scan(matcher, scan)
    from generator.enrich.matcher import padded_normalised

    assert scan.hits(TEXT)[0] == list(plain.iter(padded_normalised(TEXT)))
    assert matcher.find(TEXT) == alone and [m.key for m in alone] == ["Islamic State", "Popular Mobilization Forces",
                                                                      "Islamic State"]
    # a key both have ("islamic state") is a place name to the gazetteer and a tag to the tagger
    assert scan.index(" islamic state ") == NAMES.index("Islamic State") and scan.index(" pmf ") == -1


def test_a_scan_of_other_keys_is_not_linked():
    """A tagger whose aliases differ from the automaton's (a stale file) keeps its own scan: same tags."""
    scan = _scan(NAMES, [" isis ", " pmf "])
    matcher = PhraseMatcher([("ISIS", "Islamic State"), ("PMF", "PMF"), ("Bar Brigade", "Bar Brigade")])
    assert not link_scan(matcher, scan) and matcher._shared is None
    assert [m.key for m in matcher.find(TEXT)] == ["Islamic State", "PMF", "Bar Brigade"]


def test_a_vocabulary_edit_rebuilds_only_the_automaton(tmp_path, monkeypatch):
    """Editing the vocabulary gives another automaton file (the compiled gazetteer's key is unchanged), which
    tags the new alias; the old file, whose keys are the old vocabulary's, is not linked to the new tagger."""
    monkeypatch.setenv("NEWS_ARCHIVE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "cache_key", lambda: "testkey")
    vocab_file = tmp_path / "vocabulary.yml"
    monkeypatch.setattr(cache, "VOCABULARY", vocab_file)
    vocab_file.write_text(VOCAB_A, encoding="utf-8")
    before = cache.scan_path()
    old = cache.load_scan(NAMES)
    assert before.exists()
    old_vocab = Vocabulary.load(vocab_file)
    old_scan = Scan(old["automaton"], len(NAMES), old["tag_keys"], old["tag_gaz"])
    assert link_scan(old_vocab._matcher, old_scan)
    assert "Bar Brigade" not in [m.key for m in old_vocab.find(TEXT)]

    vocab_file.write_text(VOCAB_A + "- name: Bar Brigade\n  kind: force\n", encoding="utf-8")
    after = cache.scan_path()
    assert after != before and not after.exists()
    new = cache.load_scan(NAMES)
    assert after.exists() and before.exists()  # the other vocabulary's file stays for its checkout
    new_vocab = Vocabulary.load(vocab_file)
    stale = Scan(old["automaton"], len(NAMES), old["tag_keys"], old["tag_gaz"])
    assert not link_scan(new_vocab._matcher, stale)  # a stale automaton is never used for tagging
    fresh = Scan(new["automaton"], len(NAMES), new["tag_keys"], new["tag_gaz"])
    assert link_scan(new_vocab._matcher, fresh)
    assert [m.key for m in new_vocab.find(TEXT)] == ["Islamic State", "Popular Mobilization Forces", "Bar Brigade",
                                                     "Islamic State"]
    # loaded again: the file, not a build (its automaton answers the same)
    again = cache.load_scan(NAMES)
    assert again["tag_keys"] == new["tag_keys"] and again["automaton"].get(" bar brigade ") == len(NAMES) + list(
        new["tag_keys"]).index(" bar brigade ")


def test_an_ingest_says_when_it_builds_the_scan(tmp_path, monkeypatch):
    """The few seconds an ingest spends on the automaton after a vocabulary edit are announced, as the
    gazetteer's compile is; nothing is said when both files are cached."""
    monkeypatch.setenv("NEWS_ARCHIVE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "cache_key", lambda: "testkey")
    vocab_file = tmp_path / "vocabulary.yml"
    monkeypatch.setattr(cache, "VOCABULARY", vocab_file)
    vocab_file.write_text(VOCAB_A, encoding="utf-8")
    assert "compiling the place gazetteer" in cache.pending_build()
    cache.compiled_path().write_bytes(b"")  # stands for the compiled gazetteer: only its presence is asked
    assert "vocabulary changed" in cache.pending_build()
    cache.load_scan(NAMES)
    assert cache.pending_build() is None
    vocab_file.write_text(VOCAB_A + "- name: Bar Brigade\n  kind: force\n", encoding="utf-8")
    assert "vocabulary changed" in cache.pending_build()


@pytest.fixture(scope="module")
def linked():
    from generator.enrich.places import default_gazetteer

    gaz = default_gazetteer()
    vocab = Vocabulary.load(Path(cache.VOCABULARY))  # its own matcher, linked below
    assert Context(vocabulary=vocab, gazetteer=gaz).vocabulary._matcher._shared is not None
    return gaz, vocab


def test_real_gazetteer_same_tags_and_places(linked, seed_path):
    """On the seed article and its paragraphs, the linked tagger and gazetteer give what a tagger and a
    gazetteer with their own automata give (places, major places and metonyms too)."""
    from generator.gazetteer import GeoNamesGazetteer

    gaz, vocab = linked
    alone = default_vocabulary.__wrapped__()  # a tagger with its own automaton
    assert alone._matcher._shared is None
    data = cache.load_compiled()
    data["automaton"], _ = make_automaton(data["names"])  # the gazetteer's names only, as before
    data["tag_keys"], data["tag_gaz"] = (), None
    own = GeoNamesGazetteer(data)
    text = seed_path.read_text(encoding="utf-8")
    seen = []
    for part in [text, *text.split("\n\n")[:12]]:
        part = "".join((part[:1], part[1:]))  # a new object: no scan remembered for it
        tags = vocab.find(part)
        seen.append((tags, found := gaz.find(part, exclude=[(m.start, m.end) for m in tags])))
        other = "".join((part[:1], part[1:]))
        assert tags == alone.find(other)
        ex = [(m.start, m.end) for m in tags]
        assert found == own.find(other, exclude=ex)
        assert gaz.find(part, exclude=ex, major_only=True) == own.find(other, exclude=ex, major_only=True)
        assert gaz.metonyms(part, found) == own.metonyms(other, found)
    assert seen[0][0] and len(seen[0][1]) > 10  # the whole article: tags and places to compare
