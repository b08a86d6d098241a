"""The read cache: a re-ingest of unchanged files skips reading them, and anything a read depends on
(the bytes, the sidecar, the generator's code and data) makes the file be read again."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator import pipeline, readcache, reading
from generator.pipeline import ingest
from generator.writers.markdown import read_page

from .test_pipeline import scrape


def _broken_reader(text, name=None):
    raise RuntimeError("the reader was called")


def _page_meta(entry) -> dict:
    return read_page(Path(entry.page))[0]


def test_reingest_of_an_unchanged_file_does_not_read_it_again(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    (src / "story.txt").write_text(scrape(7), encoding="utf-8")
    content = tmp_path / "content"
    assert [e.outcome for e in ingest([src], content, jobs=1)] == ["new"]
    # Any attempt to read the file now fails loudly; the cached read is used instead.
    monkeypatch.setattr(reading, "choose", _broken_reader)
    assert [e.outcome for e in ingest([src], content, jobs=1)] == ["unchanged"]
    # Without the cache (`archive ingest --no-cache`) the file is read, and the broken reader shows.
    monkeypatch.setattr(readcache, "ENABLED", False)
    again = ingest([src], content, jobs=1)
    assert again[0].outcome == "rejected" and "the reader was called" in again[0].reason


def test_changed_bytes_or_sidecar_are_read_again(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    story = src / "story.txt"
    story.write_text(scrape(8), encoding="utf-8")
    content = tmp_path / "content"
    ingest([src], content, jobs=1)
    monkeypatch.setattr(reading, "choose", _broken_reader)
    assert [e.outcome for e in ingest([src], content, jobs=1)] == ["unchanged"]
    # New bytes: read again (and the broken reader shows it).
    story.write_text(scrape(8) + "\n", encoding="utf-8")
    assert "the reader was called" in ingest([src], content, jobs=1)[0].reason
    # Same bytes as the first run, but a sidecar now says something about the file: read again.
    story.write_text(scrape(8), encoding="utf-8")
    assert ingest([src], content, jobs=1)[0].outcome == "unchanged"
    (src / "story.txt.meta.json").write_text(json.dumps({"date": "2024-05-02", "source": "Wire"}))
    assert "the reader was called" in ingest([src], content, jobs=1)[0].reason
    monkeypatch.undo()
    entry = ingest([src], content, jobs=1)[0]
    assert entry.outcome == "updated"
    assert str(_page_meta(entry)["date"]) == "2024-05-02"


def test_a_partly_read_file_is_not_cached(tmp_path, monkeypatch):
    lines = [json.dumps({"title": f"Record {i} about the harbour", "text": scrape(i)}) for i in range(3)]
    src = tmp_path / "in"
    src.mkdir()
    (src / "export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def stored() -> int:  # stored by the reading worker: counted on disk
        return len(list((readcache.root() / readcache.fingerprint()).glob("*/*.json.z")))

    before = stored()
    ingest([src], tmp_path / "content", jobs=1)
    assert stored() == before + 1  # a complete read is kept
    real_enrich = reading.enrich

    def fail_on_second(article, ctx):
        if article.title.startswith("Record 1"):
            raise RuntimeError("enricher failed")
        return real_enrich(article, ctx)

    monkeypatch.setattr(reading, "enrich", fail_on_second)
    (src / "export.jsonl").write_text("\n".join(lines[::-1]) + "\n", encoding="utf-8")  # new bytes
    entries = ingest([src], tmp_path / "content", jobs=1)
    assert any("rest of file unreadable" in (e.reason or "") for e in entries)
    assert stored() == before + 1  # the partial read was not kept


def test_fingerprint_follows_reading_code_and_data_but_not_the_site_plugin(tmp_path, monkeypatch):
    copy = tmp_path / "generator"
    shutil.copytree(Path(readcache.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(readcache, "_PACKAGE", copy)

    def fp() -> str:
        readcache.fingerprint.cache_clear()
        return readcache.fingerprint()

    try:
        before = fp()
        with open(copy / "data" / "vocabulary.yml", "a", encoding="utf-8") as fh:
            fh.write("\n# an editor's new comment\n")
        after_data = fp()
        assert after_data != before
        with open(copy / "mkdocs_plugin" / "plugin.py", "a", encoding="utf-8") as fh:
            fh.write("\n# a site-only change\n")
        assert fp() == after_data
        with open(copy / "readers" / "html.py", "a", encoding="utf-8") as fh:
            fh.write("\n# a reader change\n")
        assert fp() != after_data
    finally:
        readcache.fingerprint.cache_clear()


def test_entries_of_other_generator_versions_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_ARCHIVE_READ_CACHE", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir(mode=0o700)  # as an older version left it (no cache tag then)
    old = tmp_path / "cache" / "0123456789abcdef" / "aa"
    old.mkdir(parents=True)
    (old / "aa.pickle").write_bytes(b"stale")
    kept = [pipeline.RecordRejected("export.jsonl:2", "record without a title")]
    readcache.store("ab" * 32, kept)
    readcache.prune()
    assert not (tmp_path / "cache" / "0123456789abcdef").exists()
    assert readcache.load("ab" * 32) == kept


def test_a_damaged_entry_is_a_miss(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_ARCHIVE_READ_CACHE", str(tmp_path / "cache"))
    readcache.store("cd" * 32, [pipeline.RecordRejected("x.jsonl:1", "no title")])
    path = next((tmp_path / "cache").rglob("*.json.z"))
    path.write_bytes(b"\x80\x05 not an entry")
    assert readcache.load("cd" * 32) is None


def test_an_entry_cut_short_or_zero_filled_is_a_miss(tmp_path, monkeypatch):
    """Entries are written in place (no temporary file): one cut short by a crash, or whose end the
    file system left zero-filled, fails zlib's checksum and is read again, never taken as a read."""
    from generator.model import Article, Block

    monkeypatch.setenv("NEWS_ARCHIVE_READ_CACHE", str(tmp_path / "cache"))
    article = Article(title="Floods", blocks=[Block("p", "The river rose. " * 40)], origin="a.txt")
    readcache.store("ef" * 32, [article])
    path = readcache._path("ef" * 32)
    whole = path.read_bytes()
    assert readcache.load("ef" * 32) == [article]
    for damaged in (whole[:-1], whole[:-4], whole[: len(whole) // 2], whole[:-8] + bytes(8), b""):
        path.write_bytes(damaged)
        assert readcache.load("ef" * 32) is None
    readcache.store("ef" * 32, [article])  # stored again over the damaged one
    assert readcache.load("ef" * 32) == [article]


@pytest.fixture(autouse=True)
def _fresh_fingerprint():
    readcache.fingerprint.cache_clear()
    yield
    readcache.fingerprint.cache_clear()


def test_cli_no_cache_reads_everything_and_reports_the_same(tmp_path):
    from .conftest import run_archive

    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"s{i}.txt").write_text(scrape(20 + i), encoding="utf-8")
    first = run_archive("ingest", str(src), "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["counts"]["new"] == 3
    for flags in ((), ("--no-cache",)):
        again = run_archive("ingest", str(src), "--json", *flags, cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["counts"]["unchanged"] == 3


def test_the_cache_is_trimmed_to_its_size_limit_least_recently_used_first(tmp_path, monkeypatch):
    import base64
    import os
    import time

    from generator.model import Article, Block

    monkeypatch.setenv("NEWS_ARCHIVE_READ_CACHE", str(tmp_path / "cache"))
    keys = [f"{i:02x}" * 32 for i in range(10)]
    for i, k in enumerate(keys):
        noise = base64.b64encode(os.urandom(15_000)).decode()  # incompressible: ~20 KB each
        readcache.store(k, [Article(title="Noise", blocks=[Block("p", noise)], origin=f"{i}.txt")])
        past = time.time() - 1000 + i
        os.utime(readcache._path(k), (past, past))
    assert readcache.load(keys[0]) is not None  # the oldest entry is used again: now the newest
    monkeypatch.setenv("NEWS_ARCHIVE_READ_CACHE_MB", str(100_000 / 1024 / 1024))  # room for about 5
    readcache.prune()
    kept = [k for k in keys if readcache.load(k) is not None]
    assert keys[0] in kept and keys[-1] in kept
    assert keys[1] not in kept and 2 <= len(kept) <= 5


def test_an_entry_holds_every_field_of_the_article_and_reads_back_equal():
    """The entry is written field by field (not dataclasses.asdict, which deep-copies): it must still
    hold every field, so a field added to Article, Block or Place reaches the cache too."""
    from dataclasses import asdict
    from datetime import date

    from generator.model import Article, Block, Place

    article = Article(title="Floods", blocks=[Block("h2", "Rain"), Block("p", "The river rose.")], origin="a.txt",
                      summary="s", date=date(2024, 5, 2), source="Wire", url="https://example.org/a", author="A",
                      tags=["Floods"], places=[Place("Mosul", "Iraq", "Nineveh", "city", 36.34, 43.13, 99072, True)],
                      signature=b"\x01\x02", notes=["a note"])
    stored = json.loads(readcache.to_json([article]))[0]["article"]
    expected = asdict(article)
    expected.update(date="2024-05-02", signature="AQI=")
    assert stored == expected
    back = readcache.from_json(readcache.to_json([article]))[0]
    assert back == article and back.signature == article.signature and back.notes == article.notes


def test_a_new_generator_version_reads_unchanged_files_again(tmp_path, monkeypatch):
    """The record of ingested inputs (ledger) is keyed like the read cache, generator fingerprint
    included: after an upgrade (new code, vocabulary or gazetteer) an unchanged file is read again,
    so new tags reach its page, instead of being settled from the old record."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "story.txt").write_text(scrape(11), encoding="utf-8")
    content = tmp_path / "content"
    assert [e.outcome for e in ingest([src], content, jobs=1)] == ["new"]
    monkeypatch.setattr(reading, "choose", _broken_reader)
    assert [e.outcome for e in ingest([src], content, jobs=1)] == ["unchanged"]  # same version: not read
    monkeypatch.setattr(readcache, "fingerprint", lambda: "another-version")
    again = ingest([src], content, jobs=1)
    assert again[0].outcome == "rejected" and "the reader was called" in again[0].reason


def _noise_entries(keys: list[str]) -> None:
    import base64
    import os

    from generator.model import Article, Block

    for i, k in enumerate(keys):
        noise = base64.b64encode(os.urandom(15_000)).decode()  # incompressible: ~20 KB each
        readcache.store(k, [Article(title="Noise", blocks=[Block("p", noise)], origin=f"{i}.txt")])


def test_prune_lists_the_entries_again_only_when_an_entry_or_the_limit_changed(tmp_path, monkeypatch):
    """Only the shard folders changed since the last check are listed again (their totals added to
    the others' recorded ones); every entry is listed when the total is over the limit."""
    monkeypatch.setenv("NEWS_ARCHIVE_READ_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("NEWS_ARCHIVE_READ_CACHE_MB", str(100_000 / 1024 / 1024))  # room for about 5
    listed, shards = [], []
    real, real_shard = readcache._entries, readcache._shard_bytes
    monkeypatch.setattr(readcache, "_entries", lambda folder: listed.append(folder) or real(folder))
    monkeypatch.setattr(readcache, "_shard_bytes", lambda shard: shards.append(shard.name) or real_shard(shard))
    _noise_entries([f"{i:02x}" * 32 for i in range(3)])  # one shard each: 00, 01, 02
    readcache.prune()
    readcache.prune()  # nothing stored since: the entries are not listed again
    assert sorted(shards) == ["00", "01", "02"] and listed == []
    _noise_entries([f"{i:02x}" * 32 for i in range(3, 4)])
    readcache.prune()  # one shard changed: only it is listed, and the total is still within the limit
    assert sorted(shards) == ["00", "01", "02", "03"] and listed == []
    more = [f"{i:02x}" * 32 for i in range(4, 10)]
    _noise_entries(more)  # over the limit now: the next prune sees it and trims
    readcache.prune()
    assert len(listed) == 1 and sorted(shards[4:]) == ["04", "05", "06", "07", "08", "09"]
    assert sum(readcache.load(f"{i:02x}" * 32) is not None for i in range(10)) <= 5
    monkeypatch.setenv("NEWS_ARCHIVE_READ_CACHE_MB", str(50_000 / 1024 / 1024))  # a lower limit: checked again
    readcache.prune()
    readcache.prune()
    assert len(listed) >= 2
    assert sum(readcache.load(f"{i:02x}" * 32) is not None for i in range(10)) <= 2


def test_a_first_ingest_leaves_the_files_its_workers_hash_to_the_ledger(tmp_path, monkeypatch):
    """A run of many new files stores no read of the files its workers hash (those the ledger has no
    record of): the ledger's record settles them next time; only a project without that record (a
    fresh content folder, here) reads them again."""
    monkeypatch.setenv("NEWS_ARCHIVE_READ_CACHE", str(tmp_path / "cache"))
    n = reading.FEW_FILES + 8
    src = tmp_path / "in"
    src.mkdir()
    for i in range(n):
        (src / f"story{i:02}.txt").write_text(scrape(100 + i), encoding="utf-8")
    assert {e.outcome for e in ingest([src], tmp_path / "content", jobs=2)} == {"new"}
    stored = len(list((readcache.root() / readcache.fingerprint()).glob("*/*.json.z")))
    assert stored < n  # the files hashed before the workers started are kept, the others not
    monkeypatch.setattr(reading, "choose", _broken_reader)
    assert {e.outcome for e in ingest([src], tmp_path / "content", jobs=2)} == {"unchanged"}
    again = ingest([src], tmp_path / "other", jobs=2)
    assert sum("the reader was called" in (e.reason or "") for e in again) == n - stored
    assert sum(e.outcome == "new" for e in again) == stored
