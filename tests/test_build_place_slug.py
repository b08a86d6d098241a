"""place_slug is memoised on the fields it reads (issue 12: over a million calls at 10,000 articles):
the slug still follows those fields, so places that differ only elsewhere share it and others don't."""
from __future__ import annotations

from generator.mkdocs_plugin.index import place_slug
from generator.model import Place


def test_place_slug_follows_name_country_region_and_kind():
    city = Place("Mosul", "Iraq", "Nineveh", "city", lat=36.3, lon=43.1)
    assert place_slug(city) == "iraq-nineveh-mosul"
    assert place_slug(Place("Mosul", "Iraq", "Nineveh", "city")) == "iraq-nineveh-mosul"  # coordinates: no part
    assert place_slug(Place("Mosul", "Iraq", "Ninawa", "city")) == "iraq-ninawa-mosul"
    assert place_slug(Place("Nineveh", "Iraq", "Nineveh", "city")) == "iraq-nineveh"  # its namesake region's node
    assert place_slug(Place("Nineveh", "Iraq", None, "region")) == "iraq-nineveh"
    assert place_slug(Place("Iraq", "Iraq", None, "country")) == "iraq"
    assert place_slug(Place("Mosul", "Iraq", None, "city")) == "iraq-mosul"
