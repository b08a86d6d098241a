"""The headline's network for tools/train_text_model.py: a conditional logit over each page's title
candidates (a linear score plus a small tanh hidden layer), the average of seeded fits. The boosted
trees added to its score are tools/title_trees.py; what was tried is in tools/text_model_rounds.md.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.readers.text_model import FEATURES  # noqa: E402

L2 = float(os.environ.get("TRAIN_L2", "1e-2"))  # title model; 0.1 and hidden 8 tie in --cv (0.697)
SEED = 8
HIDDEN = int(os.environ.get("TRAIN_HIDDEN", "4"))
ENSEMBLE = int(os.environ.get("TRAIN_ENSEMBLE", "20"))  # seeded fits averaged (--cv title: 1 fit 0.606, 10 0.652, 20 0.655 with word counting by characters, where 10 gave 0.643)
TITLE_STEPS = int(os.environ.get("TRAIN_STEPS", "300"))
ADAM_RATE = 0.01
# experiment knobs (defaults: off)
DROPOUT = float(os.environ.get("TRAIN_DROPOUT", "0"))  # share of a candidate's features zeroed each step
NOISE = float(os.environ.get("TRAIN_NOISE", "0"))  # Gaussian noise on the standardised features each step
BAG = os.environ.get("TRAIN_BAG", "")  # "site": each fit of the ensemble on a bootstrap sample of sites
LOSS = os.environ.get("TRAIN_LOSS", "listwise")  # "pairwise": the gold line against each other candidate (see _pairwise)
DROP = tuple(f for f in os.environ.get("TRAIN_DROP", "").split(",") if f)  # title features left out


def fit_title(groups: list[tuple[np.ndarray, np.ndarray, str]], dim: int) -> dict:
    """The average of ENSEMBLE title models fitted from different seeded starts (an average of such
    scores is one model of the same form: the linear parts averaged, the hidden units side by side)."""
    fits = [fit_one_title(bag(groups, SEED + k), dim, SEED + k) for k in range(ENSEMBLE)]
    return {"lin": sum(f["lin"] for f in fits) / len(fits), "w1": np.vstack([f["w1"] for f in fits]),
            "b1": np.concatenate([f["b1"] for f in fits]),
            "w2": np.concatenate([f["w2"] for f in fits]) / len(fits)}


def bag(groups: list[tuple[np.ndarray, np.ndarray, str]], seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The pages one fit of the ensemble sees: all of them, or (TRAIN_BAG=site) the pages of a
    bootstrap sample of the sites, drawn with a seeded generator."""
    if BAG != "site":
        return [(x, y) for x, y, _ in groups]
    sites = sorted({s for _, _, s in groups})
    drawn = np.random.default_rng(1000 + seed).integers(0, len(sites), len(sites))
    times = {s: 0 for s in sites}
    for k in drawn:
        times[sites[k]] += 1
    return [(x, y) for x, y, s in groups for _ in range(times[s])]


def fit_one_title(groups: list[tuple[np.ndarray, np.ndarray]], dim: int, seed: int) -> dict:
    """Conditional logit over each page's candidates: a linear score plus a small tanh hidden layer,
    fitted with Adam from a seeded start; maximises the share of the softmax on the gold lines."""
    x = np.vstack([g for g, _ in groups])
    y = np.concatenate([t for _, t in groups])
    starts = np.cumsum([0] + [len(t) for _, t in groups])[:-1]
    group = np.repeat(np.arange(len(groups)), [len(t) for _, t in groups])
    rng = np.random.default_rng(seed)
    params = {"lin": np.zeros(dim), "w1": rng.normal(0, 0.1, (HIDDEN, dim)), "b1": np.zeros(HIDDEN),
              "w2": rng.normal(0, 0.1, HIDDEN)}
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    keep = np.array([f not in DROP for f in FEATURES] + [True] * (dim - len(FEATURES)), dtype=float)  # (extra columns: kept)
    x_clean = x * keep
    for step in range(1, TITLE_STEPS + 1):
        x = x_clean
        if DROPOUT:
            mask = rng.random(x.shape) >= DROPOUT
            mask[:, 0] = True  # the bias stays
            x = x * mask / (1 - DROPOUT)
            x[:, 0] = x_clean[:, 0]
        if NOISE:
            x = x + rng.normal(0, NOISE, x.shape) * keep
            x[:, 0] = x_clean[:, 0]
        h = np.tanh(x @ params["w1"].T + params["b1"])
        s = x @ params["lin"] + h @ params["w2"]
        d = (_pairwise if LOSS == "pairwise" else _listwise)(s, y, starts, group) / len(groups)  # d loss / d score
        dh = np.outer(d, params["w2"]) * (1 - h ** 2)
        grads = {"lin": x.T @ d + L2 * params["lin"], "w2": h.T @ d + L2 * params["w2"],
                 "w1": dh.T @ x + L2 * params["w1"], "b1": dh.sum(axis=0)}
        for k, g in grads.items():
            m, v = moments[k]
            m[:] = 0.9 * m + 0.1 * g
            v[:] = 0.999 * v + 0.001 * g * g
            params[k] -= ADAM_RATE * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    params["lin"] *= keep
    params["w1"] *= keep
    return params


def _listwise(s: np.ndarray, y: np.ndarray, starts: np.ndarray, group: np.ndarray) -> np.ndarray:
    """d loss / d score of each page's softmax share on its gold lines."""
    s = s - np.maximum.reduceat(s, starts)[group]
    e = np.exp(s)
    p = e / np.add.reduceat(e, starts)[group]
    py = p * y
    return p - py / np.add.reduceat(py, starts)[group]


def _pairwise(s: np.ndarray, y: np.ndarray, starts: np.ndarray, group: np.ndarray) -> np.ndarray:
    """d loss / d score of the mean over each page's other candidates of log(1 + e^(other - gold)),
    the gold score the mean of its gold lines' (TRAIN_LOSS=pairwise): each wrong line weighs the same,
    where the softmax lets the best-scored ones dominate."""
    golds = np.add.reduceat(y, starts)
    gold = (np.add.reduceat(s * y, starts) / golds)[group]
    others = np.maximum(1.0, np.add.reduceat(1 - y, starts))
    r = (1 - y) / (1 + np.exp(np.clip(gold - s, -50, 50))) / others[group]
    return r - y * (np.add.reduceat(r, starts) / golds)[group]


def title_scores(params: dict, x: np.ndarray) -> np.ndarray:
    return x @ params["lin"] + np.tanh(x @ params["w1"].T + params["b1"]) @ params["w2"]

