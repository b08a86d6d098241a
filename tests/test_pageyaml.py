"""pageyaml reads a front matter to exactly what the YAML loader gives, or declines (Unsure).

Checked against `textutil.YAML_LOADER` (what parse_page used alone before), types included (1, 1.0
and True are equal in Python, not here), on what the writer emits for hostile and random values, on
hand-edited front matters, and on random texts built from the lines editors type."""
from __future__ import annotations

import random
from datetime import date

import pytest
import yaml

from generator.textutil import YAML_LOADER
from generator.writers import pageyaml
from generator.writers.pagefile import _dump_yaml, dump_page, parse_page

from .test_fastyaml import HOSTILE, SCALARS, _key, _random_text, _value


def _typed(value):
    """`value` with every scalar's type spelled out, for a comparison that tells 1, 1.0 and True apart."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def _check(front: str) -> bool:
    """pageyaml's mapping (when it gives one) is YAML's; True when it gave one."""
    try:
        fast = pageyaml.load(front)
    except pageyaml.Unsure:
        return False
    assert _typed(fast) == _typed(yaml.load(front, Loader=YAML_LOADER)), front
    return True


def test_written_pages_are_read_here():
    meta = {"id": "1242f4dd9b40a05c", "title": "Convoy ambushed near a river crossing: three held (report 7)",
            "date": date(2019, 3, 12), "tags": ["Ambushes", "Peace talks"], "locations": ["Nowhere Valley"],
            "places": [{"name": "Nowhere Valley", "kind": "region", "country": "Utopia", "lat": 12.5, "lon": -1.67,
                        "geonameid": 2361809}],
            "sources": [{"file": "00007.txt"}], "summary": "It's 'quoted' # and not a comment", "near": True}
    front = _dump_yaml(meta)
    assert _check(front)
    assert pageyaml.load(front) == meta
    assert parse_page(dump_page(meta, "Body text.")) == (meta, "Body text.")


def test_hostile_values_as_the_writer_writes_them():
    taken = 0
    for value in HOSTILE + SCALARS:
        for meta in ({"title": value}, {"tags": [value, "a"]}, {"places": [{"name": value, "lat": 1.5}]},
                     {"k": value, "title": "after"}):
            try:
                front = _dump_yaml(meta)
            except (yaml.YAMLError, TypeError):
                continue
            taken += _check(front)
    assert taken > 400  # most of them are read here, not handed back


def test_random_front_matters_as_written():
    rng = random.Random(31)
    taken = 0
    for _ in range(6000):
        meta = {_key(rng): _value(rng, 0) for _ in range(rng.randint(1, 7))}
        try:
            front = _dump_yaml(meta)
        except (yaml.YAMLError, TypeError):
            continue
        taken += _check(front)
    assert 150 < taken < 5000  # both paths exercised (nested and hostile values are handed back)


HAND_EDITED_TAKEN = [
    "title: Edited\ndate: 2024-02-30\n",  # no real date: text
    "title: Edited\ndate: 2024-02-03\n",
    "summary:\ntitle: x\n",  # emptied by hand: None
    "tags:\n\n- a\n\n- b\n",  # blank lines
    "title: one\ntitle: two\n",  # set twice: YAML keeps the last
    "n: 12\nf: -0.0\nb: yes\nz: ~\nq: 'yes'\ns: '  spaced  '\ne: ''\n",
    "places:\n- name: A\n  lat: 1.5\n- name: B\n  kind: city\n",
    "t: a:b\nu: ?x\nv: -x\nw: :x\nx: a-b, c[d]{e}\nf: 1e3\n",  # 1e3: text in YAML 1.1
]

HAND_EDITED_UNSURE = [
    "# a comment\ntitle: x\n",
    "title: x # a comment\n",
    "tags:\n  - indented\n  - list\n",
    "tags: [a, b]\n",
    'title: "double quoted"\n',
    "title: folded\n  onto two lines\n",
    "summary: |\n  block\n",
    "summary: >\n  folded\n",
    "n: 012\n", "n: 0x1F\n", "n: 1_000\n", "n: 1:20\n", "f: .inf\n", "d: 2024-05-02T10:00:00Z\n",
    "true: key is a bool\n", "null: key\n", "2024: key is an int\n", "'quoted': key\n",
    "title:\tx\n", "title: x\t\n", "title: x \n", "title: \n", "tags:\n-\n", "tags:\n- - nested\n",
    "places:\n- name: A\n   lat: 1.5\n", "places:\n- name: A\n  sub:\n  - x\n",
    "a: &anchor x\nb: *anchor\n", "a: !!str 5\n", "<<: {a: 1}\n", "title: bell\x07\n", "title: a\rb\n",
    "- a list\n", "just text\n", "", "\n\n", "...\n",
]


@pytest.mark.parametrize("front", HAND_EDITED_TAKEN)
def test_hand_edits_read_here(front):
    assert _check(front)


@pytest.mark.parametrize("front", HAND_EDITED_UNSURE)
def test_hand_edits_handed_to_yaml(front):
    with pytest.raises(pageyaml.Unsure):
        pageyaml.load(front)
    page = f"---\n{front}---\n\nBody.\n"
    if "&anchor" in front:  # refused, not expanded (pagefile.refuse_aliases: a billion-entry alias bomb)
        with pytest.raises(yaml.YAMLError, match="anchors and aliases"):
            parse_page(page)
        return
    try:
        expected = yaml.load(split_front(page), Loader=YAML_LOADER)
    except yaml.YAMLError:
        with pytest.raises(yaml.YAMLError):
            parse_page(page)
        return
    if isinstance(expected, dict):
        assert _typed(parse_page(page)[0]) == _typed(expected)


def split_front(page: str) -> str:
    return page.split("---\n", 2)[1]


_LINES = ["id: 1242f4dd9b40a05c", "title: {t}", "title: '{t}'", "date: {d}", "tags:", "- {t}", "- '{t}'",
          "places:", "- name: {t}", "  lat: {n}", "  kind: {t}", "  country: '{t}'", "summary:", "", "  {t}",
          "   lat: 1", "-", "{t}: x", "lon: {n}", "n: {n}"]
_NUMBERS = ["0", "-0", "12", "-3", "012", "1.5", "-1.67", "1.", ".5", "1e3", "1_0", "+1", "0x1", "-0.0", "3:4"]
_DATES = ["2024-05-02", "2024-02-30", "2024-5-2", "2024-05-02 10:00", "0001-01-01", "2024-13-01"]


def test_random_hand_edits():
    """Texts of the lines editors type, with random values: what is read here is what YAML reads,
    and no text that YAML refuses is read here."""
    rng = random.Random(7)
    taken = refused = 0
    for _ in range(8000):
        lines = []
        for _ in range(rng.randint(1, 8)):
            line = rng.choice(_LINES)
            value = _random_text(rng) if rng.random() < 0.3 else rng.choice(HOSTILE + _NUMBERS + _DATES)
            lines.append(line.replace("{t}", value).replace("{d}", rng.choice(_DATES))
                         .replace("{n}", rng.choice(_NUMBERS)))
        front = "\n".join(lines) + "\n"
        try:
            expected = yaml.load(front, Loader=YAML_LOADER)
        except yaml.YAMLError:
            refused += 1
            with pytest.raises(pageyaml.Unsure):
                pageyaml.load(front)
            continue
        if not isinstance(expected, dict):
            with pytest.raises(pageyaml.Unsure):
                pageyaml.load(front)
            continue
        taken += _check(front)
    assert taken > 400 and refused > 1000  # both kinds seen


@pytest.mark.parametrize("typed", ["1234567890123456", "0000000000000000", "0123456701234567", "12"])
def test_an_id_typed_as_digits_stays_the_digits_on_either_path(typed):
    """parse_page keeps an unquoted digit id as typed, whether pageyaml reads the front matter
    (`1234567890123456`, a decimal int to YAML) or YAML does (`0000000000000000`, octal)."""
    for extra in ("", "note: x # a comment\n"):  # the second is YAML's to read
        meta, _ = parse_page(f"---\nid: {typed}\ntitle: T\n{extra}---\n\nBody.\n")
        assert meta["id"] == typed and meta["title"] == "T"
