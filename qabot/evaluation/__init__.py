"""Evaluation: question sets (JSONL) → metrics and fitted parameters. `metrics` scores answers as
`../shared/eval/README.md` defines (hit@k, cite_ok, answer_acc, false_abstain, abstain); `training` fits the answer
models, cross-validates them (held-out, leave-one-set-out, baselines, ablation) and writes `params.json`."""

import importlib

# public name -> its module: imported on first use, so that `qabot --help` loads nothing heavy
_EXPORTS = {
    "Question": "qabot.evaluation.metrics",
    "evaluate": "qabot.evaluation.metrics",
    "load_questions": "qabot.evaluation.metrics",
    "score": "qabot.evaluation.metrics",
    "cross_validation": "qabot.evaluation.training",
    "fit": "qabot.evaluation.training",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
