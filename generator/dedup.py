"""Near-duplicate detection: MinHash signatures of an article's body and an LSH index over the pages.

Rule (see content/editing.md): an article whose body shares at least THRESHOLD of its 5-word
shingles (estimated Jaccard similarity) with the body of an existing page is a *near-duplicate*
(a syndicated copy with small edits). It does not get a page of its own: it is reported as
`duplicate`, its source is added to the matched page's `sources` (marked `near_duplicate: true`)
and its id to the page's `duplicate_ids`, so a later re-ingest maps it straight to that page.

Only the body is compared (syndicated copies often change the headline). Bodies shorter than
MIN_TOKENS words get no signature: on a few sentences a handful of edits swings the estimate too far,
so short articles are matched by exact identity only.

Signatures are deterministic (fixed seed, SHA-1 based hashing as in datasketch) and stored compactly
(base64 of NUM_PERM little-endian uint32) in the ledger, so the index is rebuilt from the existing
pages at the start of every run and a near-duplicate arriving in a later run is caught too.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from operator import eq, methodcaller
from pathlib import Path

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


# The MinHash is datasketch 2.0's "affine32" scheme with SHA-1 shingle hashes, computed here with
# numpy alone, value for value (tests/test_dedup.py compares it with datasketch): importing
# datasketch imports scipy (about 1 CPU-s per process), which every ingest that reads a new file
# paid for, and its LSH insert and query cost more in Python than the signatures themselves.
SCHEME = "affine32"  # datasketch's name for it; pinned so stored signatures stay comparable
# numpy is imported by the functions that compute (a re-ingest that reads nothing never imports it:
# about 0.2 CPU-s); storing, decoding and indexing signatures need only bytes.
# The LSH bands: what datasketch's MinHashLSH chooses for CANDIDATE_THRESHOLD at NUM_PERM (its
# _optimal_param, equal weights): 25 bands of 5 rows over the first 125 values (checked in a test).
BANDS, ROWS = 25, 5

_TOKEN = re.compile(r"\w+")
_DIGEST = methodcaller("digest")
try:  # CPython's own SHA-1: the same digests, about a third less per call than OpenSSL's on 30-byte shingles
    from _sha1 import sha1 as _sha1
except ImportError:  # pragma: no cover - a Python built without it
    _sha1 = hashlib.sha1


def preload() -> None:
    """Draw the permutations now (the ingest does it before forking its readers)."""
    _permutations()


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
    import numpy as np

    # The shingles and their SHA-1 digests through map and zip (C loops, no Python frame per shingle);
    # each digest's first 4 bytes are the first of its five uint32.
    grams = set(map(str.encode, map(" ".join, zip(*(words[i:] for i in range(SHINGLE))))))
    digests = b"".join(map(_DIGEST, map(_sha1, grams)))
    hv = _fmix32(np.frombuffer(digests, dtype="<u4")[::5].astype(np.uint32))
    a, b = _permutations()
    low = None
    for start in range(0, len(hv), _CHUNK):  # a * h + b mod 2^32 (uint32 arithmetic wraps), in blocks
        block = np.multiply.outer(hv[start:start + _CHUNK], a)
        block += b
        least = block.min(axis=0)
        low = least if low is None else np.minimum(low, least, out=low)
    return low.astype("<u4").tobytes()


# Shingles per block: a block's products (_CHUNK x NUM_PERM uint32, 96 KB) stay in the heap, under
# malloc's 128 KB threshold (one array for a long article was mapped and unmapped by the kernel for
# every signature), and most articles take one block (64 a block was 4 passes at 250 shingles).
_CHUNK = 192


def _fmix32(h):
    """MurmurHash3's 32-bit finalizer (a bijection), on uint32 arrays: their products wrap mod 2**32,
    as the finalizer's do (a uint64 copy masked after each product gave the same values, with four
    more array passes)."""
    import numpy as np

    h = h ^ (h >> np.uint32(16))
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


_PERMUTATIONS = None
# The permutations drawn by `draw_permutations`, kept as data: importing numpy.random to draw them was
# about 50 ms of every process that reads a file (a daily update's worker). tests/test_dedup.py
# checks the file against the draw.
PERMUTATIONS_FILE = Path(__file__).resolve().parent / "data" / "minhash_permutations.json"


def _permutations():
    """The seed's affine permutations (a odd, b), as datasketch draws them: read once per process."""
    global _PERMUTATIONS
    if _PERMUTATIONS is None:
        import numpy as np

        try:
            raw = json.loads(PERMUTATIONS_FILE.read_text(encoding="utf-8"))
            if raw["seed"] != SEED or raw["num_perm"] != NUM_PERM:
                raise ValueError("drawn for another seed or size")
            _PERMUTATIONS = (np.array(raw["a"], dtype=np.uint32), np.array(raw["b"], dtype=np.uint32))
        except (OSError, ValueError, KeyError, TypeError):
            _PERMUTATIONS = draw_permutations()
    return _PERMUTATIONS


def draw_permutations():
    """(a, b) drawn from SEED as datasketch draws them (numpy's legacy RandomState)."""
    import numpy as np

    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def encode(sig: bytes) -> str:
    return base64.b64encode(sig).decode("ascii")


