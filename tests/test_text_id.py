"""An article's id hashes its normalised text: the normalisation (now a translate for ASCII text,
words joined otherwise) must give exactly what the regular expression gave, or every id changes."""
from __future__ import annotations

import re
import unicodedata

import pytest

from generator.model import normalise_for_id, text_id


def reference(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\W+", " ", text).strip()


SAMPLES = [
    "", " ", "a", "_", "__init__", "  lead and trail  ", "Hello, World! It's 3:45 p.m.\n\nNext\tpara",
    "".join(chr(i) for i in range(128)), "x\x1cy\x1dz\x1e\x1f", "snake_case-and_more__",
    "Ünïcödé — text ½ ² ٣ 𝟘 ǅ \u200b\u00a0no-break", "\U0001F600 emoji! ok?", "ﬁne ﬂour Ⅻ ㎏", "İstanbul ΣΊΣΥΦΟΣ straße",
    "中文文本，没有空格。日本語も。", "a\u0301 combining", "tab\u3000ideographic space",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_normalised_text_is_the_regular_expressions(text: str):
    assert normalise_for_id(text) == reference(text)


def test_every_character_normalises_as_before():
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for start in range(0, len(every), 4096):
        chunk = every[start:start + 4096]
        assert normalise_for_id(chunk) == reference(chunk)
        assert normalise_for_id(" ".join(chunk)) == reference(" ".join(chunk))


def test_an_id_is_the_one_earlier_versions_gave():
    assert text_id("Floods in Mosul", "The river rose.\n\nSchools closed.") == "e8c59954b8e2f85e"
