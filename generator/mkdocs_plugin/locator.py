"""Locator maps on article pages: the country outlines of a view are one shared SVG file under
assets/locator/, the page carries only a small inline SVG (the sea, that file as an <image>, and a
dot per place with its name as a tooltip).

Why: drawn inline, the outlines were about 72 KB of every article page (7 GB of site and most of
the build's memory at 100,000 articles, issue 12), and nearly every article names its own set of
places, so a map per set is a map per article. A view is therefore chosen from a fixed grid (a few
zoom levels, centres on a grid of an eighth of the view): many articles share a view, and a view's
file is drawn once, kept in the build cache folder, and copied into the site by MkDocs like any
static file. The file is named by a hash of what it is drawn from (the view, the outline data,
this code), so a browser can cache it for good and a changed drawing gets a new name.

The shared file holds outlines only, no article text; place names (article text) are in the
page's own SVG, escaped."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

import numpy as np

from . import outlines

WIDTH, HEIGHT = 320, 200
SPANS = (16, 24, 32, 48, 64, 96, 128, 192, 256, 360)  # degrees of longitude a view may show
FOLDER = "assets/locator"
LAND = 'fill="#e8e4d8" stroke="#9a9486" stroke-width=".6"'  # as .archive-map__land in archive.css
MARGIN = outlines.MARGIN


@dataclass(frozen=True)
class View:
    """A window on the world: its west and north edges and its width, in degrees."""

    west: float
    north: float
    span: float

    @property
    def east(self) -> float:
        return self.west + self.span

    @property
    def south(self) -> float:
        return self.north - self.span * HEIGHT / WIDTH

    @property
    def atlas(self) -> str:
        return outlines.WORLD_COARSE if self.span > outlines.COARSE_SPAN else outlines.WORLD

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) / self.span * WIDTH, (self.north - lat) / (self.north - self.south) * HEIGHT


def _inside(view: View, lons: list[float], lats: list[float]) -> bool:
    """Every point at least a 40th of the view from its edges (its dot is whole)."""
    pad_x, pad_y = view.span / 40, (view.north - view.south) / 40
    return (min(lons) >= view.west + pad_x and max(lons) <= view.east - pad_x
            and min(lats) >= view.south + pad_y and max(lats) <= view.north - pad_y)


@lru_cache(maxsize=8192)
def view_for(points: tuple[tuple[float, float], ...]) -> View:
    """The smallest grid view that shows every (lon, lat) with a margin; the exact fit (a view of
    its own) only when no grid view does."""
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    need = max(max(lons) - min(lons) + 8, (max(lats) - min(lats) + 6) * WIDTH / HEIGHT, 16.0)
    mid_lon, mid_lat = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2
    for span in SPANS:
        if span < need:
            continue
        step = span / 8
        cx, cy = round(mid_lon / step) * step, round(mid_lat / step) * step
        view = View(cx - span / 2, cy + span * HEIGHT / WIDTH / 2, float(span))
        if _inside(view, lons, lats):
            return view
    return View(mid_lon - need / 2, mid_lat + need * HEIGHT / WIDTH / 2, need)


@lru_cache(maxsize=1)
def drawing_digest() -> str:
    """What every outline file depends on besides its view: the outline data and this code."""
    h = hashlib.sha256()
    for atlas in (outlines.WORLD, outlines.WORLD_COARSE):
        h.update((outlines.node_modules() / atlas).read_bytes())
    for module in (__file__, outlines.__file__):
        h.update(Path(module).read_bytes())
    return h.hexdigest()


def uri(view: View) -> str:
    """The view's file in the site, named by a hash of what it is drawn from."""
    key = f"{drawing_digest()}\0{view.west!r}\0{view.north!r}\0{view.span!r}\0{WIDTH}x{HEIGHT}"
    return f"{FOLDER}/{hashlib.sha256(key.encode()).hexdigest()[:20]}.svg"


