"""Country outlines (Natural Earth via the npm package world-atlas, installed by `make install`)
for build-time SVG maps (locator.py draws them), and the place on disk of the map's browser libraries."""
from __future__ import annotations

import json
from functools import lru_cache
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
def ring_arrays(atlas: str) -> list[tuple[str, list[tuple[np.ndarray, tuple[float, float, float, float]]],
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
