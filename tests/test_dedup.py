"""Near-duplicates: MinHash signatures, the LSH index, and the linking rule across runs."""
from __future__ import annotations

import random
from pathlib import Path

from generator import dedup
from generator.pipeline import OUTCOMES, ingest
from generator.writers.markdown import read_page
from generator.writers.ledger import read_ledger

VOCAB = [f"w{i}" for i in range(3000)] + "the of and to in a is that for it as was with by on".split()


def body(seed: int, n: int = 300) -> str:
    rng = random.Random(seed)
    words = [rng.choice(VOCAB) for _ in range(n)]
    return " ".join(words)


def edited(text: str, edits: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    words = text.split()
    for i in rng.sample(range(len(words)), edits):
        words[i] = "edited"
    return " ".join(words)


def page_text(title: str, text: str) -> str:
    words = text.split()
    paras = [" ".join(words[i:i + 60]) + "." for i in range(0, len(words), 60)]
    return title + "\n\n" + "\n\n".join(p.capitalize() for p in paras) + "\n"


def test_signature_deterministic_and_compact():
    a = dedup.signature(body(1))
    assert a == dedup.signature(body(1)) and len(a) == dedup.NUM_PERM * 4
    assert dedup.decode(dedup.encode(a)) == a
    assert dedup.decode("not base64!") is None and dedup.decode(dedup.encode(a[:8])) is None


def test_short_texts_get_no_signature():
    assert dedup.signature("only a few words here") is None


def test_similarity_tracks_jaccard():
    base = body(2)
    for edits in (0, 3, 10, 40):
        other = edited(base, edits)
        a, b = dedup.shingles(base), dedup.shingles(other)
        true = len(a & b) / len(a | b)
        assert abs(dedup.similarity(dedup.signature(base), dedup.signature(other)) - true) < 0.12


def test_similarity_is_numpys_share_of_equal_slots():
    """Counted without numpy, the same float as numpy's mean of the equal slots (the decision at
    THRESHOLD must not move by a rounding)."""
    import random

    import numpy as np

    rng = random.Random(5)
    for shared in (0, 1, 50, 102, 103, 127, 128):
        a = bytes(rng.randrange(256) for _ in range(dedup.NUM_PERM * 4))
        b = bytearray(rng.randrange(256) for _ in range(dedup.NUM_PERM * 4))
        for i in rng.sample(range(dedup.NUM_PERM), shared):
            b[4 * i:4 * i + 4] = a[4 * i:4 * i + 4]
        want = float(np.mean(np.frombuffer(a, dtype="<u4") == np.frombuffer(bytes(b), dtype="<u4")))
        assert dedup.similarity(a, bytes(b)) == want


def test_a_band_straddling_two_pages_is_no_candidate():
    """The first queries search each band's buffer of all pages: the query's band found across two
    pages' values (the end of one, the start of the next) matches neither page."""
    width = dedup.ROWS * 4
    first, second = bytes(range(256)) * 2, bytes(range(255, -1, -1)) * 2
    idx = dedup.NearDuplicateIndex()
    idx.add("a", first)
    idx.add("b", second)
    query = bytearray(b"\xee" * dedup.NUM_PERM * 4)
    query[0:width] = first[width // 2:width] + second[:width // 2]  # band 0 of a, then of b
    assert idx.candidates(bytes(query)) == set()
    query[width:2 * width] = second[width:2 * width]  # band 1 of b, whole
    assert idx.candidates(bytes(query)) == {"b"}


def test_index_finds_small_edits_not_unrelated():
    idx = dedup.NearDuplicateIndex()
    texts = {f"p{i}": body(i) for i in range(200)}
    for k, t in texts.items():
        idx.add(k, dedup.signature(t))
    match = idx.best_match(dedup.signature(edited(texts["p17"], 3)))
    assert match is not None and match[0] == "p17" and match[1] >= dedup.THRESHOLD
    assert idx.best_match(dedup.signature(body(999))) is None
    assert idx.best_match(dedup.signature(edited(texts["p17"], 120))) is None  # heavily rewritten: its own page
    assert idx.best_match(None) is None


def test_signatures_and_candidates_are_datasketchs():
    """Signatures stored in ledgers by earlier versions (made with datasketch 2's MinHash, scheme
    affine32) stay comparable: the numpy implementation gives the same values, and the index
    proposes the candidates datasketch's MinHashLSH proposes (same bands)."""
    import datasketch
    import numpy as np

    texts = [body(i) for i in range(40)] + [edited(body(3), k, seed=k) for k in (2, 8, 30, 90)]
    texts.append("Überschrift ﬁne ÇA VA? " + body(5, 60))  # NFKC and casefold happen before hashing
    sigs = {}
    for i, text in enumerate(texts):
        mh = datasketch.MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED, scheme=dedup.SCHEME)
        mh.update_batch(sorted(dedup.shingles(text)))
        assert dedup.signature(text) == np.asarray(mh.hashvalues, dtype="<u4").tobytes(), i
        sigs[f"p{i}"] = dedup.signature(text)
    lsh = datasketch.MinHashLSH(threshold=dedup.CANDIDATE_THRESHOLD, num_perm=dedup.NUM_PERM)
    assert (lsh.b, lsh.r) == (dedup.BANDS, dedup.ROWS)
    ours = dedup.NearDuplicateIndex()
    for key, sig in sigs.items():
        lsh.insert(key, datasketch.LeanMinHash(seed=dedup.SEED, hashvalues=np.frombuffer(sig, dtype="<u4"),
                                               scheme=dedup.SCHEME))
        ours.add(key, sig)
    for key, sig in list(sigs.items()) * 2:  # the first queries by numpy over all, the rest by buckets
        theirs = set(lsh.query(datasketch.LeanMinHash(seed=dedup.SEED, hashvalues=np.frombuffer(sig, dtype="<u4"),
                                                      scheme=dedup.SCHEME)))
        assert ours.candidates(sig) == theirs, key
    assert ours._buckets is not None and len(sigs) * 2 > dedup.BRUTE_QUERIES
    ours.add("late", sigs["p3"])  # added once the buckets exist: found by them too
    assert "late" in ours.candidates(sigs["p3"])


def test_candidates_stay_exact_while_pages_are_added_between_queries():
    """The first queries' path keeps a buffer per band made at the first query and extended by pages
    added later: interleaved adds and queries give exactly the pages sharing a whole band (a band
    whose first value alone matches is not one), before and after the buckets take over."""
    import random

    rng = random.Random(3)
    width = dedup.ROWS * 4

    def sig() -> bytes:
        return bytes(rng.randrange(256) for _ in range(dedup.NUM_PERM * 4))

    def variant(base: bytes) -> bytes:
        """Shares a whole band with `base`, and only the first value of another band."""
        out = bytearray(sig())
        i, j = rng.sample(range(dedup.BANDS), 2)
        out[i * width:(i + 1) * width] = base[i * width:(i + 1) * width]
        out[j * width:j * width + 4] = base[j * width:j * width + 4]
        return bytes(out)

    def near_miss(base: bytes) -> bytes:
        out = bytearray(sig())
        for j in range(dedup.BANDS):  # every band's first value, but no whole band
            out[j * width:j * width + 4] = base[j * width:j * width + 4]
        return bytes(out)

    idx, added = dedup.NearDuplicateIndex(), {}
    for step in range(2 * dedup.BRUTE_QUERIES + 20):
        kind = rng.random()
        base = rng.choice(list(added.values())) if added else sig()
        new = variant(base) if kind < 0.4 else near_miss(base) if kind < 0.6 else sig()
        query = rng.choice([base, new, sig()])
        expected = {k for k, v in added.items()
                    if any(v[b * width:(b + 1) * width] == query[b * width:(b + 1) * width] for b in range(dedup.BANDS))}
        assert idx.candidates(query) == expected, step
        idx.add(f"k{step}", new)
        added[f"k{step}"] = new
    assert idx._buckets is not None


def test_signatures_deferred_from_the_ledger_are_decoded_when_the_index_is_used():
    """PageStore hands the index the ledger's encoded signatures without decoding them (a re-ingest
    that reads nothing never needs them); the first use decodes them, before any page added later."""
    sig = dedup.signature(body(11))
    other = dedup.signature(body(12))
    idx = dedup.NearDuplicateIndex()
    idx.defer([("p11", dedup.encode(sig)), ("bad", "not base64!"), ("p12", dedup.encode(other))])
    assert idx._deferred  # nothing decoded yet
    idx.add("p11", other)  # already deferred under this key: the ledger's signature stays
    assert len(idx) == 2 and idx.signatures["p11"] == sig
    match = idx.best_match(dedup.signature(edited(body(11), 3)))
    assert match is not None and match[0] == "p11"
    read_only = dedup.NearDuplicateIndex()  # what a caller reading `signatures` sees (bench_ingest.py)
    read_only.defer([("p11", dedup.encode(sig))])
    assert read_only.signatures == {"p11": sig}


def counts(entries):
    return {k: sum(e.outcome == k for e in entries) for k in OUTCOMES}


def test_near_duplicate_linked_in_same_run_and_idempotent(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    base = body(5)
    (src / "a-original.txt").write_text(page_text("Militia attack on the river port", base))
    (src / "b-syndicated.txt").write_text(page_text("Port attacked by militia, officials say", edited(base, 4)))
    (src / "c-unrelated.txt").write_text(page_text("Talks resume in the capital", body(6)))
    content = tmp_path / "content"
    first = ingest([src], content, jobs=1)
    assert [e.outcome for e in first] == ["new", "duplicate", "new"]
    assert first[1].page == first[0].page and "near-duplicate" in first[1].reason
    meta, _ = read_page(Path(first[0].page))
    assert meta["sources"] == [{"file": "a-original.txt"}, {"file": "b-syndicated.txt", "near_duplicate": True}]
    assert len(meta["duplicate_ids"]) == 1
    assert len(list((content / "articles").rglob("*.md"))) == 2
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    second = ingest([src], content, jobs=1)
    assert counts(second)["unchanged"] == 3
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before


def test_near_duplicate_caught_in_a_later_run(tmp_path):
    """The LSH index is rebuilt from the ledger's stored signatures at the start of each run."""
    src = tmp_path / "in"
    src.mkdir()
    base = body(8, 500)
    (src / "orig.txt").write_text(page_text("Drone strike hits the fuel depot", base))
    content = tmp_path / "content"
    [e1] = ingest([src / "orig.txt"], content, jobs=1)
    ledger = read_ledger(content)
    assert all(len(v["minhash"]) < 700 for v in ledger.values())
    (src / "later.txt").write_text(page_text("Fuel depot struck by drone", edited(base, 6, seed=3)))
    [e2] = ingest([src / "later.txt"], content, jobs=1)
    assert e2.outcome == "duplicate" and e2.page == e1.page
    [e3] = ingest([src / "later.txt"], content, jobs=1)
    assert e3.outcome == "unchanged" and e3.page == e1.page


def test_editor_body_edit_does_not_change_matching(tmp_path):
    """Matching uses the generator's signature (ledger), not the page body an editor may rewrite."""
    src = tmp_path / "in"
    src.mkdir()
    base = body(9)
    (src / "orig.txt").write_text(page_text("Bridge reopened after repairs finish", base))
    content = tmp_path / "content"
    [e1] = ingest([src / "orig.txt"], content, jobs=1)
    page = Path(e1.page)
    page.write_text(page.read_text().split("\n---\n")[0] + "\n---\n\nEditor rewrote everything.\n")
    (src / "copy.txt").write_text(page_text("Bridge reopens to traffic", edited(base, 2)))
    [e2] = ingest([src / "copy.txt"], content, jobs=1)
    assert e2.outcome == "duplicate" and e2.page == e1.page
    assert "Editor rewrote everything." in page.read_text()


def test_near_duplicate_text_from_a_third_file_is_still_marked_near(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    base = body(11)
    (src / "a.txt").write_text(page_text("Ferry capsizes on the lake near the port", base))
    variant = page_text("Lake ferry capsizes", edited(base, 3))
    (src / "b.txt").write_text(variant)
    content = tmp_path / "content"
    ingest([src], content, jobs=1)
    (src / "c.txt").write_text(variant)  # the variant's exact text again, another file
    [e] = ingest([src / "c.txt"], content, jobs=1)
    assert e.outcome == "duplicate" and e.reason.startswith("near-duplicate")
    meta, _ = read_page(Path(e.page))
    assert meta["sources"][-1] == {"file": "c.txt", "near_duplicate": True}
    assert [x.outcome for x in ingest([src], content, jobs=1)] == ["unchanged"] * 3


def test_the_permutations_file_is_the_seeds_draw(monkeypatch):
    """The MinHash permutations are read from data (no numpy.random import in a reading process);
    they are the ones drawn from the seed, and a missing file falls back to drawing them."""
    import numpy as np

    a, b = dedup.draw_permutations()
    monkeypatch.setattr(dedup, "_PERMUTATIONS", None)
    got = dedup._permutations()
    assert got[0].dtype == a.dtype and got[1].dtype == b.dtype
    assert np.array_equal(got[0], a) and np.array_equal(got[1], b)
    monkeypatch.setattr(dedup, "_PERMUTATIONS", None)
    monkeypatch.setattr(dedup, "PERMUTATIONS_FILE", Path("/nonexistent/minhash_permutations.json"))
    drawn = dedup._permutations()
    assert np.array_equal(drawn[0], a) and np.array_equal(drawn[1], b)
