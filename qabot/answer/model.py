"""Labelled feature rows → the fitted models and their versioned file, `params.json`: logistic regressions that rank
passages, and boosted trees that choose the sentences, give an answer its confidence and say which other sentences
join the best one.

The file holds, for each model, the feature names and the weights (a logistic regression's standardisation and
weights, the trees' splits and leaves); the abstention threshold; and what they were fitted on. `qabot fit FILE...`
writes it; nothing else in the code sets a weight."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

FORMAT = "qabot-params v3"  # v2: the answer model may be trees; v3: the extension model
READABLE = ("qabot-params v1", "qabot-params v2", FORMAT)
PARAMS_FILE = Path(__file__).with_name("params.json")
L2 = 1.0  # ridge penalty on standardised weights: a prior, not tuned on questions


@dataclass(frozen=True)
class Linear:
    """A logistic regression over named features."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def logits(self, x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(np.asarray(x, dtype=float))
        if not x.size:
            return np.zeros(len(x))
        x = x[:, :len(self.names)]  # a feature added after the file was fitted comes last, and is not read
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return z @ np.asarray(self.weights) + self.bias


@dataclass(frozen=True)
class Trees:
    """Boosted trees of depth two over named features: a logit is `base` plus `rate` times, for each tree, the leaf
    a row reaches (feature > threshold at the root, then on the side it took). The sentence and answer models:
    whether a check matters can hang on the kind of question (a figure question's sentence without a figure), which
    one weight per feature cannot say."""

    names: tuple[str, ...]
    splits: tuple[tuple[int, float, int, float, int, float], ...]  # per tree: root feature, threshold; left's; right's
    leaves: tuple[tuple[float, float, float, float], ...]  # per tree: left-no, left-yes, right-no, right-yes
    base: float
    rate: float

    def logits(self, x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(np.asarray(x, dtype=float))
        if not x.size or not self.splits:
            return np.full(len(x), self.base)
        splits = np.asarray(self.splits)
        f1, fl, fr = (splits[:, k].astype(int) for k in (0, 2, 4))
        right = x[:, f1] > splits[:, 1]
        below = np.where(right, x[:, fr] > splits[:, 5], x[:, fl] > splits[:, 3])
        leaf = right * 2 + below
        reached = np.asarray(self.leaves)[np.arange(len(self.leaves))[None, :], leaf]  # (rows, trees)
        return self.base + self.rate * reached.sum(axis=1)


# The trees of the sentence and answer models: priors of boosting on a few hundred or thousand rows, not searched for
# (settings tried under cross-validation moved abstain by at most 0.025, and twice the rounds of either model gained
# nothing: docs/evaluation.md).
TREES, RATE, LEAF_L2, MIN_LEAF, CUTS = 100, 0.1, 5.0, 15, 12
# Each tree is grown on a random share of the rows (stochastic gradient boosting, Friedman 2002): less fitted to the
# few questions a split happens to rest on. Ninth session, held-out over seventeen sets, five splits: abstain at 5%
# false_abstain 0.418 -> 0.452, AUC 0.818 -> 0.825 (0.5 gave 0.421 and 0.824: docs/evaluation.md). The draws come from
# a fixed seed, so they are the same at every fit; the file still differs in a few tied splits when BLAS sums in
# another order (threads, CPU), as it did before.
SUBSAMPLE, SEED = 0.7, 0
SENTENCE_TREES = 200  # the sentence model learns from about thirty times as many rows


def fit_trees(x: np.ndarray, y: np.ndarray, names: tuple[str, ...], trees: int | None = None) -> Trees:
    """Gradient boosting of `trees` (default `TREES`, read at the call) depth-two trees on the logistic loss (Newton
    leaves, ridge `LEAF_L2`, at least `MIN_LEAF` rows a side), each grown on a `SUBSAMPLE` share of the rows;
    thresholds among each feature's `CUTS` quantiles. A label may lie between 0 and 1."""
    trees = TREES if trees is None else trees
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    cuts = [(f, float(t)) for f in range(x.shape[1]) if len(x)
            for t in np.unique(np.quantile(x[:, f], np.linspace(0.05, 0.95, CUTS)))]
    over = np.column_stack([x[:, f] > t for f, t in cuts]).astype(float) if cuts else np.zeros((len(x), 0))
    prior = float(np.clip(y.mean(), 1e-3, 1 - 1e-3)) if len(y) else 0.5
    base = float(np.log(prior / (1 - prior)))
    score = np.full(len(y), base)
    rng = np.random.default_rng(SEED)
    splits, leaves = [], []
    for _ in range(trees):
        p = 1 / (1 + np.exp(-score))
        g, h = p - y, p * (1 - p)
        drawn = rng.random(len(y)) < SUBSAMPLE  # the rows this tree is grown on; every row's score moves
        root = _split(over, cuts, g, h, drawn.astype(float))
        if root is None:
            break
        right = x[:, root[0]] > root[1]
        left_split = _split(over, cuts, g, h, (~right & drawn).astype(float)) or root
        right_split = _split(over, cuts, g, h, (right & drawn).astype(float)) or root
        below = np.where(right, x[:, right_split[0]] > right_split[1], x[:, left_split[0]] > left_split[1])
        leaf = right * 2 + below
        values = tuple(float(-g[(leaf == k) & drawn].sum() / (h[(leaf == k) & drawn].sum() + LEAF_L2))
                       for k in range(4))
        splits.append((root[0], root[1], *left_split, *right_split))
        leaves.append(values)
        score += RATE * np.asarray(values)[leaf]
    return Trees(names=tuple(names), splits=tuple(splits), leaves=tuple(leaves), base=base, rate=RATE)


def _split(over: np.ndarray, cuts: list, g: np.ndarray, h: np.ndarray, rows: np.ndarray) -> tuple[int, float] | None:
    """Among the `rows` (a 0/1 mask), the (feature, threshold) of `cuts` that most lowers the Newton loss, with
    `MIN_LEAF` rows a side; None if none does. `over`: each row against each cut."""
    if not cuts:
        return None
    g, h = g * rows, h * rows
    total_g, total_h, total_n = g.sum(), h.sum(), rows.sum()
    gr, hr, n = g @ over, h @ over, rows @ over
    gl, hl = total_g - gr, total_h - hr
    gain = gl * gl / (hl + LEAF_L2) + gr * gr / (hr + LEAF_L2) - total_g * total_g / (total_h + LEAF_L2)
    gain[(n < MIN_LEAF) | (total_n - n < MIN_LEAF)] = -np.inf
    best = int(np.argmax(gain))
    return cuts[best] if gain[best] > 1e-12 else None


@dataclass(frozen=True)
class Params:
    passage: Linear  # candidate passage -> does it hold the answer (first-stage ranking)
    sentence: Linear | Trees  # sentence of a passage read -> is it the answer
    rerank: Linear  # passage read -> does it hold the answer, given its best sentence
    answer: Linear | Trees  # the best sentence -> does it answer the question (confidence)
    threshold: float  # below this confidence the reply says the articles do not state it
    rules: tuple[str, ...]  # the rule modules in force when these were fitted
    fitted_on: dict = field(default_factory=dict)  # {"questions": n, "hashes": [...], "heldout": {...}}
    thresholds: dict = field(default_factory=dict)  # language of the question -> its own threshold, where fitted
    extend: Linear | Trees | None = None  # another sentence read -> does it belong in the answer beside the best one

    def threshold_for(self, lang: str) -> float:
        """The threshold for a question in this language: each language keeps the promise on its own."""
        return float(self.thresholds.get(lang, self.threshold))


def fit_logistic(x: np.ndarray, y: np.ndarray, names: tuple[str, ...], l2: float = L2) -> Linear:
    """Ridge-penalised logistic regression by Newton's method on standardised features; a label may lie between 0
    and 1 (a soft label counts as that share of a positive)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    mean = x.mean(axis=0) if len(x) else np.zeros(len(names))
    scale = x.std(axis=0) if len(x) else np.ones(len(names))
    scale = np.where(scale > 1e-9, scale, 1.0)
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 1e-6  # the bias is not shrunk
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ w, -30, 30)))
        gradient = z.T @ (p - y) + penalty * w
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return Linear(names=tuple(names), mean=tuple(float(v) for v in mean), scale=tuple(float(v) for v in scale),
                  weights=tuple(float(v) for v in w[:-1]), bias=float(w[-1]))


def choose_threshold(confidence: np.ndarray, answerable: np.ndarray, most_refused: float) -> float:
    """The highest threshold that refuses at most `most_refused` of the answerable questions: as many unanswerable
    ones refused as that allows."""
    known = np.sort(np.asarray(confidence)[np.asarray(answerable, dtype=bool)])
    if not len(known):
        return 0.5
    allowed = int(np.floor(most_refused * len(known)))  # answerable questions that may fall below
    return float(known[allowed]) if allowed < len(known) else float(known[-1])


def question_hash(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:10]


def save(params: dict[str, Params], path: Path = PARAMS_FILE, extra: dict | None = None) -> None:
    """Write the parameters of each search mode ("hybrid", and the baselines "dense" and "keyword")."""
    data = {"format": FORMAT, **(extra or {}), "modes": {mode: asdict(p) for mode, p in params.items()}}
    text = json.dumps(data, ensure_ascii=False, indent=1)
    # a list of numbers on one line (a tree's split, its leaves): the file stays readable, a tree a line
    text = re.sub(r"\[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]",
                  lambda m: "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]", text)
    path.write_text(text + "\n", encoding="utf-8")


def load(path: Path = PARAMS_FILE) -> dict[str, Params]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("format") not in READABLE:
        raise ValueError(f"{path}: not a {FORMAT} file; refit with `qabot fit`")
    return {mode: _params(entry) for mode, entry in data["modes"].items()}


def read_extra(path: Path = PARAMS_FILE) -> dict:
    """What else the file records (how it was fitted, its held-out metrics)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if k not in ("format", "modes")}


def _params(entry: dict) -> Params:
    models = {name: _model(entry[name]) for name in ("passage", "sentence", "rerank", "answer")}
    return Params(**models, threshold=float(entry["threshold"]), rules=tuple(entry["rules"]),
                  fitted_on=entry.get("fitted_on", {}), thresholds=dict(entry.get("thresholds", {})),
                  extend=_model(entry["extend"]) if entry.get("extend") else None)


def _model(entry: dict) -> Linear | Trees:
    if "splits" in entry:
        return Trees(names=tuple(entry["names"]), splits=tuple(tuple(s) for s in entry["splits"]),
                     leaves=tuple(tuple(v) for v in entry["leaves"]), base=float(entry["base"]),
                     rate=float(entry["rate"]))
    return Linear(**{k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()})
