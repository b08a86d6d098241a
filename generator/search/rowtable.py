"""The postings' rows kept between builds, so a rebuild redoes the rows of the changed documents only.

Why: after adding 10 articles to a 10,000-article archive, the postings were made again from every
document: splitting each document's words out of its kept `DocWords` into 3.3 million rows (word or
word pair, document, weighted count) and sorting them was about 1 CPU-s of the search process, for
rows of which 0.1 % changed. Here the rows (postings.Rows) are kept beside the index's state, with
each document's identity (the key of its fields, termcache.py, and its URL), and a rebuild:

* drops the rows of documents that went (or changed), renumbers the others by their place in id
  order (ids.py: two documents' order never depends on the others, so the rows stay sorted),
* adds the rows of the new (and changed) documents,
* follows the words that became common enough to pair (PAIR_MIN_DF) or stopped being: their pairs
  are added from the documents holding them, or dropped.

What is kept is a function of the documents, so `postings.finish` makes from it exactly the
postings a clean build makes (tests/test_search_rowtable.py compares them after adds, edits and
removals). Anything unusual (a lost or foreign file, two documents with one identity, an order
that moved, most documents changed) makes the rows from scratch, as a clean build does.

An update also knows which terms' postings can have changed (`Made.dirty`): those with rows of
documents added, changed or removed, or of documents whose id moved (ids.py), and every term when
the rounded average length moved. Any other term's postings are, exactly, the last build's: its
rows, their documents' ids and lengths and the average are. The kept rows carry the ids they were
numbered with, and `Made.since` names the rows (documents and ids) the change is counted from, so
the index writer reuses a shard file's text of those terms only when it was written from them.
"""
from __future__ import annotations

import hashlib
import pickle
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..atomicfile import write_bytes
from . import postings
from .postings import DocWords, Rows

VERSION = 3  # 2: a term's count of rows kept, not each row's term; 3: the documents' ids kept
MOST = 0.25  # a larger share of the documents added or removed: the rows are made from scratch


@dataclass
class Made:
    """The encoded postings (postings.encoded's terms, lists and bounds) and what changed."""

    names: list[str]
    enc: np.ndarray
    bounds: np.ndarray
    key: str  # the rows these postings are made from (`key`)
    since: str | None = None  # the rows `dirty` is counted from; None: every term may have changed
    dirty: np.ndarray | None = None  # per term: its postings may differ from those of `since`


def key(idents: list[bytes], ids: list[int]) -> str:
    """What a set of rows is made from: the documents (their identities) and their ids."""
    h = hashlib.blake2b(np.asarray(ids, dtype="<i8").tobytes(), digest_size=16)
    h.update(np.fromiter(map(len, idents), dtype="<i8", count=len(idents)).tobytes())
    h.update(b"".join(idents))
    return h.hexdigest()


