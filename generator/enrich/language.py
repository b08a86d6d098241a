"""Is a text English? Enough to decide how far to trust the place matcher, whose precision rules are
written for English: counts of the languages' function words (generator/data/function_words.yml)."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ..textutil import load_yaml

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
    letters = sum(map(str.isalpha, sample))  # counted in C: this runs on every article
    if letters >= MIN_WORDS * 2 and sum(map(len, _LATIN.findall(sample))) < letters / 2:
        return False  # Cyrillic, Arabic, CJK (which does not even separate its words)...
    words = _WORD.findall(sample.lower())
    if len(words) < MIN_WORDS:
        return True
    counts = Counter(map(function_words().get, words))  # None counts the words of no one language
    counts.pop(None, None)
    english = counts.pop("english", 0)
    return not counts or english >= max(counts.values())
