"""The build cache stores a record as marshalled plain values (recordblob.py): it must come back
equal, derived values included, whatever its fields hold; a record it cannot store so is pickled."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from generator.mkdocs_plugin import recordblob
from generator.mkdocs_plugin.index import Record
from generator.mkdocs_plugin.locator import View
from generator.model import Place


def _record(**changes) -> Record:
    r = Record(src_uri="articles/2024/01/a.md", title="Ceasefire «holds» in Tripoli", date=date(2024, 1, 2),
               summary="Talks resume.", source="Example News", url="https://example.org/a", tags=["Ceasefires", "Libya"],
               places=[Place("Tripoli", "Libya", "Tripoli District", "city", 32.8874, 13.1873, 2210247),
                       Place("Sudan", "Sudan", None, "country", approximate=True), Place("Nowhere", "Unplaced")],
               author="A. Writer", digest="abc", problems=["articles/a.md: url: 'x' (ignored)"])
    r.derived.update({"print": b"\x00\xff", "view": View(-96.0, 112.0, 256.0), "shown": "('a', 'b')",
                      "export": ("{}", "a,b", "c"), "related_keys": ["c:Libya", "t:Ceasefires"],
                      "odd": frozenset([Place("Mosul", "Iraq")])})  # not a plain value: pickled
    return replace(r, **changes) if changes else r


def test_a_record_comes_back_equal_with_its_derived_values():
    loader = recordblob.Loader()
    for r in (_record(), _record(date=None, summary=None, places=[], tags=[], problems=[]), _record(author=None)):
        for body in ("", None):
            got = loader.loads(recordblob.dumps(r, body))
            assert got == replace(r, body=body, meta={})
            assert got.derived == r.derived and type(got.date) is type(r.date)
            assert [type(p) for p in got.places] == [Place] * len(r.places)


def test_equal_places_are_made_once_and_odd_values_are_pickled():
    loader = recordblob.Loader()
    a, b = (loader.loads(recordblob.dumps(_record(src_uri=u), "")) for u in ("a.md", "b.md"))
    assert a.places[0] is b.places[0] and a.places == b.places
    odd = _record(date=datetime(2024, 1, 2, 5, 6))  # not a plain date: kept as it is, through pickle
    blob = recordblob.dumps(odd, "")
    assert blob[:1] == b"\x80" and loader.loads(blob) == replace(odd, body="", meta={})
