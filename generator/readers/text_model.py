"""Line features of a scraped page and the small model that scores them (numpy for the arithmetic).

A page dump is a list of units (lines, hard-wrapped ones re-joined). Each unit gets a feature vector
describing its own shape (length, capitals, stopwords, final stop), its place on the page (relative
to the longest run of prose, blank lines around it), and its relation to the rest of the page (the
same line printed again or inside other lines, a line made of pieces that are other lines,
overlap of its words with the paragraphs that follow, chrome rules). Two
models read those vectors: a title score compared across the page's lines (the best one is the
headline: half a linear score with a small tanh hidden layer, half boosted trees on the raw features)
and a logistic body model giving each line's probability of being article text.
The weights are in data/text_model.json, fitted by tools/train_text_model.py on the tuning part of the
shared page dumps. Features of a line against the lines next to it (stopwords and capitals against the
line above and below, a longer sentence below, words shared with them, shortest of its block) lost in
cross-validation by site: tools/contrast_experiment.py.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from pathlib import Path

import numpy as np
import yaml

from ..textutil import YAML_BASE_LOADER
from .text_stack import restacked

DATA = Path(__file__).resolve().parent.parent / "data"
_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"""[.!?…。！？]["'”’»)\]」』]*$""")
# Chinese, Japanese and Korean write without spaces: two of these characters count as one word
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_SEPARATORS = re.compile(r"\s+[|·•—–>»›/-]\s+|:\s+")
_URLISH = re.compile(r"https?://|www\.|\.(?:com|org|net|de|fr|html?)\b", re.I)
BYLINE = re.compile(r"^(by|von|durch|par|por|di|door|av|af)\b:?\s", re.I)
PROSE_WORDS = 12  # a unit this long that ends a sentence is prose
MAX_CANDIDATE_CHARS = 300  # a headline is never longer
SAMPLE_CHARS = 2000


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function words of every language in data/function_words.yml (a word in two lists counts too:
    here any function word marks prose)."""
    raw = yaml.load((DATA / "function_words.yml").read_text(encoding="utf-8"), Loader=YAML_BASE_LOADER)  # "no", "on" stay words
    return frozenset(w.casefold() for words in raw.values() for w in words)


FEATURES = (
    "bias", "log_chars", "log_words", "words_3_20", "ends_stop", "ends_colon", "ends_question",
    "cap_ratio", "all_caps", "stop_density", "digit_ratio", "punct_ratio", "has_url", "separators",
    "byline_start", "repeats", "repeats_near", "piece_of_other", "blank_before", "blank_after", "prose",
    "in_main", "before_main", "after_main", "just_above_main", "rel_pos", "overlap_next",
    "window_prose", "prev_log_chars", "next_log_chars", "prev_prose", "next_prose", "chrome", "stop_rule",
    "has_date", "first_candidate", "long_unit", "candidates_to_main", "shorter_than_next",
    "next_candidate_above_main", "title_case", "date_below", "date_above", "byline_below", "prev_chrome",
    "prev_candidate", "next_candidate", "main_overlap", "from_main", "composite", "contained", "headlike_before",
)
CONTAINED_CHARS = 200_000  # short units searched for a candidate printed inside another line (bounds the work)


@dataclass(frozen=True)
class Model:
    """Standardised features; the title score is linear plus a small tanh hidden layer, the body
    probability a logistic regression."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    title: tuple[float, ...]
    hidden: tuple[tuple[float, ...], ...]  # one row per hidden unit: weights, then its bias
    out: tuple[float, ...]  # one weight per hidden unit
    body: tuple[float, ...]
    # boosted trees added to the title score, on the raw features: per tree its nodes in level order
    # (feature, threshold) and its 2**depth leaf values; a value above the threshold goes right
    trees: tuple[tuple[tuple[int, ...], tuple[float, ...], tuple[float, ...]], ...] = ()
    context: tuple[str, ...] = ()  # the trees also read these features of a candidate (CONTEXT), after the others
    body_trees: tuple[tuple[tuple[int, ...], tuple[float, ...], tuple[float, ...]], ...] = ()  # added to the body logit
    stack: tuple[tuple[float, ...], ...] = ()  # the body's second pass (text_stack.py): mean, scale, weights

    def __post_init__(self) -> None:
        # The same weights as arrays: scoring a line in Python loops took 7 of the 16 CPU-ms a page
        # dump costs to read (80 hidden units x 52 features per title candidate).
        hidden = np.array(self.hidden, dtype=float).reshape(len(self.hidden), len(self.mean) + 1)
        object.__setattr__(self, "_arrays", (
            np.array(self.mean, dtype=float), np.array(self.scale, dtype=float),
            np.array(self.title, dtype=float), hidden[:, :-1], hidden[:, -1],
            np.array(self.out, dtype=float), np.array(self.body, dtype=float)))
        object.__setattr__(self, "_trees", _tree_arrays(self.trees))
        object.__setattr__(self, "_body_trees", _tree_arrays(self.body_trees))

    def title_scores(self, rows: list[list[float]], extra: list[list[float]] | None = None) -> list[float]:
        """title_score of many units at once (one matrix product; the trees walked for all rows together)."""
        if not rows:
            return []
        mean, scale, title, weights, bias, out, _ = self._arrays
        x = np.asarray(rows, dtype=float)
        z = (x - mean) / scale
        score = z @ title + np.tanh(z @ weights.T + bias) @ out
        if self.trees:
            score = score + _walk_rows(self._trees, np.hstack([x, np.asarray(extra, dtype=float)]) if extra else x)
        return [float(v) for v in score]

    def tree_score(self, x: list[float]) -> float:
        """The title trees' sum for one raw feature vector."""
        return _walk(self._trees, x)

    def standard(self, x: list[float]) -> np.ndarray:
        mean, scale = self._arrays[:2]
        return (np.asarray(x, dtype=float) - mean) / scale

    def title_score(self, x: list[float], extra: list[float] | tuple = ()) -> float:
        """The headline score of a unit's features `x` (and its `context` features, when the model has any)."""
        _, _, title, weights, bias, out, _ = self._arrays
        z = self.standard(x)
        return float(title @ z + out @ np.tanh(weights @ z + bias)) + self.tree_score(list(x) + list(extra))

    def body_probability(self, x: list[float]) -> float:
        z = float(self._arrays[6] @ self.standard(x)) + _walk(self._body_trees, x)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


