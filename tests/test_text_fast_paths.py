"""Fast paths in textutil give what the plain code gave: clean_spaces' ASCII path (no substitution
when a text has no tab and no double space), on random mixes of every kind of character it treats;
decode_noting's count of control characters (one regular expression), on every character."""
from __future__ import annotations

import random

from generator import textutil as tu


def _reference(text: str) -> str:
    text = tu._ASCII_CONTROLS.sub("", text)
    if not text.isascii():
        text = tu.composed(tu._NON_ASCII.sub(tu._keep, text))
    return tu._SPACE_RUNS.sub(" ", text).strip()


PIECES = [" ", "  ", "\t", "\n", "\r", "\x00", "\x0b", "\x1f", "\x7f", "\u00a0", "\u2000", "\u200b", "\u200d",
          "\u202f", "\u205f", "\u3000", "\u2060", "\ufeff", "\u00ad", "a", "Z", "é", "e\u0301", "\u0301"]


def test_same_as_one_substitution():
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        assert tu.clean_spaces(text) == _reference(text), repr(text)


def test_ascii_runs_collapse():
    assert tu.clean_spaces(" a  b\tc \t d ") == "a b c d"
    assert tu.clean_spaces("a b c") == "a b c"


def test_control_characters_counted_as_before():
    plain = [c for c in map(chr, range(0x110000)) if c < " " and c not in "\t\n\r\f\v\x1a"]
    assert tu._CONTROL_CHARS.findall("".join(map(chr, range(0x110000)))) == plain
    assert tu.decode_noting(b"a\x01b\x02c\x1ad" + b"x" * 10)[0] == "a\x01b\x02c\x1adxxxxxxxxxx"
    text = "word " * 20 + "\x01\x02\x03"
    try:
        tu.decode_noting(text.encode())
    except Exception as exc:  # noqa: BLE001 - the reader's RejectedInput
        assert "3 control characters" in str(exc)
    else:
        raise AssertionError("three control characters in 103 are binary content")
