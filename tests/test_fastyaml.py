"""fastyaml writes a front matter as yaml.dump does, byte for byte, or declines (Unsure).

Checked against libyaml's emitter (what the writer uses when it is installed) and PyYAML's pure one,
on the pages an ingest writes and on random front matters full of hostile values."""
from __future__ import annotations

import random
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from generator.pipeline import ingest
from generator.writers.fastyaml import FastEmitter, Unsure
from generator.writers.pagefile import _dump_yaml, _NoAliasDumper, parse_page

from .conftest import FIXTURES, ROOT

_OPTIONS = {"default_flow_style": False, "allow_unicode": True, "sort_keys": False, "width": 1000}


class _CRef(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    def ignore_aliases(self, data) -> bool:
        return True


class _PyRef(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True


def _fast(meta: dict) -> str | None:
    try:
        return FastEmitter(_NoAliasDumper.yaml_implicit_resolvers, {}, {}, {}).dump(meta)
    except Unsure:
        return None


def _check(meta: dict) -> bool:
    """fastyaml's text (when it gives one) is both emitters'; _dump_yaml's is always libyaml's."""
    expected = yaml.dump(meta, Dumper=_CRef, **_OPTIONS)
    assert _dump_yaml(meta) == expected, meta
    fast = _fast(meta)
    if fast is None:
        return False
    assert fast == expected, meta
    assert fast == yaml.dump(meta, Dumper=_PyRef, **_OPTIONS), meta
    return True


HOSTILE = ["", " ", "  ", "a", "plain words", " lead", "trail ", " both ", "a: colon", "a:colon", "colon:", ":",
           ": x", ":x", "?", "? q", "?q", "-", "- dash", "-dash", "--", "---", "--- doc", "---x", "...", "...x",
           "..", "#", "# hash", "x #y", "x#y", "x# y", "'", "''", "it's", "'quote'", '"dq"', 'say "hi"', "`tick`",
           "@at", "!bang", "&amp", "*star", "%pct", "|pipe", ">gt", "a|b", "a>b", "{brace}", "a{b}", "[bracket]",
           "a[0]", "a, b", ",lead", "a,", "=", "<<", "<", "~", "null", "Null", "NULL", "nUll", "yes", "Yes", "YES",
           "yEs", "no", "No", "on", "Off", "y", "n", "true", "False", "TRUE", "0", "-1", "+1", "1.5", "-.5", ".5",
           "1e3", "1.0e+3", "1e", "0x1F", "0o17", "0b101", "017", "08", "1_000", "1:20", "190:20:30", ".inf",
           "-.Inf", ".NaN", ".nan", "nan", "inf", "2024-05-02", "2024-5-2", "2024-05-02T10:00:00Z",
           "2024-05-02 10:00", "12:30", "3 May 2024", "é ü ß 中文", "Zürich", "\xa0nbsp", "nbsp\xa0", "a\xa0b",
           "emoji 🙂", "🙂", "\u2028sep", "a\u2029b", "\x85nel", "bell\x07", "\ufeffbom", "a\ufeffb", "\ufffe",
           "\ud7ff", "\ue000", "\ufffd", "tab\there", "\t", "multi\nline", "trailing\n", "\nlead", "cr\rx",
           "del\x7f", "c1\x9f", "a\\b", "back\\", "a  b", "a   ", "x" * 79, "x" * 80, "x" * 81,
           "long words " * 95, "long words " * 100, "y" * 1200, "Tripoli clashes: ceasefire holds (report 152)",
           "Côte d'Ivoire", "O'Brien's: \"quoted\" # not a comment", "50% - half", "AT&T", "C++", "C#", "k8s",
           "https://example.org/a?b=c#d", "mailto:x@y.z", "a/b/c.txt", "!!str", "!tag x", "&anchor x", "*alias"]
SCALARS = [0, 1, -3, 2**70, -(2**65), 1.0, -0.0, 0.0, -0.5, 1e17, 1e16, 1e-7, 3.14159, 123456789.123, float("inf"),
           float("-inf"), float("nan"), True, False, None, date(2024, 5, 2), date(1, 1, 1), date(999, 12, 31),
           datetime(2024, 5, 2, 10, 30), [], {}, b"bytes", ("tuple",)]
KEYS = ["id", "title", "date", "tags", "places", "sources", "name", "kind", "lat", "file", "near_duplicate",
        "yes", "null", "", " k", "k ", "a: b", "-", "x" * 100, "x" * 130, "é", 1, None, True, 2.5]


def _value(rng: random.Random, depth: int):
    roll = rng.random()
    if depth < 3 and roll < 0.12:
        return {_key(rng): _value(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    if depth < 3 and roll < 0.25:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if roll < 0.35:
        return rng.choice(SCALARS)
    if roll < 0.45:
        return _random_text(rng)
    return rng.choice(HOSTILE)


def _key(rng: random.Random):
    return rng.choice(KEYS) if rng.random() < 0.7 else rng.choice(HOSTILE + ["key"] * 20)


def _random_text(rng: random.Random) -> str:
    """A string of random pieces: words, indicator characters, spaces, non-ASCII, controls."""
    pieces = ["word", " ", " ", ":", ": ", "#", " #", "-", "- ", "'", '"', ",", "[", "]", "{", "}", "?", "!", "&",
              "*", "%", "@", "`", "|", ">", "<", "=", "~", ".", "1", "0", "e", "é", "中", "\xa0", "🙂", "\t", "\n",
              "\x00", "\x85", "\u2028", "\ufeff", "yes", "null", "2024-05-02", "1.5"]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))


def test_hostile_scalars_as_values_keys_and_items():
    taken = 0
    for value in HOSTILE + SCALARS:
        for meta in ({"title": value}, {value: "x"} if isinstance(value, (str, int, float)) and value is not None
                     else {"k": [value]}, {"tags": [value, "a"]}, {"places": [{"name": value, "lat": 1.5}]},
                     {"a": {"b": value}}, {"l": [[value, value]]}):
            taken += _check(meta)
    assert taken > 500  # most of them are written by fastyaml, not handed back


def test_random_front_matters():
    rng = random.Random(15)
    taken = 0
    for _ in range(8000):
        meta = {_key(rng): _value(rng, 0) for _ in range(rng.randint(1, 7))}
        taken += _check(meta)
    assert 1000 < taken < 5000  # both paths exercised


def test_width_and_depth_limits_hand_back():
    assert _fast({"title": "word " * 300}) is None  # would be folded near column 1000
    deep: dict = {"x": "leaf"}
    for _ in range(120):
        deep = {"k": deep}
    assert _fast(deep) is None
    _check(deep)


def test_every_page_of_an_ingest(tmp_path: Path):
    """The pages written from the test fixtures and the samples (scrapes, HTML, JSON, feeds)."""
    inputs = [FIXTURES, ROOT / "samples"]
    content = tmp_path / "content"
    ingest([p for p in inputs if p.exists()], content, jobs=1)
    pages = sorted(content.rglob("*.md"))
    assert len(pages) > 20
    taken = 0
    for page in pages:
        meta, _ = parse_page(page.read_text(encoding="utf-8"))
        if meta:
            taken += _check(meta)
            meta = {**meta, "title": meta.get("title", "t") + ": edited # by hand", "extra": ["yes", "", " x"]}
            taken += _check(meta)
    assert taken > len(pages)


@pytest.mark.parametrize("value", ["🙂", "\ufeff", "a\nb", "\x07", "y" * 1200])
def test_unsure_values_are_dumped_by_yaml(value):
    assert _fast({"t": value}) is None
    assert _dump_yaml({"t": value}) == yaml.dump({"t": value}, Dumper=_CRef, **_OPTIONS)