def decode(text: str) -> bytes | None:
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, AttributeError):
        return None
    return raw if len(raw) == NUM_PERM * 4 else None


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the two shingle sets (share of equal MinHash slots).

    Counted over the 4-byte values without numpy (the ingest process of a daily update imported it
    for this and the first queries alone): the same float numpy's mean of the equal slots gives,
    an exact count divided by the number of slots."""
    x, y = memoryview(a).cast("I"), memoryview(b).cast("I")
    if len(x) != len(y) or not len(x):
        raise ValueError("signatures of different or no length")
    return sum(map(eq, x, y)) / len(x)


def _bands(sig: bytes) -> list[bytes]:
    width = ROWS * 4
    return [sig[i * width:(i + 1) * width] for i in range(BANDS)]


# Queries answered by comparing bands with numpy over all signatures, before the band buckets are
# built: a re-ingest that adds a few articles to a big archive asks a few questions, and building the
# buckets for 10,000 pages (0.3 CPU-s) cost more than a few whole-matrix comparisons (about 2 ms each).
BRUTE_QUERIES = 64


class NearDuplicateIndex:
    """MinHash LSH over page signatures, keyed by page id: a page is a candidate when one of its
    bands (ROWS consecutive values) equals the query's; candidates are then scored on the whole
    signature. The same candidates either way: by numpy over all signatures for the first queries,
    then by band buckets (built on the BRUTE_QUERIES + 1st query).

    The first queries search, for each band, one buffer of every page's value of that band (made at
    the first query and extended by each page added after it) with `bytes.find`: a hit at a row's
    offset is a row whose band equals the query's. No numpy: a daily update's ingest process
    imported it for its ten queries alone (about 0.1 s), and a search of 25 buffers of 20 bytes a
    page is about as fast as numpy's comparison was (joining every signature again for each query
    cost about 10 ms a query at 10,000 pages)."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._signatures: dict[str, bytes] = {}  # `signatures`, once the deferred ones are decoded
        self._buckets: list[dict[bytes, list[str]]] | None = None
        self._queries = 0
        self._columns: list[bytearray] | None = None  # per band, every page's value of it, in key order
        self._keys: list[str] = []  # the pages in _columns, in order
        self._deferred: list = []  # lists of (key, encoded signature) not decoded yet, or functions giving them

    def __len__(self) -> int:
        return len(self.signatures)

    @property
    def signatures(self) -> dict[str, bytes]:
        """Page id -> signature, every deferred one decoded."""
        self._undefer()
        return self._signatures

    def defer(self, encoded) -> None:
        """Pages whose signatures are stored encoded (the ledger's): added, decoded, when the index is
        first used. A re-ingest that reads nothing never uses it (10,000 decodes saved). `encoded` is
        a list of (key, encoded signature), or a function giving it, called at the first use (the
        rows are then not even listed and sorted)."""
        self._deferred.append(encoded)

    def _undefer(self) -> None:
        if self._deferred:
            sources, self._deferred = self._deferred, []
            for source in sources:
                for key, text in (source() if callable(source) else source):
                    self.add(key, decode(text))

    def add(self, key: str, sig: bytes | None) -> None:
        self._undefer()
        if sig is None or key in self._signatures:
            return
        self._signatures[key] = sig
        if self._buckets is not None:
            self._bucket(key, sig)
        elif self._columns is not None:
            for column, band in zip(self._columns, _bands(sig)):
                column += band
            self._keys.append(key)

    def _bucket(self, key: str, sig: bytes) -> None:
        for bucket, band in zip(self._buckets, _bands(sig)):
            bucket.setdefault(band, []).append(key)

    def candidates(self, sig: bytes) -> set[str]:
        """The pages sharing at least one band with `sig`."""
        self._undefer()
        self._queries += 1
        if self._buckets is None and self._queries > BRUTE_QUERIES:
            self._buckets = [{} for _ in range(BANDS)]
            for key, other in self._signatures.items():
                self._bucket(key, other)
            self._columns, self._keys = None, []
        if self._buckets is None:
            if not self._signatures:
                return set()
            if self._columns is None:
                self._keys = list(self._signatures)
                width = ROWS * 4
                self._columns = [bytearray(b"".join(other[b * width:(b + 1) * width]
                                                    for other in self._signatures.values()))
                                 for b in range(BANDS)]
            return {self._keys[i] for i in self._matching_rows(sig)}
        found: set[str] = set()
        for bucket, band in zip(self._buckets, _bands(sig)):
            found.update(bucket.get(band, ()))
        return found

    def _matching_rows(self, sig: bytes) -> set[int]:
        """Rows of _columns with a band equal to sig's: a band's value found at a multiple of the
        band's width (found elsewhere, it straddles two rows: the search goes on past it)."""
        width = ROWS * 4
        rows: set[int] = set()
        for column, band in zip(self._columns, _bands(sig)):
            at = column.find(band)
            while at >= 0:
                if at % width:
                    at = column.find(band, at + 1)
                    continue
                rows.add(at // width)
                at = column.find(band, at + width)
        return rows

    def best_match(self, sig: bytes | None, exclude: str | None = None) -> tuple[str, float] | None:
        """The most similar indexed page at or above the threshold (ties: smallest id), or None."""
        self._undefer()
        if sig is None or not self._signatures:
            return None
        best: tuple[str, float] | None = None
        for key in self.candidates(sig):
            if key == exclude:
                continue
            sim = similarity(sig, self._signatures[key])
            if sim >= self.threshold and (best is None or sim > best[1] or (sim == best[1] and key < best[0])):
                best = (key, sim)
        return best
