"""The interactive map page: Leaflet with clustered markers over Natural Earth country outlines.

The libraries and the outlines are npm packages (package.json, installed by `make install`) that
the build copies into the site, so the map fetches nothing from another host; map tiles are drawn
only when a tile URL is configured (`map_tiles`), the outlines are the offline default."""
from __future__ import annotations

import html
import json
from pathlib import Path

from .. import sitewrite
from . import outlines
from .index import LocationNode, Record
from .pages import fmt_date

# site path under assets/vendor/ -> file in node_modules
VENDOR = {
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet/LICENSE": "leaflet/LICENSE",
    "leaflet.markercluster/leaflet.markercluster.js": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "leaflet.markercluster/MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
    "leaflet.markercluster/MarkerCluster.Default.css": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "leaflet.markercluster/MIT-LICENCE.txt": "leaflet.markercluster/MIT-LICENCE.txt",
    "topojson-client/topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "topojson-client/LICENSE": "topojson-client/LICENSE",
    "world-atlas/countries-50m.json": "world-atlas/countries-50m.json",
    "world-atlas/LICENSE": "world-atlas/LICENSE",
}
PLACES = "assets/map/places.json"
LIST_LENGTH = 10  # newest articles listed in a marker's popup


def copy_vendor(site_dir: Path) -> None:
    src = outlines.node_modules()
    for dest, rel in VENDOR.items():
        target = site_dir / "assets" / "vendor" / dest
        if (src / rel).exists():
            sitewrite.update(target, (src / rel).read_bytes())  # not copied again when unchanged


def write_places(site_dir: Path, nodes: list[LocationNode], page_url, article_url) -> int:
    """One row per place with coordinates: [name, kind, lat, lon, count, url, [[title, url, date]...]].
    URLs are site-relative; map.js prefixes the site root. Returns the number of places."""
    rows = []
    for n in nodes:
        p = n.place
        if p is None or p.lat is None or p.lon is None:
            continue
        latest: list[Record] = n.articles[:LIST_LENGTH]
        rows.append([n.name, n.kind, round(p.lat, 4), round(p.lon, 4), len(n.articles), page_url(n),
                     [[r.title, article_url(r), fmt_date(r.date)] for r in latest]])
    data = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    sitewrite.update(site_dir / PLACES, data.encode("utf-8"))
    return len(rows)


def page_html(base: str, tiles: str, attribution: str, fallback_svg: str) -> str:
    """The map page's body: the Leaflet map, and the build-time SVG map for readers without scripts."""
    b = html.escape(base, quote=True)
    v = b + "assets/vendor/"
    css = "".join(f'<link rel="stylesheet" href="{v}{p}">' for p in
                  ("leaflet/leaflet.css", "leaflet.markercluster/MarkerCluster.css",
                   "leaflet.markercluster/MarkerCluster.Default.css"))
    js = "".join(f'<script src="{v}{p}"></script>' for p in
                 ("leaflet/leaflet.js", "leaflet.markercluster/leaflet.markercluster.js",
                  "topojson-client/topojson-client.min.js")) + f'<script src="{b}assets/map.js"></script>'
    return (f'{css}<div id="archive-map" class="archive-leaflet" data-base="{b}" data-places="{b}{PLACES}" '
            f'data-outlines="{v}world-atlas/countries-50m.json" data-tiles="{html.escape(tiles, quote=True)}" '
            f'data-attribution="{html.escape(attribution, quote=True)}"></div>\n'
            f"<noscript>{fallback_svg}</noscript>\n{js}\n")
