"""The body model's second pass (generator/readers/text_stack.py): a line re-scored by its neighbours'
first-pass scores, fitted by the trainer on out-of-fold scores (our own synthetic pages)."""
from __future__ import annotations

import numpy as np

from generator.readers.text_stack import STACK, restacked, stack_features

from .conftest import load_tool


def _column(name: str) -> int:
    return STACK.index(name)


def test_a_line_between_body_lines_is_marked_between_and_inside():
    p = np.array([0.0, 0.1, 0.9, 0.2, 0.95, 0.1, 0.0, 0.05])
    x = stack_features(p)
    assert x.shape == (len(p), len(STACK))
    assert x[3, _column("between")] == 0.9 and x[3, _column("inside")] == 1.0
    assert x[6, _column("inside")] == 0.0 and x[7, _column("between")] == p[7]  # past the body's last line: nothing below
    assert x[1, _column("to_below")] == np.log1p(1) and x[7, _column("to_above")] == np.log1p(3)
    assert stack_features(np.zeros(0)).shape == (0, len(STACK))


def test_chrome_stays_out_of_the_body_and_does_not_part_the_lines_around_it():
    """An advertisement line and a photo credit (chrome, 0 in the first pass) around a short line inside
    the text: they stay 0, and the short line's neighbours are the paragraphs beyond them."""
    p = np.array([0.9, 0.0, 0.2, 0.0, 0.9])
    weights = np.zeros(len(STACK))
    weights[_column("between")] = 5.0
    weights[_column("logit")] = 1.0
    out = restacked(p, p == 0, np.zeros(len(STACK)), np.ones(len(STACK)), weights)
    assert out[1] == 0.0 and out[3] == 0.0
    assert out[2] > 0.5 and out[0] > 0.5 and out[4] > 0.5


def _synthetic_pages(t, count: int):
    """Pages of long lines (body) and short lines; a short line is body only between two long ones,
    which its own features (a length column) cannot tell."""
    dim = len(t.FEATURES)
    xs, ys, sites = [], [], []
    for k in range(count):
        kinds = ["short"] * 3 + ["long", "long", "short", "long", "short", "long"] + ["short"] * 3
        x = np.zeros((len(kinds), dim))
        x[:, 0] = 1.0
        x[:, 1] = [2.0 if kind == "long" else -2.0 for kind in kinds]
        y = np.array([kind == "long" or 3 < i < 8 for i, kind in enumerate(kinds)], dtype=float)
        xs.append(x)
        ys.append(y)
        sites.append(f"site{k}")
    return xs, ys, sites


def test_the_trainer_fits_the_second_pass_to_take_a_short_line_between_paragraphs():
    t = load_tool("train_text_model")
    xs, ys, sites = _synthetic_pages(t, 20)
    mean, scale, weights = (np.array(v) for v in load_tool("body_stack").fit_stack(xs, ys, sites, t._first_pass))
    assert len(weights) == len(STACK)
    first = t.fit_body(xs, ys, len(t.FEATURES))
    p = 1.0 / (1.0 + np.exp(-(xs[0] @ first)))
    assert p[5] < 0.5 and p[7] < 0.5  # the first pass leaves the short lines inside out ...
    second = restacked(p, np.zeros(len(p), dtype=bool), mean, scale, weights)
    assert second[5] > 0.5 and second[7] > 0.5  # ... the second pass takes them
    assert second[1] < 0.5 and second[10] < 0.5  # and not the short lines around the text
