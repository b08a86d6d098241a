"""The postings of the search index (word or word pair -> best documents), counted with numpy.

Why numpy: the index's words and word pairs were counted in a Python Counter per document and
scored posting by posting; at 10,000 articles that is millions of dictionary updates. Here only
the splitting into words stays in Python (`tokenize`, one document at a time, so it can be cached,
termcache.py); counting, scoring, the CAP best per term and the delta coding are array work.
The result is exactly the one the per-posting Python code gave (tests/test_search_postings.py
keeps that code as the reference): the same integers, the same float operations in the same order,
rounded half to even as Python's round() does.
"""
from __future__ import annotations

import math
from array import array
from dataclasses import dataclass

import numpy as np

from .tokens import words

CAP = 400  # postings kept per word or word pair
PAIR_MIN_DF = 25  # a word pair is indexed only when both words are this common (see postings)
K1, B = 1.2, 0.6
STEPS = 32  # per doubling: the average length and a capped word's count are kept to these steps


def rounded(x: float) -> float:
    """x to the nearest of 2^(k/STEPS). Why: scores use the archive's average document length and a
    word's stored count is its number of documents; exact, both change with every article added,
    and so would nearly every shard of the index (stable ids, ids.py). Rounded, they rarely do."""
    return 2.0 ** (round(math.log2(x) * STEPS) / STEPS) if x > 0 else x


def stored_df(df: int) -> int:
    """The document count a word's postings carry: exact up to CAP (it is their number), rounded above."""
    return df if df <= CAP else max(CAP + 1, round(rounded(df)))


@dataclass(frozen=True)
class DocWords:
    """One document split into words: its distinct words (first use order) and, per field, the
    field's words as indexes into them, with the field's weight. Depends on the text only."""

    words: str  # joined by spaces (a word has none): one string, quick to keep (termcache.py)
    tokens: bytes  # array of indexes into the words (2 bytes each, 4 from 65,536 words), fields in turn
    lengths: tuple[int, ...]  # words per field
    weights: tuple[int, ...]  # weight per field

    def word_list(self) -> list[str]:
        return self.words.split(" ") if self.words else []

    def token_array(self) -> np.ndarray:
        n = sum(self.lengths)
        return np.frombuffer(self.tokens, dtype=np.uint16 if n and len(self.tokens) == 2 * n else np.uint32)


def tokenize(fields: list[tuple[str, int]]) -> DocWords:
    local: dict[str, int] = {}
    ids: list[int] = []
    lengths, weights = [], []
    for text, weight in fields:
        ws = words(text)
        ids.extend([local.setdefault(w, len(local)) for w in ws])
        lengths.append(len(ws))
        weights.append(weight)
    tokens = array("H" if len(local) < 65536 else "I", ids)
    return DocWords(" ".join(local), tokens.tobytes(), tuple(lengths), tuple(weights))


def postings(docs: list[DocWords], ids: list[int] | None = None) -> dict[str, list[int]]:
    """word or word pair -> [df, id, weight, ...], best CAP postings kept, ids ascending (delta-coded);
    a document's id is ids[its place in `docs`] (ascending), or its place. Word pairs rank exact phrases first. A pair of which one
    word is rare is left out (most pairs, most of the index): that word's whole list is kept, so
    its few articles are found and ranked by every word of the query all the same."""
    terms, enc, bounds = encoded(docs, ids)
    bounds_list = bounds.tolist()
    return {term: enc[bounds_list[t]:bounds_list[t + 1]].tolist() for t, term in enumerate(terms)}


@dataclass
class Rows:
    """The postings before scoring: one row (term, document, weighted count) per word and per kept
    word pair of each document, sorted by term then document (a document is its place in id order),
    and each document's length. Kept between builds (rowtable.py), so a rebuild changes the rows of
    the changed documents only. A term with no rows left is dropped by `finish`."""

    names: list[str]  # term id -> the word, or the pair "a b"
    pair_a: np.ndarray  # term id -> the term id of a pair's first word, -1 for a word (int32)
    pair_b: np.ndarray  # ... of its second word
    term: np.ndarray  # int32, per row
    doc: np.ndarray  # int32, per row
    tf: np.ndarray  # int32, per row
    lengths: np.ndarray  # int64, per document: its number of words (1 at least)


def encoded(docs: list[DocWords], ids: list[int] | None = None) -> tuple[list[str], np.ndarray, np.ndarray]:
    """`postings` as arrays: the terms, one array of every term's list one after the other and where
    each starts (term t's list is enc[bounds[t]:bounds[t + 1]]). The index writer turns only the
    lists of the shards that changed into Python lists (build.py)."""
    return finish(rows(docs), ids)


