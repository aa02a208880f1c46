"""The fitted models: the logistic regression, the boosted trees and the threshold on known data, the shipped file against the code's
features, and (slow) a refit on the shipped question sets reproducing the held-out metrics the file records."""

import json
from pathlib import Path

import numpy as np
import pytest

from qabot.answer import model
from qabot.answer.features import ANSWER_FEATURES, EXTEND_FEATURES, PASSAGE_FEATURES, SENTENCE_FEATURES
from qabot.answer.model import FORMAT, PARAMS_FILE, Trees, choose_threshold, fit_logistic, fit_trees, load, save
from qabot.answer.reader import RERANK_FEATURES, RULES

ROOT = Path(__file__).resolve().parents[2]


def test_logistic_regression_learns_which_feature_decides():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    y = (x[:, 1] > 0).astype(float)  # only the second feature matters
    model = fit_logistic(x, y, ("a", "b", "c"))
    assert abs(model.weights[1]) > 5 * max(abs(model.weights[0]), abs(model.weights[2]))
    assert ((model.logits(x) > 0) == (y > 0)).mean() > 0.95


def test_a_constant_feature_is_harmless():
    x = np.column_stack([np.ones(50), np.linspace(-1, 1, 50)])
    model = fit_logistic(x, (x[:, 1] > 0).astype(float), ("constant", "x"))
    assert np.isfinite(model.logits(x)).all() and model.weights[0] == pytest.approx(0.0, abs=1e-6)


def test_a_soft_label_counts_as_that_share_of_a_positive():
    x = np.repeat([[0.0], [1.0]], 40, axis=0)
    model = fit_logistic(x, np.where(x[:, 0] > 0, 1.0, 0.5), ("x",))  # half-positive where x is 0
    assert 1 / (1 + np.exp(-model.logits([[0.0]])[0])) == pytest.approx(0.5, abs=0.05)
    assert model.logits([[1.0]])[0] > 2


def test_the_trees_learn_a_feature_that_matters_only_where_another_says_so():
    # y holds where both are positive: the second feature counts only when the first does, which no single weight
    # per feature can say
    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 3))
    y = ((x[:, 0] > 0) & (x[:, 1] > 0)).astype(float)
    trees = fit_trees(x, y, ("a", "b", "c"))
    linear = fit_logistic(x, y, ("a", "b", "c"))
    assert ((trees.logits(x) > 0) == (y > 0)).mean() > 0.95
    assert ((trees.logits(x) > 0) == (y > 0)).mean() > ((linear.logits(x) > 0) == (y > 0)).mean() + 0.05
    assert not any(2 in (s[0], s[2], s[4]) for s in trees.splits[:10])  # the noise feature is not split on first


def test_trees_read_a_soft_label_as_that_share_and_score_rows_one_by_one_as_together():
    x = np.repeat([[0.0], [1.0]], 40, axis=0)
    trees = fit_trees(x, np.where(x[:, 0] > 0, 1.0, 0.5), ("x",))
    assert 1 / (1 + np.exp(-trees.logits([[0.0]])[0])) == pytest.approx(0.5, abs=0.05)
    assert trees.logits([[1.0]])[0] > 2
    assert np.allclose(trees.logits(x), [trees.logits(row)[0] for row in x])
    assert isinstance(trees, Trees) and Trees(**{**trees.__dict__}) == trees


def test_trees_grown_on_a_share_of_the_rows_are_the_same_at_every_fit(monkeypatch):
    # each tree sees a random share of the rows, drawn from a fixed seed: a refit on the same rows gives the same
    # trees (the shipped file does not depend on when or where it was fitted), other than trees grown on every row
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 2))
    y = (x[:, 0] + 0.5 * rng.normal(size=300) > 0).astype(float)
    first, again = fit_trees(x, y, ("a", "b")), fit_trees(x, y, ("a", "b"))
    assert first == again
    monkeypatch.setattr(model, "SUBSAMPLE", 1.0)
    assert fit_trees(x, y, ("a", "b")) != first


def test_the_threshold_refuses_at_most_the_allowed_share_of_answerable_questions():
    confidence = np.linspace(0, 1, 101)
    answerable = np.ones(101, dtype=bool)
    answerable[:30] = False
    threshold = choose_threshold(confidence, answerable, 0.05)
    refused = (confidence < threshold) & answerable
    assert refused.sum() <= 0.05 * answerable.sum() and refused.sum() >= 0.05 * answerable.sum() - 1