def _paths(rings: list[np.ndarray], origin: np.ndarray, scale: np.ndarray, low: np.ndarray,
           high: np.ndarray) -> list[str]:
    """Each outline as path data in whole pixels, a point kept only when it moves to another pixel
    (a ring of two points or fewer so kept is ""); far outside the view a point is held at a margin
    around it (what is drawn in view is the same). All the rings of a view in one set of array
    operations: per ring (a point-by-point loop before that made these maps 70 % of a build, issue
    12), numpy's call overhead and a Python f-string per point were most of drawing a view."""
    if not rings:
        return []
    sizes = np.array([len(r) for r in rings])
    starts = np.zeros(len(rings), dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    px = np.rint(np.clip((np.concatenate(rings) - origin) * scale, low, high)).astype(np.int64)
    moved = np.ones(len(px), dtype=bool)
    moved[1:] = (px[1:] != px[:-1]).any(axis=1)
    moved[starts] = True  # a ring's first point is always kept
    kept = np.add.reduceat(moved, starts).tolist()
    flat = px[moved].ravel().tolist()
    out, at = [], 0
    for n in kept:
        out.append("" if n <= 2 else ("M%d,%d" + "L%d,%d" * (n - 1) + "Z") % tuple(flat[at:at + 2 * n]))
        at += 2 * n
    return out


def outline_svg(view: View) -> bytes:
    """The shared file: the outlines of the countries in view, no text at all."""
    west, east, south, north = view.west, view.east, view.south, view.north
    origin = np.array([west, north])
    scale = np.array([WIDTH / (east - west), -HEIGHT / (north - south)])
    low, high = np.array([-MARGIN, -MARGIN]), np.array([WIDTH + MARGIN, HEIGHT + MARGIN])
    # A ring wholly beyond the margin would only trace the margin, outside the picture: skipped.
    mx, my = MARGIN * (east - west) / WIDTH, MARGIN * (north - south) / HEIGHT
    shown: list[list[np.ndarray]] = []  # per country in view, its rings near it
    for _name, rings, (w, s, e, n) in outlines.ring_arrays(view.atlas):
        if e < west or w > east or n < south or s > north:
            continue
        shown.append([r for r, (rw, rs, re_, rn) in rings
                      if not (re_ < west - mx or rw > east + mx or rn < south - my or rs > north + my)])
    paths = iter(_paths([r for rings in shown for r in rings], origin, scale, low, high))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
           f'height="{HEIGHT}"><g {LAND}>']
    for rings in shown:
        d = "".join(next(paths) for _ in rings)
        if d:
            out.append(f'<path d="{d}"/>')
    out.append("</g></svg>\n")
    return "".join(out).encode("ascii")


def points_of(places) -> list[tuple[float, float, str]]:
    """(lon, lat, name) of the places that have coordinates."""
    return [(p.lon, p.lat, p.name) for p in places if p.lat is not None and p.lon is not None]


def view_of(points: list[tuple[float, float, str]]) -> View | None:
    return view_for(tuple((lon, lat) for lon, lat, _ in points)) if points else None


def figure(points: list[tuple[float, float, str]], view: View, href: str) -> str:
    """The page's map: `href` is the relative link to the view's outline file."""
    out = [f'<figure class="archive-locator-figure"><svg class="archive-locator" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'role="img" aria-label="Where this article is" xmlns="http://www.w3.org/2000/svg">'
           f'<rect width="{WIDTH}" height="{HEIGHT}" class="archive-map__sea"/>'
           f'<image href="{escape(href, quote=True)}" width="{WIDTH}" height="{HEIGHT}"/>']
    for lon, lat, label in points:
        x, y = view.xy(lon, lat)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" class="archive-locator__dot">'
                   f'<title>{escape(label)}</title></circle>')
    out.append("</svg></figure>\n")
    return "".join(out)


def ensure_file(view: View, folder: Path | None) -> tuple[str, Path | None, bytes | None]:
    """(site URI, file in `folder` holding it, or its bytes when there is no folder). A file
    already in the folder is used as it is: its name says what it was drawn from."""
    name = uri(view)
    if folder is None:
        return name, None, outline_svg(view)
    path = folder / Path(name).name
    if not path.is_file():
        from ..atomicfile import write_bytes

        write_bytes(path, outline_svg(view))
    return name, path, None
