"""A passage's sentences → the texts their vectors are made from: a sentence that opens with 他/她 names the person
the sentences before it speak of ("他强调：…" → "托卡耶夫强调：…"), so that its vector knows who is speaking."""

from __future__ import annotations

import re

from qabot.answer_kind import INTRODUCING, dotted_names, tagged

_OPENING_PRONOUN = re.compile(r"^(?:他|她)(?![们])")
# A title and the name right after it ("哈萨克斯坦总统托卡耶夫在…", "研究中心主任潘光此前…"), given names included
_TITLED = re.compile(INTRODUCING + r"((?:[\u4e00-\u9fff]{1,6}·)*[\u4e00-\u9fff]{2,8}?)"
                     r"(?=[在说表称强指于对向已将的此也还则曾并被等和与、，,。：:（(“]|$)")


def for_embedding(sentences: list[str]) -> list[str]:
    """The sentences, each opening 他/她 with the person named last before it (the first person a sentence names),
    where one is; the rest unchanged."""
    out = []
    for i, sentence in enumerate(sentences):
        # the sentences before are read (and tagged) only for one that opens with a pronoun: indexing tags no other
        person = next(filter(None, map(first_person, reversed(sentences[:i]))), "") \
            if i and _OPENING_PRONOUN.match(sentence) else ""
        out.append(person + sentence[1:] if person else sentence)
    return out


def first_person(text: str) -> str:
    """The first person a sentence names: after a title, by a dotted name, else as jieba's tagger sees one ("" for
    none)."""
    found = [(m.start(1), m.group(1)) for m in _TITLED.finditer(text)]
    found += [(text.find(name), name) for name in dotted_names(text)]
    if not found:
        position = 0
        for word, flag in tagged(text):
            if flag == "nr" and len(word) >= 2:
                found.append((position, word))
                break
            position += len(word)
    return min(found, key=lambda f: (f[0], -len(f[1])))[1] if found else ""  # the whole name where two begin there
