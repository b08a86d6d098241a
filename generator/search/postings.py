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

from array import array
from dataclasses import dataclass

import numpy as np

from .tokens import words

CAP = 400  # postings kept per word or word pair
PAIR_MIN_DF = 25  # a word pair is indexed only when both words are this common (see postings)
K1, B = 1.2, 0.6


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


def postings(docs: list[DocWords]) -> dict[str, list[int]]:
    """word or word pair -> [df, id, weight, ...], best CAP postings kept, ids ascending (delta-coded);
    a document's id is its place in `docs`. Word pairs rank exact phrases first. A pair of which one
    word is rare is left out (most pairs, most of the index): that word's whole list is kept, so
    its few articles are found and ranked by every word of the query all the same."""
    n_docs = len(docs)
    if n_docs == 0:
        return {}
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
    n_words = len(words_list)
    G = np.asarray(gids, dtype=np.int64)
    base = np.zeros(n_docs, dtype=np.int64)
    np.cumsum(n_distinct[:-1], out=base[1:])
    doc_tokens = np.array([len(t) for t in token_parts], dtype=np.int64)
    local = np.concatenate(token_parts).astype(np.int64) if token_parts else np.zeros(0, dtype=np.int64)
    tok_doc = np.repeat(np.arange(n_docs, dtype=np.int64), doc_tokens)
    flen = np.asarray(field_lengths, dtype=np.int64)
    tok_weight = np.repeat(np.asarray(field_weights, dtype=np.int64), flen)
    slot = base[tok_doc] + local  # the token's (document, distinct word) slot in G
    tok_word = G[slot]

    lengths = np.maximum(doc_tokens, 1)
    avg = int(lengths.sum()) / n_docs
    norm = K1 * ((1 - B) + B * lengths.astype(np.float64) / avg)

    # Words: one row per (document, distinct word), already grouped by document.
    uni_tf = np.bincount(slot, weights=tok_weight, minlength=len(G)).astype(np.int64)
    uni_doc = np.repeat(np.arange(n_docs, dtype=np.int64), n_distinct)
    df_word = np.bincount(G, minlength=n_words)
    order = np.lexsort((uni_doc, G))
    uni_term, uni_doc, uni_tf = G[order], uni_doc[order], uni_tf[order]

    # Word pairs within a field, only of two common words.
    field_end = np.cumsum(flen)
    same_field = np.ones(len(tok_word), dtype=bool)
    same_field[field_end[flen > 0] - 1] = False  # a field's last word starts no pair
    first = np.flatnonzero(same_field[:-1]) if len(tok_word) else np.zeros(0, dtype=np.int64)
    a, b = tok_word[first], tok_word[first + 1]
    common = (df_word[a] >= PAIR_MIN_DF) & (df_word[b] >= PAIR_MIN_DF)
    first, a, b = first[common], a[common], b[common]
    pair = a * n_words + b
    key = pair * n_docs + tok_doc[first]
    keys, inverse = np.unique(key, return_inverse=True)
    pair_tf = np.bincount(inverse.ravel(), weights=tok_weight[first], minlength=len(keys)).astype(np.int64)
    pair_doc = keys % n_docs
    pair_code = keys // n_docs
    pair_codes, pair_term = np.unique(pair_code, return_inverse=True)
    pair_term = pair_term.ravel() + n_words

    term = np.concatenate([uni_term, pair_term])
    doc = np.concatenate([uni_doc, pair_doc])
    tf = np.concatenate([uni_tf, pair_tf])
    n_terms = n_words + len(pair_codes)
    score = np.maximum(1, np.rint((10 * tf) * (K1 + 1) / (tf + norm[doc]))).astype(np.int64)

    df = np.bincount(term, minlength=n_terms)
    start = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(df, out=start[1:])
    keep = np.ones(len(term), dtype=bool)
    big = np.flatnonzero(df > CAP)
    if len(big):
        rows = np.flatnonzero(np.repeat(df > CAP, df))
        ranked = rows[np.lexsort((-doc[rows], -score[rows], term[rows]))]
        offset = np.zeros(len(big), dtype=np.int64)
        np.cumsum(df[big][:-1], out=offset[1:])
        rank = np.arange(len(ranked)) - np.repeat(offset, df[big])
        keep[ranked[rank >= CAP]] = False
    kept = np.flatnonzero(keep)
    k_term, k_doc = term[kept], doc[kept]
    prev = np.empty_like(k_doc)
    prev[0:1] = 0
    prev[1:] = np.where(k_term[1:] == k_term[:-1], k_doc[:-1], 0)
    flat = np.empty(2 * len(kept), dtype=np.int64)
    flat[0::2] = k_doc - prev
    flat[1::2] = score[kept]
    flat_list = flat.tolist()
    counts = np.bincount(k_term, minlength=n_terms)
    bounds = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(2 * counts, out=bounds[1:])
    bounds_list, df_list = bounds.tolist(), df.tolist()

    out: dict[str, list[int]] = {}
    for t, w in enumerate(words_list):
        out[w] = [df_list[t], *flat_list[bounds_list[t]:bounds_list[t + 1]]]
    for j, (pa, pb) in enumerate(zip((pair_codes // n_words).tolist(), (pair_codes % n_words).tolist())):
        t = n_words + j
        out[words_list[pa] + " " + words_list[pb]] = [df_list[t], *flat_list[bounds_list[t]:bounds_list[t + 1]]]
    return out
