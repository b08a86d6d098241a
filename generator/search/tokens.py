"""Words as the search sees them, identical in Python (build) and JavaScript (query, search.js)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import filterfalse
from pathlib import Path

import numpy as np

WORD = re.compile(r"[^\W_]+")
STOPWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "search_stopwords.txt"
# ASCII text's WORD runs: every ASCII character that is not a letter or digit made a space.
_ASCII_GAPS = str.maketrans({c: " " for c in range(128) if not chr(c).isalnum()})
LONGEST = 40  # longer runs of letters are not words (hashes, run-together junk)


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
    # ASCII text (most) is split by str.translate and str.split, and stopwords are dropped in C: the
    # same words as WORD.findall and a Python test per word, which were 1 CPU-s of a clean build's
    # search index at 10,000 articles, against 0.6.
    found = text.lower().translate(_ASCII_GAPS).split() if text.isascii() else WORD.findall(fold(text))
    kept = list(filterfalse(stopwords().__contains__, found))
    if kept and max(map(len, kept)) > LONGEST:
        kept = [w for w in kept if len(w) <= LONGEST]
    return kept


def shard_of(term: str, shards: int) -> int:
    """FNV-1a (32 bit) of the term's UTF-8 bytes, modulo the shard count (search.js: shardOf)."""
    h = 0x811C9DC5
    for b in term.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h % shards


def shards_of(terms: list[str], shards: int) -> np.ndarray:
    """`shard_of` of many terms at once (the same FNV-1a, one byte column at a time in numpy): the
    index's 51,000 terms hashed one byte at a time in Python were about 0.3 CPU-s of each build."""
    data = [t.encode("utf-8") for t in terms]
    lengths = np.fromiter(map(len, data), dtype=np.int64, count=len(data))
    h = np.full(len(data), 0x811C9DC5, dtype=np.uint64)
    if not len(data) or not lengths.max():
        return (h % np.uint64(shards)).astype(np.int64)
    flat = np.frombuffer(b"".join(data), dtype=np.uint8)
    starts = np.zeros(len(data), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    grid = np.zeros((int(lengths.max()), len(data)), dtype=np.uint64)  # byte k of every term in row k
    grid[np.arange(len(flat)) - np.repeat(starts, lengths), np.repeat(np.arange(len(data)), lengths)] = flat
    prime, mask = np.uint64(0x01000193), np.uint64(0xFFFFFFFF)
    for k, row in enumerate(grid):
        live = lengths > k
        h[live] = ((h[live] ^ row[live]) * prime) & mask
    return (h % np.uint64(shards)).astype(np.int64)
