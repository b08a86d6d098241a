"""`archive eval scrapes` on a tiny self-written gold file: metrics, the baseline, the split, predictions."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from generator.evaluation.scrapes import naive, norm_title, part_of, run

ROOT = Path(__file__).resolve().parent.parent
LEAD = ("The regional council approved the new flood barrier on Tuesday after a debate that lasted most of "
        "the night, officials said.")
SECOND = ("Work on the barrier is expected to start in the spring and to take two years, according to the "
          "engineering firm that won the contract.")
PAGES = [
    {"id": "good", "url": "https://www.harbour.example/a", "title": "Council approves flood barrier",
     "date": "2024-03-12", "body": LEAD + "\n\n" + SECOND,
     "text": "Home\nWorld\n\nCouncil approves flood barrier\nPublished: 12 March 2024\n\n" + LEAD + "\n\n" + SECOND},
    {"id": "undated", "url": "https://news.example/b", "title": "Storm closes the coastal road",
     "date": "2023-01-05", "body": None,
     "text": "Storm closes the coastal road\n\n" + LEAD + "\n\n" + SECOND},
    {"id": "nothing", "url": "https://other.example/c", "title": None, "date": None, "body": "Some text.",
     "text": "Home\nMenu\n"},
]


def write_gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for page in PAGES:
            f.write(json.dumps(page) + "\n")
    return path


def test_naive_baseline_takes_the_first_line_of_three_words_and_all_text():
    assert naive("Home\nTop news now\nMore")["title"] == "Top news now"
    assert naive("a\nb")["body"] == "a\nb"


def test_titles_compare_without_case_space_or_quote_style():
    assert norm_title("“Quoted”  title ") == norm_title('"quoted" title')


def test_split_is_by_site_and_stable():
    a = {"url": "https://www.harbour.example/one"}
    b = {"url": "https://harbour.example/two"}
    assert part_of(a) == part_of(b) in ("tune", "holdout")


def test_run_scores_ours_and_the_baseline(tmp_path):
    out = tmp_path / "pred.jsonl"
    result = run(write_gold(tmp_path), predictions=out)
    ours, base = result["ours"], result["naive"]
    assert result["gold"] == {"title": 2, "date": 2, "body": 2}
    assert ours["title_exact"] == 1.0 and base["title_exact"] == 1.0  # one-word menu lines are not titles
    assert base["body"]["precision"] < 1.0  # all the text, menus too
    assert ours["date_right"] == 0.5 and ours["date_given"] == 0.5 and ours["date_wrong_of_given"] == 0.0
    assert ours["rejected"] == 1  # the menu-only page
    assert ours["body"]["documents"] == 2
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["good", "undated", "nothing"]
    assert rows[0]["title_ok"] and rows[0]["date_ok"] and rows[2]["ours"]["error"]


def test_cli_prints_json_for_a_part(tmp_path):
    res = subprocess.run([sys.executable, "-m", "generator", "eval", "scrapes", str(write_gold(tmp_path)),
                          "--part", "all"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["pages"] == 3
