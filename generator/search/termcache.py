"""Each search document's words, kept between builds so a rebuild splits only the changed pages.

Why: when any page changes, the index's postings are made again from every document, and splitting
10,000 articles into words was most of that. A document's words depend only on its fields' text and
weights and on the code and data that split them; the file's `salt` is the build cache's key of the
code, templates and configuration (the same base every cached page's key has), so a change to any
of them drops the whole file. Entries are keyed by a hash of the fields; the file holds the current
documents only and is rewritten only when they changed. Losing it only costs splitting again.

An article's body need not be read to find its words here: its page file's digest stands for it
(`key_of` with `last_key`), so a rebuild reads only the bodies of documents whose words are not
kept (`complete`); reading all 10,010 bodies of a 10,000-article archive to hash them was about
0.4 CPU-s of the search process after adding 10 articles.
"""
from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path

from ..atomicfile import write_bytes
from .postings import DocWords, tokenize

VERSION = 2  # 2: a document with a `last_key` is keyed on it, not on its last field's text


def stood_for(fields: list[tuple[str, int]], last_key: str | None) -> list[tuple[str, int]]:
    """The fields with the last one stood for by `last_key` (a digest that determines its text),
    marked by a negative weight so that it never equals fields whose text is the digest itself;
    the fields themselves without one. What a document is keyed on, here and in the index's digest."""
    return fields if last_key is None else [*fields[:-1], (last_key, -fields[-1][1])]


def key_of(fields: list[tuple[str, int]], last_key: str | None = None) -> bytes:
    """A hash of the fields (`stood_for` with `last_key`)."""
    fields = stood_for(fields, last_key)
    h = hashlib.blake2b(digest_size=16)
    for text, weight in fields:
        h.update(f"{weight}\x1e{text}\x1f".encode("utf-8", "surrogatepass"))
    return h.digest()


def _load(path: Path, salt: str) -> dict[bytes, DocWords]:
    try:
        version, stored_salt, entries = pickle.loads(path.read_bytes())
    except (OSError, ValueError, TypeError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return {}
    if version != VERSION or stored_salt != salt or not isinstance(entries, dict):
        return {}
    return entries


def doc_words(fields_of_docs: list[list[tuple[str, int]]], path: Path | None, salt: str = "",
              last_keys: list[str | None] | None = None,
              complete: Callable[[list[int]], None] | None = None) -> list[DocWords]:
    """Every document's words (`keyed_words` without the keys)."""
    return keyed_words(fields_of_docs, path, salt, last_keys, complete)[0]


def keyed_words(fields_of_docs: list[list[tuple[str, int]]], path: Path | None, salt: str = "",
                last_keys: list[str | None] | None = None,
                complete: Callable[[list[int]], None] | None = None) -> tuple[list[DocWords], list[bytes]]:
    """Every document's words, from the file at `path` where its fields are unchanged, and the
    documents' keys (`key_of`; none without `path`).
    `last_keys[i]`, when not None, stands for document i's last field (its text may not be there
    yet); `complete(positions)` fills in the last field of those documents (in place, in
    `fields_of_docs`) before they are split: only documents whose words are not kept."""
    last_keys = last_keys if last_keys is not None else [None] * len(fields_of_docs)
    if path is None:
        if complete is not None:
            complete([i for i, last in enumerate(last_keys) if last is not None])
        return [tokenize(fields) for fields in fields_of_docs], []
    stored = _load(path, salt)
    keys = [key_of(fields, last) for fields, last in zip(fields_of_docs, last_keys)]
    if complete is not None:
        missing = [i for i, key in enumerate(keys) if last_keys[i] is not None and key not in stored]
        if missing:
            complete(missing)
    current: dict[bytes, DocWords] = {}
    out = []
    for fields, key in zip(fields_of_docs, keys):
        words = current.get(key) or stored.get(key)
        if words is None:
            words = tokenize(fields)
        current[key] = words
        out.append(words)
    if current.keys() != stored.keys():
        try:
            # The old file goes first: on ext4 a file renamed over another is flushed to disk at
            # the rename (`auto_da_alloc`; 15 MB at 10,000 articles). A build stopped in between
            # leaves no file, which only costs splitting every document again.
            path.unlink(missing_ok=True)
            write_bytes(path, pickle.dumps((VERSION, salt, current), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass
    return out, keys
