"""Language: text → words, kinds, dates and names. Pure functions of strings (jieba for Chinese), used by every
stage below the front ends; they import nothing else of qabot.

`words` cuts text into BM25 tokens and weighs them; `kinds` says what a question asks (a number, a date, a person…)
and whether a sentence holds it; `dates` reads relative days ("周一", "两天后"); `aliases` finds the names the
articles give in two forms; `coreference` finds whom a 他/她 speaks of; `lexicon` gives an English word's Chinese
forms (CC-CEDICT turned round) and a Chinese word's English ones; `english` finds in English text what `kinds` looks
for (counts in a unit, spans of time, people by their role, places)."""

from qabot.lazy import exports

__getattr__, __all__ = exports(__name__, {
    "words": ["language", "query_tokens", "question_words", "token_set", "tokens"],
    "kinds": ["fits", "question_kind"],
    "aliases": ["Aliases"],
})
