"""Article passages → the other names the articles themselves give a thing (简称, 全称, a Latin name in brackets),
so that a question asked with one name also finds the passages that use another."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from qabot.language.kinds import in_order
from qabot.language.names import TITLE, tagged
from qabot.language.words import jieba_words

# A question is searched once more for each variant, at the cost of one more embedding and search. One, in the form
# the articles use most, kept every dev-set gain of three (hit@1 0.77, hit@5 0.93) at a third of the extra cost.
MAX_VARIANTS = 1

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[a-z]")
_WORD = re.compile(r"[a-z0-9]")
_ABBREVIATION = re.compile(r"[A-Z][A-Z0-9&.\-]+$")
# "集安组织全称集体安全条约组织", "全称为…"
_FULL_NAME = re.compile(r"([\u4e00-\u9fff]{2,8})(?:的)?全称(?:为|是)?[“\"]?([\u4e00-\u9fff]{3,24})")
# "集体安全条约组织（简称“集安组织”）", "（以下简称“…”）"
_SHORT_NAME = re.compile(r"([\u4e00-\u9fff·]{2,30})[（(](?:以下|下)?简称[“\"]?([\u4e00-\u9fff]{2,8})[”\"]?[）)]")
# "集安组织（CSTO）", "尼科尔·帕什尼扬（Nikol Pashinyan）"
_LATIN_GLOSS = re.compile(r"([\u4e00-\u9fff·]{2,30})[（(]([A-Za-z][A-Za-z.'’\- ]{1,40}?)\s*[）)]")
# Where the Chinese name before a Latin gloss begins: after function words, pronouns, numbers and times, a title
# ("总理", "警察局长") or a verb that is not the name's own last word.
_BEFORE_NAME = ("p", "u", "r", "d", "c", "m", "t", "f", "x", "w")
_NOT_IN_NAME = frozenset(["的", "之", "在", "以", "将", "了", "由", "对", "向", "给", "被", "从",
                          "和", "与", "及", "但", "前任", "现任", "受到"])


@dataclass(frozen=True)
class Aliases:
    """Name (case-folded) → every name of the same thing, as the articles give them, the most used first."""

    names: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of_articles(cls, files: dict) -> Aliases:
        """From an index's article entries, each with the name pairs its passages define (`defined_names`)."""
        groups: dict[str, set[str]] = {}
        mentioned = Counter(tuple(pair) for entry in files.values() for pair in entry.get("aliases", ()))
        uses = Counter()  # in how many articles' pairs each name is
        for pair, count in mentioned.items():
            for name in pair:
                uses[name] += count
        for one, other in sorted(mentioned):  # each pair once, however many articles repeat it
            group = groups.get(one.casefold(), {one}) | groups.get(other.casefold(), {other}) | {one, other}
            for name in group:
                groups[name.casefold()] = group
        # the forms that more articles give first: what the articles (and so the passages) say most
        return cls({key: tuple(sorted(group, key=lambda name: (-uses[name], name))) for key, group in groups.items()})

    @functools.cached_property
    def _longest(self) -> int:
        return max(map(len, self.names), default=0)

    @functools.cached_property
    def by_surname(self) -> dict[str, tuple[str, ...]]:
        """The last word of a Latin full name the articles gloss ("Kassym-Jomart Tokayev") → the Chinese forms of
        that name (托卡耶夫), where only one name ends in it: an English question calls a person by the surname."""
        found: dict[str, set[tuple[str, ...]]] = {}
        for group in set(self.names.values()):
            chinese = tuple(name for name in group if _CJK.search(name) and _person(name))
            chinese = tuple(dict.fromkeys(chinese + tuple(
                part for name in chinese if "·" in name and len(part := name.rsplit("·", 1)[-1]) >= 2)))
            for name in group:
                words = name.split()
                if chinese and len(words) > 1 and not _CJK.search(name) and len(words[-1]) >= 4:
                    found.setdefault(words[-1].casefold(), set()).add(chinese)
        return {surname: groups.pop() for surname, groups in found.items() if len(groups) == 1}

    def variants(self, question: str) -> list[str]:
        """The question with a name it uses replaced by another Chinese name of the same thing (the text the articles
        are in), the most used first, at most MAX_VARIANTS of them."""
        out = [question.replace(span, other) for span, others in self.mentions(question) for other in others]
        return list(dict.fromkeys(out))[:MAX_VARIANTS]

    def mentions(self, question: str) -> list[tuple[str, tuple[str, ...]]]:
        """The names the question uses that the articles also give in another form: the question's own spelling,
        and the other Chinese forms. A name inside a longer one found ("Mallinson" in "Kate Mallinson") is not
        another. Costs one lookup per stretch of the question, however many names there are."""
        if not self.names:
            return []
        folded = question.casefold()
        spans = ((start, start + length) for length in range(min(self._longest, len(folded)), 1, -1)
                 for start in range(len(folded) - length + 1))  # longest first
        taken: set[int] = set()
        found = []
        for start, end in spans:
            key = folded[start:end]
            group = self.names.get(key)
            if group is None or taken.intersection(range(start, end)):
                continue
            spelled = next(name for name in group if name.casefold() == key)
            if _LATIN.search(key) and (_WORD.match(folded[start - 1:start]) or _WORD.match(folded[end:end + 1])
                                       or _ABBREVIATION.match(spelled) and question[start:end] != spelled):
                continue  # a Latin name counts as whole words only, an abbreviation in capitals only ("WHO")
            others = tuple(name for name in group if _CJK.search(name) and name.casefold() != key
                           and name not in question)
            if others:
                found.append((question[start:end], others))
                taken.update(range(start, end))
        return found


