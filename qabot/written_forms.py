"""A question's spoken "former X" → the prefixed forms news text writes instead (以前的首都 → 前首都, 原首都),
so a sentence that says 前首都 holds the question's 以前."""

from __future__ import annotations

import re

from qabot.answer_kind import tagged
from qabot.keywords import STOPWORDS

_FORMER = frozenset(("以前", "之前", "从前", "过去", "原来", "原先", "早先", "先前"))  # … + 的 + a noun
_PREFIXES = ("前", "原", "前任")  # how the written language says "former" before a noun
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")


def written_forms(question: str) -> dict[str, tuple[str, ...]]:
    """Each "former" word of the question that is followed by 的 and a word (以前的首都), with the written forms of
    that phrase: {"以前": ("前首都", "原首都", "前任首都")}."""
    words = [word for word, _ in tagged(question)]
    out: dict[str, tuple[str, ...]] = {}
    for i, word in enumerate(words[:-2]):
        noun = words[i + 2]
        if word in _FORMER and words[i + 1] == "的" and _CJK_WORD.fullmatch(noun) and noun not in STOPWORDS:
            out[word] = out.get(word, ()) + tuple(prefix + noun for prefix in _PREFIXES)
    return out
