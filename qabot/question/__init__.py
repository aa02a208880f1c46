"""Question: text → `Question`, the one analysis of a question that search, the fitted models and the
composer read (its stated filters, parts, language, kind and unit, words and their weights, names, and the wordings
searched with their vectors). `clean` is what every front end checks first."""

import importlib

# public name -> its module: imported on first use, so that `qabot --help` loads nothing heavy
_EXPORTS = {
    "MAX_QUESTION": "qabot.question.clean",
    "clean_question": "qabot.question.clean",
    "Filters": "qabot.question.filters",
    "stated_filters": "qabot.question.filters",
    "Analyser": "qabot.question.analyse",
    "Question": "qabot.question.analyse",
    "Wording": "qabot.question.analyse",
    "question_parts": "qabot.question.analyse",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
