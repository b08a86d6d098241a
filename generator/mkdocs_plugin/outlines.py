"""Country outlines (Natural Earth via the npm package world-atlas, installed by `make install`)
for build-time SVG maps, and the place on disk of the map's browser libraries."""
from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from pathlib import Path

import numpy as np
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


@lru_cache(maxsize=2)
def _ring_arrays(atlas: str) -> list[tuple[str, list[tuple[np.ndarray, tuple[float, float, float, float]]],
                                           tuple[float, float, float, float]]]:
    """`countries`, each ring as an (n, 2) array of lon, lat with its bbox: projected a whole ring
    at a time, and a ring wholly outside a view (islands, far coasts) skipped without projecting it."""
    out = []
    for name, rings, bbox in countries(atlas):
        arrays = []
        for r in rings:
            if len(r) > 2:
                a = np.asarray(r, dtype=np.float64)
                lo, hi = a.min(axis=0), a.max(axis=0)
                arrays.append((a, (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))))
        out.append((name, arrays, bbox))
    return out


def _ring_path(ring: np.ndarray, origin: np.ndarray, scale: np.ndarray, low: np.ndarray, high: np.ndarray) -> str:
    """One outline as path data in whole pixels, a point kept only when it moves to another pixel;
    far outside the view a point is held at a margin around it (what is drawn in view is the same).
    Without this a view spanning a region carried every coastline's detail (400 KB an article page).
    Vectorised (numpy): a point-by-point loop made these maps 70 % of a build (issue 12)."""
    px = np.rint(np.clip((ring - origin) * scale, low, high)).astype(np.int64)
    moved = np.ones(len(px), dtype=bool)
    moved[1:] = (px[1:] != px[:-1]).any(axis=1)
    if int(moved.sum()) <= 2:
        return ""
    return "M" + "L".join(f"{a},{b}" for a, b in px[moved].tolist()) + "Z"


def locator_svg(points: list[tuple[float, float, str]], width: int = 320, height: int = 200) -> str:
    """A small map around (lon, lat, label) points: outlines of the countries in view, a dot each."""
    return _locator_svg(tuple(points), width, height)


@lru_cache(maxsize=2048)
def _locator_svg(points: tuple[tuple[float, float, str], ...], width: int, height: int) -> str:
    """Many articles name the same places: their map is drawn once."""
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
    origin = np.array([west, north])
    scale = np.array([width / (east - west), -height / (north - south)])
    low, high = np.array([-MARGIN, -MARGIN]), np.array([width + MARGIN, height + MARGIN])
    # A ring wholly beyond the margin would only trace the margin, outside the picture: skipped.
    mx, my = MARGIN * (east - west) / width, MARGIN * (north - south) / height
    for name, rings, (w, s, e, n) in _ring_arrays(WORLD_COARSE if span > COARSE_SPAN else WORLD):
        if e < west or w > east or n < south or s > north:
            continue
        d = "".join(_ring_path(r, origin, scale, low, high) for r, (rw, rs, re_, rn) in rings
                    if not (re_ < west - mx or rw > east + mx or rn < south - my or rs > north + my))
        if not d:
            continue
        out.append(f'<path d="{d}" class="archive-map__land"><title>{escape(name)}</title></path>')
    for lon, lat, label in points:
        x, y = xy(lon, lat).split(",")
        out.append(f'<circle cx="{x}" cy="{y}" r="5" class="archive-locator__dot"><title>{escape(label)}</title></circle>')
    out.append("</svg>")
    return "".join(out)
