"""Continents, world regions and seas are not countries: in a real build they sit in their own part
of the locations index (before the countries), their pages say what they are, and the search's Country
filter lists countries only (a region of the world is offered by the Place filter)."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import frontmatter

from .conftest import run_archive

# Names typed by hand in `locations` (as an editor would): the build reads each through the gazetteer.
PAGES = {
    "a": ["Africa", "Iraq", "Erbil"],
    "b": ["Middle East", "Europe", "Red Sea"],
    "c": ["Iraq", "Middle East"],
    "d": ["Qorvalian Ridge Camp", "Iraq"],  # a name no gazetteer knows: "Unplaced", which is no country
}


def _write(project: Path) -> None:
    folder = project / "content" / "articles" / "2024" / "05"
    folder.mkdir(parents=True)
    for n, (stem, names) in enumerate(PAGES.items()):
        post = frontmatter.Post(f"Text of article {stem}.\n", id=f"{n:016x}", title=f"Article {stem}",
                                date=date(2024, 5, 1 + n), locations=names)
        (folder / f"{stem}.md").write_text(frontmatter.dumps(post), encoding="utf-8")


def _section(html: str, heading: str) -> str:
    """The HTML after the <h2> named `heading` up to the next <h2> (or the end of the content)."""
    m = re.search(r"<h2[^>]*>" + re.escape(heading) + r"<a[^>]*>.*?</a></h2>|<h2[^>]*>" + re.escape(heading)
                  + "</h2>", html)
    assert m, (heading, re.findall(r"<h2[^>]*>.*?</h2>", html))
    rest = html[m.end():]
    return rest[:rest.find("<h2")] if "<h2" in rest else rest


def test_world_regions_and_seas_are_not_countries(site_project: Path):
    _write(site_project)
    result = run_archive("build", cwd=site_project)
    assert result.returncode == 0, result.stderr
    site = site_project / "site"

    index = (site / "locations" / "index.html").read_text(encoding="utf-8")
    countries = _section(index, "Countries")
    regions = _section(index, "Regions of the world and seas")
    for name in ("Africa", "Middle East", "Europe", "Red Sea"):
        assert f">{name}</a>" in regions and f">{name}</a>" not in countries, name
    assert ">Iraq</a>" in countries and ">Iraq</a>" not in regions
    assert index.index("Regions of the world and seas") < index.index("Countries")  # above the countries
    unknown = _section(index, "Not in the gazetteer")
    assert ">Unplaced</a>" in unknown and ">Unplaced</a>" not in countries
    assert index.index("Countries") < index.index("Not in the gazetteer")  # below them

    africa = (site / "locations" / "africa" / "index.html").read_text(encoding="utf-8")
    assert "<small>world region ·" in africa
    assert "<small>sea ·" in (site / "locations" / "red-sea" / "index.html").read_text(encoding="utf-8")
    assert "<small>country ·" in (site / "locations" / "iraq" / "index.html").read_text(encoding="utf-8")

    meta = json.loads((site / "search-index" / "meta.json").read_text(encoding="utf-8"))
    country_filter = {v[0] for v in meta["facets"]["country"]}
    place_filter = {v[0] for v in meta["facets"]["place"]}
    assert "Iraq" in country_filter
    assert not {"Africa", "Middle East", "Europe", "Red Sea", "Unplaced"} & country_filter, country_filter
    assert {"Africa", "Middle East", "Europe", "Red Sea"} <= place_filter, place_filter