TABLE_NODES = 15  # trees of up to this many nodes (depth 4) are read through a table of their answers


def _tree_arrays(trees: tuple) -> tuple:
    """Trees as arrays (features, thresholds, leaves per tree; tree numbers; depth), and for trees of
    at most TABLE_NODES nodes the flat node features and thresholds, each tree's first leaf in the flat
    leaves, the weight of each node's answer in a tree's code and the leaf of every code."""
    nodes = len(trees[0][0]) if trees else 0
    feats = np.array([t[0] for t in trees], dtype=int).reshape(len(trees), nodes)
    cuts = np.array([t[1] for t in trees], dtype=float).reshape(len(trees), nodes)
    leaves = np.array([t[2] for t in trees], dtype=float).reshape(len(trees), nodes + 1)
    depth = int(round(math.log2(nodes + 1))) if trees else 0
    table = None
    if trees and nodes <= TABLE_NODES:
        leaf_of = np.zeros(1 << nodes, dtype=np.intp)
        for code in range(1 << nodes):
            node = 0
            for level in range(depth):
                node = 2 * node + ((code >> ((1 << level) - 1 + node)) & 1)
            leaf_of[code] = node
        table = (feats.ravel(), cuts.ravel(), (np.arange(len(trees)) * (nodes + 1))[None, :],
                 (1 << np.arange(nodes)).astype(np.intp), leaf_of, leaves.ravel())
    return feats, cuts, leaves, np.arange(len(trees)), depth, table


def _walk(arrays: tuple, x: list[float]) -> float:
    """The trees' sum for one raw feature vector (`_walk_rows` of one row)."""
    if not arrays[4]:
        return 0.0
    return float(_walk_rows(arrays, np.asarray([x], dtype=float))[0])