def test_the_shipped_file_matches_the_features_and_rules_of_the_code(tmp_path):
    data = json.loads(PARAMS_FILE.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT
    params = load()
    assert set(params) == {"hybrid", "dense", "keyword"}
    for p in params.values():
        assert p.passage.names == PASSAGE_FEATURES and p.sentence.names == SENTENCE_FEATURES
        assert p.rerank.names == RERANK_FEATURES and p.answer.names == ANSWER_FEATURES
        assert p.extend is not None and p.extend.names == EXTEND_FEATURES
        assert 0.0 <= p.threshold < 1.0  # the keyword-only baseline may find no threshold that refuses
        assert set(p.rules) <= set(RULES)
    save(params, tmp_path / "p.json", extra={"fitted": data["fitted"]})
    assert load(tmp_path / "p.json") == params  # written and read back unchanged


@pytest.mark.slow
def test_refitting_on_the_shipped_sets_reproduces_the_recorded_held_out_metrics(qa):
    from qabot.evaluation.folders import own_indexes
    from qabot.evaluation.metrics import load_questions
    from qabot.evaluation.training import cross_validation

    recorded = json.loads(PARAMS_FILE.read_text(encoding="utf-8"))["fitted"]
    sets = {name: load_questions(ROOT / name) for name in recorded["sets"]}
    assert {name: len(qs) for name, qs in sets.items()} == recorded["sets"]
    own = own_indexes(qa, list(sets), root=ROOT)  # a set beside its own articles/ folder is asked of them
    report = cross_validation(qa, sets, folds=recorded["folds"], pipelines=(("qabot", "hybrid"),),
                              readers={name: by.reader for name, by in own.items()})
    for metric in ("hit@1", "cite_ok", "answer_acc", "false_abstain", "abstain"):
        # Within noise: another machine's vectors differ in the fourth decimal (docs/machine-noise.md). With the
        # suite's embedder perturbed by that much (QABOT_TEST_NOISE=3e-4, seeds 1-4), held-out abstain moved by
        # 0.023-0.041 (4-7 of the 174 unanswerable questions; with 87 of them a session earlier, by 4) and the
        # other metrics by at most 0.009. So 0.07 for abstain (the 6 in 87 allowed before, as a share), 0.03 for
        # the others.
        allowed = 0.07 if metric == "abstain" else 0.03
        assert report["qabot"]["held-out"][metric] == pytest.approx(recorded["held-out"]["qabot"][metric],
                                                                    abs=allowed), metric


def test_held_out_figures_over_several_splits_are_the_means_of_the_splits(qa):
    from qabot.evaluation.metrics import load_questions, score
    from qabot.evaluation.training import cross_validation, fold_groups, held_out, trace_all

    sets = {name: load_questions(ROOT / "tests" / "data" / name) for name in ("holdout3.jsonl", "holdout4.jsonl")}
    questions = [q for qs in sets.values() for q in qs]
    report = cross_validation(qa, sets, folds=3, pipelines=(("qabot", "hybrid"),), splits=2)
    qa.reader.cache = {}
    try:
        traces = trace_all(qa.reader, [qa.reader.analyser(q.question) for q in questions], "hybrid")
        each = [score(questions, held_out(qa.reader, traces, questions, fold_groups(len(questions), 3, seed)))
                for seed in (0, 1)]
    finally:
        qa.reader.cache = None
    for metric in ("hit@1", "cite_ok", "answer_acc", "false_abstain", "abstain"):
        assert report["qabot"]["held-out"][metric] == pytest.approx((each[0][metric] + each[1][metric]) / 2), metric


def test_pipelines_worked_out_in_processes_side_by_side_give_the_same_report_and_fits(qa, tmp_path):
    from qabot.evaluation.metrics import load_questions
    from qabot.evaluation.training import cross_validation

    sets = {name: load_questions(ROOT / "tests" / "data" / name) for name in ("holdout3.jsonl", "holdout4.jsonl")}
    pipelines = (("qabot", "hybrid"), ("dense only", "dense"))
    alone, forked = {}, {}
    here = cross_validation(qa, sets, folds=3, pipelines=pipelines, fitted=alone)
    apart = cross_validation(qa, sets, folds=3, pipelines=pipelines, fitted=forked, jobs=2)
    # Every figure, each pipeline worked out in a forked process of its own, and the same fits on all the questions:
    # the same up to the last bits of a float (numpy's sums may add in another order where an array lies elsewhere
    # in memory: a tree's split point 0.29304675885637427 in one process, 0.2930467588563744 in the other)
    assert_close(apart, here)
    assert set(forked) == set(alone) == {"hybrid", "dense"}
    save(forked, tmp_path / "forked.json")
    save(alone, tmp_path / "alone.json")
    assert_close(json.loads((tmp_path / "forked.json").read_text(encoding="utf-8")),
                 json.loads((tmp_path / "alone.json").read_text(encoding="utf-8")))
    assert qa.answer("哈萨克斯坦总统是谁？").answered  # the index still answers here afterwards


def assert_close(a, b, where: str = "") -> None:
    """Nested dicts and lists alike, their numbers to a billionth (a NaN matches a NaN)."""
    if isinstance(a, dict):
        assert set(a) == set(b), where
        for key in a:
            assert_close(a[key], b[key], f"{where}/{key}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_close(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and a != a:
        assert isinstance(b, float) and b != b, where
    elif isinstance(a, (int, float)) and not isinstance(a, bool):
        assert b == pytest.approx(a, rel=1e-9, abs=1e-12), where
    else:
        assert a == b, where


def test_leaving_out_a_folder_of_articles_scores_its_sets_under_a_fit_on_the_other_corpora_alone(qa):
    from qabot.evaluation.folders import own_indexes
    from qabot.evaluation.metrics import load_questions, score
    from qabot.evaluation.training import cross_validation, fit

    names = ("tests/data/english_rail/questions.jsonl", "tests/data/holdout3.jsonl", "tests/data/holdout4.jsonl")
    sets = {name: load_questions(ROOT / name) for name in names}
    own = own_indexes(qa, list(sets), root=ROOT)
    traced: dict = {}
    report = cross_validation(qa, sets, folds=3, pipelines=(("qabot", "hybrid"),), traced=traced,
                              readers={name: by.reader for name, by in own.items()})
    questions = [q for qs in sets.values() for q in qs]
    readers, traces = traced["readers"], traced["hybrid"]
    rail = range(len(sets[names[0]]))
    seeds = range(len(rail), len(questions))  # the two sets over the seeds are one corpus, left out together
    for left, kept, corpus in ((rail, seeds, "tests/data/english_rail"), (seeds, rail, "index")):
        params = fit([readers[i] for i in kept], [traces[i] for i in kept], [questions[i] for i in kept])
        expected = score([questions[i] for i in left], [readers[i].decide(traces[i], params) for i in left])
        assert report["qabot"]["left out, by corpus"][corpus] == pytest.approx(expected), corpus
    assert "leave-one-set-out" not in report["qabot"]
