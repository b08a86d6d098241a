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


def _cooccurring_by_loops(uri, records, tag_uri, place_uri, link, skip_tag="", skip_places=frozenset(), top=10):
    """The chart's counts as first written (a Python loop per tag and place): the reference."""
    from collections import Counter

    from generator.mkdocs_plugin.index import place_slugs
    tags = Counter(t for r in records for t in dict.fromkeys(r.tags) if t != skip_tag)
    places: Counter[str] = Counter()
    by_slug = {}
    for r in records:
        for s, p in place_slugs(r).items():
            if s not in skip_places:
                places[s] += 1
                by_slug[s] = p
    return ([(tag_uri(t), t, c) for t, c in tags.most_common(top)],
            [(place_uri(by_slug[s]), by_slug[s].name, c) for s, c in places.most_common(top)])


def test_cooccurring_counts_ties_and_skips_as_a_loop_over_every_record():
    """Counted in C, with skipped tags and places removed afterwards: the same bars, in the same
    order (ties in first-seen order), naming each place as its last article does."""
    from generator.model import Place
    cities = [Place(name=f"City{i}", country="FR", kind="city") for i in range(14)]
    countries = [Place(name=n, country=c, kind="country") for n, c in (("France", "FR"), ("Spain", "ES"))]
    records = []
    for i in range(60):
        r = _rec(i, date(2024, 1 + i % 12, 1))
        r.tags = [f"t{(i * 7 + k) % 15}" for k in range(1 + i % 4)] + (["t0"] if i % 5 == 0 else [])
        r.places = [cities[(i + k) % 14] for k in range(i % 3)] + [countries[i % 2]]
        records.append(r)
    def link(here: str, target: str, text: str) -> str:
        return f"<a href='{target}'>{text}</a>"

    tag_uri, place_uri = (lambda t: f"tags/{t}.md"), (lambda p: f"places/{p.name}.md")
    from generator.mkdocs_plugin.index import place_slugs
    france = next(s for s, p in place_slugs(records[0]).items() if p.name == "France")
    for skip in ({}, {"skip_tag": "t0"}, {"skip_places": frozenset([france])}, {"skip_tag": "t3", "top": 4}):
        html = charts.cooccurring("tags/x.md", records, tag_uri, place_uri, link, **skip)
        want_tags, want_places = _cooccurring_by_loops("tags/x.md", records, tag_uri, place_uri, link, **skip)
        got = re.findall(r"<a href='([^']*)'>([^<]*)</a> <small>(\d+)</small>", html)
        assert got == [(u, t, str(c)) for u, t, c in want_tags + want_places], skip


def test_counted_co_occurrences_are_those_of_the_counters_ties_and_skips_included():
    """charts.Cooccurrence (bincount of ids made once) gives the chart the Counters gave."""
    import random

    from generator.mkdocs_plugin.pages import Linker
    from generator.model import Place

    rng = random.Random(7)
    tags = [f"Tag {i}" for i in range(15)]
    places = [Place(f"Town {i}", f"Country {i % 3}", f"Region {i % 4}", "city") for i in range(12)]
    records = [Record(src_uri=f"articles/a{i}.md", title=f"A{i}", date=date(2020, 1 + i % 12, 1), summary=None,
                      source=None, url=None, tags=rng.choices(tags, k=rng.randrange(0, 6)),  # repeats too
                      places=rng.choices(places, k=rng.randrange(0, 4))) for i in range(300)]
    index = charts.Cooccurrence(records)
    link = Linker()

    def chart(recs, idx, **skip):
        return charts.cooccurring("tags/x.md", recs, lambda t: f"tags/{t}.md", lambda p: f"locations/{p.name}.md",
                                  link, index=idx, **skip)

    for tag in tags:
        recs = [r for r in records if tag in r.tags]
        assert chart(recs, index, skip_tag=tag) == chart(recs, None, skip_tag=tag)
    for n in (1, 2, 5, 40, 300):
        recs = rng.sample(records, n)
        skip = frozenset(["country-1", "country-0-region-0-town-4"])
        assert chart(recs, index, skip_places=skip) == chart(recs, None, skip_places=skip)
        assert chart(recs, index, top=3) == chart(recs, None, top=3)
    assert "<li>" in chart(records, index)
    assert chart([], index) == chart([], None) == ""
    stranger = Record(src_uri="articles/new.md", title="N", date=None, summary=None, source=None, url=None,
                      tags=["Tag 1"], places=[])
    assert chart(records[:9] + [stranger], index) == chart(records[:9] + [stranger], None)
