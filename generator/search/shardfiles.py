"""The index's shard files (s/<n>.json), written only when their postings changed (issue 12).

Why: after adding 10 articles to a 10,000-article archive, the postings are made again from every
document, and every one of the 4,096 shards was turned into Python lists, JSON-encoded (16 MB) and
compared with its file, to find that about half had not changed. A shard's bytes are a function of
its terms and their postings (and of the code that writes them: the build cache's key is in
`salt`), so each shard gets a digest of those, taken from the postings' arrays (postings.encoded:
no Python list is made for it), and it is kept with the file's size and modification time as
written. A shard whose digest is the last build's and whose file is still that file (same size and
modification time) is left alone: not encoded, not compared, not written. Any other is encoded and
written when its bytes differ, as before. The digests live in the index's state file, which is
removed before any index file changes and written again at the end: a build stopped midway leaves
none, and the next one encodes every shard. `tests/test_search_shardfiles.py` checks that a
rebuild's files are a clean build's and which shards are encoded.

A changed shard keeps the text of its unchanged terms: 10 articles added to 10,000 change about
3,200 terms, in 2,200 of the 4,096 shards, which hold 27,000 terms; `json.dumps` of those shards
was the most of writing them (0.16 CPU-s, and 0.09 for their lists). When the last build wrote the
file from the postings the change is counted from (rowtable.Made), the file's entries of the terms
whose postings did not change (`dirty`) are copied as they are, and only the others are encoded.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np


def write(folder: Path, grouped: dict[int, list[int]], names: list[str], enc: np.ndarray, bounds: np.ndarray,
          salt: str, shards: int, last: dict[str, list], kept: dict[str, list], written: dict[str, int],
          put: Callable[..., int], dirty: np.ndarray | None = None) -> int:
    """Write shard n with the terms grouped[n] (indexes into `names`, sorted by name; term t's list is
    enc[bounds[t]:bounds[t + 1]]), unless `last` (shard -> [digest, size, mtime_ns], the last
    build's) says its file already holds it. `dirty` (per term, or None: all), when given, says
    which terms' lists may differ from those in the last build's files: the others' entries are
    copied from the file. `put(path, data, written)` writes a shard's bytes. Fills `kept` (this
    build's) and `written` (path -> size); returns the shards' bytes."""
    # The terms' lists gathered shard by shard, so that a shard is hashed in three updates (its
    # names, their lists' lengths, the lists), not three per term (51,000 terms: 0.2 CPU-s).
    flat = np.fromiter((t for terms in grouped.values() for t in terms), dtype=np.int64,
                       count=sum(map(len, grouped.values())))
    lengths = (bounds[1:] - bounds[:-1])[flat]
    ends = np.cumsum(lengths)
    data = np.ascontiguousarray(enc[np.repeat(bounds[:-1][flat] - ends + lengths, lengths)
                                    + np.arange(int(ends[-1]) if len(ends) else 0)], dtype="<i8")
    lengths = np.ascontiguousarray(lengths, dtype="<i8")
    ends_at = [0, *ends.tolist()]
    changed = dirty.tolist() if dirty is not None else []
    total = first = 0
    making: list[tuple[Path, str, str, list[int], tuple[bytes, dict[str, str]] | None]] = []
    for n, terms in grouped.items():
        last_term = first + len(terms)
        h = hashlib.blake2b(f"{salt}\0{shards}\0{n}\0".encode("utf-8", "surrogatepass"), digest_size=16)
        h.update("\0".join([names[t] for t in terms]).encode("utf-8", "surrogatepass"))
        h.update(lengths[first:last_term])
        h.update(data[ends_at[first]:ends_at[last_term]])
        first = last_term
        digest, path, name = h.hexdigest(), folder / f"{n}.json", str(n)
        old = last.get(name)
        same = False
        if old is not None:
            try:
                st = os.stat(path)
            except OSError:
                st = None
            same = st is not None and (st.st_size, st.st_mtime_ns) == (old[1], old[2])  # as the last build wrote it
        if same and old[0] == digest:
            written[str(path)] = old[1]
            kept[name] = old
            total += old[1]
            continue
        making.append((path, name, digest, terms, _entries(path) if same and dirty is not None else None))
    # The lists to encode (every term of a shard made whole; the changed ones of a spliced shard), at once.
    wanted = [t for _p, _n, _d, terms, found in making for t in terms
              if found is None or changed[t] or found[1].get(names[t]) is None]
    text_of = dict(zip(wanted, _entry_texts(wanted, names, enc, bounds)))
    for path, name, digest, terms, found in making:
        text = ("{" + ",".join([text_of[t] if t in text_of else found[1][names[t]] for t in terms])
                + "}").encode("utf-8")
        size = put(path, text, written) if found is None or text != found[0] else \
            written.setdefault(str(path), len(text))
        kept[name] = [digest, size, os.stat(path).st_mtime_ns]
        total += size
    return total


_ESCAPED = re.compile(r'["\\\x00-\x1f]')  # what json.dumps(ensure_ascii=False) escapes in a string


def _entry_texts(terms: list[int], names: list[str], enc: np.ndarray, bounds: np.ndarray) -> list[str]:
    """`"name":[...]` of each term, as `json.dumps` writes it in a compact object."""
    lists = json_lists(enc, bounds[:-1][terms], bounds[1:][terms])
    return [(json.dumps(names[t], ensure_ascii=False) if _ESCAPED.search(names[t]) else f'"{names[t]}"')
            + ":" + text for t, text in zip(terms, lists)]


CHUNK_VALUES = 1 << 20


def json_lists(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[str]:
    """The JSON text (compact, as `json.dumps`) of each integer list values[starts[i]:ends[i]],
    the digits made in numpy: json.dumps of the 4.8 million integers of a 10,000-article index,
    and making them Python integers first, were 0.45 CPU-s. Lists are taken in runs of about
    CHUNK_VALUES integers: the dozen working arrays of all of them at once were 225 MB more of the
    search child's peak at 10,000 articles (ten times that at 100,000)."""
    starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    if not len(starts):
        return []
    total = np.cumsum(ends - starts)
    cuts = np.searchsorted(total, np.arange(CHUNK_VALUES, int(total[-1]), CHUNK_VALUES), side="right").tolist()
    out: list[str] = []
    for a, b in zip([0, *cuts], [*cuts, len(starts)]):
        if b > a:
            out.extend(_json_lists(values, starts[a:b], ends[a:b]))
    return out


def _json_lists(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[str]:
    """json_lists for one run of lists, all at once."""
    counts = ends - starts
    n = len(counts)
    if not n:
        return []
    if not counts.all():  # an empty list has no value to carry its brackets
        return [json.dumps(values[a:b].tolist(), separators=(",", ":")) for a, b in zip(starts.tolist(), ends.tolist())]
    offsets = np.zeros(n, dtype=np.int64)
    np.cumsum(counts[:-1], out=offsets[1:])
    v = values[np.repeat(starts - offsets, counts) + np.arange(int(counts.sum()))].astype(np.int64)
    neg = v < 0
    mag = np.abs(v)
    digits = np.ones(len(v), dtype=np.int64)
    power = 10
    while power <= int(mag.max()):
        digits += mag >= power
        power *= 10
    width = digits + neg + 1  # the number, and the comma or bracket after it
    which = np.repeat(np.arange(n), counts)
    at = np.cumsum(width) - width + which + 1  # where each number starts: one "[" per list so far
    buf = np.empty(int(at[-1] + width[-1]), dtype=np.uint8)  # every byte is set below
    last = np.zeros(len(v), dtype=bool)
    last[np.cumsum(counts) - 1] = True
    buf[at[~last] + width[~last] - 1] = ord(",")
    buf[at[last] + width[last] - 1] = ord("]")
    firsts = at[np.cumsum(counts) - counts]
    buf[firsts - 1] = ord("[")
    buf[at[neg]] = ord("-")
    end = at + neg + digits - 1  # the last digit
    rest = mag.copy()
    for k in range(int(digits.max())):
        live = digits > k
        buf[end[live] - k] = ord("0") + rest[live] % 10
        rest //= 10
    text = buf.tobytes().decode("ascii")
    bounds = np.append(firsts - 1, len(buf)).tolist()
    return [text[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _entries(path: Path) -> tuple[bytes, dict[str, str]] | None:
    """A shard file's bytes and its entries by term: `"word":[...]`, as `json.dumps` wrote them. A
    term is letters and digits (tokens.WORD), and a pair two terms and a space, so neither holds
    `],"` (nor anything JSON escapes) and the file splits there; None when it is not such a file."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not (text.startswith('{"') and text.endswith("]}")):
        return None
    entries: dict[str, str] = {}
    for part in text[2:-2].split('],"'):
        colon = part.find('":[')
        if colon < 0:
            return None
        entries[part[:colon]] = f'"{part}]'
    return data, entries
