"""A question's short words → the long forms that the retrieved passages spell out (国安 → 国家安全, 停运 → 停止运行,
军机 → 军用货机, 吉尔吉斯 → 吉尔吉斯斯坦), read off the passages' own words, not a dictionary."""

from __future__ import annotations

import re
from collections import Counter

from qabot.answer_kind import tagged
from qabot.keywords import STOPWORDS

_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")
_FUNCTION = ("c", "p", "u", "r", "d", "m", "q", "f")  # 以及, 在, 的, 他, 都, 一, 个, 前: no part of a name or term
_WINDOW = 8  # characters read past a match, to finish its last word


def short_words(question: str, known) -> list[tuple[str, ...]]:
    """The question's words of two to four Chinese characters that the articles never use (`known`: word -> do they),
    each with the longer word it makes with the lone characters after it, when jieba cut them off (国安 / 委: 国安委,
    then 国安)."""
    words = tagged(question)
    out = []
    for i, (word, _) in enumerate(words):
        if not _CJK_WORD.fullmatch(word) or word in STOPWORDS or known(word):
            continue
        longer = word
        for piece, flag in words[i + 1:]:
            if len(piece) != 1 or not _CJK_WORD.fullmatch(longer + piece) or flag.startswith(_FUNCTION):
                break
            longer += piece
        out.append((longer, word) if longer != word else (word,))
    return list(dict.fromkeys(out))


def long_forms(question: str, texts: list[str], known) -> dict[str, str]:
    """Each short word of the question that the texts spell out, with the spelling they use most."""
    out = {}
    for forms in short_words(question, known):
        for word in forms:  # the longer reading first
            long = spelled_out(word, texts)
            if long:
                out[word] = long
                break
    return out


def spelled_out(word: str, texts: list[str]) -> str:
    """The texts' commonest longer form of a short word: a word it begins (吉尔吉斯 → 吉尔吉斯斯坦), or words that its
    characters begin in turn, the last character inside the last of them (国安 → 国家安全, 军机 → 军用货机), none a
    function word; "" when there is none."""
    pattern = re.compile("".join(re.escape(c) + r"[\u4e00-\u9fff]{0,3}?" for c in word[:-1]) + re.escape(word[-1]))
    found: Counter = Counter()
    for text in texts:
        for match in pattern.finditer(text):
            form = _form(word, text, match.start())
            if form:
                found[form] += 1
    return max(found, key=lambda form: (found[form], len(form))) if found else ""


def _form(word: str, text: str, start: int) -> str:
    """The long form of `word` that begins at `start` of the text, as the text's words cut it, or ""."""
    left = max(0, start - _WINDOW)
    words, position = [], left
    for piece, flag in tagged(text[left:start + 3 * len(word) + _WINDOW]):
        if position >= start:
            words.append((piece, flag))
        elif position + len(piece) > start:
            return ""  # the match begins inside a word
        position += len(piece)
    if not words or words[0][1].startswith(_FUNCTION):
        return ""
    first = words[0][0]
    if first.startswith(word):
        return first if len(first) > len(word) else ""
    if len(words) < len(word) or any(piece[0] != char for (piece, _), char in zip(words, word[:-1], strict=False)) \
            or any(flag.startswith(_FUNCTION) for _, flag in words[:len(word)]):
        return ""
    last = words[len(word) - 1][0]
    return "".join(piece for piece, _ in words[:len(word) - 1]) + last if word[-1] in last else ""