def _load(path: Path, salt: str) -> tuple[list[bytes], list[int], Rows] | None:
    try:
        version, stored_salt, min_df, idents, ids, names, arrays = pickle.loads(path.read_bytes())
    except (OSError, ValueError, TypeError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    if version != VERSION or stored_salt != salt or min_df != postings.PAIR_MIN_DF:
        return None
    pair_a, pair_b, counts, doc, tf, lengths = arrays
    term = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
    return idents, ids, Rows(names.split("\n") if names else [], pair_a, pair_b, term, doc.astype(np.int32),
                             tf.astype(np.int32), lengths)


def _save(path: Path, salt: str, idents: list[bytes], ids: list[int], r: Rows) -> None:
    # A row in 4 bytes where it fits (3.3 million rows at 10,000 articles): rows are sorted by
    # term, so each term's count of rows stands for their terms.
    tf = r.tf.astype(np.uint16) if not len(r.tf) or int(r.tf.max()) < 65536 else r.tf
    doc = r.doc.astype(np.uint16) if len(r.lengths) <= 65536 else r.doc
    counts = np.bincount(r.term, minlength=len(r.names))
    data = pickle.dumps((VERSION, salt, postings.PAIR_MIN_DF, idents, ids, "\n".join(r.names),
                         (r.pair_a, r.pair_b, counts, doc, tf, r.lengths)), protocol=5)
    try:
        path.unlink(missing_ok=True)  # not renamed over: ext4 would flush it to disk (termcache.py)
        write_bytes(path, data)
    except OSError:
        pass


def encoded(idents: list[bytes], words_of: Callable[[list[int]], list[DocWords]], path: Path | None, salt: str,
            ids: list[int]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """postings.encoded of the documents, from the rows kept at `path` where they can be updated
    (`made`'s postings)."""
    m = made(idents, words_of, path, salt, ids)
    return m.names, m.enc, m.bounds


def made(idents: list[bytes], words_of: Callable[[list[int]], list[DocWords]], path: Path | None, salt: str,
         ids: list[int]) -> Made:
    """postings.encoded of the documents, and which terms changed since the kept rows' documents.
    `idents[d]` is what makes document d's rows (its fields' key) and tells it from the others (its
    URL); `words_of(positions)` splits those documents into words."""
    every = list(range(len(idents)))
    now = key(idents, ids)
    if path is None:
        return Made(*postings.encoded(words_of(every), ids), now)
    kept = _load(path, salt)
    changed = update(kept[0], kept[2], idents, words_of, kept[1], ids) if kept is not None else None
    r, dirty = changed if changed is not None else (postings.rows(words_of(every)), None)
    if kept is None or kept[0] != idents or kept[1] != ids:
        _save(path, salt, idents, ids, r)
    names, enc, bounds = postings.finish(r, ids)
    if dirty is None or len(dirty) != len(names):
        return Made(names, enc, bounds, now)
    return Made(names, enc, bounds, now, key(kept[0], kept[1]), dirty)


def update(old_idents: list[bytes], old: Rows, idents: list[bytes], words_of: Callable[[list[int]], list[DocWords]],
           old_ids: list[int] | None = None, ids: list[int] | None = None) -> tuple[Rows, np.ndarray | None] | None:
    """The rows of the documents `idents` (in id order) from `old`, those of `old_idents`, and per
    term whether its postings may have changed (None: any may; without both ids, the ids are taken
    to have moved); None when the rows are better made from scratch. `words_of(positions)`: those
    documents' words (asked only for the added documents and those holding a word that just became
    common enough to pair)."""
    n_old, n = len(old_idents), len(idents)
    where = {ident: r for r, ident in enumerate(old_idents)}
    if len(where) != n_old or len(set(idents)) != n:
        return None
    remap = np.full(n_old, -1, dtype=np.int64)  # old document -> its place now, -1 gone
    added: list[int] = []
    for d, ident in enumerate(idents):
        r = where.get(ident)
        if r is None:
            added.append(d)
        else:
            remap[r] = d
    stay = remap >= 0
    places = remap[stay]
    if (len(places) > 1 and not bool((places[1:] > places[:-1]).all())) \
            or len(added) + n_old - len(places) > MOST * max(n, 1):
        return None

    names, pair_a, pair_b = list(old.names), old.pair_a.tolist(), old.pair_b.tolist()
    term_ids = {name: t for t, name in enumerate(names)}

    def term_of(name: str, a: int = -1, b: int = -1) -> int:
        t = term_ids.get(name)
        if t is None:
            t = term_ids[name] = len(names)
            names.append(name)
            pair_a.append(a)
            pair_b.append(b)
        return t

    old_df = np.bincount(old.term, minlength=len(old.names))
    new_doc = remap[old.doc]
    keep = new_doc >= 0
    moved = ~stay  # old documents that went, or whose id is another now
    if old_ids is None or ids is None:
        moved[:] = True
    elif len(places):
        moved[stay] = np.asarray(old_ids, dtype=np.int64)[stay] != np.asarray(ids, dtype=np.int64)[places]
    touched = np.bincount(old.term[moved[old.doc]], minlength=len(old.names)) > 0
    term, doc, tf = old.term[keep], new_doc[keep].astype(np.int32), old.tf[keep]
    added_words = words_of(added) if added else []
    counts = Counter(w for dw in added_words for w in dw.word_list())
    for w in counts:
        term_of(w)
    n_terms = len(names)
    is_word = np.asarray(pair_a, dtype=np.int32) < 0
    df = np.bincount(term, minlength=n_terms)
    df[np.fromiter((term_ids[w] for w in counts), dtype=np.int64, count=len(counts))] += \
        np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
    common_now = is_word & (df >= postings.PAIR_MIN_DF)
    common_before = np.zeros(n_terms, dtype=bool)
    common_before[:len(old_df)] = is_word[:len(old_df)] & (old_df >= postings.PAIR_MIN_DF)
    rising, falling = common_now & ~common_before, common_before & ~common_now

    def eligible(words_list: list[str]) -> np.ndarray:  # every word here has its term by now
        return common_now[np.fromiter((term_ids[w] for w in words_list), dtype=np.int64, count=len(words_list))]

    if falling.any():  # pairs of a word no longer common enough: gone from every document
        pa, pb = old.pair_a, old.pair_b
        gone = np.zeros(n_terms, dtype=bool)
        gone[:len(pa)] = (pa >= 0) & (falling[pa.clip(min=0)] | falling[pb.clip(min=0)])
        keep = ~gone[term]
        term, doc, tf = term[keep], doc[keep], tf[keep]

    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    lengths = np.zeros(n, dtype=np.int64)
    lengths[places] = old.lengths[stay]
    if added:
        r = _mapped(postings._rows(added_words, eligible), np.asarray(added, dtype=np.int32), term_of)
        lengths[added] = r[3]
        parts.append(r[:3])
    if rising.any():  # pairs of a word just common enough, in the documents that were there
        holders = np.unique(doc[rising[term]]).tolist()
        if holders:
            t, d, f, _ = _mapped(postings._rows(words_of(holders), eligible),
                                 np.asarray(holders, dtype=np.int32), term_of)
            pa, pb = np.asarray(pair_a, dtype=np.int64), np.asarray(pair_b, dtype=np.int64)
            rising = np.concatenate([rising, np.zeros(len(names) - len(rising), dtype=bool)])
            new = (pa[t] >= 0) & (rising[pa[t].clip(min=0)] | rising[pb[t].clip(min=0)])
            parts.append((t[new], d[new], f[new]))
    if parts:
        t = np.concatenate([p[0] for p in parts])
        d = np.concatenate([p[1] for p in parts])
        f = np.concatenate([p[2] for p in parts])
        key = t.astype(np.int64) << 32 | d
        order = np.argsort(key, kind="stable")
        at = np.searchsorted(term.astype(np.int64) << 32 | doc, key[order])
        term, doc, tf = (np.insert(a, at, b[order]) for a, b in ((term, t), (doc, d), (tf, f)))
    dirty = np.zeros(len(names), dtype=bool)
    dirty[:len(touched)] = touched  # rows dropped (documents gone or changed, pairs fallen) or ids moved
    for p in parts:
        dirty[p[0]] = True  # rows added
    r, live = _compact(Rows(names, np.asarray(pair_a, dtype=np.int32), np.asarray(pair_b, dtype=np.int32),
                            term, doc, tf, lengths))
    if _average(r.lengths) != _average(old.lengths):
        return r, None  # every score moved
    return r, dirty[live]


def _average(lengths: np.ndarray) -> float:
    """The average document length the scores use (postings.finish)."""
    return postings.rounded(int(lengths.sum()) / len(lengths)) if len(lengths) else 0.0


def _mapped(made, places: np.ndarray, term_of: Callable[..., int]):
    """postings._rows' rows of some documents as (term, document, count) in the whole table's
    numbering (`places`: those documents' places), and their lengths."""
    words_list, pair_codes, term, doc, tf, lengths = made
    n_words = len(words_list)
    ids = [term_of(w) for w in words_list]
    ids += [term_of(words_list[a] + " " + words_list[b], ids[a], ids[b])
            for a, b in zip((pair_codes // max(n_words, 1)).tolist(), (pair_codes % max(n_words, 1)).tolist())]
    glob = np.asarray(ids, dtype=np.int32)
    return glob[term] if len(term) else term, places[doc], tf.astype(np.int32), lengths


def _compact(r: Rows) -> tuple[Rows, np.ndarray]:
    """Without the terms that have no rows left (their pairs too are gone: a pair's words are common);
    and which terms were kept."""
    live = np.bincount(r.term, minlength=len(r.names)) > 0
    if live.all():
        return r, live
    new_id = (np.cumsum(live) - 1).astype(np.int32)
    pa, pb = r.pair_a[live], r.pair_b[live]
    pair = pa >= 0
    pa[pair], pb[pair] = new_id[pa[pair]], new_id[pb[pair]]
    return Rows([x for x, k in zip(r.names, live.tolist()) if k], pa, pb, new_id[r.term], r.doc, r.tf,
                r.lengths), live