def rows(docs: list[DocWords]) -> Rows:
    """Every document's rows (`Rows`), made from scratch."""
    if not docs:
        empty = np.zeros(0, dtype=np.int32)
        return Rows([], empty, empty, empty, empty, empty, np.zeros(0, dtype=np.int64))
    words_list, pair_codes, term, doc, tf, lengths = _rows(docs)
    n_words = len(words_list)
    pair_a, pair_b = (pair_codes // n_words).tolist(), (pair_codes % n_words).tolist()
    names = words_list + [words_list[a] + " " + words_list[b] for a, b in zip(pair_a, pair_b)]
    none = np.full(n_words, -1, dtype=np.int32)
    return Rows(names, np.concatenate([none, np.asarray(pair_a, dtype=np.int32)]),
                np.concatenate([none, np.asarray(pair_b, dtype=np.int32)]), term, doc, tf, lengths)


def finish(r: Rows, ids: list[int] | None = None) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The encoded postings (`encoded`) of the rows: scored, each term's CAP best, delta-coded;
    terms without rows left out. Document d's id is ids[d] (ascending), or d."""
    n_docs = len(r.lengths)
    if not n_docs:
        return [], np.zeros(0, dtype=np.int64), np.zeros(1, dtype=np.int64)
    names, term, doc, tf = r.names, r.term, r.doc, r.tf
    df = np.bincount(term, minlength=len(names))
    if len(df) and not df.all():  # terms whose last rows went (rowtable.py): renumbered without them
        live = df > 0
        term = (np.cumsum(live) - 1).astype(np.int32)[term]
        names = [n for n, keep in zip(names, live.tolist()) if keep]
        df = df[live]
    avg = rounded(int(r.lengths.sum()) / n_docs)
    norm = K1 * ((1 - B) + B * r.lengths.astype(np.float64) / avg)
    score = np.maximum(1, np.rint((10 * tf) * (K1 + 1) / (tf + norm[doc]))).astype(np.int32)
    kept = _best(term, doc, score, df)
    doc_ids = np.asarray(ids, dtype=np.int64) if ids is not None else np.arange(n_docs, dtype=np.int64)
    shown = df.copy()
    capped = df > CAP
    values, where = np.unique(df[capped], return_inverse=True)
    shown[capped] = np.asarray([stored_df(v) for v in values.tolist()], dtype=df.dtype)[where.ravel()]
    enc, bounds = _encode(term[kept], doc_ids[doc[kept]], score[kept], shown)
    return names, enc, bounds


def from_dict(postings: dict[str, list[int]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """`encoded`'s arrays of a postings dict (tests write an index from the reference postings)."""
    terms = list(postings)
    bounds = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum([len(postings[t]) for t in terms], out=bounds[1:])
    enc = np.asarray([v for t in terms for v in postings[t]], dtype=np.int64)
    return terms, enc, bounds


def _rows(docs: list[DocWords], eligible=None):
    """One row (term, document, weighted count) per word and per kept word pair of each document,
    sorted by term then document; terms are word ids, then n_words + pair ids. `eligible(words)`,
    when given, says which words may start or end a pair (rowtable.py: by the whole archive's
    counts), else those of PAIR_MIN_DF of these documents or more. Each step in its own
    function, so the token-sized arrays are gone before the next (the build's memory, issue 12)."""
    n_docs = len(docs)
    vocab: dict[str, int] = {}
    gids: list[int] = []  # per document, its distinct words' global ids, one document after the other
    n_distinct = np.empty(n_docs, dtype=np.int64)
    token_parts: list[np.ndarray] = []
    field_lengths: list[int] = []
    field_weights: list[int] = []
    for i, d in enumerate(docs):
        ws = d.word_list()
        gids.extend([vocab.setdefault(w, len(vocab)) for w in ws])
        n_distinct[i] = len(ws)
        token_parts.append(d.token_array())
        field_lengths.extend(d.lengths)
        field_weights.extend(d.weights)
    words_list = list(vocab)
    G = np.asarray(gids, dtype=np.int64)
    del gids
    doc_tokens = np.array([len(t) for t in token_parts], dtype=np.int64)
    lengths = np.maximum(doc_tokens, 1)
    tokens = _tokens(G, n_distinct, doc_tokens, token_parts, field_lengths, field_weights)
    del token_parts
    uni = _word_rows(G, n_distinct, tokens)
    df_word = np.bincount(G, minlength=len(words_list))
    del G
    ok = df_word >= PAIR_MIN_DF if eligible is None else eligible(words_list)
    pair_codes, pairs = _pair_rows(tokens, ok, len(words_list), n_docs)
    del tokens
    term, doc, tf = (np.concatenate([u, p]) for u, p in zip(uni, pairs))
    return words_list, pair_codes, term, doc, tf, lengths


def _tokens(G, n_distinct, doc_tokens, token_parts, field_lengths, field_weights):
    """Per token: its slot in G (document, distinct word), word id, document, weight, and whether
    the next token is in the same field (a pair may start here)."""
    n_docs = len(n_distinct)
    base = np.zeros(n_docs, dtype=np.int64)
    np.cumsum(n_distinct[:-1], out=base[1:])
    local = np.concatenate(token_parts).astype(np.int64) if token_parts else np.zeros(0, dtype=np.int64)
    tok_doc = np.repeat(np.arange(n_docs, dtype=np.int32), doc_tokens)
    flen = np.asarray(field_lengths, dtype=np.int64)
    tok_weight = np.repeat(np.asarray(field_weights, dtype=np.int32), flen)
    slot = base[tok_doc] + local
    del local
    tok_word = G[slot]
    same_field = np.ones(len(tok_word), dtype=bool)
    same_field[np.cumsum(flen)[flen > 0] - 1] = False  # a field's last word starts no pair
    return slot, tok_word, tok_doc, tok_weight, same_field


def _word_rows(G, n_distinct, tokens):
    slot, _word, _doc, tok_weight, _same = tokens
    tf = np.bincount(slot, weights=tok_weight, minlength=len(G)).astype(np.int32)
    doc = np.repeat(np.arange(len(n_distinct), dtype=np.int32), n_distinct)
    order = np.lexsort((doc, G))
    return G[order].astype(np.int32), doc[order], tf[order]


def _pair_rows(tokens, eligible, n_words: int, n_docs: int):
    """Word pairs within a field, only of two common words (`eligible`: per word id)."""
    _slot, tok_word, tok_doc, tok_weight, same_field = tokens
    first = np.flatnonzero(same_field[:-1]) if len(tok_word) else np.zeros(0, dtype=np.int64)
    a, b = tok_word[first], tok_word[first + 1]
    common = eligible[a] & eligible[b]
    first = first[common]
    key = (a[common] * n_words + b[common]) * n_docs + tok_doc[first]
    del a, b, common
    # np.unique(key, return_inverse=True) and a bincount of the weights, from one sort: each
    # distinct key's weights summed (small integers: exact, as bincount's float sums were).
    order = np.argsort(key)
    key = key[order]
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1]))) if len(key) else np.zeros(0, np.int64)
    keys = key[starts]
    tf = (np.add.reduceat(tok_weight[first][order].astype(np.int64), starts) if len(starts)
          else np.zeros(0, np.int64)).astype(np.int32)
    del key, order
    # `keys` ascend, so their pairs do: np.unique(keys // n_docs) without sorting again.
    codes = keys // n_docs
    new = np.concatenate(([True], codes[1:] != codes[:-1])) if len(codes) else np.zeros(0, dtype=bool)
    pair_codes, pair_term = codes[new], np.cumsum(new) - 1
    return pair_codes, ((pair_term + n_words).astype(np.int32), (keys % n_docs).astype(np.int32), tf)


