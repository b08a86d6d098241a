"""The numpy postings (generator/search/postings.py) are exactly those of the per-posting Python code
they replaced, kept here as the reference: same terms, same document frequencies, same kept
postings in the same order, same weights; and so the index files are the same bytes."""
from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from generator.search import build as search_build, ids as search_ids, postings as search_postings
from generator.search.build import Doc
from generator.search.postings import K1, B, postings, rounded, stored_df, tokenize
from generator.search.tokens import words


def reference_postings(docs: list[Doc], cap: int, pair_min_df: int, ids: list[int] | None = None) -> dict[str, list[int]]:
    """The index's postings as build.py made them before numpy (a copy of that code, with the
    average length and a capped word's count rounded, and the documents' ids given)."""
    ids = ids if ids is not None else list(range(len(docs)))
    raw: dict[str, list[int]] = defaultdict(list)
    lengths: list[int] = []
    for i, doc in enumerate(docs):
        tf: Counter[str] = Counter()
        length = 0
        for text, weight in doc.fields:
            ws = words(text)
            length += len(ws)
            for w in ws:
                tf[w] += weight
            for a, b in zip(ws, ws[1:]):
                tf[a + " " + b] += weight
        lengths.append(max(length, 1))
        for term, n in tf.items():
            raw[term].extend((i, n))
    avg = rounded(sum(lengths) / max(len(lengths), 1))
    out: dict[str, list[int]] = {}
    for term, flat in raw.items():
        if " " in term:
            a, b = term.split(" ")
            if min(len(raw[a]), len(raw[b])) < 2 * pair_min_df:
                continue
        scored = []
        for j in range(0, len(flat), 2):
            i, n = flat[j], flat[j + 1]
            norm = K1 * (1 - B + B * lengths[i] / avg)
            scored.append((max(1, round(10 * n * (K1 + 1) / (n + norm))), i))
        df = len(scored)
        if df > cap:
            scored = sorted(scored, key=lambda x: (-x[0], -x[1]))[:cap]
        scored.sort(key=lambda x: x[1])
        enc, last = [stored_df(df)], 0
        for w, i in scored:
            enc.extend((ids[i] - last, w))
            last = ids[i]
        out[term] = enc
    return out


VOCAB = ["Mosul", "Ḥalab", "Raqqa", "army", "forces", "attack", "city", "river", "bridge", "market", "camp",
         "talks", "ceasefire", "Tal", "Abita", "aid", "école", "district", "border", "oil"]


def _corpus(n: int, seed: int) -> list[Doc]:
    """Documents with repeated words, common and rare pairs, empty fields and empty documents."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        if i % 17 == 5:
            docs.append(Doc("t", "", f"t/{i}/", fields=[("", 3), ("the of and", 2)]))  # no words at all
            continue
        vocab = VOCAB[: rng.randint(3, len(VOCAB))]
        body = " ".join(rng.choice(vocab) if rng.random() < 0.8 else f"rare{rng.randint(0, 3000)}"
                        for _ in range(rng.randint(0, 120)))
        title = " ".join(rng.sample(vocab, min(3, len(vocab))))
        docs.append(Doc("a", title, f"a/{i}/", fields=[(title, 3), ("the summary of " + title, 2),
                                                      (" ".join(rng.sample(vocab, 2)), 2), (body, 1)]))
    return docs


@pytest.mark.parametrize(("n", "cap", "pair_min_df", "seed"), [(0, 400, 25, 1), (1, 400, 25, 1), (60, 400, 25, 2),
                                                              (300, 40, 10, 3), (500, 7, 3, 4)])
def test_numpy_postings_equal_the_reference(monkeypatch, n: int, cap: int, pair_min_df: int, seed: int):
    docs = _corpus(n, seed)
    monkeypatch.setattr(search_postings, "CAP", cap)
    monkeypatch.setattr(search_postings, "PAIR_MIN_DF", pair_min_df)
    ids = sorted(random.Random(seed).sample(range(-3 * n, 3 * n + 1), n))  # with gaps, some below 0 (ids.py)
    got = postings([tokenize(d.fields) for d in docs], ids)
    want = reference_postings(docs, cap, pair_min_df, ids)
    assert postings([tokenize(d.fields) for d in docs]) == reference_postings(docs, cap, pair_min_df)
    assert sorted(got) == sorted(want)
    assert got == want
    if n >= 300:  # the cases the test is for did happen
        assert any(p[0] > cap for p in want.values())
        assert any(" " in t for t in want) and any(" " not in t and p[0] < pair_min_df for t, p in want.items())


def test_index_files_are_the_reference_bytes(monkeypatch, tmp_path: Path):
    """The whole index written with the numpy postings is, file by file, the one the reference gives."""
    docs = _corpus(400, 5)
    facets = {"tag": {"Mosul": [1, 2, 3]}, "country": {}, "place": {}, "source": {"x": list(range(0, 400, 3))}}
    monkeypatch.setattr(search_postings, "CAP", 30)
    search_build.build(docs, facets, tmp_path / "numpy")
    order = sorted(range(len(docs)), key=search_ids.allocate([d.kind for d in docs], [d.date for d in docs],
                                                              [d.url for d in docs]).ids.__getitem__)
    monkeypatch.setattr(search_build.rowtable, "encoded", lambda _words, _idents, _path, _salt, ids: search_postings.from_dict(reference_postings(
        [docs[i] for i in order], 30, search_postings.PAIR_MIN_DF, ids)))
    search_build.build(docs, facets, tmp_path / "reference")
    numpy_files = {p.relative_to(tmp_path / "numpy"): p.read_bytes() for p in (tmp_path / "numpy").rglob("*.json")}
    ref_files = {p.relative_to(tmp_path / "reference"): p.read_bytes()
                 for p in (tmp_path / "reference").rglob("*.json")}
    assert len(numpy_files) > 10 and numpy_files == ref_files
    assert json.loads(numpy_files[Path("meta.json")])["docs"] == 400


def test_tokenize_keeps_fields_apart():
    """A word pair never spans two fields (the title's last word and the summary's first)."""
    d = tokenize([("Mosul bridge", 3), ("market city", 2)])
    assert d.word_list() == ["mosul", "bridge", "market", "city"] and d.lengths == (2, 2) and d.weights == (3, 2)
    got = postings([d] * 30)
    assert "mosul bridge" in got and "market city" in got and "bridge market" not in got


def test_words_of_ascii_text_are_the_regular_expressions():
    """tokens.words splits ASCII text without the regular expression (and search.js with it): the
    same words, stopwords and over-long runs left out, whatever the punctuation."""
    import re

    from generator.search.tokens import fold, stopwords

    word = re.compile(r"[^\W_]+")
    alphabet = "abcXYZ019 _-'.,;:!?()[]{}<>/\\|@#$%^&*+=~`\"\t\n\r\x00\x1f\x7f" + "".join(sorted(stopwords()))[:40]
    rng = random.Random(4)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        if rng.random() < 0.1:
            text += " " + "q" * rng.randint(38, 43)
        if rng.random() < 0.1:
            text += " The and Of " + rng.choice(["é", "Ḥalab", "’", ""])
        want = [w for w in word.findall(fold(text)) if w not in stopwords() and len(w) <= 40]
        assert words(text) == want, text
