"""The search index's child process starts as soon as the article records are read, so it runs
beside the listings and the render instead of after them (issue 12), and still gives the index."""
from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from generator.mkdocs_plugin import catalogue, related

from .sample_site import make_project


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the index is made in-process")
def test_search_child_is_running_before_the_listings_are_made(tmp_path: Path, monkeypatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = make_project(tmp_path / "p")
    started: list[bool] = []
    real_pages = catalogue.generated_pages

    def generated_pages(plugin):
        started.append(plugin.search_job is not None and plugin.search_job.pid is not None)
        return real_pages(plugin)

    monkeypatch.setattr(catalogue, "generated_pages", generated_pages)
    monkeypatch.chdir(project)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build(config)
    assert started == [True]
    meta = json.loads((tmp_path / "site" / "search-index" / "meta.json").read_text(encoding="utf-8"))
    articles = list((project / "content" / "articles").rglob("*.md"))
    assert meta["articles"] == len(articles) > 0


def test_tag_index_and_location_tree_are_made_once_for_listings_and_search(tmp_path: Path, monkeypatch):
    """The search index takes the listings' tag index and location tree (catalogue.indexes, made
    before its child forks) instead of making them again from the same records. Made in this
    process here (no fork), so that every call is counted."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.mkdocs_plugin import index, plugin as plugin_module, searchjob

    project = make_project(tmp_path / "p")
    calls = {"tag_index": 0, "location_tree": 0}

    def counted(name: str):
        real = getattr(index, name)

        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return wrapper

    for name in calls:
        wrapper = counted(name)
        for module in (index, catalogue, plugin_module):
            monkeypatch.setattr(module, name, wrapper, raising=False)
    monkeypatch.setattr(searchjob.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.chdir(project)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build(config)
    assert calls == {"tag_index": 1, "location_tree": 1}
    meta = json.loads((tmp_path / "site" / "search-index" / "meta.json").read_text(encoding="utf-8"))
    assert meta["articles"] == len(list((project / "content" / "articles").rglob("*.md"))) > 0
    assert any(entry for entry in meta["facets"]["tag"])  # the tags reached the index


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no child processes")
def test_related_articles_are_computed_first_in_the_search_child(tmp_path: Path, monkeypatch):
    """The neighbours a build must compute are computed by the search index's child before its
    index (related.Pending.hand_over), not in a child of their own that shared the second core with
    it (that path is gone: round 35), and the pages show what a build computing them in this
    process shows (byte for byte)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.mkdocs_plugin import parallel

    monkeypatch.setattr(parallel, "cores", lambda: 2)  # as on the benchmark's machine
    project = make_project(tmp_path / "p")
    handed: list[bool] = []
    real_hand_over = related.Pending.hand_over

    def hand_over(self):
        first = real_hand_over(self)
        handed.append(first is not None)
        return first

    monkeypatch.setattr(related.Pending, "hand_over", hand_over)
    monkeypatch.chdir(project)
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    assert handed == [True]

    # The same pages as neighbours computed in this process (no second core, no build cache).
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text(encoding="utf-8")
                                        .replace("  - archive", "  - archive:\n      parallel_render: false\n      build_cache: false", 1),
                                        encoding="utf-8")
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "here")))
    pages = sorted(p.relative_to(tmp_path / "here") for p in (tmp_path / "here" / "articles").rglob("*.html"))
    assert pages and handed == [True]  # not handed over: computed here
    for page in pages:
        assert (tmp_path / "site" / page).read_bytes() == (tmp_path / "here" / page).read_bytes(), page
