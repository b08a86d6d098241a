"""`archive eval tags FILE`: organisation mentions found by the controlled vocabulary, against gold.

Gold: the `Organisation` entities of a JSONL set such as conflict_re3d (text + entities[{start,end,type}]).
Predicted: vocabulary matches whose kind is an actor (group / force / organisation / operation); topics
are not organisations. Prints JSON with exact-span and any-overlap precision / recall / F1, and the same
for a baseline computed in the same run: every all-caps token of 2-6 letters (the plain acronym heuristic).
`ours_gold_without_article` scores the same predictions against gold spans with a leading "the" taken off
(re3d marks "the SDF", a tag names "SDF"): the part of the gap that is the corpus' span convention, not a
missed organisation; the standard figures stay those of the gold as given.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from .geoparse import read_gold, span_scores

ACTOR_KINDS = {"group", "force", "organisation", "operation"}
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")


def evaluate(records: list[dict], predictions_out: Path | None = None, entity_type: str = "Organisation") -> dict:
    from ..enrich.tags import default_vocabulary

    vocab = default_vocabulary()
    gold, ours, base = [], [], []
    out = open(predictions_out, "w", encoding="utf-8") if predictions_out else None
    for r in records:
        text = r["text"]
        gold.append([(e["start"], e["end"]) for e in r.get("entities") or () if e.get("type") == entity_type])
        found = [m for m in vocab.find(text) if vocab.kind_of(m.key) in ACTOR_KINDS]
        ours.append([(m.start, m.end) for m in found])
        base.append([m.span() for m in _ACRONYM.finditer(text)])
        if out:
            out.write(json.dumps({"id": r.get("id"), "predictions": [
                {"start": m.start, "end": m.end, "surface": m.surface, "tag": m.key, "kind": vocab.kind_of(m.key)}
                for m in found]}, ensure_ascii=False) + "\n")
    if out:
        out.close()
    bare = [[_without_article(r["text"], span) for span in spans] for r, spans in zip(records, gold)]
    return {"documents": len(records), "entity_type": entity_type, "vocabulary_entries": len(vocab.terms),
            "ours": span_scores(gold, ours), "ours_gold_without_article": span_scores(bare, ours),
            "baseline_all_caps_acronyms": span_scores(gold, base)}


def _without_article(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A gold span with its leading "the " taken off ("the SDF" -> "SDF")."""
    s, e = span
    return (s + 4, e) if e - s > 4 and text[s:s + 4].lower() == "the " else span


def main(args) -> int:
    path = Path(args.file)  # the CLI has checked that it exists
    records = read_gold(path, getattr(args, "limit", None))
    print(json.dumps({"file": path.name, **evaluate(records, getattr(args, "predictions", None))}, indent=2))
    return 0
