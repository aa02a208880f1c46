"""`scripts/answer_screen.py` scores answer models by leaving each corpus out, on rows made by the real fitting code:
here on rows whose answerability one feature tells and another does not, so the expected figures are far from any
threshold (the trees are the real `fit_trees`)."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "answer_screen.py"


@pytest.fixture(scope="module")
def screen():
    spec = importlib.util.spec_from_file_location("answer_screen", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(telling: bool) -> dict:
    rng = np.random.default_rng(0)
    n = 600
    answerable = rng.random(n) < 0.7
    right = answerable & (rng.random(n) < 0.8)  # the rest answered from a passage without the gold
    noise = rng.normal(size=n)
    signal = np.where(answerable, 1.0, 0.0) + rng.normal(scale=0.1, size=n) if telling else rng.normal(size=n)
    return {"x": np.column_stack([signal, noise]), "y": np.where(right, 1.0, np.where(answerable, 0.5, 0.0)),
            "owner": np.arange(n), "part": np.zeros(n, dtype=bool), "corpus": np.asarray([f"c{i % 4}" for i in range(n)]),
            "lang": np.asarray(["zh", "en"] * (n // 2)), "answerable": answerable, "names": np.asarray(["signal", "noise"])}


def test_a_feature_that_tells_answerable_questions_apart_refuses_the_unanswerable_ones(screen):
    report = screen.screen(_rows(telling=True), missed=0.5)
    assert report["auc"] > 0.95
    assert report["abstain@5 all"] > 0.9
    assert set(report) == {"auc", "abstain@5 all", "abstain@5 en", "abstain@5 zh"}


def test_without_it_the_confidence_is_no_better_than_chance(screen):
    assert 0.3 < screen.screen(_rows(telling=True), missed=0.5, drop=("signal",))["auc"] < 0.7
    assert 0.3 < screen.screen(_rows(telling=False), missed=0.5)["auc"] < 0.7


def test_auc_counts_ties_as_half(screen):
    assert screen.auc(np.array([1.0, 1.0]), np.array([1.0, 0.0])) == pytest.approx(0.75)
    assert screen.auc(np.array([2.0, 3.0]), np.array([0.0, 1.0])) == pytest.approx(1.0)
