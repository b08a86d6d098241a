"""What the ingest loads before forking its reading workers (pipeline._before_fork): the text
reader's model and rule files are loaded in the parent, so the workers share them; a warm-up that
fails costs nothing but time."""
from __future__ import annotations

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
