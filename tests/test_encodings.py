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


# Our own sentences, in the scripts of pages an archive of conflict news receives.
DECLARED = {
    "windows-1251": ("Армия сообщила о боях у реки", "Армия сообщила, что бои у реки продолжались всю ночь, а жители покинули два села."),
    "Shift_JIS": ("港の防波堤が持ちこたえた", "市当局によると、港の防波堤は夜通し持ちこたえ、住民は朝までに帰宅した。"),
    "gb2312": ("边境检查站重新开放", "官员说，边境检查站在关闭三天后重新开放，车辆排起了长队。"),
    "iso-8859-7": ("Η γέφυρα άνοιξε ξανά", "Η γέφυρα άνοιξε ξανά το πρωί, ανακοίνωσαν οι αρχές της περιοχής."),
    "euc-kr": ("국경 검문소 재개", "당국은 국경 검문소가 사흘 만에 다시 열렸다고 밝혔다."),
    "iso-8859-1": ("Le pont du café rouvre", "Le pont près du café a rouvert ce matin, a indiqué la mairie — enfin."),
}


@pytest.mark.parametrize("charset", DECLARED)
def test_html_in_its_declared_charset(tmp_path, charset):
    title, para = DECLARED[charset]
    page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>{title}</title></head><body><article><h1>{title}</h1><p>{para}</p><p>{para}</p>"
            "</article></body></html>")
    path = tmp_path / "page.html"
    path.write_bytes(page.encode({"iso-8859-1": "cp1252"}.get(charset, charset)))
    entry = ingest([path], tmp_path / "content", jobs=1)[0]
    assert entry.outcome == "new", entry.reason
    meta, body = read_page(Path(entry.page))
    assert meta["title"] == title
    assert para in body


def test_feed_in_its_declared_charset(tmp_path):
    title, para = DECLARED["windows-1251"]
    feed = (f'<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Лента</title>'
            f"<item><title>{title}</title><description>{para} {para}</description>"
            "<pubDate>Tue, 12 Mar 2024 08:00:00 GMT</pubDate></item></channel></rss>")
    path = tmp_path / "feed.xml"
    path.write_bytes(feed.encode("cp1251"))
    entry = ingest([path], tmp_path / "content", jobs=1)[0]
    assert entry.outcome == "new", entry.reason
    assert read_page(Path(entry.page))[0]["title"] == title
