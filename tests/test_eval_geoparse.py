"""The evaluation metrics on tiny hand-made gold/prediction examples, and a smoke run on the shared sets."""
from __future__ import annotations

import argparse
import json

import pytest

from generator.evaluation import geoparse, tags
from generator.evaluation.geoparse import accuracy_at_km, haversine_km, span_scores

from .conftest import EVAL


def test_span_scores_exact_and_overlap():
    gold = [[(0, 4), (10, 18)], [(5, 9)]]
    pred = [[(0, 4), (10, 14), (20, 25)], []]
    s = span_scores(gold, pred)
    assert s["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert s["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert s["f1"] == pytest.approx(1 / 3, abs=1e-4)
    assert s["precision_overlap"] == pytest.approx(2 / 3, abs=1e-4)
    assert s["recall_overlap"] == pytest.approx(2 / 3, abs=1e-4)


def test_span_scores_empty():
    s = span_scores([[]], [[]])
    assert s["f1"] == 0.0 and s["gold"] == 0


def test_haversine():
    assert haversine_km(0, 0, 0, 0) == 0
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.2, abs=0.5)  # one degree at the equator
    assert haversine_km(33.34, 44.40, 36.34, 43.13) == pytest.approx(350, abs=15)  # Baghdad-Mosul


def test_accuracy_at_161km():
    gold = [[{"start": 0, "end": 5, "lat": 33.34, "lon": 44.40},   # resolved near: correct
             {"start": 10, "end": 15, "lat": 36.34, "lon": 43.13},  # resolved 350 km off: wrong
             {"start": 20, "end": 25, "lat": 1.0, "lon": 1.0},      # not recognised: not counted
             {"start": 30, "end": 35, "lat": None, "lon": None}]]   # no gold point: not counted
    pred = [[(0, 5, 33.3, 44.4), (10, 15, 33.34, 44.40), (30, 35, 0.0, 0.0)]]
    a = accuracy_at_km(gold, pred)
    assert a["resolved"] == 2 and a["within_161km"] == 1 and a["acc_161km"] == 0.5
    no_coords = accuracy_at_km([[{"start": 0, "end": 5, "lat": 1.0, "lon": 1.0}]], [[(0, 5, None, None)]])
    assert no_coords["acc_161km"] == 0.0


def test_accuracy_by_type_and_errors_by_document():
    # GeoWebNews-like types: counted per type; the far toponyms counted per document, largest first
    far, near = {"lat": 36.34, "lon": 43.13}, {"lat": 33.34, "lon": 44.40}
    gold = [[{"start": 0, "end": 5, "type": "Literal", **near}, {"start": 10, "end": 15, "type": "Literal", **far}],
            [{"start": 0, "end": 5, "type": "Metonymic", **far}, {"start": 10, "end": 15, "type": "Literal", **far}],
            [{"start": 0, "end": 5, "type": "Literal", **near}]]
    here = (33.34, 44.40)
    pred = [[(0, 5, *here), (10, 15, *here)], [(0, 5, *here), (10, 15, *here)], [(0, 5, *here)]]
    a = accuracy_at_km(gold, pred)
    assert a["by_type"] == {"Literal": {"resolved": 4, "within_161km": 2}, "Metonymic": {"resolved": 1, "within_161km": 0}}
    assert a["off_by_document"] == [2, 1]
    assert "by_type" not in accuracy_at_km([[{"start": 0, "end": 5, **near}]], [[(0, 5, *here)]])


@pytest.mark.parametrize("name,module", [("geoparsing_lgl.jsonl.gz", geoparse), ("conflict_re3d.jsonl.gz", tags)])
def test_cli_runs_on_shared_set(name, module, tmp_path, capsys):
    path = EVAL / name
    if not path.exists():
        pytest.skip("../shared/eval is not present on this machine")
    out = tmp_path / "pred.jsonl"
    assert module.main(argparse.Namespace(file=path, limit=5, predictions=out)) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["documents"] == 5 and 0.0 <= result["ours"]["f1"] <= 1.0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5


def test_a_set_without_coordinates_has_no_accuracy():
    gold = [[{"start": 0, "end": 5, "lat": None, "lon": None}]]
    assert accuracy_at_km(gold, [[(0, 5, 1.0, 1.0)]])["acc_161km"] is None


def test_predictions_inside_other_entities_are_told_apart():
    """'Syrian' inside the Organisation 'Syrian Government' is no toponym for a set that marks places
    only outside names; a prediction overlapping a gold toponym is never set aside."""
    text = "The Syrian Government said Aleppo and Iraqi forces"
    record = {"text": text,
              "toponyms": [{"start": 27, "end": 33}],
              "entities": [{"start": 4, "end": 21, "type": "Organisation"},
                           {"start": 27, "end": 33, "type": "Location"},
                           {"start": 38, "end": 43, "type": "Nationality"}]}
    spans = [(4, 10), (27, 33), (38, 43), (44, 50)]
    assert geoparse.inside_other_entities(record, spans) == [(4, 10), (38, 43)]


def test_cli_scores_a_set_without_coordinates(capsys):
    path = EVAL / "conflict_re3d.jsonl.gz"
    if not path.exists():
        pytest.skip("../shared/eval is not present on this machine")
    assert geoparse.main(argparse.Namespace(file=path, limit=10, predictions=None, no_baseline=True)) == 0
    ours = json.loads(capsys.readouterr().out)["ours"]
    assert ours["acc_161km"] is None and ours["gold"] > 0
    inside = ours["outside_other_entities"]
    assert inside["predicted_inside"] >= 0 and inside["recall"] == ours["recall"]


def test_tags_gold_without_its_leading_article():
    """re3d marks "the SDF"; the tag names "SDF": the extra score tells that convention from a miss."""
    text = "Yesterday the SDF and the Islamic State fought. Theatre closed."
    assert tags._without_article(text, (10, 17)) == (14, 17)
    assert tags._without_article(text, (48, 56)) == (48, 56)  # "Theatre": no article
    result = tags.evaluate([{"text": text, "entities": [{"start": 10, "end": 17, "type": "Organisation"},
                                                        {"start": 22, "end": 39, "type": "Organisation"}]}])
    assert result["ours"]["f1"] == 0.0 and result["ours_gold_without_article"]["f1"] == 1.0
