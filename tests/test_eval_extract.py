"""The extraction metrics on tiny hand-made texts, and a short run on the shared set when present."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from generator.evaluation.extract import (body_scores, gold_day, shingle_counts, shingles, snippet_counts,
                                          snippet_scores)

ROOT = Path(__file__).resolve().parent.parent
SCRAPINGHUB = ROOT.parent / "shared" / "eval" / "extraction_scrapinghub.jsonl.gz"


def test_shingles_are_four_word_windows_of_word_tokens():
    assert shingles("one, two; three four five") == Counter({("one", "two", "three", "four"): 1,
                                                             ("two", "three", "four", "five"): 1})
    assert shingles("too short") == Counter({("too", "short"): 1})
    assert shingles("") == Counter()


def test_identical_texts_score_perfectly():
    tp, fp, fn = shingle_counts("a b c d e f", "a  b\nc d e f")
    assert (tp, fp, fn) == (1.0, 0.0, 0.0)


def test_extra_and_missing_text_are_counted_and_normalised():
    # gold has 3 shingles; prediction shares 2 and adds 1 of its own -> tp 2, fp 1, fn 1 over 4
    tp, fp, fn = shingle_counts("a b c d e f", "a b c d e x")
    assert (tp, fp, fn) == (2 / 4, 1 / 4, 1 / 4)


def test_precision_and_recall_are_averaged_per_document_then_f1():
    docs = [shingle_counts("a b c d e f", "a b c d e f"),            # P 1, R 1
            shingle_counts("a b c d e f", "a b c d"),                # P 1, R 1/3
            shingle_counts("a b c d", "")]                           # no prediction: only recall (0)
    s = body_scores(docs)
    assert s["precision"] == 1.0
    assert s["recall"] == pytest.approx((1 + 1 / 3 + 0) / 3, abs=1e-4)
    r = (1 + 1 / 3) / 3
    assert s["f1"] == pytest.approx(2 * r / (1 + r), abs=1e-4)


def test_snippet_metric_counts_with_and_without():
    c = snippet_counts("The  main text\nsays this.", ["main text says", "absent part"], ["says this", "menu"])
    assert c == Counter({"tp": 1, "fn": 1, "fp": 1, "tn": 1})
    assert snippet_scores(c)["precision"] == 0.5


def test_gold_day_reads_iso_dates_only():
    assert gold_day("2018-12-21T12:55:00Z") == "2018-12-21"
    assert gold_day(None) is None and gold_day(float("nan")) is None


@pytest.mark.skipif(not SCRAPINGHUB.exists(), reason="../shared/eval is not present on this machine")
def test_cli_runs_on_five_pages():
    out = subprocess.run([sys.executable, "-m", "generator", "eval", "extract", str(SCRAPINGHUB), "--limit", "5"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["gold"]["pages"] == 5
    for system in ("ours", "trafilatura"):
        assert 0.0 <= result[system]["body"]["f1"] <= 1.0
