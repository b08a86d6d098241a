"""A cached article record as the build cache stores it: `marshal` of plain values, not a pickle.

Why: every rebuild takes all 10,000 records of a 10,000-article archive from the build cache, and
unpickling them (a dataclass with a list of `Place` dataclasses, a date and the derived values)
was 0.5 CPU-s of every rebuild, changed or not (issue 12). Here a record is a tuple of strings,
numbers, lists and dicts, which `marshal` reads in C; its places are rebuilt once per distinct
place (they are frozen, so records may share them), its date from an ordinal. A derived value
of a known frozen type (a map's `View`) is kept as its fields; any other that is not a plain value
is pickled, with the others of its record, in one blob.
`tests/test_recordblob.py` checks that a record comes back equal, derived values included.
"""
from __future__ import annotations

import marshal
import pickle
from dataclasses import fields, replace
from datetime import date
from operator import attrgetter

from ..model import Place
from .index import Record
from .locator import View

VERSION = 1
# Derived values of these (frozen) types are stored as their fields.
_TYPED = {"View": View}
_PLACE_FIELDS = ("name", "country", "region", "kind", "lat", "lon", "geonameid", "approximate")
_place_fields = attrgetter(*_PLACE_FIELDS)  # a place's fields as a tuple, in C
_FIELDS = {cls: attrgetter(*(f.name for f in fields(cls))) for cls in _TYPED.values()}  # each has 2+ fields


def _plain(value: object) -> bool:
    try:
        marshal.dumps(value)
    except ValueError:
        return False
    return True


def dumps(r: Record, body: str | None) -> bytes:
    """The record, with `body` in place of its body (the cache stores "" for "it had one") and no
    front matter (`meta`: nothing reads it after the record is made). A record with a value of
    another type where a plain one is expected is pickled (`Loader.loads` reads both)."""
    if (r.date is not None and type(r.date) is not date) or not all(type(p) is Place for p in r.places):
        return pickle.dumps(replace(r, body=body, meta={}), protocol=5)
    places = [_place_fields(p) for p in r.places]
    typed, rest = {}, {}
    for k, v in r.derived.items():
        get = _FIELDS.get(type(v))
        if get is not None:
            typed[k] = (type(v).__name__, get(v))
        else:
            rest[k] = v

    def blob(plain: dict, other: dict) -> bytes:
        return marshal.dumps((VERSION, r.src_uri, r.title, r.date.toordinal() if r.date else None, r.summary,
                              r.source, r.url, list(r.tags), places, body, r.author, r.digest, list(r.problems),
                              plain, typed, pickle.dumps(other, protocol=5) if other else None))

    try:  # nearly always every value is plain: one marshal of the whole, not one per value first
        return blob(rest, {})
    except ValueError:
        pass
    if not _plain((r.src_uri, r.title, r.summary, r.source, r.url, list(r.tags), r.author, r.digest,
                   list(r.problems))):
        return pickle.dumps(replace(r, body=body, meta={}), protocol=5)
    plain = {k: v for k, v in rest.items() if _plain(v)}
    return blob(plain, {k: v for k, v in rest.items() if k not in plain})


class Loader:
    """Records from their blobs; equal places are made once (shared: `Place` is frozen)."""

    def __init__(self) -> None:
        self.places: dict[tuple, Place] = {}

    def place(self, fields: tuple) -> Place:
        p = self.places.get(fields)
        if p is None:
            p = self.places[fields] = Place(*fields)
        return p

    def loads(self, blob: bytes) -> Record | None:
        """The record, or None for a blob of another version."""
        if blob[:1] == b"\x80":  # a pickle (protocol 2 and up): a marshalled tuple starts otherwise
            return pickle.loads(blob)
        value = marshal.loads(blob)
        if not isinstance(value, tuple) or value[0] != VERSION:
            return None
        (_, src_uri, title, ordinal, summary, source, url, tags, places, body, author, digest, problems, plain,
         typed, other) = value
        derived = plain
        for k, (name, values) in typed.items():
            derived[k] = _TYPED[name](*values)
        if other is not None:
            derived.update(pickle.loads(other))
        return Record(src_uri=src_uri, title=title, date=date.fromordinal(ordinal) if ordinal is not None else None,
                      summary=summary, source=source, url=url, tags=tags,
                      places=[self.place(p) for p in places], body=body, author=author, digest=digest,
                      problems=problems, derived=derived)
