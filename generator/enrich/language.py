"""Is a text English? Enough to decide how far to trust the place matcher, whose precision rules are
written for English: counts of the languages' function words (generator/data/function_words.yml)."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ..textutil import load_yaml, put_back

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLE = 6000  # characters: the start of a text says what language it is in
MIN_WORDS = 30  # fewer words than this: too little to tell, taken as English
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]+")  # runs: counted by their lengths, not one string per letter


@lru_cache(maxsize=1)
def function_words() -> dict[str, str]:
    """word -> language, for words that belong to one language only."""
    raw = load_yaml((DATA / "function_words.yml").read_text(encoding="utf-8")) or {}
    seen: Counter = Counter(w.lower() for words in raw.values() for w in set(map(str, words)))
    return {str(w).lower(): lang for lang, words in raw.items() for w in words if seen[str(w).lower()] == 1}


def looks_english(text: str) -> bool:
    """False when the text is mostly in a non-Latin script, or has more function words of another
    language than of English; True otherwise (including texts too short to tell)."""
    sample = text[:SAMPLE]
    counted = _counted(sample)
    if counted is None:
        letters = sum(map(str.isalpha, sample))  # counted in C: this runs on every article
        latin = sum(map(len, _LATIN.findall(sample))) if letters >= MIN_WORDS * 2 else 0
        words = _WORD.findall(sample.lower())
    else:
        letters, latin, words = counted
    if letters >= MIN_WORDS * 2 and latin < letters / 2:
        return False  # Cyrillic, Arabic, CJK (which does not even separate its words)...
    if len(words) < MIN_WORDS:
        return True
    counts = Counter(filter(None, map(function_words().get, words)))  # the words of one language only
    english = counts.pop("english", 0)
    return not counts or english >= max(counts.values())


# bytes.translate tables for the ASCII range: its letters (deleted, to count them), and everything but its
# letters as a space (a "?" too, which stands for any character outside ASCII in _counted())
_ASCII_LETTERS = bytes(c for c in range(128) if chr(c).isalpha())
_ASCII_WORDS = bytes(c if chr(c).isalpha() else 32 for c in range(128)) + bytes(range(128, 256))


def _counted(sample: str) -> tuple[int, int, list[str]] | None:
    """(letters, letters of _LATIN, the words _WORD finds in the lower-cased sample) for text that is
    mostly ASCII, through bytes: the patterns' Unicode classes and str.isalpha cost ~20 ns a character
    (~0.4 ms for a 5 KB article), bytes.translate a fraction of that; the few characters outside ASCII
    are looked at one by one. None for text mostly outside ASCII (looks_english then counts as it did)."""
    raw = sample.encode("ascii", "replace")
    marks = raw.count(b"?")
    if marks > len(raw) >> 4:
        return None
    letters = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
    latin = letters
    find = raw.find
    k = find(b"?") if marks else -1
    while k >= 0:
        c = sample[k]
        if c != "?":
            if c.isalpha():
                letters += 1
            if "\u00C0" <= c <= "\u024F":
                latin += 1
        k = find(b"?", k + 1)
    low = sample.lower()
    raw = low.encode("ascii", "replace")
    if b"?" not in raw:
        return letters, latin, raw.translate(_ASCII_WORDS).decode("ascii").split()
    spaced = raw.translate(_ASCII_WORDS).decode("ascii")
    # the letters of _WORD outside ASCII ("é", "ß") put back
    return letters, latin, put_back(low, raw, spaced, lambda c: c.isalnum() and not c.isdecimal()).split()
