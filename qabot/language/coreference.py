"""他/她 → the person the sentences before speak of: a sentence that opens with one is embedded with the name instead
("他强调：…" → "托卡耶夫强调：…"), and a quoted sentence shows the name after it ("他（纳扎尔巴耶夫）在周三被解除…")."""

from __future__ import annotations

import re

from qabot.language.kinds import INTRODUCING
from qabot.language.names import dotted_names, tagged

_OPENING_PRONOUN = re.compile(r"^(?:他|她)(?![们])")
# 他/她 as a pronoun, not inside 其他 (other), 他们 (they), 他国 / 他人 / 他方 (other countries, others, the other side)
_PRONOUN = re.compile(r"(?<![其吉])(?:他|她)(?![们国人方乡])")
LOOK_BACK = 6  # sentences read back for the person a pronoun speaks of; none named in them: no name is given
# ... and only for a pronoun this near the start of its sentence ("动乱开始后，他…"): one further on is often someone
# the sentence itself speaks of without a name ("一名以色列人…亲属称，他是…")
NEAR_START = 8
# someone a text speaks of without a name ("一名以色列人", "一位官员", "死者"): a pronoun after it may be theirs
_UNNAMED = re.compile(r"一(?:名|位|个)[\u4e00-\u9fff]{0,6}?(?:人|男子|女子|男孩|女孩|者)|死者|男子|女子|[该此这那]人")
_NAME_PARTS = frozenset(["nr", "nrt", "nrfg", "ng", "nz"])  # the tagger's flags for the pieces of a foreign name
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


def named_pronoun(text: str, before: list[str], people: set[str]) -> tuple[int, str]:
    """The first 他/她 of the text, when it comes near the start (NEAR_START characters) and no one is named before
    it, with the person it speaks of: the first of `people` (the names the article gives as people's) in the nearest
    of the LOOK_BACK sentences `before` it (the last is the nearest) that names one, read back no further than one
    that speaks of someone unnamed; (position, name), or (-1, "")."""
    match = _PRONOUN.search(text)
    if match is None or match.start() > NEAR_START or first_person(text[:match.start()]):
        return -1, ""
    for sentence in reversed(before[-LOOK_BACK:]):
        found = [(sentence.find(name), -len(name), name) for name in people if name in sentence]
        if found:  # the first named, in full, shown by the last part of the name ("阿斯卡尔·马明" → 马明)
            return match.start(), min(found)[2].rsplit("·", 1)[-1]
        if _UNNAMED.search(sentence):
            break  # "一名以色列人…": the pronoun may be theirs
    return -1, ""


def has_pronoun(text: str) -> bool:
    """Does the text use 他 or 她 (not 他们, 其他)?"""
    return bool(_PRONOUN.search(text))


def people(sentences: list[str]) -> set[str]:
    """The names these sentences give as people's: after a title, and dotted names, with their last part."""
    names = set()
    for sentence in sentences:
        names.update(filter(None, (_name_only(m.group(1)) for m in _TITLED.finditer(sentence))))
        names.update(dotted_names(sentence, read_on=_NAME_PARTS))  # 叶尔兰·图尔 + 古姆 + 巴耶夫
    names.update(name.rsplit("·", 1)[-1] for name in list(names) if "·" in name)
    return {name for name in names if len(name) >= 2}


def _name_only(found: str) -> str:
    """A name read after a title, without the words the pattern took around it (托卡耶夫宣布 → 托卡耶夫, 回应布林肯 →
    布林肯; 官网 → ""): from the first word that is a piece of a name (or a lone character before one: the tagger
    cuts 托 / 卡耶夫) to the last."""
    words = list(tagged(found))
    while words and words[-1][1] not in _NAME_PARTS:
        words.pop()
    while len(words) > 1 and words[0][1] not in _NAME_PARTS and words[0][0] != "·" \
            and not (len(words[0][0]) == 1 and words[1][1] in _NAME_PARTS):
        words.pop(0)
    return "".join(word for word, _ in words).strip("·")


def with_person(text: str, before: list[str], names: set[str]) -> str:
    """The text with the person its first 他/她 speaks of after it, in the brackets that mark words put into a
    quotation (〔〕, not the article's own （）), when `named_pronoun` finds one: "他在周三被解除…" →
    "他〔纳扎尔巴耶夫〕在周三被解除…"."""
    at, person = named_pronoun(text, before, names)
    return f"{text[:at + 1]}〔{person}〕{text[at + 1:]}" if person else text
