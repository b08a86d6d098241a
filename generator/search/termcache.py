"""What a search document is keyed on, and its words when they must be made.

Why: a rebuild must know which documents are new or changed without splitting them into words. A
document's words depend only on its fields' text and weights, so the key is a hash of those
(`key_of`); the index's rows are kept by key (rowtable.py), and only the new and changed documents
are split (`splitter`). The words of every document were kept here too (a 15 MB pickle read and
written again by each rebuild, 0.2 CPU-s of it after adding 10 articles to 10,000): the kept rows
made them unneeded.

An article's body need not be read to key it: its page file's digest stands for it (`key_of`
with `last_key`), so a rebuild reads only the bodies of the documents it splits; reading all
10,010 bodies of a 10,000-article archive to hash them was about 0.4 CPU-s of the search process
after adding 10 articles.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable

from .postings import DocWords, tokenize


def stood_for(fields: list[tuple[str, int]], last_key: str | None) -> list[tuple[str, int]]:
    """The fields with the last one stood for by `last_key` (a digest that determines its text),
    marked by a negative weight so that it never equals fields whose text is the digest itself;
    the fields themselves without one. What a document is keyed on, here and in the index's digest."""
    return fields if last_key is None else [*fields[:-1], (last_key, -fields[-1][1])]


def key_of(fields: list[tuple[str, int]], last_key: str | None = None) -> bytes:
    """A hash of the fields (`stood_for` with `last_key`)."""
    text = "".join([f"{weight}\x1e{text}\x1f" for text, weight in stood_for(fields, last_key)])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def splitter(fields_of_docs: list[list[tuple[str, int]]], last_keys: list[str | None],
             complete: Callable[[list[int]], None] | None = None) -> Callable[[list[int]], list[DocWords]]:
    """`words_of(positions)`: those documents split into words, their last field first completed
    (`complete(positions)`, in place in `fields_of_docs`) where `last_keys` stands for it."""
    def words_of(at: list[int]) -> list[DocWords]:
        missing = [i for i in at if last_keys[i] is not None]
        if missing and complete is not None:
            complete(missing)
        return [tokenize(fields_of_docs[i]) for i in at]
    return words_of
