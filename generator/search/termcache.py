"""Each search document's words, kept between builds so a rebuild splits only the changed pages.

Why: when any page changes, the index's postings are made again from every document, and splitting
10,000 articles into words was most of that. A document's words depend only on its fields' text and
weights and on the code and data that split them; the file's `salt` is the build cache's key of the
code, templates and configuration (the same base every cached page's key has), so a change to any
of them drops the whole file. Entries are keyed by a hash of the fields; the file holds the current
documents only and is rewritten only when they changed. Losing it only costs splitting again.
"""
from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from ..atomicfile import write_bytes
from .postings import DocWords, tokenize

VERSION = 1


def key_of(fields: list[tuple[str, int]]) -> bytes:
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


def doc_words(fields_of_docs: list[list[tuple[str, int]]], path: Path | None, salt: str = "") -> list[DocWords]:
    """Every document's words, from the file at `path` where its fields are unchanged."""
    if path is None:
        return [tokenize(fields) for fields in fields_of_docs]
    stored = _load(path, salt)
    current: dict[bytes, DocWords] = {}
    out = []
    for fields in fields_of_docs:
        key = key_of(fields)
        words = current.get(key) or stored.get(key)
        if words is None:
            words = tokenize(fields)
        current[key] = words
        out.append(words)
    if current.keys() != stored.keys():
        try:
            write_bytes(path, pickle.dumps((VERSION, salt, current), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass
    return out
