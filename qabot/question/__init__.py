"""Question: text → `Question`, the one analysis of a question that search, the fitted models and the
composer read (its stated filters, parts, language, kind and unit, words and their weights, names, and the wordings
searched with their vectors). `clean` is what every front end checks first."""

from qabot.lazy import exports

__getattr__, __all__ = exports(__name__, {
    "clean": ["MAX_QUESTION", "clean_question"],
    "filters": ["Filters", "stated_filters"],
    "analyse": ["Analyser", "Question", "Wording"],
    "parts": ["question_parts"],
})
