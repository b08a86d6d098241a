"""Stable document ids (generator/search/ids.py): adding an article to an index rewrites only the
files that have to change: the shards of its words, its title chunk, its facet values and
meta.json. Before, ids were ranks in time order and one article dated in the middle, or any
undated one, changed nearly every file. Real builds of the index into the same folder, compared
file by file (bytes and modification times), and with a clean build of the same documents."""
from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from generator.search import build as search_build
from generator.search.build import Doc, facet_file
from generator.search.ids import allocate, capacity, place
from generator.search.tokens import shard_of, words

WORDS = [f"w{i}" for i in range(3000)]
TAGS = [f"Tag {i}" for i in range(40)]
SOURCES = ["Source A", "Source B", "Source C"]


def _article(rng: random.Random, n: int, date: str) -> tuple[Doc, list[str], str]:
    """An article whose words are drawn Zipf-like (a few common, many rare), with tags and a source."""
    body = " ".join(rng.choices(WORDS, weights=[1 / (i + 1) for i in range(len(WORDS))], k=rng.randint(20, 80)))
    title = f"Report {n} " + " ".join(rng.sample(WORDS[:200], 3))
    tags, source = rng.sample(TAGS, rng.randint(0, 3)), rng.choice(SOURCES)
    doc = Doc("a", title, f"articles/{n:05d}/", date, source, title, [(title, 3), (" ".join(tags), 2), (body, 1)])
    return doc, tags, source


def _corpus(n: int, seed: int = 3) -> list[tuple[Doc, list[str], str]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        date = "" if rng.random() < 0.2 else f"{rng.randint(2015, 2024)}-{rng.choice(['03', '06', '10'])}-{rng.randint(1, 28):02d}"
        out.append(_article(rng, i, date))
    return out


def _build(articles: list[tuple[Doc, list[str], str]], out: Path) -> None:
    docs = [a[0] for a in articles] + [Doc("t", t, f"tags/{t}/", summary="Tag", fields=[(t, 3)]) for t in TAGS]
    facets: dict[str, dict[str, list[int]]] = {"tag": {}, "country": {}, "place": {}, "source": {}}
    for i, (_doc, tags, source) in enumerate(articles):
        for t in tags:
            facets["tag"].setdefault(t, []).append(i)
        facets["source"].setdefault(source, []).append(i)
    search_build.build(docs, facets, out)


def _state(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("date", ["2019-06-14", ""], ids=["dated in the middle", "undated"])
def test_adding_an_article_changes_only_its_files(tmp_path: Path, monkeypatch, date: str):
    monkeypatch.setattr(search_build, "SHARD_BYTES", 1500)  # more shards than the default at this size
    corpus = _corpus(800)
    out = tmp_path / "index"
    _build(corpus, out)
    for p in out.rglob("*"):
        os.utime(p, ns=(10**9, 10**9))  # long ago: a file written again shows it, whatever the clock's grain
    before = _state(out)
    new, tags, source = _article(random.Random(99), 9999, date)
    _build(corpus + [(new, tags, source)], out)
    after = _state(out)
    _build(corpus + [(new, tags, source)], tmp_path / "clean")
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in _state(tmp_path / "clean").items()}

    changed = {k for k in after if k not in before or before[k][0] != after[k][0]}
    assert not set(before) - set(after)  # nothing removed
    # The files that did not change were neither rewritten nor touched.
    assert all(after[k][1] == before[k][1] for k in after if k not in changed)
    shards = len([k for k in after if k.startswith("s/")])
    assert shards >= 64
    # The articles whose id moved: the few packed right after the new one's slot, if any.
    docs_before, docs_after = [a[0] for a in corpus], [a[0] for a in corpus] + [new]
    ids_before, ids_after = (dict(zip([d.url for d in docs], allocate([d.kind for d in docs], [d.date for d in docs],
                                                                      [d.url for d in docs]).ids))
                             for docs in (docs_before, docs_after))
    moved = [d for d in docs_before if ids_before[d.url] != ids_after[d.url]]
    assert len(moved) <= 2
    own = {f"s/{shard_of(t, shards)}.json" for d in [new, *moved] for t in _terms(d)}
    changed_shards = {k for k in changed if k.startswith("s/")}
    # Their words' shards; a few others where a word pair became common enough, none else.
    assert len(changed_shards - own) <= 3, sorted(changed_shards - own)
    assert len(changed_shards) < shards / 4
    chunks = {f"d/{ids_after[d.url] // search_build.CHUNK}.json" for d in [new, *moved]}
    chunks |= {f"d/{ids_before[d.url] // search_build.CHUNK}.json" for d in moved}
    assert {k for k in changed if k.startswith("d/")} <= chunks
    facet_files = {f"f/tag-{facet_file(t)}.json" for t in tags} | {f"f/source-{facet_file(source)}.json",
                                                                   "f/all.json"}
    if not moved:
        assert {k for k in changed if k.startswith("f/")} <= facet_files
    assert "meta.json" in changed
    assert len(changed) < len(after) / 6, (len(changed), len(after))


def _terms(doc: Doc) -> set[str]:
    """A document's words and word pairs (a pair within one field)."""
    out: set[str] = set()
    for text, _weight in doc.fields:
        ws = words(text)
        out |= set(ws) | {a + " " + b for a, b in zip(ws, ws[1:])}
    return out


def test_ids_keep_time_order_and_kinds_apart():
    """Dated articles from 0 up in date order, undated below 0, pages below `first_article`."""
    corpus = _corpus(300)
    docs = [a[0] for a in corpus] + [Doc("t", t, f"tags/{t}/") for t in TAGS]
    layout = allocate([d.kind for d in docs], [d.date for d in docs], [d.url for d in docs])
    assert len(set(layout.ids)) == len(docs)
    dated = sorted((i, d.date) for i, d in zip(layout.ids, docs) if d.kind == "a" and d.date)
    assert dated[0][0] >= 0 and [d for _i, d in dated] == sorted(d for _i, d in dated)
    undated = [i for i, d in zip(layout.ids, docs) if d.kind == "a" and not d.date]
    pages = [i for i, d in zip(layout.ids, docs) if d.kind != "a"]
    assert layout.first_article <= min(undated) and max(undated) < 0
    assert max(pages) < layout.first_article


def test_slots_stay_in_their_block_and_in_order():
    for n in (1, 2, 5, 7, 40, 300):
        slots = capacity(n)
        assert slots >= n * 2 and capacity(n + 1) >= slots
        for homes in ([0.99] * n, [0.0] * n, sorted(random.Random(n).random() for _ in range(n))):
            got = place(homes, slots)
            assert got == sorted(set(got)) and 0 <= got[0] and got[-1] < slots