def _walk_rows(arrays: tuple, x: np.ndarray) -> np.ndarray:
    """The trees' sums for each row of a matrix of raw feature vectors. Small trees: every node's test
    answered at once, each tree's answers packed into a code, the code's leaf read from a table (the
    same sums as walking the trees, in half the time of the walk at a hundred rows: the trees were
    a twentieth of reading a real page). Larger trees: all walked a level at a time together."""
    feats, cuts, leaves, which, depth, table = arrays
    if table is not None:
        flat_feats, flat_cuts, first_leaf, weight, leaf_of, flat_leaves = table
        answers = (x[:, flat_feats] > flat_cuts).reshape(len(x), len(which), len(weight))
        return flat_leaves[first_leaf + leaf_of[answers @ weight]].sum(axis=1)
    node = np.zeros((len(x), len(which)), dtype=int)
    rows = np.arange(len(x))[:, None]
    for level in range(depth):
        at = (1 << level) - 1 + node
        node = 2 * node + (x[rows, feats[which, at]] > cuts[which, at])
    return leaves[which, node].sum(axis=1)


@lru_cache(maxsize=1)
def load_model(path: Path = DATA / "text_model.json") -> Model:
    raw = json.loads(path.read_text(encoding="utf-8"))
    if tuple(raw["features"]) != FEATURES:
        raise ValueError(f"{path.name} was trained on other features: run tools/train_text_model.py")
    return Model(tuple(raw["features"]), tuple(raw["mean"]), tuple(raw["scale"]), tuple(raw["title"]),
                 tuple(tuple(r) for r in raw["hidden"]), tuple(raw["out"]), tuple(raw["body"]),
                 tuple((tuple(f), tuple(t), tuple(v)) for f, t, v in raw.get("trees", ())), tuple(raw.get("context", ())),
                 tuple((tuple(f), tuple(t), tuple(v)) for f, t, v in raw.get("body_trees", ())),
                 tuple(tuple(v) for v in raw.get("stack", ())))


def word_count(unit: str) -> int:
    """Words of a unit: its spaced tokens, plus one per two characters of unspaced (CJK) script."""
    if unit.isascii():  # (constant time for a str) no CJK character to look for
        return len(unit.split())
    cjk = len(_CJK.findall(unit[:SAMPLE_CHARS]))
    return len(unit.split()) + cjk // 2 if cjk else len(unit.split())


def is_prose(unit: str, words: int | None = None) -> bool:
    words = word_count(unit) if words is None else words
    return words >= 2 * PROSE_WORDS or (words >= PROSE_WORDS and bool(_SENTENCE_END.search(unit[-12:])))


def main_run(units: list[str], prose: list[bool] | None = None) -> tuple[int, int]:
    """The longest run of prose: the span of units maximising prose characters minus a toll for every
    unit of chrome inside it (Kadane's maximum subarray, linear time). (start, end) inclusive.
    `prose`: each unit's is_prose, when the caller has it."""
    best, best_span = 0.0, (0, max(0, len(units) - 1))
    total, start = 0.0, 0
    for i, u in enumerate(units):
        value = float(len(u)) if (prose[i] if prose is not None else is_prose(u)) else -40.0 - len(u) / 2
        if total <= 0:
            total, start = 0.0, i
        total += value
        if total > best:
            best, best_span = total, (start, i)
    if best == 0:  # no prose at all (a short page): the sentences, from the first to the last
        sentences = [i for i, u in enumerate(units) if word_count(u) >= 4 and _SENTENCE_END.search(u[-12:])]
        if sentences:
            return sentences[0], sentences[-1]
    return best_span


def _ascii_where(test) -> bytes:
    return bytes(c for c in range(128) if test(chr(c)))


# The ASCII characters each str method accepts (made with the methods themselves), so that a head's
# ASCII part is counted with bytes.translate and only its other characters one by one: calling the
# methods on every character was a quarter of the features' time.
_DIGITS, _ALNUM, _SPACES = _ascii_where(str.isdigit), _ascii_where(str.isalnum), _ascii_where(str.isspace)
_ALPHA, _NOT_CAPITALS = _ascii_where(str.isalpha), _ascii_where(lambda c: c.isalpha() and not c.isupper())
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_first = itemgetter(0)  # a word's first character (words from str.split are never empty)


