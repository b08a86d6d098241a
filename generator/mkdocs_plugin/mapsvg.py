"""A map of the archive's places as inline SVG: no tiles, no scripts, no network at view time.

Each resolved place with coordinates is a circle sized by its number of articles and linking to its
location page; an equirectangular graticule gives bearings."""
from __future__ import annotations

import math
from html import escape

from .index import LocationNode

WIDTH, HEIGHT = 1000, 560


def _bounds(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    lons = [p[0] for p in points] or [-180.0, 180.0]
    lats = [p[1] for p in points] or [-60.0, 75.0]
    west, east, south, north = min(lons) - 8, max(lons) + 8, min(lats) - 6, max(lats) + 6
    # keep the aspect ratio of the drawing and at least 40 degrees of longitude
    span = max(east - west, 40.0, (north - south) * WIDTH / HEIGHT)
    cx, cy = (west + east) / 2, (south + north) / 2
    half_w, half_h = span / 2, span * HEIGHT / WIDTH / 2
    return cx - half_w, cx + half_w, cy - half_h, cy + half_h


def svg(nodes: list[LocationNode], href) -> str:
    """`href(node)` gives the link from the map page to the node's page."""
    located = [n for n in nodes if n.place and n.place.lat is not None and n.place.lon is not None]
    west, east, south, north = _bounds([(n.place.lon, n.place.lat) for n in located])

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) / (east - west) * WIDTH, (north - lat) / (north - south) * HEIGHT

    out = [f'<svg class="archive-map" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
           f'aria-label="Map of the places named in the archive" xmlns="http://www.w3.org/2000/svg">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" class="archive-map__sea"/>']
    step = 5 if east - west < 60 else 15
    for lon in range(math.ceil(west / step) * step, int(east) + 1, step):
        x, _ = xy(lon, 0)
        out.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{HEIGHT}" class="archive-map__grid"/>'
                   f'<text x="{x + 2:.1f}" y="{HEIGHT - 4}" class="archive-map__grid-label">{lon}°</text>')
    for lat in range(math.ceil(south / step) * step, int(north) + 1, step):
        _, y = xy(0, lat)
        out.append(f'<line x1="0" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}" class="archive-map__grid"/>'
                   f'<text x="2" y="{y - 2:.1f}" class="archive-map__grid-label">{lat}°</text>')
    # big circles first so small ones stay clickable on top
    for n in sorted(located, key=lambda n: -len(n.articles)):
        x, y = xy(n.place.lon, n.place.lat)
        r = 3 + 2.5 * math.sqrt(len(n.articles))
        label = f"{n.name} ({len(n.articles)} article{'s' if len(n.articles) != 1 else ''})"
        out.append(f'<a href="{escape(href(n))}" class="archive-map__place archive-map__place--{n.kind}">'
                   f'<title>{escape(label)}</title><circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
                   + (f'<text x="{x + r + 2:.1f}" y="{y + 4:.1f}">{escape(n.name)}</text>' if n.kind == "country" else "")
                   + "</a>")
    out.append("</svg>")
    return "".join(out)
