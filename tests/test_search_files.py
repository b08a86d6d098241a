"""The index files are updated in place (generator/search/build.py): a file that already holds its
bytes keeps its inode, a changed one is replaced (mode 0644, whatever the umask), stale files and
leftover temporary files go, and the folder ends up as a fresh build's."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.search import build as search_build, ids as search_ids
from generator.search.build import Doc

FACETS = {"tag": {}, "country": {}, "place": {}, "source": {}}


def _docs(n: int, shift: int = 0) -> list[Doc]:
    """`shift` renames those of the second half of the month only."""
    def title(i: int) -> str:
        return f"Report {i + (shift if _late(i) else 0)} from Mosul"
    return [Doc("a", title(i), f"a/{i}/", date=f"2024-01-{1 + i % 28:02d}",
                fields=[(title(i), 3), ("army bridge market " * (1 + i % 3), 1)]) for i in range(n)]


def _late(i: int) -> bool:
    return i % 28 >= 14


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_index_updated_in_place_equals_a_fresh_one(tmp_path: Path):
    out = tmp_path / "index"
    docs = _docs(200)
    search_build.build(docs, FACETS, out)
    ids = search_ids.allocate([d.kind for d in docs], [d.date for d in docs], [d.url for d in docs]).ids
    chunk = {n: [i for i, id_ in enumerate(ids) if id_ // search_build.CHUNK == n] for n in {i // search_build.CHUNK for i in ids}}
    first = min(n for n, members in chunk.items() if not any(map(_late, members)))  # only titles that stay
    last = min(n for n, members in chunk.items() if all(map(_late, members)))  # only titles that change
    kept = out / "d" / f"{first}.json"
    inode = kept.stat().st_ino
    (out / "s" / "99999.json").write_text("{}")  # a shard of an earlier, larger split
    (out / "d" / ".tmp-3.json").write_text("half")  # left by a killed build
    old = os.umask(0o077)
    try:
        search_build.build(_docs(200, shift=7), FACETS, out)
    finally:
        os.umask(old)
    search_build.build(_docs(200, shift=7), FACETS, tmp_path / "fresh")
    assert _tree(out) == _tree(tmp_path / "fresh")
    assert kept.stat().st_ino == inode  # the first titles did not change: not rewritten
    changed = out / "d" / f"{last}.json"
    assert stat.S_IMODE(changed.stat().st_mode) == 0o644


def test_state_records_the_written_sizes(tmp_path: Path):
    """The sizes kept for reuse are the files' sizes (a reused index is checked against them)."""
    import json

    state = tmp_path / "state.json"
    search_build.build(_docs(50), FACETS, tmp_path / "index", state=state, salt="s")
    files = json.loads(state.read_text())["files"]
    assert files and all((tmp_path / "index" / rel).stat().st_size == size for rel, size in files.items())


def test_bodies_stood_for_by_a_key_are_read_only_when_the_index_is_made(tmp_path: Path):
    """A document's last field can be stood for by `last_key` (an article's page digest): `load`
    gives the field only when the index is made again, and only to the documents whose words are
    not kept (termcache.py); the files are a full build's."""
    full = _docs(60)

    def lazy(keys: list[str]):
        docs = [Doc(d.kind, d.title, d.url, d.date, fields=[*d.fields[:-1], ("", 1)], last_key=k)
                for d, k in zip(_docs(60), keys)]
        loaded: list[str] = []
        by_url = {f.url: f for f in full}

        def load(which: list[Doc]) -> None:
            for d in which:
                loaded.append(d.url)
                d.fields[-1] = by_url[d.url].fields[-1]
        return docs, loaded, load

    state = tmp_path / "state.json"
    keys = [f"k{i}" for i in range(60)]
    docs, loaded, load = lazy(keys)
    search_build.build(docs, FACETS, tmp_path / "lazy", state=state, salt="s", load=load)
    assert sorted(loaded) == sorted(d.url for d in full)  # no words kept yet: every body read
    search_build.build(_docs(60), FACETS, tmp_path / "full")
    assert _tree(tmp_path / "lazy") == _tree(tmp_path / "full")
    docs, loaded, load = lazy(keys)  # the same documents: the index is kept, no body read
    search_build.build(docs, FACETS, tmp_path / "lazy", state=state, salt="s", load=load)
    assert loaded == []
    docs, loaded, load = lazy(keys[:-1] + ["changed"])  # a page changed: made again, its body only read
    search_build.build(docs, FACETS, tmp_path / "lazy", state=state, salt="s", load=load)
    assert loaded == [full[-1].url] and _tree(tmp_path / "lazy") == _tree(tmp_path / "full")
    docs, loaded, load = lazy(keys)  # changed back: the index is made again, the old key's words were dropped
    search_build.build(docs, FACETS, tmp_path / "lazy", state=state, salt="s", load=load)
    assert loaded == [full[-1].url] and _tree(tmp_path / "lazy") == _tree(tmp_path / "full")
