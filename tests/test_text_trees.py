"""The boosted trees of the text model's title score, read a table of answers at a time
(text_model._walk_rows): the same sums as walking each tree node by node, for every depth, with
values on a threshold going left as in the trainer (tools/title_trees.py)."""
from __future__ import annotations

import numpy as np
import pytest

from generator.readers.text_model import _tree_arrays, _walk, _walk_rows


def walked(trees: list, x: list[float]) -> float:
    """One row, one tree at a time: at each node go right when the value is above its threshold."""
    total = 0.0
    for feats, cuts, leaves in trees:
        node = 0
        depth = int(round(np.log2(len(feats) + 1)))
        for level in range(depth):
            at = (1 << level) - 1 + node
            node = 2 * node + (x[feats[at]] > cuts[at])
        total += leaves[node]
    return total


@pytest.mark.parametrize("depth", [1, 2, 3, 4, 5])
def test_trees_sum_as_walked_node_by_node(depth: int):
    rng = np.random.default_rng(depth)
    nodes, width = (1 << depth) - 1, 12
    trees = [(tuple(int(f) for f in rng.integers(0, width, nodes)),
              tuple(float(c) for c in rng.integers(-2, 3, nodes)),  # whole numbers: rows hit them exactly
              tuple(float(v) for v in rng.normal(0, 1, nodes + 1))) for _ in range(30)]
    x = rng.integers(-3, 4, (40, width)).astype(float)
    arrays = _tree_arrays(tuple(trees))
    assert (arrays[5] is not None) == (nodes <= 15)  # depth 5: walked a level at a time
    got = _walk_rows(arrays, x)
    want = [walked(trees, list(row)) for row in x]
    assert np.allclose(got, want, rtol=0, atol=1e-12)
    assert _walk(arrays, list(x[0])) == pytest.approx(want[0], abs=1e-12)


def test_no_trees_add_nothing():
    assert _walk(_tree_arrays(()), [1.0, 2.0]) == 0.0
