"""Documents' words are kept between builds (generator/search/termcache.py): a rebuild splits only new
and changed documents, a change of salt (code, templates, configuration) splits all of them again,
and the index made with kept words is the one made without them."""
from __future__ import annotations

from pathlib import Path

from generator.search import build as search_build, termcache
from generator.search.build import Doc


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
    path = tmp_path / "terms.pickle"
    calls = _count_splits(monkeypatch)
    first = termcache.doc_words([d.fields for d in _docs(30)], path, "salt")
    assert calls[0] == 30 and path.is_file()
    again = termcache.doc_words([d.fields for d in _docs(30, edited=4)] + [_docs(31)[30].fields], path, "salt")
    assert calls[0] == 32  # the edited document and the new one
    assert again[:4] == first[:4] and again[4] != first[4] and "edited" in again[4].word_list()
    termcache.doc_words([d.fields for d in _docs(30)], path, "another salt")
    assert calls[0] == 62  # other code or configuration: every document again
    path.write_bytes(b"not a pickle")
    assert termcache.doc_words([d.fields for d in _docs(3)], path, "salt") == first[:3]  # unreadable: split again


def test_an_index_from_kept_words_is_the_index_from_scratch(tmp_path: Path):
    state = tmp_path / "cache" / "search-index.json"
    state.parent.mkdir()
    facets = {"tag": {}, "country": {}, "place": {}, "source": {}}
    search_build.build(_docs(40), facets, tmp_path / "kept", state=state, salt="s")
    assert state.with_name("search-index-terms.pickle").is_file()
    docs = _docs(41, edited=7)
    search_build.build(docs, facets, tmp_path / "kept", state=state, salt="s")
    search_build.build(docs, facets, tmp_path / "scratch")
    kept = {p.relative_to(tmp_path / "kept"): p.read_bytes() for p in (tmp_path / "kept").rglob("*.json")}
    scratch = {p.relative_to(tmp_path / "scratch"): p.read_bytes() for p in (tmp_path / "scratch").rglob("*.json")}
    assert kept == scratch and len(kept) > 5
