"""The SQLite ledger: an archive with the JSON ledger of earlier versions is migrated on first open
(journal of a killed run included), and records then behave as before: generator changes flow into
untouched pages, an editor's changes stay."""
from __future__ import annotations

import json

import pytest

from generator.writers.ledger import loads, read_ledger
from generator.writers.markdown import PageStore, read_page
from tests.test_writer import article, edit, write


def legacy_archive(content):
    """Turn an archive's ledger into the JSON files an earlier version left: ledger.json holding all
    records but the last, the last in the journal of a killed run (plus a line cut short)."""
    records = read_ledger(content)
    (content / ".archive" / "ledger.sqlite").unlink()
    *folded, last = sorted(records)
    (content / ".archive" / "ledger.json").write_text(
        json.dumps({k: records[k] for k in folded}, indent=1, sort_keys=True) + "\n")
    (content / ".archive" / "ledger.journal.jsonl").write_text(
        json.dumps({"id": last, "entry": records[last]}) + "\n" + '{"id": "abc", "entry": {"fie')
    return records


def test_json_ledger_is_migrated_once(tmp_path):
    r1, r2 = write(tmp_path, article(1), article(2))
    edit(r1.path, title="Hand-fixed title")
    before = {p: p.read_bytes() for p in (r1.path, r2.path)}
    records = legacy_archive(tmp_path)

    store = PageStore.open(tmp_path)
    assert dict(store.ledger.items()) == records
    store.save_ledger()
    assert not (tmp_path / ".archive" / "ledger.json").exists()
    assert not (tmp_path / ".archive" / "ledger.journal.jsonl").exists()
    assert read_ledger(tmp_path) == records

    res = write(tmp_path, article(1), article(2))  # the same inputs: nothing written
    assert [x.outcome for x in res] == ["unchanged", "unchanged"]
    assert {p: p.read_bytes() for p in before} == before
    # With the records migrated, a new generated value reaches the field nobody edited, while the
    # edited title stays (without records both pages would be left as they are).
    res = write(tmp_path, article(1, tags=["Ceasefire", "Next"]), article(2, tags=["Next"]))
    assert [x.outcome for x in res] == ["updated", "updated"]
    meta1, meta2 = read_page(r1.path)[0], read_page(r2.path)[0]
    assert meta1["title"] == "Hand-fixed title" and meta1["tags"] == ["Ceasefire", "Next"]
    assert meta2["tags"] == ["Next"]


def test_journal_deletion_is_replayed(tmp_path):
    """A journal line dropping a record (its page took a revised text's id) is migrated as a drop."""
    write(tmp_path, article(1), article(2))
    records = read_ledger(tmp_path)
    gone = sorted(records)[0]
    (tmp_path / ".archive" / "ledger.sqlite").unlink()
    (tmp_path / ".archive" / "ledger.json").write_text(json.dumps(records))
    (tmp_path / ".archive" / "ledger.journal.jsonl").write_text(json.dumps({"id": gone, "entry": None}) + "\n")
    store = PageStore.open(tmp_path)
    assert set(store.ledger) == set(records) - {gone}
    store.save_ledger()


def test_unreadable_database_is_moved_aside(tmp_path):
    [r] = write(tmp_path, article(1))
    (tmp_path / ".archive" / "ledger.sqlite").write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    [again] = write(tmp_path, article(1))
    assert again.outcome == "unchanged" and again.path == r.path
    assert (tmp_path / ".archive" / "ledger.sqlite.unreadable").exists()  # kept for inspection
    assert set(read_ledger(tmp_path)) == {article(1).id}  # the record is re-created


def test_value_fingerprints_are_the_ones_earlier_ledgers_hold():
    """Fingerprints are compared with those stored by earlier runs: the shared encoder must give the
    bytes json.dumps(value, sort_keys=True, default=str) gave, for every kind of front-matter value."""
    import hashlib
    import json
    from datetime import date

    from generator.writers.records import _fingerprint

    values = ["Title", "Überschrift “quoted” 中文", date(2024, 3, 5), None, 3, 2.5, True, ["b", "a"],
              [{"name": "Mosul", "lat": 36.34, "kind": "city", "alt": ["Al-Mawsil"]}], {"z": 1, "a": [None, date(2020, 1, 2)]},
              "", [], float("nan")]
    for value in values:
        legacy = None if value in ("", []) else value
        expected = hashlib.sha256(json.dumps(legacy, sort_keys=True, default=str).encode()).hexdigest()[:16]
        assert _fingerprint(value) == expected, value


@pytest.mark.parametrize("text", ['{"a":[1,"x"]}', ' {"a":1}', '{"a":1}\n', '[1,2]x', '', 'nul', '"x', '{"a":NaN}',
                                  '1e400', '{"a":"\\u00e9\\n"}', '[' * 5000])
def test_record_parser_gives_json_loads_value_or_error(text: str):
    """Records are parsed with json's C scanner directly (a re-ingest parses 20,000): same result."""
    def outcome(parse):
        try:
            return ("ok", parse(text))
        except Exception as exc:  # noqa: BLE001 - the error's type is what is compared
            return ("error", type(exc))

    assert outcome(loads) == outcome(json.loads)


def _committed_ids(content) -> set[str]:
    """The ids another reader of the database sees (committed records only)."""
    return set(read_ledger(content))


def test_records_written_while_a_batch_syncs_wait_for_its_commit(tmp_path, monkeypatch):
    """The sync of a batch runs on another thread (`commit_after_sync`): the batch is committed only
    after that sync returned, and records made meanwhile are held back, not committed with it (their
    pages are not covered by that sync). Readers in this process see them all the time."""
    import threading

    from generator.writers import ledger as ledgerdb

    started, release = threading.Event(), threading.Event()
    synced: list[str] = []

    def slow_sync(folder):
        started.set()
        assert release.wait(10)
        synced.append(str(folder))

    monkeypatch.setattr(ledgerdb, "sync_filesystem", slow_sync)
    content = tmp_path / "content"
    state = content / ".archive"
    ledger = ledgerdb.Ledger.open(state)
    ledger.input_keys()  # as an ingest does first: the record of inputs is then kept in memory
    record = {"fields": {}, "key": None, "minhash": None}
    ledger.set("a" * 16, record)
    ledger.set_input("inbox/a.txt", "k1", [])
    ledger.commit_after_sync(content)
    assert started.wait(10)
    ledger.set("b" * 16, record)  # its page came after the sync started: held back
    assert ledger.get("b" * 16) == record and ledger.input_record("inbox/a.txt") == ("k1", [])
    assert _committed_ids(content) == set()  # nothing before the sync returns
    release.set()
    ledger._syncing.join()
    ledger.set("c" * 16, record)  # the sync returned: its batch is committed, then this one goes on
    assert _committed_ids(content) == {"a" * 16}
    ledger.close(None)
    assert _committed_ids(content) == {"a" * 16, "b" * 16, "c" * 16}
    assert synced == [str(content)]


def test_a_failed_background_sync_commits_nothing(tmp_path, monkeypatch):
    from generator.writers import ledger as ledgerdb

    def broken_sync(folder):
        raise OSError("disk gone")

    monkeypatch.setattr(ledgerdb, "sync_filesystem", broken_sync)
    content = tmp_path / "content"
    ledger = ledgerdb.Ledger.open(content / ".archive")
    ledger.set("a" * 16, {"fields": {}, "key": None, "minhash": None})
    ledger.commit_after_sync(content)
    with pytest.raises(OSError, match="disk gone"):
        ledger.commit(None)
    assert _committed_ids(content) == set()
