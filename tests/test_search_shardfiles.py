"""Shard files whose postings did not change are not encoded again (shardfiles.py): with the index's
state kept between builds, a rebuild after adding articles encodes only the shards whose terms or
postings changed, and its files are, byte for byte, those of a clean build of the same documents;
a shard file changed on disk, a lost state or another salt makes it encode every shard again."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator.search import build as search_build, shardfiles

from .test_search_stable_ids import _corpus, _state

TAGS = [f"Tag {i}" for i in range(40)]


def _build(articles, out: Path, state: Path | None, salt: str = "s", whole: list[str] | None = None) -> list[str]:
    """Build the index; the shard files it made (wrote, or found to hold their bytes); those of
    them it made whole (not from the last build's entries) are added to `whole`."""
    docs = [a[0] for a in articles] + [search_build.Doc("t", t, f"tags/{t}/", summary="Tag", fields=[(t, 3)])
                                       for t in TAGS]
    facets: dict[str, dict[str, list[int]]] = {"tag": {}, "country": {}, "place": {}, "source": {}}
    for i, (_doc, tags, source) in enumerate(articles):
        for t in tags:
            facets["tag"].setdefault(t, []).append(i)
        facets["source"].setdefault(source, []).append(i)
    made: list[str] = []
    spliced: set[str] = set()
    real_entries, real_put = shardfiles._entries, search_build._put

    def entries(path: Path):
        found = real_entries(path)
        if found is not None:
            spliced.add(path.name)
        return found

    def put(path: Path, data: bytes, written=None) -> int:
        if path.parent.name == "s":
            made.append(path.name)
        return real_put(path, data, written)

    shardfiles._entries, search_build._put = entries, put
    try:
        search_build.build(docs, facets, out, state=state, salt=salt)
    finally:
        shardfiles._entries, search_build._put = real_entries, real_put
    if whole is not None:
        whole += [name for name in made if name not in spliced]
    return made


def test_a_rebuild_encodes_only_changed_shards_and_equals_a_clean_build(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(search_build, "SHARD_BYTES", 1500)
    corpus = _corpus(805)
    before, added = corpus[:800], corpus[800:]
    out, state = tmp_path / "index", tmp_path / "cache" / "search-index.json"
    state.parent.mkdir()
    first = _build(before, out, state)
    shards = len(list((out / "s").iterdir()))
    assert len(first) == shards > 16
    whole: list[str] = []
    again = _build(before + added, out, state, whole=whole)
    assert 0 < len(again) < shards  # some shards are left alone...
    assert len(whole) < len(again)  # ...and most changed ones keep their unchanged terms' text
    _build(before + added, tmp_path / "clean", None)
    got, want = _state(out), _state(tmp_path / "clean")
    assert sorted(got) == sorted(want)
    assert [p for p in want if got[p][0] != want[p][0]] == []  # ...and the index is a clean build's
    assert json.loads(state.read_text())["files"]  # the state is written again

    # The same documents again: nothing to encode (the whole index is reused).
    assert _build(before + added, out, state) == []
    # Other documents with the shards' files as they are: only the changed shards are encoded.
    removed = _build(before, out, state)
    assert 0 < len(removed) < shards
    # A shard file changed on disk is encoded and written again even though its postings did not change.
    victim = out / "s" / sorted(p.name for p in (out / "s").iterdir() if p.name not in removed)[0]
    good = victim.read_bytes()
    victim.write_bytes(good.replace(b"[", b"[ ", 1)[:len(good)])
    os.utime(victim, ns=(1, 1))
    assert victim.name in _build(before + added[:1], out, state)
    assert _build(before + added[:1], tmp_path / "clean2", None) is not None
    assert _state(out).keys() == _state(tmp_path / "clean2").keys()
    assert all(_state(out)[p][0] == b for p, (b, _m) in _state(tmp_path / "clean2").items())
    # Another salt (code, configuration) or no state: every shard is encoded.
    assert len(_build(before, out, state, salt="other")) == shards
    state.unlink()
    assert len(_build(before + added, out, state, salt="other")) == len(list((out / "s").iterdir()))


def test_many_terms_hash_to_the_shards_of_one_at_a_time():
    """tokens.shards_of (numpy, every term at once) is shard_of, which search.js computes too."""
    from generator.search.tokens import shard_of, shards_of

    terms = ["", "a", "mosul", "ḥalab", "école ville", "x" * 40 + " " + "y" * 40, "日本", "a b", "ab"]
    for shards in (1, 2, 4096, 2**32):
        assert shards_of(terms, shards).tolist() == [shard_of(t, shards) for t in terms]
    assert shards_of([], 8).tolist() == [] and shards_of([""], 8).tolist() == [shard_of("", 8)]


@pytest.mark.parametrize("chunk", [shardfiles.CHUNK_VALUES, 7, 1])
def test_integer_lists_are_written_as_json_dumps_writes_them(chunk, monkeypatch):
    """shardfiles.json_lists makes the digits in numpy; the text is json.dumps' (compact), in runs
    of lists of any size (a list longer than a run is a run of its own)."""
    import numpy as np

    monkeypatch.setattr(shardfiles, "CHUNK_VALUES", chunk)

    rng = np.random.default_rng(5)
    for _ in range(100):
        counts = rng.integers(1, 30, int(rng.integers(1, 40)))
        values = rng.integers(-10 ** int(rng.integers(1, 15)), 10 ** int(rng.integers(1, 15)), int(counts.sum()))
        values[rng.random(len(values)) < 0.1] = 0
        ends = np.cumsum(counts)
        starts = ends - counts
        order = rng.permutation(len(counts))  # lists in any order, from anywhere in the array
        got = shardfiles.json_lists(values, starts[order], ends[order])
        assert got == [json.dumps(values[a:b].tolist(), separators=(",", ":"))
                       for a, b in zip(starts[order].tolist(), ends[order].tolist())]
    assert shardfiles.json_lists(np.array([7, -1]), [0, 1, 1], [2, 2, 1]) == ["[7,-1]", "[-1]", "[]"]
    assert shardfiles.json_lists(np.array([], dtype=np.int64), [], []) == []
