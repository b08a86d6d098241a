"""Words as the search sees them, identical in Python (build) and JavaScript (query, search.js)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

WORD = re.compile(r"[^\W_]+")
STOPWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "search_stopwords.txt"


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    lines = STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


def fold(text: str) -> str:
    """Lower case without accents (NFKD, combining marks dropped): "Ḥalab" finds "Halab"."""
    if text.isascii() or unicodedata.is_normalized("NFKD", text):  # most text: nothing to take apart
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """The searchable words of a text, in order, stopwords left out (search.js does the same)."""
    stop = stopwords()
    return [w for w in WORD.findall(fold(text)) if w not in stop and len(w) <= 40]


def shard_of(term: str, shards: int) -> int:
    """FNV-1a (32 bit) of the term's UTF-8 bytes, modulo the shard count (search.js: shardOf)."""
    h = 0x811C9DC5
    for b in term.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h % shards
