"""Evaluation: question sets (JSONL) → metrics and fitted parameters. `metrics` scores answers as
`../shared/eval/README.md` defines (hit@k, cite_ok, answer_acc, false_abstain, abstain); `training` fits the answer
models, cross-validates them (held-out, each corpus left out, baselines, ablation) and writes `params.json`; `folders`
gives a set about a folder of its own articles an index of them."""

from qabot.lazy import exports

__getattr__, __all__ = exports(__name__, {
    "metrics": ["Question", "evaluate", "load_questions", "score"],
    "training": ["cross_validation", "fit"],
})
