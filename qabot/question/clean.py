"""A question as typed → the text every stage reads (control characters dropped, space collapsed, length capped).

Light on purpose: the front ends check a question with it before any index or model is loaded."""

from __future__ import annotations

import logging
import unicodedata

from qabot.errors import QuestionError

logger = logging.getLogger(__name__)

MAX_QUESTION = 1000  # characters; longer input is cut (with a note), never an error


def clean_question(question: str) -> str:
    """The question without control characters and surplus space; an empty one is an error."""
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in question or "")
    text = " ".join(text.split())
    if not text:
        raise QuestionError("the question is empty: type a question about the articles")
    if len(text) > MAX_QUESTION:
        logger.warning("question of %d characters cut to the first %d", len(text), MAX_QUESTION)
        text = text[:MAX_QUESTION]
    return text
