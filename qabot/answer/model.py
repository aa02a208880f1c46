"""Labelled feature rows → the fitted models (logistic regressions) and their versioned file, `params.json`.

The file holds, for each model, the feature names, the standardisation and the weights; the abstention threshold;
and what they were fitted on. `qabot fit FILE...` writes it; nothing else in the code sets a weight."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

FORMAT = "qabot-params v1"
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
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return z @ np.asarray(self.weights) + self.bias


@dataclass(frozen=True)
class Params:
    passage: Linear  # candidate passage -> does it hold the answer (first-stage ranking)
    sentence: Linear  # sentence of a passage read -> is it the answer
    rerank: Linear  # passage read -> does it hold the answer, given its best sentence
    answer: Linear  # the best sentence -> does it answer the question (confidence)
    threshold: float  # below this confidence the reply says the articles do not state it
    rules: tuple[str, ...]  # the rule modules in force when these were fitted
    fitted_on: dict = field(default_factory=dict)  # {"questions": n, "hashes": [...], "heldout": {...}}
    thresholds: dict = field(default_factory=dict)  # language of the question -> its own threshold, where fitted

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
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def load(path: Path = PARAMS_FILE) -> dict[str, Params]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ValueError(f"{path}: not a {FORMAT} file; refit with `qabot fit`")
    return {mode: _params(entry) for mode, entry in data["modes"].items()}


def read_extra(path: Path = PARAMS_FILE) -> dict:
    """What else the file records (how it was fitted, its held-out metrics)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if k not in ("format", "modes")}


def _params(entry: dict) -> Params:
    models = {name: Linear(**{k: tuple(v) if isinstance(v, list) else v for k, v in entry[name].items()})
              for name in ("passage", "sentence", "rerank", "answer")}
    return Params(**models, threshold=float(entry["threshold"]), rules=tuple(entry["rules"]),
                  fitted_on=entry.get("fitted_on", {}), thresholds=dict(entry.get("thresholds", {})))
