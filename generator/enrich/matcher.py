"""Fast whole-word, longest-match lookup of many names at once (Aho-Corasick), shared by tags and places."""
from __future__ import annotations

import re
from typing import Any, Generic, Hashable, Iterable, NamedTuple, TypeVar

import ahocorasick

from ..textutil import put_back

K = TypeVar("K", bound=Hashable)


def exact_case(alias: str) -> bool:
    """Names that only mean the name in their own case: all-caps ones (IS, ISF, M23: 'IS' is a group,
    'is' a verb) and ones with a capital inside a word (LeT, JeM: 'LeT' is a group, 'let' a verb)."""
    letters = [c for c in alias if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return True
    return any(any(c.isupper() for c in word[1:]) for word in re.findall(r"[^\W\d_]+", alias))


def fold(text: str) -> str:
    """Case-folded text with the same length as the input, so offsets stay valid."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


class _Spaces(dict):
    """str.translate table: every non-alphanumeric character becomes a space (filled in as met)."""

    def __missing__(self, code: int) -> int:
        value = code if chr(code).isalnum() else 32
        self[code] = value
        return value


_SPACES = _Spaces()


# bytes.translate table for the ASCII range: letters and digits kept, everything else a space (a "?" too,
# which stands for any other character in normalise())
_ASCII_SPACES = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + bytes(range(128, 256))


def normalise(text: str) -> str:
    """`fold(text)` with every non-alphanumeric character as a space: same length, so offsets stay valid,
    and every word starts after a space, so keys that begin with a space can only match at word starts.

    str.translate has a fast path for ASCII text only: from the first other character on (a curly quote,
    a dash, an accent: most news) it looks every character up in the table one by one, ~170 µs for 5 KB.
    Such text goes through bytes instead (each other character encoded as one "?", a space after the
    table), and its few letters and digits outside ASCII are put back: ~30 µs. Text mostly outside ASCII
    (Arabic, Cyrillic) keeps the table lookups, cheaper there than putting back most of the text."""
    low = fold(text)
    if low.isascii():
        return low.translate(_SPACES)
    raw = low.encode("ascii", "replace")
    if raw.count(b"?") > len(raw) >> 4:
        return low.translate(_SPACES)
    # a letter or digit outside ASCII ("é", "ḩ") put back as it is, as the table keeps it
    return put_back(low, raw, raw.translate(_ASCII_SPACES).decode("ascii"), str.isalnum)


_last_padded: tuple = (None, "")


def padded_normalised(text: str) -> str:
    """`" " + normalise(text) + " "`, remembered for the last text object: tagging and geoparsing read the
    same article one after the other, so the second caller gets it for free (keyed by identity; the cache
    holds a reference to the text, so the identity cannot be reused while it is cached)."""
    global _last_padded
    last = _last_padded
    if last[0] is text:
        return last[1]
    padded = " " + normalise(text) + " "
    _last_padded = (text, padded)
    return padded


class _MatchFields(NamedTuple):
    start: int
    end: int
    key: Any
    surface: str


class Match(_MatchFields, Generic[K]):
    """One occurrence: a named tuple, so find() makes each with one call (a frozen dataclass took four
    dictionary stores and its own allocation: about 0.1 µs a match, some fifty matches an article)."""

    __slots__ = ()


class PhraseMatcher(Generic[K]):
    """Maps aliases to keys; finds leftmost-longest, non-overlapping, word-bounded occurrences.

    Text and aliases are compared in `normalise()`d form (case-folded, punctuation as spaces), keyed with
    a space on each side, so only whole words match and no hit inside a word costs any work."""

    def __init__(self, pairs: Iterable[tuple[str, K]]):
        self._automaton = ahocorasick.Automaton()
        self._keys: dict[str, tuple] = {}  # automaton key -> value: what a shared scan needs (link_scan)
        self._shared: Any = None  # a gazetteer's Scan serving this matcher's hits (link_scan), or None
        self._shared_values: list = []  # this matcher's value of each of that scan's tag key numbers
        table: dict[str, list[tuple[str, K, bool]]] = {}
        for alias, key in pairs:
            alias = " ".join(alias.split())
            if not alias or not alias[0].isalnum():
                continue
            # keyed by the normalised form: "Da'esh" also matches "Da’esh", "US-led" also "US led"
            table.setdefault(normalise(alias), []).append((alias, key, exact_case(alias)))
        for norm, variants in table.items():
            # the usual case, one alias that is not an acronym, carries its key and final character up front
            single = variants[0] if len(variants) == 1 and not variants[0][2] else None
            # one exact-case alias as long as its key ("IS", "ISF"): its key up front, no final character
            # (find() then tests the surface with one startswith)
            exact = variants[0] if len(variants) == 1 and variants[0][2] and len(variants[0][0]) == len(norm) \
                else None
            # its final character: True when it is a letter or digit (the text's character there, the same
            # letter or digit by the normalised match, always passes find()'s test)
            final = None if single is None else True if single[0][-1].isalnum() else single[0][-1]
            value = (len(norm), tuple(variants), single[1] if single else exact and exact[1], final)
            self._automaton.add_word(" " + norm + " ", value)
            self._keys[" " + norm + " "] = value
        self._empty = not table
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str, not_before: dict[K, frozenset[str]] | None = None,
             not_after: dict[K, frozenset[str]] | None = None) -> list[Match[K]]:
        """The matches, leftmost-longest. `not_before` (key -> lower-cased words) drops a match of a key
        whose next word is one of its words, `not_after` one whose previous word is; the match still hides
        the shorter ones inside it."""
        if self._empty:
            return []
        shared = self._shared
        # keys are " alias ": whole words only; a linked gazetteer scans once for both (gazetteer/automaton.py)
        if shared is not None:
            values = self._shared_values
            hits: Any = [(end, values[t]) for end, t in shared.hits(text)[1]]
        else:
            hits = self._automaton.iter(padded_normalised(text))
        candidates: list[tuple[int, int, K]] = []
        append = candidates.append
        for end_idx, (length, variants, key, final) in hits:
            start = end_idx - length - 1
            if final is True:  # one plain alias ending in a letter or digit: the match is its match
                append((start, -length, key))
                continue
            end = start + length
            last = text[end - 1]
            if final is not None:
                if last == final or last.isalnum():
                    append((start, -length, key))
                continue
            if key is not None:  # one exact-case alias of the key's length: the surface is it or nothing
                if text.startswith(variants[0][0], start):
                    append((start, -length, key))
                continue
            surface = None
            for alias, key, exact in variants:
                if exact:
                    if surface is None:
                        surface = text[start:end]
                    if surface != alias:
                        continue
                elif not (last == alias[-1] or last.isalnum()):
                    continue
                append((start, -length, key))
                break
        # Leftmost-longest: sort by start, longer first, then sweep. No two candidates share (start, length)
        # (one automaton key per span), so the plain tuple order is that order and never compares keys.
        candidates.sort()
        chosen: list[Match[K]] = []
        add = chosen.append
        last_end = -1
        new = tuple.__new__  # Match(start, last_end, key, surface) without NamedTuple's __new__ wrapper
        for start, neg_len, key in candidates:
            if start >= last_end:
                last_end = start - neg_len
                if not_before and key in not_before and next_word(text, last_end) in not_before[key]:
                    continue
                if not_after and key in not_after and previous_word(text, start) in not_after[key]:
                    continue
                add(new(Match, (start, last_end, key, text[start:last_end])))
        return chosen


def link_scan(matcher: PhraseMatcher, scan: Any) -> bool:
    """Let `scan` (a gazetteer's automaton.Scan) find this matcher's hits in the same pass as its own, when
    it was built with exactly this matcher's keys; False (and nothing changed) otherwise."""
    values = scan.values_for(matcher._keys)
    if values is None:
        return False
    matcher._shared, matcher._shared_values = scan, values
    return True


def next_word(text: str, end: int) -> str:
    """The lower-cased word after a match ("presence" in "the US military presence")."""
    m = _WORD_AFTER.match(text, end)
    return m.group(1).lower() if m else ""


_WORD_AFTER = re.compile(r"[ \t]+(\w+)")


def previous_word(text: str, start: int) -> str:
    """The lower-cased word before a match ("syrian" in "the Syrian Arab Coalition"): a plain scan back (a
    regex anchored at the match's start tried every position before it)."""
    k = start
    while k > 0 and text[k - 1] in " \t":
        k -= 1
    if k == start:
        return ""
    j = k
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] == "_") and k - j < 40:
        j -= 1
    return text[j:k].lower()


def _wordchar(c: str) -> bool:
    return c.isalnum() or c == "_"
