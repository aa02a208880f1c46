"""Answer: a `Question` and its candidate passages → a cited `Answer` with a confidence. `reader` traces the
question (candidates and their feature rows, `features`), ranks passages and sentences and decides whether to
answer with the four fitted models of `model` (`params.json`), and `compose` writes the reply: each sentence with
its [n], "the articles do not say" below the threshold, one reply for a question in parts."""

import importlib

# public name -> its module: imported on first use, so that `qabot --help` loads nothing heavy
_EXPORTS = {
    "Answer": "qabot.answer.compose",
    "Citation": "qabot.answer.compose",
    "Params": "qabot.answer.model",
    "load": "qabot.answer.model",
    "RULES": "qabot.answer.reader",
    "Reader": "qabot.answer.reader",
    "Trace": "qabot.answer.reader",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
