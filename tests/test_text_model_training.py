"""The trainer's cross-validation folds: pages of one site share a fold, pages without a URL are
keyed by their id (not all by the empty domain, which put every such page in one fold)."""
from __future__ import annotations

from .conftest import load_tool


def _trainer():
    return load_tool("train_text_model")


def test_site_is_the_domain_without_www():
    t = _trainer()
    assert t.site_of({"url": "https://www.example.com/a/b.html", "id": "x-1"}) == "example.com"


def test_page_without_url_is_keyed_by_its_id_less_its_number():
    t = _trainer()
    assert t.site_of({"url": None, "id": "readability-nytimes-2"}) == "readability-nytimes"
    assert t.site_of({"id": "readability-nytimes-3"}) == "readability-nytimes"
    assert t.site_of({"url": "", "id": "readability-aclu"}) == "readability-aclu"


def test_urlless_pages_spread_over_folds():
    t = _trainer()
    folds = {t.fold_of(t.site_of({"id": f"set-page{k}"})) for k in range(40)}
    assert len(folds) == t.FOLDS
    assert t.fold_of(t.site_of({"id": "set-a-1"})) == t.fold_of(t.site_of({"id": "set-a-2"}))
