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
# Chat's shorthand, spelled out: "how many ppl got hurt", "whats the name of…", "couldnt they…". Only whole words,
# in lower case or capitalised (a lone letter only in lower case: "R" may be an initial), and only ones that are no
# English word of their own ("cant", "wont" and "ill" are).
_SHORTHAND = dict(re.findall(r"(\S+):(\S+)", """
ppl:people yr:year yrs:years hr:hour hrs:hours wk:week wks:weeks govt:government dept:department diff:different
abt:about thru:through tho:though bc:because cuz:because coz:because pls:please plz:please u:you ur:your r:are
wat:what b4:before tmrw:tomorrow approx:approximately mil:million bn:billion w/o:without w/:with
whats:what's whos:who's wheres:where's hows:how's whens:when's thats:that's theres:there's dont:don't didnt:didn't
doesnt:doesn't isnt:isn't wasnt:wasn't werent:weren't arent:aren't couldnt:couldn't wouldnt:wouldn't
shouldnt:shouldn't hasnt:hasn't havent:haven't hadnt:hadn't im:I'm ive:I've theyre:they're youre:you're
"""))
_SHORTHAND.update({k.capitalize(): v[0].upper() + v[1:] for k, v in list(_SHORTHAND.items()) if len(k) > 1})  # "Whats"
_SHORT_WORD = re.compile(r"(?<![\w'/])(?:" + "|".join(sorted(map(re.escape, _SHORTHAND), key=len, reverse=True))
                         + r")(?![\w'/])")
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]")
_ESCAPE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")  # a terminal's colours


def plain_marks(question: str) -> str:
    """The question as the stages read it: an English one's typographic marks as ASCII and chat's shorthand spelled
    out (the reply still quotes it as typed)."""
    if _CJK.search(question):
        return question
    text = " ".join(question.translate(_ASCII_MARKS).split())
    return _SHORT_WORD.sub(lambda m: _SHORTHAND[m.group(0)], text)


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
