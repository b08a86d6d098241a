"""Only new and changed documents are split into words again (termcache.py keys them, rowtable.py keeps
their rows): a change of salt (code, templates, configuration) splits all of them again, and the
index made from kept rows is the one made without them."""
from __future__ import annotations

from pathlib import Path

from generator.search import build as search_build, termcache
from generator.search.build import Doc

FACETS: dict[str, dict[str, list[int]]] = {"tag": {}, "country": {}, "place": {}, "source": {}}


def _docs(n: int, edited: int | None = None) -> list[Doc]:
    out = []
    for i in range(n):
        body = f"army bridge market report number {i} " * 3 + ("edited words" if i == edited else "")
        out.append(Doc("a", f"Title {i} Mosul", f"a/{i}/", date="2024-01-01",
                       fields=[(f"Title {i} Mosul", 3), ("the river city", 2), (body, 1)]))
    return out


def _count_splits(monkeypatch) -> list[int]:
    calls = [0]
    real = termcache.tokenize

    def counting(fields):
        calls[0] += 1
        return real(fields)

    monkeypatch.setattr(termcache, "tokenize", counting)
    return calls


def test_only_changed_documents_are_split_again(tmp_path: Path, monkeypatch):
    state = tmp_path / "cache" / "search-index.json"
    state.parent.mkdir()
    calls = _count_splits(monkeypatch)
    search_build.build(_docs(30), FACETS, tmp_path / "index", state=state, salt="salt")
    assert calls[0] == 30 and state.with_name("search-index-rows.pickle").is_file()
    search_build.build(_docs(31, edited=4), FACETS, tmp_path / "index", state=state, salt="salt")
    assert calls[0] == 32  # the edited document and the new one
    search_build.build(_docs(31, edited=4), FACETS, tmp_path / "index", state=state, salt="another salt")
    assert calls[0] == 63  # other code or configuration: every document again
    state.with_name("search-index-rows.pickle").write_bytes(b"not a pickle")
    search_build.build(_docs(30), FACETS, tmp_path / "index", state=state, salt="another salt")
    assert calls[0] == 93  # unreadable: every document again


def test_an_index_from_kept_rows_is_the_index_from_scratch(tmp_path: Path):
    state = tmp_path / "cache" / "search-index.json"
    state.parent.mkdir()
    search_build.build(_docs(40), FACETS, tmp_path / "kept", state=state, salt="s")
    docs = _docs(41, edited=7)
    search_build.build(docs, FACETS, tmp_path / "kept", state=state, salt="s")
    search_build.build(docs, FACETS, tmp_path / "scratch")
    kept = {p.relative_to(tmp_path / "kept"): p.read_bytes() for p in (tmp_path / "kept").rglob("*.json")}
    scratch = {p.relative_to(tmp_path / "scratch"): p.read_bytes() for p in (tmp_path / "scratch").rglob("*.json")}
    assert kept == scratch and len(kept) > 5
