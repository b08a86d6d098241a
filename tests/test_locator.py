"""Locator maps: the outlines are shared files under assets/locator/ (one per view, not one inline
copy per article page), every page's map links to one that exists, and article text stays text."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from generator.mkdocs_plugin import locator

SVG = "{http://www.w3.org/2000/svg}"


def test_nearby_place_sets_share_a_view_that_shows_every_place():
    mosul, erbil, kirkuk = (43.13, 36.34), (44.01, 36.19), (44.39, 35.47)
    views = {locator.view_for(ps) for ps in ((mosul,), (erbil,), (mosul, erbil), (erbil, kirkuk))}
    assert len(views) == 1
    view = views.pop()
    for lon, lat in (mosul, erbil, kirkuk):
        x, y = view.xy(lon, lat)
        assert 0 < x < locator.WIDTH and 0 < y < locator.HEIGHT
    far = locator.view_for((mosul, (-77.04, 38.9)))  # Mosul and Washington: a wider view
    assert far.span > view.span
    for lon, lat in (mosul, (-77.04, 38.9)):
        x, y = far.xy(lon, lat)
        assert 0 < x < locator.WIDTH and 0 < y < locator.HEIGHT


def test_the_shared_file_is_outlines_only_and_place_names_are_escaped():
    points = [(43.13, 36.34, 'Mosul <script>alert(1)</script> "x"')]
    view = locator.view_of(points)
    outline = ET.fromstring(locator.outline_svg(view))
    assert outline.tag == SVG + "svg"
    assert len(outline.findall(f".//{SVG}path")) > 3  # Iraq and its neighbours
    assert "".join(outline.itertext()).strip() == ""  # no text at all, so no article text
    html = locator.figure(points, view, locator.uri(view))
    assert "<script>" not in html and "&lt;script&gt;" in html
    fig = ET.fromstring(html)
    assert fig.find(f".//{SVG}image").get("href") == locator.uri(view)
    assert len(fig.findall(f".//{SVG}circle")) == 1


def test_built_article_pages_link_existing_shared_map_files(built_site: Path):
    site = built_site / "site"
    linked: dict[str, int] = {}
    pages = 0
    for page in (site / "articles").rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        assert "archive-map__land" not in text  # no outlines inline any more
        for href in re.findall(r'<image href="([^"]+)"', text):
            target = (page.parent / href).resolve()
            assert target.is_file() and target.parent == (site / locator.FOLDER).resolve(), href
            linked[target.name] = linked.get(target.name, 0) + 1
            pages += 1
    assert pages >= 3
    assert len(linked) < pages  # some pages share a view
    on_disk = {p.name for p in (site / locator.FOLDER).glob("*.svg")}
    assert on_disk == set(linked)  # every file is used
