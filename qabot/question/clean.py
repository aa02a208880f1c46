"""A question as typed → the text every stage reads (control characters dropped, space collapsed, length capped; an
English question's curly marks and dashes as ASCII).

Light on purpose: the front ends check a question with it before any index or model is loaded."""

from __future__ import annotations

import logging
import re
import unicodedata

from qabot.errors import QuestionError

logger = logging.getLogger(__name__)

MAX_QUESTION = 1000  # characters; longer input is cut (with a note), never an error
# An English question's typographic marks, as ASCII: a phone's curly apostrophe ("Kazakhstan’s") and a dash between
# clauses read as typed on a keyboard. A Chinese question keeps its own (“…”, ——).
_ASCII_MARKS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": " - ", "–": " - ", "…": "...",
                              "\u00a0": " "})
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]")
_ESCAPE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")  # a terminal's colours


def plain_marks(question: str) -> str:
    """The question as the stages read it: an English one's typographic marks as ASCII (the reply still quotes it as
    typed)."""
    return question if _CJK.search(question) else " ".join(question.translate(_ASCII_MARKS).split())


def clean_question(question: str) -> str:
    """The question without terminal escapes, control characters and surplus space; one with no word (empty, or
    only punctuation and emoji: "？？？", "👍") is an error, never answered from the nearest sentence."""
    text = _ESCAPE.sub("", question or "")
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    text = " ".join(text.split())
    if not text:
        raise QuestionError("the question is empty: type a question about the articles")
    if not any(c.isalnum() for c in text):
        raise QuestionError("the question has no words to look up: type a question about the articles")
    if len(text) > MAX_QUESTION:
        logger.warning("question of %d characters cut to the first %d", len(text), MAX_QUESTION)
        text = text[:MAX_QUESTION]
    return text
