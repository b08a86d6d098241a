"""Data for analysts: every article as JSON and CSV, every place as GeoJSON (linked from About).

Added to the site as generated files (so About's links are checked like any other). Article text is
data: JSON escapes it; in the CSV a cell that a spreadsheet would run as a formula (=, +, -, @, tab,
carriage return first) gets a leading apostrophe."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Callable

from .index import LocationNode, Record, derive, newest_first, place_slug

ARTICLES_JSON = "data/articles.json"
ARTICLES_CSV = "data/articles.csv"
PLACES_GEOJSON = "data/places.geojson"
CSV_FIELDS = ["id", "title", "date", "source", "url", "page", "tags", "places"]


def _place(p) -> dict:
    d = {"name": p.name, "kind": p.kind, "country": p.country}
    if p.region:
        d["region"] = p.region
    if p.lat is not None and p.lon is not None:
        d["lat"], d["lon"] = p.lat, p.lon
    return d


def rows(records: list[Record], urls: dict[str, str], site_url: str) -> list[tuple[str, str]]:
    """Each article's line of articles.json and of articles.csv, newest first. Kept with the record
    (`derive`, so in the build cache): a rebuild after adding articles makes only the new ones'
    (10,000 rows cost 0.55 CPU-s to make and encode)."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    out = []
    for r in newest_first(records):
        page = base + urls[r.src_uri]
        kept = derive(r, "export", lambda r: _lines(r, page))
        out.append((kept if kept[0] == page else _lines(r, page))[1:])
    return out


def _lines(r: Record, page: str) -> tuple[str, str, str]:
    """(the page URL they were made for, the JSON line, the CSV line)."""
    row = {"id": r.src_uri.removesuffix(".md"), "title": r.title, "date": r.date.isoformat() if r.date else None,
           "source": r.source, "url": r.url, "page": page, "tags": r.tags, "places": [_place(p) for p in r.places]}
    places = "; ".join(p["name"] + (f" ({p['lat']:.4f}, {p['lon']:.4f})" if "lat" in p else "") for p in row["places"])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(
        [_cell(str(x or "")) for x in (row["id"], row["title"], row["date"], row["source"], row["url"], row["page"],
                                       "; ".join(row["tags"]), places)])
    # "</" escaped per line: no line ends in "<" (each is a JSON object), so as in the whole file.
    return page, json.dumps(row, ensure_ascii=False).replace("</", "<\\/"), out.getvalue()


def articles_json(data: list[tuple[str, str]]) -> str:
    """One article a line (each row by json's C encoder: an indented dump of the whole list goes
    through its pure-Python one, about 0.5 s at 10,000 articles, issue 12), and a diff of two
    exports shows the articles that changed."""
    if not data:
        return '{"articles": []}\n'
    return '{"articles": [\n' + ",\n".join(line for line, _ in data) + "\n]}\n"


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def articles_csv(data: list[tuple[str, str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(CSV_FIELDS)
    return out.getvalue() + "".join(line for _, line in data)


def places_geojson(nodes: list[LocationNode], page_url, site_url: str) -> str:
    base = site_url.rstrip("/") + "/" if site_url else ""
    features = []
    for n in nodes:
        p = n.place
        if p is None or p.lat is None or p.lon is None:
            continue
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                         "properties": {"name": n.name, "kind": n.kind, "country": p.country, "region": p.region,
                                        "approximate": p.approximate, "id": place_slug(p) if n.kind != "country" else n.slug,
                                        "articles": len(n.articles), "page": base + page_url(n)}})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1) + "\n"


def cached_file(folder: Path | None, key: str, uri: str, make: Callable[[], str]) -> tuple[Path | None, str]:
    """(the file holding the export `uri` made from what `key` hashes, "") or, without a cache
    folder, (None, its text). The file is named by the key, so an unchanged export is not made
    again (articles.json, .csv and places.geojson: about 1.5 s of every rebuild at 10,000 articles)."""
    if folder is None:
        return None, make()
    path = folder / f"{key[:32]}-{Path(uri).name}"
    if not path.is_file():
        part = path.with_name(path.name + ".part")
        part.write_bytes(make().encode("utf-8", "surrogatepass"))
        part.replace(path)
    return path, ""


def key_of(*parts: object, prints: list[bytes] = ()) -> str:
    """A hash of an export's inputs: `parts` (as repr) and the articles' fingerprints in order."""
    h = hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass"))
    for p in prints:
        h.update(p)
    return h.hexdigest()
