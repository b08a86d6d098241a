"""A string emitter for the front matter's plain shapes, giving exactly yaml.dump's text or nothing.

Writing a page called PyYAML's emitter, whose C core calls back into Python for every event and
every scalar's implicit tag (about 0.19 ms a page, in the main process, which writes every page of
an ingest in turn). The front matter is a mapping of short strings, numbers, dates, lists of
strings and lists of small mappings; for those the text `yaml.dump(meta, default_flow_style=False,
allow_unicode=True, sort_keys=False, width=1000)` gives follows a few rules, written out here.

Anything these rules do not cover with certainty raises `Unsure`, and the caller dumps with PyYAML:
a character that is not printable for libyaml (controls, line breaks, the BOM, characters outside
the Basic Multilingual Plane, which libyaml writes escaped), a line that could reach the width
(where the emitter would fold), keys that are not short ASCII strings, another type. Which
characters make a string need quotes is the emitters' `analyze_scalar` (the same in libyaml and in
PyYAML's pure emitter); whether a plain string would read back as another type is the resolver's
own table, looked up as `BaseResolver.resolve` does. tests/test_fastyaml.py compares the output
with yaml.dump on pages and on hostile values.
"""
from __future__ import annotations

import re
from datetime import date

_STR = "tag:yaml.org,2002:str"
# The characters taken here: printable for libyaml and PyYAML alike, no line break, tab or BOM
# (U+0085, U+2028 and U+2029 are breaks; U+FEFF, U+FFFE, U+FFFF, surrogates and anything past
# U+FFFF are not printable for libyaml).
_SAFE = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
# analyze_scalar's block indicators (a block-context scalar with one cannot be plain): a document
# marker at the start; a leading indicator character; a leading '?', ':' or '-' followed by
# whitespace (or the end); ':' followed by whitespace (or the end); '#' after whitespace. Within
# the characters above, the only whitespace is ' '.
_BLOCK_INDICATOR = re.compile(r"\A(?:---|\.\.\.|[#,\[\]{}&*!|>'\"%@`]|[?:\-](?: |\Z))|:(?: |\Z)| #")
# The emitters fold a scalar at a space once the column passes the width (1000): lines are kept
# well short of it.
_MAX_COLUMN = 960
_MAX_KEY = 100  # a simple key is shorter than 128 (libyaml counts bytes: keys are ASCII here)


# Memos keep strings this short (field names, tags, places, countries repeat; titles rarely do), this many.
_MEMO_CHARS = 80
_MEMO_MAX = 1 << 16


class Unsure(Exception):
    """The value is not in a shape whose text is known here: let PyYAML dump it."""


