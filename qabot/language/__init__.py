"""Language: text → words, kinds, dates and names. Pure functions of strings (jieba for Chinese), used by every
stage below the front ends; they import nothing else of qabot.

`words` cuts text into BM25 tokens and weighs them; `kinds` says what a question asks (a number, a date, a person…)
and whether a sentence holds it; `dates` reads relative days ("周一", "两天后"); `aliases` finds the names the
articles give in two forms; `coreference` finds whom a 他/她 speaks of."""

import importlib

# public name -> its module: imported on first use, so that `qabot --help` loads nothing heavy
_EXPORTS = {
    "language": "qabot.language.words",
    "query_tokens": "qabot.language.words",
    "question_words": "qabot.language.words",
    "token_set": "qabot.language.words",
    "tokens": "qabot.language.words",
    "fits": "qabot.language.kinds",
    "question_kind": "qabot.language.kinds",
    "Aliases": "qabot.language.aliases",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
