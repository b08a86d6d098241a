"""Timelines on tag and place pages: readable at any width, honest about undated articles."""
from __future__ import annotations

import re
from datetime import date

from generator.mkdocs_plugin import charts
from generator.mkdocs_plugin.index import Record


def _rec(i: int, d: date | None) -> Record:
    return Record(src_uri=f"articles/a{i}.md", title=f"A{i}", date=d, summary=None, source=None, url=None,
                  tags=[], places=[])


def _bars(svg: str) -> list[tuple[float, float]]:
    return [(float(x), float(w)) for x, w in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)]


def test_one_month_is_a_bar_in_a_year_not_a_block_across_the_page():
    svg = charts.timeline([_rec(1, date(2023, 8, 14)), _rec(2, date(2023, 8, 20))])
    bars = _bars(svg)
    assert len(bars) == 1 and bars[0][1] <= charts.WIDTH / charts.MIN_MONTHS
    assert bars[0][0] + bars[0][1] >= charts.WIDTH - 2  # the last month is at the right-hand end
    labels = re.findall(r'<div class="archive-chart__labels"><span>([^<]*)</span><span>([^<]*)</span>', svg)
    assert labels == [("Sep 2022", "Aug 2023")]
    assert "<text" not in svg  # labels are HTML: they do not shrink with the picture on a phone


def test_undated_articles_are_counted_not_drawn():
    svg = charts.timeline([_rec(1, date(2024, 1, 5)), _rec(2, None), _rec(3, None)])
    assert "2 undated not shown" in svg and len(_bars(svg)) == 1
    none_dated = charts.timeline([_rec(1, None), _rec(2, None)])
    assert "archive-chart" in none_dated and "all 2 articles here are undated" in none_dated
    assert "<svg" not in none_dated
    assert charts.timeline([]) == ""


def test_a_long_span_is_drawn_by_quarter_or_year():
    years = [_rec(i, date(1990 + i, 6, 1)) for i in range(50)]
    svg = charts.timeline(years)
    assert "Articles per year" in svg and len(_bars(svg)) == 50