def _char_counts(head: str) -> tuple[bool, int, int, int]:
    """(head has letters and all are capitals, its digits, its letters and digits, its spaces), as
    str.isalpha / isupper / isdigit / isalnum / isspace count them character by character."""
    raw = head.encode("ascii", "ignore")
    n = len(raw)
    digits = n - len(raw.translate(None, _DIGITS))
    alnum = n - len(raw.translate(None, _ALNUM))
    spaces = n - len(raw.translate(None, _SPACES))
    letters = n - len(raw.translate(None, _ALPHA))
    small = n - len(raw.translate(None, _NOT_CAPITALS))  # letters that are not capitals
    if n != len(head):
        other = _NON_ASCII.findall(head)
        digits += sum(map(str.isdigit, other))
        alnum += sum(map(str.isalnum, other))
        spaces += sum(map(str.isspace, other))
        alpha = list(filter(str.isalpha, other))
        letters += len(alpha)
        small += len(alpha) - sum(map(str.isupper, alpha))
    return letters > 0 and small == 0, digits, alnum, spaces


def features(units: list[str], blocks: list[int], chrome: list[bool], stop: list[bool],
             dated: list[bool]) -> list[list[float]]:
    """One feature vector per unit, in FEATURES order. Linear in the size of the page."""
    n = len(units)
    stops = stopwords()
    is_stop = stops.__contains__
    words = [u.split() for u in units]
    counted = [len(w) if u.isascii() else word_count(u) for u, w in zip(units, words)]  # (= word_count)
    prose = [is_prose(u, c) for u, c in zip(units, counted)]
    keys = [u.casefold() for u in units]
    counts: dict[str, int] = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    # each short line's parts at its separators, stripped (split once: the pieces and composite use them)
    split = [[p.strip() for p in _SEPARATORS.split(k)] if len(k) <= 400 else None for k in keys]
    pieces: dict[str, int] = {}  # "Headline | Site", "Section: Headline": the parts of short lines
    for k, sp in zip(keys, split):
        if sp is not None:
            parts = {p for p in sp if p and p != k}
            for p in parts:
                pieces[p] = pieces.get(p, 0) + 1
    seen_at: dict[str, int] = {}
    near = [False] * n
    for i, k in enumerate(keys):
        j = seen_at.get(k)
        if j is not None and i - j <= 8:
            near[i] = near[j] = True
        seen_at[k] = i
    # words of the next three prose units after each unit (what a headline's words come back in)
    tokens = [_WORD.findall(k) for k in keys]
    following: list[frozenset[str]] = [frozenset()] * n
    upcoming: list[int] = []
    current: frozenset[str] = frozenset()
    for i in range(n - 1, -1, -1):
        following[i] = current
        if prose[i]:  # the set changes only here: built once per prose unit, shared by the units above
            upcoming.insert(0, i)
            del upcoming[3:]
            current = frozenset(chain.from_iterable([tokens[j] for j in upcoming]))
    start, end = main_run(units, prose)
    first_candidate = next((i for i, c in enumerate(counted) if c >= 3 and not chrome[i]), -1)
    log_chars = [math.log1p(len(u)) for u in units]
    main_words = frozenset(chain.from_iterable([tokens[j] for j in range(start, min(n, end + 1)) if prose[j]]))
    in_main = main_words.__contains__
    candidate = [3 <= c <= 40 and not chrome[i] and not prose[i] for i, c in enumerate(counted)]
    to_main = [0] * n  # candidate units between this one and the start of the main run
    count = 0
    for i in range(min(start, n) - 1, -1, -1):
        to_main[i] = count
        count += candidate[i]
    # "Home » Section » Headline", "Headline | Site": a line made of pieces that are lines of the page
    composite = [sp is not None and any(counts.get(p, 0) for p in sp if p != k) for k, sp in zip(keys, split)]
    byline = [bool(BYLINE.match(u)) for u in units]
    # the headline printed again inside other lines (share text, a title bar, "Kicker Headline")
    short_text = "\n".join(k for k in keys if len(k) <= 400)[:CONTAINED_CHARS]
    near_start = [i < 1000 or abs(i - start) <= 1000 for i in range(n)]
    headlike_before = [0] * n  # headline-shaped lines (five words or more) above this one
    count = 0
    for i, c in enumerate(counted):
        headlike_before[i] = count
        count += not chrome[i] and len(units[i]) <= MAX_CANDIDATE_CHARS and c >= 5
    out = []
    for i, u in enumerate(units):
        w = words[i]
        contained = max(0, short_text.count(keys[i]) - counts[keys[i]]) \
            if not chrome[i] and 15 <= len(u) <= MAX_CANDIDATE_CHARS and counted[i] >= 2 and near_start[i] else 0
        nw = max(1, counted[i])
        head = u[:SAMPLE_CHARS]  # character shares from the start of a long unit: bounded work
        all_caps, digits, alnum, spaces = _char_counts(head)
        toks = tokens[i]
        content = [t for t in toks if len(t) >= 3 and t not in stops]
        caps = sum(map(str.isupper, map(_first, w)))
        lo, hi = max(0, i - 3), min(n, i + 4)
        out.append([
            1.0,
            log_chars[i],
            math.log1p(counted[i]),
            1.0 if 3 <= counted[i] <= 20 else 0.0,
            1.0 if _SENTENCE_END.search(u[-12:]) else 0.0,
            1.0 if u.endswith(":") else 0.0,
            1.0 if u.endswith("?") else 0.0,
            caps / nw,
            1.0 if all_caps else 0.0,
            sum(map(is_stop, toks)) / max(1, len(toks)),
            digits / max(1, len(head)),
            (len(head) - alnum - spaces) / max(1, len(head)),
            1.0 if _URLISH.search(u) else 0.0,
            float(min(3, len(_SEPARATORS.findall(u)))),
            1.0 if byline[i] else 0.0,
            math.log1p(counts[keys[i]] - 1),
            1.0 if near[i] else 0.0,
            math.log1p(pieces.get(keys[i], 0)),
            1.0 if i == 0 or blocks[i - 1] != blocks[i] else 0.0,
            1.0 if i == n - 1 or blocks[i + 1] != blocks[i] else 0.0,
            1.0 if prose[i] else 0.0,
            1.0 if start <= i <= end else 0.0,
            math.log1p(max(0, start - i)),
            math.log1p(max(0, i - end)),
            1.0 if 1 <= start - i <= 5 else 0.0,
            i / max(1, n - 1),
            sum(map(following[i].__contains__, content)) / len(content) if content else 0.0,
            sum(prose[lo:hi]) / (hi - lo),
            log_chars[i - 1] if i else 0.0,
            log_chars[i + 1] if i + 1 < n else 0.0,
            1.0 if i and prose[i - 1] else 0.0,
            1.0 if i + 1 < n and prose[i + 1] else 0.0,
            1.0 if chrome[i] else 0.0,
            1.0 if stop[i] else 0.0,
            1.0 if dated[i] else 0.0,
            1.0 if i == first_candidate else 0.0,
            1.0 if len(u) > MAX_CANDIDATE_CHARS else 0.0,
            math.log1p(to_main[i]) if i < start else -1.0,
            log_chars[i + 1] - log_chars[i] if i + 1 < n else 0.0,
            1.0 if i + 1 < start and candidate[i + 1] else 0.0,
            (caps + sum([len(t) <= 3 and not t[0].isupper() for t in w])) / nw,
            1.0 if any(dated[i + 1:i + 4]) else 0.0,
            1.0 if any(dated[max(0, i - 3):i]) else 0.0,
            1.0 if any(byline[i + 1:i + 4]) else 0.0,
            1.0 if i and chrome[i - 1] else 0.0,
            1.0 if i and candidate[i - 1] else 0.0,
            1.0 if i + 1 < n and candidate[i + 1] else 0.0,
            sum(map(in_main, content)) / len(content) if content else 0.0,
            max(-3.0, min(3.0, (i - start) / 10)),
            1.0 if composite[i] else 0.0,
            math.log1p(contained),
            math.log1p(headlike_before[i]),
        ])
    return out


