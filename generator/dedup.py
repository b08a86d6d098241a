"""Near-duplicate detection: MinHash signatures of an article's body and an LSH index over the pages.

Rule (see content/editing.md): an article whose body shares at least THRESHOLD of its 5-word
shingles (estimated Jaccard similarity) with the body of an existing page is a *near-duplicate*
(a syndicated copy with small edits). It does not get a page of its own: it is reported as
`duplicate`, its source is added to the matched page's `sources` (marked `near_duplicate: true`)
and its id to the page's `duplicate_ids`, so a later re-ingest maps it straight to that page.

Only the body is compared (syndicated copies often change the headline). Bodies shorter than
MIN_TOKENS words get no signature: on a few sentences a handful of edits swings the estimate too far,
so short articles are matched by exact identity only.

Signatures are deterministic (fixed seed, SHA-1 based hashing in datasketch) and stored compactly
(base64 of NUM_PERM little-endian uint32) in the ledger, so the index is rebuilt from the existing
pages at the start of every run and a near-duplicate arriving in a later run is caught too.
"""
from __future__ import annotations

import base64
import re
import unicodedata

import numpy as np

SHINGLE = 5
NUM_PERM = 128
THRESHOLD = 0.8
# The LSH only proposes candidates; the decision is the estimated Jaccard >= THRESHOLD over the full
# signature. Its bands are tuned for 0.5 (25 bands of 5 rows), so a pair at 0.8 is proposed with
# probability > 0.9999 (bands tuned for 0.8 itself would propose it only 40% of the time).
# Why not lower than 0.8: a near-duplicate's own wording is not published (only its source is), so
# a false match would hide text; a missed one merely leaves two similar pages. On the benchmark's
# synthetic corpus unrelated articles stay below 0.1 and syndicated copies score 0.66-0.95.
CANDIDATE_THRESHOLD = 0.5
MIN_TOKENS = 25
SEED = 1


def _datasketch():
    """datasketch, imported when first needed: it imports scipy (about 2 s), which `archive build`
    and a re-ingest with nothing new never use."""
    import datasketch

    return datasketch


def preload() -> None:
    """Import datasketch now (the ingest does it before forking its readers, whose time is limited)."""
    _datasketch()


SCHEME = "affine32"  # datasketch 2.x default; pinned so stored signatures stay comparable

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    words = tokens(text)
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(max(0, len(words) - size + 1))}


def signature(text: str) -> bytes | None:
    """The MinHash signature of a body text as bytes, or None when the text is too short to compare."""
    words = tokens(text)
    if len(words) < MIN_TOKENS:
        return None
    mh = _datasketch().MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=_permutations())
    mh.update_batch(sorted({" ".join(words[i:i + SHINGLE]).encode("utf-8")
                            for i in range(len(words) - SHINGLE + 1)}))
    return np.asarray(mh.hashvalues, dtype="<u4").tobytes()


_PERMUTATIONS = None


def _permutations():
    """The seed's permutations, drawn once per process instead of once per signature."""
    global _PERMUTATIONS
    if _PERMUTATIONS is None:
        _PERMUTATIONS = _datasketch().MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
    return _PERMUTATIONS


def encode(sig: bytes) -> str:
    return base64.b64encode(sig).decode("ascii")


def decode(text: str) -> bytes | None:
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, AttributeError):
        return None
    return raw if len(raw) == NUM_PERM * 4 else None


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the two shingle sets (share of equal MinHash slots)."""
    return float(np.mean(np.frombuffer(a, dtype="<u4") == np.frombuffer(b, dtype="<u4")))


def _lean(sig: bytes):
    return _datasketch().LeanMinHash(seed=SEED, hashvalues=np.frombuffer(sig, dtype="<u4"), scheme=SCHEME)


class NearDuplicateIndex:
    """MinHash LSH over page signatures, keyed by page id."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self.signatures: dict[str, bytes] = {}
        self._lsh = None  # built on the first query: a no-op re-ingest never needs it
        self._pending: list[str] = []

    def __len__(self) -> int:
        return len(self.signatures)

    def add(self, key: str, sig: bytes | None) -> None:
        if sig is None or key in self.signatures:
            return
        self.signatures[key] = sig
        self._pending.append(key)

    @property
    def lsh(self):
        if self._lsh is None:
            self._lsh = _datasketch().MinHashLSH(threshold=min(self.threshold, CANDIDATE_THRESHOLD), num_perm=NUM_PERM)
        if self._pending:
            for key in self._pending:
                self._lsh.insert(key, _lean(self.signatures[key]))
            self._pending = []
        return self._lsh

    def best_match(self, sig: bytes | None, exclude: str | None = None) -> tuple[str, float] | None:
        """The most similar indexed page at or above the threshold (ties: smallest id), or None."""
        if sig is None or not self.signatures:
            return None
        best: tuple[str, float] | None = None
        for key in self.lsh.query(_lean(sig)):
            if key == exclude:
                continue
            sim = similarity(sig, self.signatures[key])
            if sim >= self.threshold and (best is None or sim > best[1] or (sim == best[1] and key < best[0])):
                best = (key, sim)
        return best
