"""Postings from the rows kept between builds (generator/search/rowtable.py) are exactly a clean
build's, after each kind of change: articles added, edited, removed and added back, words that become
common enough to pair and stop being; and the kept rows are updated, not made again."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from generator.search import postings, rowtable
from generator.search.postings import tokenize

WORDS = [f"w{i}" for i in range(30)]


def _fields(rng: random.Random, extra: str = "") -> list[tuple[str, int]]:
    body = " ".join(rng.choice(WORDS) if rng.random() < 0.85 else f"rare{rng.randint(0, 500)}"
                    for _ in range(rng.randint(0, 60)))
    return [(" ".join(rng.sample(WORDS, 3)), 3), ("", 2), (extra, 2), (body, 1)]


def _words_of(words):
    return lambda at: [words[i] for i in at]


def _as_dict(names: list[str], enc: np.ndarray, bounds: np.ndarray) -> dict[str, list[int]]:
    at = bounds.tolist()
    return {name: enc[at[t]:at[t + 1]].tolist() for t, name in enumerate(names)}


def _check(docs: dict[str, list[tuple[str, int]]], path: Path) -> None:
    """rowtable's postings of `docs` (URL -> fields; id order: the URLs') equal postings.encoded's."""
    urls = sorted(docs)
    words = [tokenize(docs[u]) for u in urls]
    idents = [repr(docs[u]).encode() + u.encode() for u in urls]
    ids = [3 * i + 1 for i in range(len(urls))]  # ascending, with gaps
    got = _as_dict(*rowtable.encoded(idents, _words_of(words), path, "salt", ids))
    want = _as_dict(*postings.encoded(words, ids))
    assert got == want


def test_kept_rows_give_a_clean_builds_postings(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(postings, "CAP", 8)
    monkeypatch.setattr(postings, "PAIR_MIN_DF", 6)
    monkeypatch.setattr(rowtable, "MOST", 0.5)
    made = _updates(monkeypatch)
    rng = random.Random(7)
    path = tmp_path / "rows.pickle"
    docs = {f"a/{i:03d}": _fields(rng) for i in range(80)}
    _check(docs, path)
    assert made == [] and path.exists()
    steps = []
    docs.update({f"a/{i:03d}": _fields(rng) for i in (5, 17, 200, 201, 202)})  # edits and adds
    steps.append(dict(docs))
    removed = {u: docs.pop(u) for u in ("a/010", "a/011", "a/050", "a/201")}
    steps.append(dict(docs))
    docs.update({u: removed[u] for u in ("a/011", "a/201")})  # added back
    steps.append(dict(docs))
    # "risen" in 5 documents (below PAIR_MIN_DF), then in 7 (its pairs with common words appear), then 5 again
    for i in range(5):
        docs[f"r/{i}"] = _fields(rng, "risen w1 risen w2")
    steps.append(dict(docs))
    docs["a/003"] = _fields(rng, "w3 risen w4")
    docs["r/9"] = _fields(rng, "risen w5")
    steps.append(dict(docs))
    rose = dict(docs)
    del docs["a/003"], docs["r/9"]
    steps.append(dict(docs))
    steps.append({})  # every document gone
    steps.append(rose)
    for docs_now in steps:
        _check(docs_now, path)
    assert made == ["kept"] * 6 + ["scratch"] * 2  # all but the two steps that changed most
    words, idents = _inputs(rose)
    pairs = _as_dict(*rowtable.encoded(idents, _words_of(words), path, "salt", list(range(len(rose)))))
    assert "risen w1" in pairs and "w3 risen" in pairs


def _updates(monkeypatch) -> list[str]:
    """What each build did with the kept rows: "kept" (updated) or "scratch" (made again)."""
    made: list[str] = []
    real = rowtable.update

    def update(*args):
        r = real(*args)
        made.append("kept" if r is not None else "scratch")
        return r
    monkeypatch.setattr(rowtable, "update", update)
    return made


def _inputs(docs: dict[str, list[tuple[str, int]]]):
    urls = sorted(docs)
    return [tokenize(docs[u]) for u in urls], [repr(docs[u]).encode() + u.encode() for u in urls]


def test_unusable_rows_are_made_again(tmp_path: Path, monkeypatch):
    rng = random.Random(3)
    docs = {f"a/{i:02d}": _fields(rng) for i in range(40)}
    path = tmp_path / "rows.pickle"
    _check(docs, path)
    made = _updates(monkeypatch)
    words, idents = _inputs(docs)
    rowtable.encoded(idents, _words_of(words), path, "another salt", list(range(40)))  # another salt: not read
    rowtable.encoded(idents[::-1], _words_of(words[::-1]), path, "another salt", list(range(40)))  # order moved
    path.write_bytes(b"not a pickle")
    _check(docs, path)
    assert made == ["scratch"]  # the moved order; the other salt's file and the garbage were not even used


def test_terms_not_marked_changed_keep_their_postings(tmp_path: Path, monkeypatch):
    """`Made.dirty`: a term it does not mark has, exactly, the postings of the build it is counted from
    (`since`), whose ids here stay put for most documents, as ids.py's do; and it marks few terms."""
    monkeypatch.setattr(postings, "CAP", 8)
    monkeypatch.setattr(postings, "PAIR_MIN_DF", 6)
    monkeypatch.setattr(rowtable, "MOST", 0.5)
    rng = random.Random(11)
    path = tmp_path / "rows.pickle"
    docs = {f"a/{i:03d}": _fields(rng) for i in range(120)}

    moved = {"from": "~"}  # the documents from this URL on have their id one higher

    def ids_of(urls: list[str]) -> list[int]:  # ascending with gaps
        return [10 * int(u[2:]) + (5000 if u[0] == "r" else 0) + (u >= moved["from"]) for u in urls]

    def made():
        words, idents = _inputs(docs)
        return rowtable.made(idents, _words_of(words), path, "salt", ids_of(sorted(docs)))

    last = made()
    changes = [lambda: docs.update({f"a/{i:03d}": _fields(rng) for i in (300, 301)}),  # adds
               lambda: docs.update({"a/007": _fields(rng)}),  # an edit
               lambda: [docs.pop(u) for u in ("a/020", "a/300")],  # removals
               lambda: moved.update({"from": "a/100"}),  # ids moved, documents the same
               lambda: docs.update({f"r/{i}": _fields(rng, "risen w1 risen w2") for i in range(7)})]  # pairs rise
    for change in changes:
        change()
        now = made()
        assert now.dirty is not None and now.since == last.key
        before = _as_dict(last.names, last.enc, last.bounds)
        after = _as_dict(now.names, now.enc, now.bounds)
        assert after == _as_dict(*postings.encoded(_inputs(docs)[0], ids_of(sorted(docs))))
        unmarked = [name for name, d in zip(now.names, now.dirty.tolist()) if not d]
        assert unmarked and all(before[name] == after[name] for name in unmarked)
        assert [n for n in after if n not in before and n not in set(now.names) - set(unmarked)] == []
        last = now
