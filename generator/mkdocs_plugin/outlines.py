"""Country outlines (Natural Earth via the npm package world-atlas, installed by `make install`)
for build-time SVG maps, and the place on disk of the map's browser libraries."""
from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
WORLD = "world-atlas/countries-50m.json"
WORLD_COARSE = "world-atlas/countries-110m.json"  # for views wider than COARSE_SPAN degrees
COARSE_SPAN = 60.0
MARGIN = 40  # pixels around a locator's view beyond which outlines are held at its edge


def node_modules() -> Path:
    """The npm packages: beside the project being built, else beside this code (an editable install)."""
    for base in (Path.cwd(), ROOT):
        if (base / "node_modules" / WORLD).exists():
            return base / "node_modules"
    # A PluginError stops the build with this one line (archive build prints it), not a traceback.
    raise PluginError("node_modules/world-atlas is missing: run `make install` (it installs the map's npm packages)")


@lru_cache(maxsize=2)
def countries(atlas: str = WORLD) -> list[tuple[str, list[list[tuple[float, float]]], tuple[float, float, float, float]]]:
    """(name, rings of (lon, lat), bbox west/south/east/north) per country, decoded from TopoJSON."""
    topo = json.loads((node_modules() / atlas).read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indices:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts[1:] if out else pts)
        return out

    result = []
    for g in topo["objects"]["countries"]["geometries"]:
        polys = g.get("arcs") or []
        if g.get("type") == "Polygon":
            polys = [polys]
        rings = [ring(r) for poly in polys for r in poly]
        if not rings:
            continue
        lons = [p[0] for r in rings for p in r]
        lats = [p[1] for r in rings for p in r]
        result.append(((g.get("properties") or {}).get("name", ""), rings, (min(lons), min(lats), max(lons), max(lats))))
    return result


def _ring_path(ring: list[tuple[float, float]], xy, width: int, height: int) -> str:
    """One outline as path data in whole pixels, a point kept only when it moves to another pixel;
    far outside the view a point is held at a margin around it (what is drawn in view is the same).
    Without this a view spanning a region carried every coastline's detail (400 KB an article page)."""
    kept: list[str] = []
    last = None
    m = MARGIN
    for lon, lat in ring:
        x, y = (float(v) for v in xy(lon, lat).split(","))
        px = (round(min(max(x, -m), width + m)), round(min(max(y, -m), height + m)))
        if px != last:
            kept.append(f"{px[0]},{px[1]}")
            last = px
    return "M" + "L".join(kept) + "Z" if len(kept) > 2 else ""


def locator_svg(points: list[tuple[float, float, str]], width: int = 320, height: int = 200) -> str:
    """A small map around (lon, lat, label) points: outlines of the countries in view, a dot each."""
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    span = max(max(lons) - min(lons) + 8, (max(lats) - min(lats) + 6) * width / height, 16.0)
    cx, cy = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2
    west, east = cx - span / 2, cx + span / 2
    south, north = cy - span * height / width / 2, cy + span * height / width / 2

    def xy(lon: float, lat: float) -> str:
        return f"{(lon - west) / (east - west) * width:.1f},{(north - lat) / (north - south) * height:.1f}"

    out = [f'<svg class="archive-locator" viewBox="0 0 {width} {height}" role="img" aria-label="Where this article is" '
           f'xmlns="http://www.w3.org/2000/svg"><rect width="{width}" height="{height}" class="archive-map__sea"/>']
    for name, rings, (w, s, e, n) in countries(WORLD_COARSE if span > COARSE_SPAN else WORLD):
        if e < west or w > east or n < south or s > north:
            continue
        d = "".join(_ring_path(r, xy, width, height) for r in rings if len(r) > 2)
        if not d:
            continue
        out.append(f'<path d="{d}" class="archive-map__land"><title>{escape(name)}</title></path>')
    for lon, lat, label in points:
        x, y = xy(lon, lat).split(",")
        out.append(f'<circle cx="{x}" cy="{y}" r="5" class="archive-locator__dot"><title>{escape(label)}</title></circle>')
    out.append("</svg>")
    return "".join(out)