def _person(name: str) -> bool:
    """Is this Chinese name a person's: a transliterated "名·姓", or one the tagger reads as a person's name?"""
    return "·" in name or any(flag.startswith("nr") for _, flag in tagged(name))


def shared(files: dict) -> dict:
    """The article entries with equal name lists made one object: a corpus of many similar articles (feeds repeat
    their glosses) holds each pair once in memory, not once per article (a test manifest of 40,000 such entries:
    92 MB -> 11 MB)."""
    pairs: dict[tuple, list] = {}
    lists: dict[tuple, list] = {}
    for entry in files.values():
        found = entry.get("aliases")
        if found:
            same = [pairs.setdefault(tuple(pair), pair) for pair in found]
            entry["aliases"] = lists.setdefault(tuple(map(id, same)), same)
    return files


def defined_names(texts) -> list[list[str]]:
    """The name pairs that passages define: [short, full] for 简称/全称, [Latin, Chinese] for a Latin gloss (and
    [surname, surname] for a transliterated "名·姓")."""
    pairs: list[tuple[str, str]] = []
    for text in texts:
        for match in _FULL_NAME.finditer(text):
            short = _longest_tail_in_order(match.group(1), match.group(2))  # "据悉集安组织全称…" → 集安组织
            full = _through_word(match.group(2), short)  # "…全称集体安全条约组织是一个…" → 集体安全条约组织
            if len(short) >= 2 and in_order(short, full):
                pairs.append((short, full))
        for match in _SHORT_NAME.finditer(text):
            before, short = match.group(1), match.group(2)
            # the shortest tail that begins with the short name's first character and holds all of it in order
            for start in range(len(before) - len(short), -1, -1):
                if before[start] == short[0] and in_order(short, before[start:]):
                    pairs.append((short, before[start:]))
                    break
        for match in _LATIN_GLOSS.finditer(text):
            name, latin = _name_before(match.group(1)), match.group(2).strip()
            if len(name) < 3 or len(latin) < 2:  # a two-character word is too likely a common one cut short
                continue
            pairs.append((latin, name))
            surname, latin_surname = name.rsplit("·", 1)[-1], latin.split()[-1]
            if "·" in name and len(latin.split()) > 1 and len(surname) >= 2 and len(latin_surname) >= 4:
                pairs.append((latin_surname, surname))
    return [list(pair) for pair in dict.fromkeys(pairs)]


def _longest_tail_in_order(before: str, full: str) -> str:
    """The longest tail of `before` whose characters `full` holds in order ("" when none of two characters)."""
    for start in range(len(before) - 1):
        if in_order(before[start:], full):
            return before[start:]
    return ""


def _through_word(text: str, short: str) -> str:
    """`text` up to the end of the word in which the short name's last character is first met, in order."""
    rest, at = iter(enumerate(text)), -1
    for ch in short:
        at = next((i for i, c in rest if c == ch), -1)
        if at < 0:
            return text
    end = 0
    for word in jieba_words(text):
        end += len(word)
        if end > at:
            return text[:end]
    return text


def _name_before(text: str) -> str:
    """The name that ends the text: the words after the last title, function word or verb ("他已接受总理阿斯卡尔·马明"
    → "阿斯卡尔·马明"); "" when too short to be one."""
    words = tagged(text[-20:])
    name = ""
    for i in range(len(words) - 1, -1, -1):
        word, flag = words[i]
        if word == "·" and name:
            name = word + name
            continue
        last = i == len(words) - 1
        if (word in _NOT_IN_NAME or flag.startswith(_BEFORE_NAME) or (TITLE.search(word) and not last)
                or (flag.startswith("v") and len(word) > 1 and not last)):
            break
        name = word + name
    name = name.strip("·")
    return name if len(name) >= 2 and _CJK.search(name) else ""