def _best(term, doc, score, df):
    """Indexes of the rows kept: each term's CAP best (weight, then the newer document). Without a
    sort (a lexsort of the capped terms' 2 million rows was the most of `finish`): a capped term keeps
    its rows above its threshold weight (its CAP-th best's) and, at the threshold, the newest (its
    rows are in document order) up to CAP. Weights are small integers (`finish`: 21 at most)."""
    big = df > CAP
    if not big.any():
        return np.arange(len(term))
    rows = np.flatnonzero(np.repeat(big, df))  # the capped terms' rows (rows are sorted by term)
    n_big = int(big.sum())
    t = (np.cumsum(big) - 1)[term[rows]]  # which capped term
    s = score[rows].astype(np.int64)
    top = int(s.max()) + 1
    hist = np.bincount(t * top + s, minlength=n_big * top).reshape(n_big, top)
    at_least = np.zeros((n_big, top + 1), dtype=np.int64)  # [b, v]: rows of weight v or more
    at_least[:, :top] = hist[:, ::-1].cumsum(axis=1)[:, ::-1]
    threshold = (at_least >= CAP).sum(axis=1) - 1  # at_least falls with v and is df > CAP at 0
    take = CAP - at_least[np.arange(n_big), threshold + 1]  # rows at the threshold to keep, newest first
    limit = threshold[t]
    kept = s > limit
    tied = np.flatnonzero(s == limit)
    group = t[tied]
    from_end = np.cumsum(np.bincount(group, minlength=n_big))[group] - 1 - np.arange(len(tied))
    kept[tied[from_end < take[group]]] = True
    keep = np.ones(len(term), dtype=bool)
    keep[rows[~kept]] = False
    return np.flatnonzero(keep)


def _encode(k_term, k_doc, k_score, df):
    """One array of every term's [df, delta, weight, delta, weight, ...] one after the other, and
    where each term's starts (the JSON lists of the shards)."""
    n_terms = len(df)
    counts = np.bincount(k_term, minlength=n_terms)
    bounds = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(1 + 2 * counts, out=bounds[1:])
    enc = np.empty(int(bounds[-1]), dtype=np.int64)
    enc[bounds[:-1]] = df
    kept_start = np.zeros(n_terms, dtype=np.int64)
    np.cumsum(counts[:-1], out=kept_start[1:])
    rank = np.arange(len(k_term)) - kept_start[k_term]
    pos = bounds[:-1][k_term] + 1 + 2 * rank
    prev = np.zeros(len(k_doc), dtype=np.int64)
    prev[1:] = np.where(k_term[1:] == k_term[:-1], k_doc[:-1], 0)
    enc[pos] = k_doc - prev
    enc[pos + 1] = k_score
    return enc, bounds
