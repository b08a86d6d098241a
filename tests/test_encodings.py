"""Every common encoding is decoded to the same text, through the whole pipeline."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.model import RejectedInput
from generator.pipeline import ingest, read_file
from generator.textutil import decode
from generator.writers.markdown import read_page

TITLE = "Café owners in Niamey say “prices doubled” — naïve hopes fade"
PARA = ("The café on the corner charged 5 € for a coffee last week, owners said — “a naïve price” "
        "according to one customer. Traders expect further increases before the rains arrive.")
LATIN1_TITLE = "Café owners in Niamey say prices doubled, naïve hopes fade"
LATIN1_PARA = "The café on the corner was full, owners said. Naïve hopes of cheaper bread faded before the rains arrive."


def doc(title: str, para: str) -> str:
    return f"{title}\n\n{para}\n\n{para.replace('corner', 'square')}\n"


CASES = {
    "utf-8": (doc(TITLE, PARA), lambda t: t.encode("utf-8")),
    "utf-8-bom": (doc(TITLE, PARA), lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
    "utf-16-le-bom": (doc(TITLE, PARA), lambda t: b"\xff\xfe" + t.encode("utf-16-le")),
    "utf-16-be-bom": (doc(TITLE, PARA), lambda t: b"\xfe\xff" + t.encode("utf-16-be")),
    "utf-16-le": (doc(TITLE, PARA), lambda t: t.encode("utf-16-le")),
    "utf-16-be": (doc(TITLE, PARA), lambda t: t.encode("utf-16-be")),
    "utf-16 (python, BOM)": (doc(TITLE, PARA), lambda t: t.encode("utf-16")),
    "cp1252": (doc(TITLE, PARA), lambda t: t.encode("cp1252")),
    "latin-1": (doc(LATIN1_TITLE, LATIN1_PARA), lambda t: t.encode("latin-1")),
    "cp1252-crlf": (doc(TITLE, PARA), lambda t: t.replace("\n", "\r\n").encode("cp1252")),
}


@pytest.mark.parametrize("name", CASES)
def test_decode(name):
    text, enc = CASES[name]
    assert decode(enc(text)).replace("\r\n", "\n") == text


@pytest.mark.parametrize("name", CASES)
def test_through_pipeline(tmp_path, name):
    text, enc = CASES[name]
    f = tmp_path / "in.txt"
    f.write_bytes(enc(text))
    [article] = read_file(f)
    title = text.split("\n")[0]
    para = text.split("\n\n")[1]
    assert article.title == title
    assert article.blocks[0].text == para
    [entry] = ingest([f], tmp_path / "content", jobs=1)
    meta, _ = read_page(Path(entry.page))
    assert meta["title"] == title


def test_same_text_same_id_whatever_the_encoding(tmp_path):
    ids = set()
    for name in ("utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be", "cp1252"):
        text, enc = CASES[name]
        f = tmp_path / f"{name}.txt"
        f.write_bytes(enc(text))
        ids.add(read_file(f)[0].id)
    assert len(ids) == 1


def test_short_cp1252_and_latin1_words():
    for word in ("café", "naïve", "Zürich", "São Tomé", "déjà vu"):
        assert decode(f"{word} is a word here.".encode("cp1252")) == f"{word} is a word here."
        assert decode(f"{word} is a word here.".encode("latin-1")) == f"{word} is a word here."


def test_garbage_bytes_rejected():
    import random

    rng = random.Random(4)
    with pytest.raises(RejectedInput, match="undecodable"):
        decode(bytes(rng.randrange(128, 256) for _ in range(4000)))
    with pytest.raises(RejectedInput, match="binary"):
        decode(bytes(rng.randrange(0, 256) for _ in range(4000)))
