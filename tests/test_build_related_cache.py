"""Related articles are kept between builds in the build cache (related.cached, under a key as a
listing is): the same records in the same order
(by their fingerprints) and the same code give the stored neighbours without computing them; any
change to what compute reads, or to the code's key, computes them again; both equal compute's."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from generator.mkdocs_plugin import related
from generator.mkdocs_plugin.buildcache import BuildCache
from generator.mkdocs_plugin.index import Record
from generator.mkdocs_plugin.listingcache import fingerprint as _fingerprint
from generator.model import Place


def _records(n: int) -> list[Record]:
    tags = ["Ceasefire", "Refugees", "Floods", "Elections", "Drones"]
    places = [Place("Mosul", "Iraq", "Nineveh", "city"), Place("Syria", "Syria", None, "country"),
              Place("Aleppo", "Syria", "Aleppo", "city")]
    return [Record(f"articles/a{i}.md", f"Article {i}", date(2020, 1 + i % 12, 1 + i % 27) if i % 5 else None,
                   None, None, None, [tags[i % 5], tags[(i * 3) % 5]], [places[i % 3]]) for i in range(n)]


def _plain(nb: dict[str, related.Neighbours]) -> dict:
    return {uri: ([r.src_uri for r in x.related], x.previous and x.previous.src_uri, x.next and x.next.src_uri)
            for uri, x in nb.items()}


def test_neighbours_are_reused_only_for_the_same_records_and_code(tmp_path: Path, monkeypatch):
    calls = [0]
    real = related.compute

    def counting(records):
        calls[0] += 1
        return real(records)

    monkeypatch.setattr(related, "compute", counting)

    def run(records: list[Record], base: str = "code-1") -> dict:
        store = BuildCache(tmp_path)  # a build: opened, used, committed
        prints = {r.src_uri: _fingerprint(r) for r in records}
        got = related.cached(records, prints, store, base)
        store.commit(set())
        store.close()
        assert _plain(got) == _plain(real(records))
        assert all(r in records for nb in got.values() for r in nb.related)  # this build's records
        return got

    records = _records(60)
    run(records)
    assert calls[0] == 1
    run(_records(60))
    assert calls[0] == 1  # same records: stored
    edited = _records(60)
    edited[7] = replace(edited[7], tags=["Drones"])
    run(edited)
    assert calls[0] == 2
    run(edited[:-1])  # one fewer article
    assert calls[0] == 3
    run(edited[:-1], base="code-2")  # other code or configuration
    assert calls[0] == 4
    run(edited[:-1], base="code-1")  # back to the first code: its result was dropped (unused)
    assert calls[0] == 5


def test_a_stored_record_comes_back_with_its_body_cut_from_the_page_text(tmp_path: Path):
    """The cache stores a record without its body and gives it back with the body of the page's
    text (set on the unpickled record): the same record, each call its own object."""
    from generator.writers.markdown import split_page
    text = "---\ntitle: A\n---\n\nFirst paragraph.\n\nSecond.\n"
    r = Record(src_uri="articles/a.md", title="A", date=date(2024, 1, 2), summary="S", source=None, url=None,
               tags=["T"], places=[Place(name="Paris", country="FR", kind="city")], body=split_page(text)[1])
    store = BuildCache(tmp_path)
    store.put(r.src_uri, "k", "", "<p>x</p>", [], r)
    store.commit({r.src_uri})
    again = BuildCache(tmp_path)
    got = again.record(r.src_uri, text)
    assert got == replace(r, meta={}) and got.body == r.body and got is not r
    assert again.record(r.src_uri, text) is None  # read once per build


def test_neighbours_the_cache_lacks_are_computed_here_and_stored(tmp_path: Path):
    """related.start returns the neighbours still to compute when the cache does not hold them;
    without a child to hand them to, `result` computes them here: the same neighbours, in the same
    order, of this process's records; stored, so the next build reads them, nothing to compute."""
    records = _records(90)
    prints = {r.src_uri: _fingerprint(r) for r in records}
    store = BuildCache(tmp_path)
    pending = related.start(records, prints, store, "code-1")
    assert pending.done is None
    got = pending.result()
    assert list(got) == list(related.compute(records))
    assert _plain(got) == _plain(related.compute(records))
    assert all(r in records for nb in got.values() for r in nb.related)
    store.commit(set())
    store.close()
    again = related.start(records, prints, BuildCache(tmp_path), "code-1")
    assert again.done is not None and again.hand_over() is None and _plain(again.result()) == _plain(got)
    # Each page's context (what it shows of its neighbours) is stored with them, the same as made afresh.
    stored = again.result()
    assert all(nb.shown is not None for nb in stored.values())
    fresh = related.compute(records)
    assert all(nb.shown is None for nb in fresh.values())
    assert {u: related.digest(nb) for u, nb in stored.items()} == {u: related.digest(nb) for u, nb in fresh.items()}
    # A neighbour's new title is shown on the pages around it: other stored neighbours, another context.
    retitled = [replace(r, title=r.title + " (corrected)", derived={}) if i == 7 else r for i, r in enumerate(records)]
    newer = related.start(retitled, {r.src_uri: _fingerprint(r) for r in retitled}, BuildCache(tmp_path), "code-1")
    assert newer.done is None
    changed = newer.result()
    assert {u for u in changed if related.digest(changed[u]) != related.digest(stored[u])} == {
        u for u, nb in fresh.items() if records[7] in nb.related or records[7] in (nb.previous, nb.next)} != set()


def test_neighbours_handed_to_another_child_arrive_before_it_ends(tmp_path: Path):
    """Handed over to a child forked for other work (the search index's, plugin.py), the neighbours
    are computed there first and reach this process while that child goes on with its own work:
    the same as computed here, stored for the next build."""
    import multiprocessing

    records = _records(90)
    store = BuildCache(tmp_path)
    pending = related.start(records, {r.src_uri: _fingerprint(r) for r in records}, store, "code-1")
    first = pending.hand_over()
    assert first is not None
    ctx = multiprocessing.get_context("fork")
    go_on = ctx.Event()

    def other_work():
        first()
        go_on.wait(60)  # its own work, which ends only once the neighbours were received

    child = ctx.Process(target=other_work, daemon=True)
    child.start()
    pending.handed()
    got = pending.result()
    assert child.is_alive()  # received before the child ended
    go_on.set()
    child.join()
    assert _plain(got) == _plain(related.compute(records)) and list(got) == list(related.compute(records))
    store.commit(set())
    store.close()
    again = related.start(records, {r.src_uri: _fingerprint(r) for r in records}, BuildCache(tmp_path), "code-1")
    assert again.done is not None and again.hand_over() is None and _plain(again.result()) == _plain(got)


def test_neighbours_handed_to_a_child_that_dies_are_computed_here(tmp_path: Path):
    """The child the neighbours were handed to dies before computing them (or never runs them):
    they are computed here, the same; a failed build's stop closes what was shared."""
    import multiprocessing
    import os

    records = _records(40)
    store = BuildCache(tmp_path)
    pending = related.start(records, {r.src_uri: _fingerprint(r) for r in records}, store, "code-1")
    assert pending.hand_over() is not None
    child = multiprocessing.get_context("fork").Process(target=os._exit, args=(3,), daemon=True)
    child.start()
    pending.handed()
    child.join()
    assert _plain(pending.result()) == _plain(related.compute(records))
    stopped = related.start(_records(41), {r.src_uri: _fingerprint(r) for r in _records(41)}, store, "code-1")
    assert stopped.hand_over() is not None
    stopped.stop()
    assert stopped.conn is None and stopped.shared is None
