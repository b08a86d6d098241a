"""What the ingest loads before forking its reading workers (pipeline._before_fork): the text
reader's model and rule files are loaded in the parent, so the workers share them; a warm-up that
fails costs nothing but time."""
from __future__ import annotations

import pytest

from generator import pipeline, reading
from generator.enrich.language import function_words
from generator.readers.text import chrome_rules
from generator.readers.text_model import load_model, stopwords

from tests.test_pipeline import scrape


def test_the_text_reader_is_loaded_before_the_workers_fork():
    for loader in (load_model, stopwords, chrome_rules, function_words):
        loader.cache_clear()
    pipeline._before_fork()
    for loader in (load_model, stopwords, chrome_rules, function_words):
        assert loader.cache_info().currsize == 1, loader


def test_a_failed_warm_up_does_not_stop_the_ingest(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "WARM_UP", tmp_path / "missing.txt")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(scrape(1), encoding="utf-8")
    entries = pipeline.ingest([tmp_path / "in"], tmp_path / "content", jobs=1)
    assert [e.outcome for e in entries] == ["new"]


@pytest.fixture
def counted(monkeypatch) -> tuple[list[int], list[int]]:
    """The read pools' job counts and the warm-ups of the ingests that follow (FEW_FILES is 2)."""
    reading._reading()
    real_pool = reading.ReadPool
    pools: list[int] = []
    warmed: list[int] = []

    def pool(work, jobs, limit, **options):
        pools.append(jobs)
        return real_pool(work, jobs, limit, **options)

    monkeypatch.setattr(reading, "ReadPool", pool)
    monkeypatch.setattr(reading, "_before_fork", lambda: warmed.append(1))
    monkeypatch.setattr(reading, "FEW_FILES", 2)
    return pools, warmed


def test_a_few_files_are_read_by_one_worker_without_the_warm_up(tmp_path, counted):
    """A daily update (at most FEW_FILES left to read once the known inputs are settled) forks one
    worker and skips the warm-up; more files get the warm-up and a worker per job."""
    pools, warmed = counted
    src = tmp_path / "in"
    src.mkdir()
    for i in range(2):
        (src / f"{i}.txt").write_text(scrape(i), encoding="utf-8")
    assert [e.outcome for e in pipeline.ingest([src], tmp_path / "content", jobs=2)] == ["new"] * 2
    assert pools == [1] and warmed == []
    for i in range(2, 5):
        (src / f"{i}.txt").write_text(scrape(i), encoding="utf-8")
    entries = pipeline.ingest([src], tmp_path / "content", jobs=2)
    assert sorted(e.outcome for e in entries) == ["new"] * 3 + ["unchanged"] * 2
    assert pools == [1, 2] and warmed == [1]


def test_inputs_hashed_again_but_unchanged_do_not_count_as_files_to_read(tmp_path, counted):
    """Inputs whose identity changed but not their bytes (an inbox checked out or copied again) are
    hashed and settled from their record: with a few new files among them the update still gets one
    worker and no warm-up, and the same outcomes."""
    pools, warmed = counted
    src = tmp_path / "in"
    src.mkdir()
    for i in range(5):
        (src / f"{i}.txt").write_text(scrape(i), encoding="utf-8")
    assert [e.outcome for e in pipeline.ingest([src], tmp_path / "content", jobs=2)] == ["new"] * 5
    assert pools == [2] and warmed == [1]
    copy = tmp_path / "copy"
    copy.mkdir()
    for i in range(5):  # the same bytes under the same names in new files (new identities)...
        (copy / f"{i}.txt").write_bytes((src / f"{i}.txt").read_bytes())
    (src / "0.txt").unlink()
    for i in range(1, 5):
        (copy / f"{i}.txt").replace(src / f"{i}.txt")
    for i in range(5, 7):  # ... and two new files
        (src / f"{i}.txt").write_text(scrape(i), encoding="utf-8")
    (copy / "0.txt").replace(src / "0.txt")
    entries = pipeline.ingest([src], tmp_path / "content", jobs=2)
    assert sorted(e.outcome for e in entries) == ["new"] * 2 + ["unchanged"] * 5
    assert pools == [2, 1] and warmed == [1]
    # more new files than FEW_FILES: a worker per job and the warm-up, as before
    for i in range(7, 10):
        (src / f"{i}.txt").write_text(scrape(i), encoding="utf-8")
    entries = pipeline.ingest([src], tmp_path / "content", jobs=2)
    assert sorted(e.outcome for e in entries) == ["new"] * 3 + ["unchanged"] * 7
    assert pools == [2, 1, 2] and warmed == [1, 1]