CONTEXT = ("body_p", "to_body", "between_body", "body_after", "body_above", "to_body_start",
           "cands_to_body_start", "body_overlap")
CONTEXT_AFTER = 10  # units below a candidate whose body share is counted
CONTEXT_FAR = 50  # distances are capped here


def body_probabilities(model: Model, vectors: list[list[float]], chrome: list[bool]) -> np.ndarray:
    """The body model's probability for every unit (chrome units 0), in one matrix product, re-scored
    by the second pass over the neighbours' scores when the model has one."""
    if not vectors:
        return np.zeros(0)
    mean, scale = model._arrays[:2]
    own = (np.asarray(vectors, dtype=float) - mean) / scale
    z = own @ model._arrays[6]
    if model.body_trees:
        z = z + _walk_rows(model._body_trees, np.asarray(vectors, dtype=float))
    p = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
    is_chrome = np.asarray(chrome, dtype=bool)
    p[is_chrome] = 0.0
    if model.stack:
        p = restacked(p, is_chrome, *(np.asarray(v, dtype=float) for v in model.stack), own=own)
    return p


def context(units: list[str], probability: np.ndarray, candidates: list[int],
            threshold: float = 0.5) -> list[list[float]]:
    """Features of each candidate against the article body the body model finds (in CONTEXT order):
    its own body probability, how far below it the body starts and what stands between, the body's
    share of the text below and above it, its distance to the start of the page's biggest body block
    and the candidates between, and the share of its words that come back in the body under it.
    A headline sits just above the body start with only short units between; a standfirst or a
    subheading has body around it; a related link has none under it."""
    n = len(units)
    body = probability >= threshold
    lengths = np.array([len(u) for u in units], dtype=float)
    mass = np.where(body, lengths, 0.0)
    next_body = [n] * (n + 1)  # the first body unit at or after i
    for i in range(n - 1, -1, -1):
        next_body[i] = i if body[i] else next_body[i + 1]
    # the biggest block of body units (gaps of up to 2 units allowed), by characters
    best, best_start, run, run_start, gap = 0.0, -1, 0.0, -1, 0
    for i in range(n):
        if body[i]:
            if run_start < 0:
                run_start, run = i, 0.0
            run += mass[i]
            gap = 0
            if run > best:
                best, best_start = run, run_start
        elif run_start >= 0:
            gap += 1
            if gap > 2:
                run_start, run, gap = -1, 0.0, 0
    cum = np.concatenate([[0.0], np.cumsum(mass)])
    tot = np.concatenate([[0.0], np.cumsum(lengths)])
    cset = set(candidates)
    cands_before = np.concatenate([[0], np.cumsum([i in cset for i in range(n)])])
    stops = stopwords()
    out = []
    for i in candidates:
        j = next_body[i + 1] if i + 1 <= n else n
        hi = min(n, i + 1 + CONTEXT_AFTER)
        lo = max(0, i - CONTEXT_AFTER)
        below = (cum[hi] - cum[i + 1]) / max(1.0, tot[hi] - tot[i + 1])
        above = (cum[i] - cum[lo]) / max(1.0, tot[i] - tot[lo])
        to_start = best_start - i if best_start > i else -1
        words = [t for t in _WORD.findall(units[i].casefold()) if len(t) >= 3 and t not in stops]
        if words and j < n:
            seen = set(_WORD.findall(" ".join(units[k] for k in range(j, min(n, j + 30)) if body[k]).casefold()))
            overlap = sum(w in seen for w in words) / len(words)
        else:
            overlap = 0.0
        out.append([
            float(probability[i]),
            math.log1p(min(CONTEXT_FAR, j - i - 1)) if j < n else math.log1p(CONTEXT_FAR),
            math.log1p(sum(1 for k in range(i + 1, min(j, i + CONTEXT_FAR)) if len(units[k].split()) >= 3)),
            below,
            above,
            math.log1p(min(CONTEXT_FAR, to_start)) if to_start > 0 else -1.0,
            math.log1p(int(cands_before[best_start] - cands_before[i + 1])) if to_start > 0 else -1.0,
            overlap,
        ])
    return out
