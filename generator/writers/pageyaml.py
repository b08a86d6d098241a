"""A reader for the front matter's plain layout, giving exactly what the YAML loader gives, or nothing.

Why: a clean build parses every article page's front matter (issue 12). libyaml parses in C, but
PyYAML's constructors and resolver are Python and run per node: about 0.4 ms a page, 4 to 5 CPU-s
at 10,000 articles, split between the build's main process and its reader (pagereads.py). The
front matter the writer emits (fastyaml.py) has a few shapes only: `key: scalar` lines, `key:`
followed by `- scalar` lines, and `key:` followed by `- key: scalar` items whose further keys are
indented by two spaces; each scalar is on its own line, plain or single-quoted.

`load` reads those lines and nothing else: a line of any other shape (a comment, a flow
collection, a double-quoted or folded value, another indentation, a key that is not a plain word)
or a value it is not sure of raises `Unsure`, and the caller loads the text with YAML. A plain value
is taken only when the emitter would write it plain (the characters and indicators fastyaml checks),
so it reads back as its text; its type is the resolver's own implicit table's (as `BaseResolver.resolve`
looks it up), and it is constructed here only for the forms whose value is certain (decimal ints,
plain decimal floats, booleans, nulls, `YYYY-MM-DD` dates, which stay text when no real date, as
`textutil.YAML_LOADER` keeps them); any other form of those types is Unsure. tests/test_pageyaml.py
compares it with the YAML loader on written pages, hand-edited ones and random ones.
"""
from __future__ import annotations

import re
from datetime import date

from ..textutil import YAML_LOADER
from .fastyaml import _BLOCK_INDICATOR, _SAFE, implicit_tag

_T = "tag:yaml.org,2002:"
_RESOLVERS = YAML_LOADER.yaml_implicit_resolvers
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?")  # `key:` or `key: value`, whole line
_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?[0-9]+\.[0-9]+")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_BOOLS = YAML_LOADER.bool_values
_NULLS = ("", "~", "null", "Null", "NULL")

# Plain texts and keys seen before, with their values (pages repeat field names, tags, places,
# countries, kinds): the values are immutable, so sharing one is as good as constructing it again.
_MEMO_CHARS = 80
_MEMO_MAX = 1 << 16
_PLAIN: dict[str, object] = {}
_TAGS: dict[str, str] = {}


class Unsure(Exception):
    """The text is not in a shape read here: let YAML load it."""


def _plain(text: str):
    """The value of a plain scalar written `text` (one line, already stripped of nothing)."""
    value = _PLAIN.get(text, _PLAIN)
    if value is not _PLAIN:
        return value
    if (not text or not _SAFE.fullmatch(text) or text[0] == " " or text[-1] == " "
            or _BLOCK_INDICATOR.search(text)):
        raise Unsure("not a plain scalar the writer would write")
    tag = implicit_tag(text, _RESOLVERS, _TAGS)
    if tag == _T + "str":
        value = text
    elif tag == _T + "int" and _INT.fullmatch(text):
        value = int(text)
    elif tag == _T + "float" and _FLOAT.fullmatch(text):
        value = float(text)
    elif tag == _T + "bool":
        value = _BOOLS[text.lower()]
    elif tag == _T + "null" and text in _NULLS:
        value = None
    elif tag == _T + "timestamp" and (m := _DATE.fullmatch(text)):
        try:
            value = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            value = text  # no real date: text, as textutil.YAML_LOADER keeps it
    else:
        raise Unsure(f"{tag} {text!r}")
    if len(text) <= _MEMO_CHARS and len(_PLAIN) < _MEMO_MAX:
        _PLAIN[text] = value
    return value


def _scalar(text: str | None):
    """The value written after `key:` on its line (None: nothing after the colon)."""
    if text is None:
        return None
    if text[:1] == "'":
        m = _QUOTED.fullmatch(text)
        if m is None or not _SAFE.fullmatch(text):
            raise Unsure("quoted scalar")
        return m.group(1).replace("''", "'")
    return _plain(text)


def _key(text: str) -> str:
    """A plain key that reads back as this string (not `true:`, `null:`, `2024:`)."""
    if implicit_tag(text, _RESOLVERS, _TAGS) != _T + "str":
        raise Unsure(f"key {text!r}")
    return text


def load(front: str) -> dict:
    """The mapping YAML_LOADER gives for the front matter text `front`, or Unsure."""
    lines = [line for line in front.split("\n") if line]  # blank lines separate nothing YAML keeps
    if not lines:
        raise Unsure("empty")
    meta: dict = {}
    i, n = 0, len(lines)
    while i < n:
        m = _KEY_LINE.fullmatch(lines[i])
        if m is None:
            raise Unsure(f"line {lines[i]!r}")
        key, text = _key(m.group(1)), m.group(2)
        i += 1
        if text is not None or i == n or not lines[i].startswith("- "):
            meta[key] = _scalar(text)
            continue
        items: list = []
        while i < n and lines[i].startswith("- "):
            rest = lines[i][2:]
            i += 1
            m = _KEY_LINE.fullmatch(rest)
            if m is None:
                items.append(_scalar_item(rest))
                continue
            item = {_key(m.group(1)): _scalar(m.group(2))}
            while i < n and lines[i].startswith("  "):
                m = _KEY_LINE.fullmatch(lines[i], 2)
                if m is None:
                    raise Unsure(f"line {lines[i]!r}")
                item[_key(m.group(1))] = _scalar(m.group(2))
                i += 1
            items.append(item)
        meta[key] = items
    return meta


def _scalar_item(text: str):
    """A sequence item's scalar (`- text`): quoted or plain, never empty."""
    if not text:
        raise Unsure("empty item")
    return _scalar(text)
