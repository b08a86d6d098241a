"""The line features' counting shortcuts give what the character-by-character str methods give."""
from __future__ import annotations

import random

from generator.readers import text_model
from generator.readers.text_model import _char_counts, word_count


def _reference(head: str) -> tuple[bool, int, int, int]:
    letters = list(filter(str.isalpha, head))
    return (bool(letters) and all(map(str.isupper, letters)), sum(map(str.isdigit, head)),
            sum(map(str.isalnum, head)), sum(map(str.isspace, head)))


def test_every_ascii_character_counts_as_the_str_methods_say():
    for c in map(chr, range(128)):
        for head in (c, c * 3, f"A{c}", f"a{c}", f"{c} 1"):
            assert _char_counts(head) == _reference(head), repr(head)


def test_mixed_scripts_count_as_the_str_methods_say():
    rng = random.Random(7)
    # ASCII, Latin-1 (ª º ² µ: letters and digits without case), Greek, Cyrillic, CJK, fullwidth
    # digits, superscripts, spaces outside ASCII (NBSP, ideographic, U+1C..1F), combining marks
    pool = ([chr(c) for c in range(128)] + [chr(c) for c in range(0xA0, 0x250)] + list("ΑαΣσςЖжЁё")
            + list("日本語한국어ｱ") + list("０１９¹²³⁴①") + ["\u3000", "\u2028", "\x85", "\u0301", "\u2163"])
    for _ in range(3000):
        head = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        assert _char_counts(head) == _reference(head), repr(head)
    assert _char_counts("ÉTÉ À PARIS") == (True, 0, 9, 2)
    assert _char_counts("Été") == (False, 0, 3, 0)


def test_word_count_of_ascii_and_cjk_units():
    assert word_count("Three plain words") == 3
    assert word_count("東京で地震") == 1 + 5 // 2  # one spaced token, five CJK characters
    assert word_count("") == 0


def test_main_run_with_the_callers_prose_flags_is_the_same():
    units = ["Home | News", "A headline here", " ".join(["word"] * 30) + ".", "Share", " ".join(["more"] * 14) + "."]
    prose = [text_model.is_prose(u) for u in units]
    assert text_model.main_run(units, prose) == text_model.main_run(units) == (2, 4)