def float_text(value: float) -> str:
    """SafeRepresenter.represent_float's text (the page writer's dumper uses it too)."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text


def implicit_tag(value: str, resolvers: dict, memo: dict) -> str:
    """The tag a plain scalar `value` reads back as (BaseResolver.resolve for an implicit plain
    scalar, `resolvers` its table); remembered in `memo` for short values. The page writer's PyYAML
    dumper asks this too, so both share one memo."""
    tag = memo.get(value)
    if tag is not None:
        return tag
    tag = _STR
    for tag_, regexp in resolvers.get(value[0] if value else "", ()) or ():
        if regexp.match(value):
            tag = tag_
            break
    else:
        for tag_, regexp in resolvers.get(None, ()) or ():
            if regexp.match(value):
                tag = tag_
                break
    if len(value) <= _MEMO_CHARS and len(memo) < _MEMO_MAX:
        memo[value] = tag
    return tag


_MAX_INDENT = 200  # deeper nesting is left to PyYAML (so a remembered short scalar fits any line)


class FastEmitter:
    """Emits one front matter; `resolvers` is the dumper's implicit resolver table, `memo` a cache
    of implicit tags by value and `texts` one of short strings' written form (pages repeat field
    names, tags, places and countries)."""

    __slots__ = ("resolvers", "memo", "texts", "keys", "out")

    def __init__(self, resolvers: dict, memo: dict, texts: dict, keys: dict) -> None:
        self.resolvers = resolvers
        self.memo = memo
        self.texts = texts
        self.keys = keys  # apart from `texts`: not every string that may be a value may be a key
        self.out: list[str] = []

    def dump(self, meta: dict) -> str:
        """yaml.dump's text for the mapping `meta`, or Unsure."""
        if type(meta) is not dict:
            raise Unsure("not a dict")
        if not meta:
            return "{}\n"
        self.out = []
        self._mapping(meta, 0, True)
        self.out.append("\n")
        return "".join(self.out)

    def _str(self, value: str, column: int) -> str:
        """A string scalar written at `column`: plain when the emitter would write it plain, else
        single-quoted."""
        if column + len(value) > _MAX_COLUMN or not _SAFE.fullmatch(value):
            raise Unsure("characters or length")
        if not value:
            text = "''"
        elif (value[0] == " " or value[-1] == " " or _BLOCK_INDICATOR.search(value)
                or implicit_tag(value, self.resolvers, self.memo) != _STR):
            text = "'" + value.replace("'", "''") + "'"
        else:
            text = value
        if len(value) <= _MEMO_CHARS and len(self.texts) < _MEMO_MAX:
            self.texts[value] = text
        return text

    def _scalar(self, value, column: int) -> str | None:
        """The text of a scalar value other than a remembered string, or None when `value` is a
        non-empty collection."""
        kind = type(value)
        if kind is str:
            return self._str(value, column)
        if kind is bool:
            return "true" if value else "false"
        if kind is int:
            text = str(value)
        elif kind is float:
            text = float_text(value)
            if implicit_tag(text, self.resolvers, self.memo) != "tag:yaml.org,2002:float":
                raise Unsure("float text")
        elif kind is date:
            text = value.isoformat()
            if len(text) != 10:
                raise Unsure("date")
        elif value is None:
            return "null"
        elif kind is dict or kind is list:
            if not value:
                return "{}" if kind is dict else "[]"
            return None
        else:
            raise Unsure(kind.__name__)
        if column + len(text) > _MAX_COLUMN:
            raise Unsure("length")
        return text

    def _key(self, key) -> str:
        """A mapping key's text: short non-empty ASCII strings only (a simple key)."""
        if type(key) is not str or not key or len(key) > _MAX_KEY or not key.isascii():
            raise Unsure("key")
        text = self._str(key, 0)
        if len(self.keys) < _MEMO_MAX:
            self.keys[key] = text
        return text

    def _mapping(self, value: dict, indent: int, inline: bool) -> None:
        """A block mapping whose keys start at `indent`; `inline`: its first key follows a '- '
        already written (or starts the document)."""
        if indent > _MAX_INDENT:
            raise Unsure("depth")
        out = self.out
        texts = self.texts
        keys = self.keys
        pad = "\n" + " " * indent
        for key, item in value.items():
            text = keys.get(key) if type(key) is str else None
            if text is None:
                text = self._key(key)
            if inline:
                head = text
                inline = False
            else:
                head = pad + text
            if type(item) is str:
                scalar = texts.get(item)
                if scalar is None:
                    scalar = self._str(item, indent + len(text) + 2)
            else:
                scalar = self._scalar(item, indent + len(text) + 2)
            if scalar is not None:
                out.append(head + ": " + scalar)
            elif type(item) is dict:
                out.append(head + ":")
                self._mapping(item, indent + 2, False)
            else:
                out.append(head + ":")
                self._sequence(item, indent, False)  # a sequence in a mapping is indentless

    def _sequence(self, value: list, indent: int, inline: bool) -> None:
        """A block sequence whose '- ' start at `indent`; `inline`: its first item follows a '- '."""
        if indent > _MAX_INDENT:
            raise Unsure("depth")
        out = self.out
        texts = self.texts
        pad = "\n" + " " * indent + "- "
        for item in value:
            if inline:
                head = "- "
                inline = False
            else:
                head = pad
            if type(item) is str:
                scalar = texts.get(item)
                if scalar is None:
                    scalar = self._str(item, indent + 2)
            else:
                scalar = self._scalar(item, indent + 2)
            if scalar is not None:
                out.append(head + scalar)
                continue
            out.append(head)
            if type(item) is dict:
                self._mapping(item, indent + 2, True)
            else:
                self._sequence(item, indent + 2, True)
