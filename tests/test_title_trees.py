"""The headline trees (tools/title_trees.py): the reader's Model scores a line as the trainer does,
a model file without trees still loads, and boosting learns which candidate of a page is the headline."""
from __future__ import annotations

import json

import numpy as np

from generator.readers.text_model import DATA, FEATURES, Model

from .conftest import load_tool


def _trees():
    return load_tool("title_trees")


def _pages(rng: np.random.Generator, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Pages of 6 candidates with 3 features; the headline is the one whose feature 1 is above 0.5
    and feature 2 below 0 (an interaction no single threshold gives)."""
    pages = []
    for _ in range(n):
        x = np.column_stack([np.ones(6), rng.random(6), rng.normal(size=6)])
        good = (x[:, 1] > 0.5) & (x[:, 2] < 0)
        if good.sum() == 1:
            pages.append((x, good.astype(float)))
    return pages


def _as_model(trees: list, dim: int) -> Model:
    return Model(tuple(f"f{k}" for k in range(dim)), (0.0,) * dim, (1.0,) * dim, (0.0,) * dim, (), (),
                 (0.0,) * dim, tuple((tuple(f for lv in levels for f, _ in lv), tuple(t for lv in levels for _, t in lv),
                                      tuple(leaves)) for levels, leaves in trees))


def test_boosting_finds_the_headline_and_the_reader_scores_as_the_trainer():
    tt = _trees()
    rng = np.random.default_rng(3)
    train, test = _pages(rng, 300), _pages(rng, 100)
    trees = tt.fit_trees(train, 60, 1, np.array([True, False, False]))
    right = sum(int(y[int(np.argmax(tt.tree_scores(trees, x)))] > 0) for x, y in test)
    assert right >= 0.9 * len(test)
    model = _as_model(trees, 3)
    for x, _ in test[:10]:
        assert np.allclose([model.title_score(list(row)) for row in x], tt.tree_scores(trees, x), atol=1e-9)


def test_model_without_trees_scores_with_its_network_alone():
    model = Model(("a", "b"), (0.0, 0.0), (1.0, 1.0), (0.0, 2.0), (), (), (0.0, 0.0))
    assert model.title_score([1.0, 3.0]) == 6.0
    assert model.tree_score([1.0, 3.0]) == 0.0


def test_shipped_model_trees_read_the_features_it_was_trained_on():
    raw = json.loads((DATA / "text_model.json").read_text(encoding="utf-8"))
    width = len(FEATURES) + len(raw.get("context", ()))
    for feats, cuts, leaves in raw.get("trees", ()):
        assert len(leaves) == len(feats) + 1 == len(cuts) + 1
        assert all(0 <= f < width for f in feats)


def test_a_model_whose_trees_read_the_context_features_reads_a_page():
    from dataclasses import replace

    from generator.readers.text import analyse, read_page
    from generator.readers.text_model import CONTEXT, load_model

    base = load_model()
    # one tree on the first context feature (the candidate's own body probability): a low one scores up
    tree = ((len(FEATURES),), (0.5,), (5.0, 0.0))
    model = replace(base, trees=(tree,), context=CONTEXT)
    text = ("Home | News | Sport\n\nHarbour wall gives way after a week of storms\n\nBy Anna Smith\n\n"
            + "The harbour wall gave way on Monday after a week of storms, and the council said repairs "
            "would take the rest of the winter to finish.\n\n" * 3)
    article = read_page(analyse(text), model, "x")
    assert article.title == "Harbour wall gives way after a week of storms"


def test_logistic_trees_boosted_from_a_start_move_the_lines_toward_their_labels():
    tt = _trees()
    rng = np.random.default_rng(5)
    pages = []
    for _ in range(40):
        x = np.column_stack([np.ones(30), rng.random(30)])
        pages.append((x, (x[:, 1] > 0.6).astype(float)))
    trees = tt.fit_trees(pages, 40, 2, np.array([True, False]), start=[np.zeros(30) for _ in pages], min_hess=0.5)
    x = np.column_stack([np.ones(2), [0.9, 0.2]])
    high, low = tt.tree_scores(trees, x)
    assert high > 0 > low


def test_scores_of_many_lines_at_once_are_the_scores_of_each():
    from generator.readers.text import analyse, title_candidates
    from generator.readers.text_model import load_model

    model = load_model()
    page = analyse("Home | News\n\nHarbour wall gives way after storms\n\nBy Anna Smith\n\n"
                   + "The harbour wall gave way on Monday after a week of storms, the council said.\n\n" * 3)
    rows = [page.vectors[i] for i in title_candidates(page)]
    assert np.allclose(model.title_scores(rows), [model.title_score(r) for r in rows], atol=1e-9)
