"""A question that asks several things → one question for each: its question marks, its asking clauses, and
the things it names together and asks of each (A和B分别…). The analyser analyses each part as a question of its own."""

from __future__ import annotations

import re

from qabot.language.names import tagged

_PARTS = re.compile(r"[^？?]+[？?]")
# A clause that asks something: it holds a question word, or ends as a yes-no question does ("…了没", "…帮忙不");
# "那几天", "好几个", "十几人", "就几个字" say a few, they ask nothing
_ASKS = re.compile(r"多少|(?<![这那好十就没])几(?![乎十百千万])|哪(?!怕)|谁|啥|什么|怎么|怎样|咋|如何|为何|"
                   r"多大|多久|多远|多长|吗|呢|"
                   r"[没不否么]\s*[？?]?\s*$|"
                   r"^\s*(?:and\s+)?(?:how|what|which|who|whom|whose|when|where|why|did|does|do|is|are|was|were|has|have|"
                   r"had|can|could|will|would)\b|(?:^|[,.:;]\s*)(?:and\s+)?(?:\w+\s+){0,5}?(?:how|what|which|who|whom|whose|when|"
                   r"where|why)\b",
                   re.I)
# Where a question's clauses part: a Chinese comma, semicolon or enumeration comma; in English, ", and", "; ", " - "
# or "and" before a question word (a bare English comma may open a relative clause: ", where the protests began")
_CLAUSES = re.compile(r"[，；、]|[,;](?=\s*[^\x00-\x7f])")
_EN_CLAUSES = re.compile(r",\s*and\s+|(?:;\s*|\s+-\s+)(?:and\s+)?"
                         r"|\s+and\s+(?=(?:how|what|which|who|whom|when|where|why|did|does|do|is|are|was|were|has|have)\b)",
                         re.I)


# A remark that the reports give different figures or accounts ("我看几家报的数对不上", "有说三千多的有说四千多的",
# "the reports don't match"): it asks for each report's version, and holds no word of the thing asked. ("conflict" is
# not among them: "the conflict" is the unrest itself.)
_DIFFERS = re.compile(r"对不上|不(?:太|大)?一样|不(?:太)?一致|不统一|说法不一|有出入|"
                      r"(?:说法|数字|数据|报道|口径)(?:有点|有些|好像)?(?:矛盾|打架)|"
                      r"差(?:得|的)?(?:老|挺|很|好|太|蛮|有点|不少)?(?:多|远)|"
                      r"有(?:的|人)?说.{0,16}有(?:的|人)?说|一(?:篇|家|个)说.{0,16}一(?:篇|家|个)说|"
                      r"\bdiffer(?:s|ed|ing|ences?)?\b|\bdisagree|\bcontradict|\binconsistent|"
                      r"\b(?:don't|doesn't|do not|does not) (?:\w+ ){0,2}?(?:match|add up|agree|line up|tally)\b|"
                      r"\bnot the same\b|\bvar(?:y|ies)\b|"
                      r"\bdifferent (?:\w+ )?(?:figures?|numbers?|counts?|dates?|days?|accounts?|versions?|"
                      r"tall(?:y|ies)|totals?|stories)\b|\bkeeps? (?:changing|moving)\b|"
                      r"\b(?:one|some)(?: \w+){0,2} (?:says?|said)\b.{0,40}\b(?:other|another|others)\b", re.I)
# What a question says before its first question mark, full stop or colon (a statement, when it asks nothing)
_LEADING_STATEMENT = re.compile(r"[^:：。.？?]+?(?:[:：。]|\.\s)")
_REMARK_CUT = re.compile(r"(?<=[，。！？?!；;,])|(?<=\.)(?=\s)|(?=\s-\s)")


def without_remark(question: str) -> tuple[str, bool]:
    """The question without its clauses that remark the reports differ, and whether it made such a remark ("抓了多
    少人？我看各家报的数差老多了" → "抓了多少人？", True). A question that is all remark ("为啥各家的数对不上？")
    stays whole."""
    clauses = [c for c in _REMARK_CUT.split(question) if c]
    kept = [c for c in clauses if not _DIFFERS.search(c)]
    if len(kept) == len(clauses):
        return question, False
    rest = "".join(kept).strip(" ，,；;")
    if len(rest) < 4 or not _ASKS.search(rest):
        return question, True
    return rest, True


def question_parts(question: str) -> list[str]:
    """A question that asks several things in turn ("…有多大？…恢复了吗？", "…有多大？后来恢复了没", "多少年，哪年退
    下来的", "How many …, and what …?") → one question each; else itself. Each question mark ends a part (a last part
    may lack one), and so does each clause that asks something (a question word, or a yes-no ending) with another
    asking clause in its sentence; the clauses before a sentence's first asking one frame each of its parts, and one
    after its last asking clause joins that."""
    sentences = [p.strip() for p in _PARTS.findall(question)]
    rest = _PARTS.sub("", question).strip()
    if rest:
        if len(rest) >= 4 and _ASKS.search(rest):
            sentences.append(rest)
        elif sentences:
            sentences[-1] += rest
        else:
            sentences = [rest]
    parts = [each for sentence in sentences for part in _asking_clauses(sentence) for each in _each_of(part)]
    parts = [p for p in parts if len(p) >= 4]
    if len(parts) < 2:
        return [question]
    # A statement before the first asking sentence frames every part: "国安委这回栽了：…？…？", "Tokayev says X.
    # Which city, and when …?"
    lead = _LEADING_STATEMENT.match(question)
    said = lead.group(0).strip() if lead else ""
    if len(said) >= 6 and not _ASKS.search(said):
        joint = " " if said.isascii() else ""
        parts = [p if p.startswith(said) else said + joint + p for p in parts]
    return parts


# One thing asked of each of several things named together: "美国和俄罗斯分别说了什么", "A、B和C各派了多少兵",
# "甲跟乙吵了一架，俩人都说了啥", "What did Tokayev and Putin each say?". Marks: 分别, 各自, 各 (not 各国, 各地…),
# 都 before what is asked (都是, 都说, 都啥; not 首都), 俩人 / 两人 / 双方.
_EACH = re.compile(r"分别|各自|各(?![种地国界方位类级项个部族式样行])|(?<!首)都(?=[是说讲咋啥怎什有哪干做表派发给要])|"
                   r"[俩两]人|双方")
_AND = re.compile(r"[和跟与同及、](?![平解谈睦好意时样志胞盟事会进随着其])")
_NOMINAL = frozenset(["n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "ng", "j", "eng"])
_ITEM_ENDS = frozenset(["p", "r", "t", "x", "uj", "ul", "uz", "ug", "d", "v", "c", "m", "q"])
_EN_NAME = r"(?:the\s+)?[A-Z][\w.'-]*(?:\s+(?:of\s+)?[A-Z][\w.'-]*)*"
_EN_EACH = re.compile(rf"(?:\bboth\s+)?({_EN_NAME})\s+and\s+({_EN_NAME})(?=.*\b(?:each|respectively)\b)|"
                      rf"\bboth\s+({_EN_NAME})\s+and\s+({_EN_NAME})")


def _each_of(part: str) -> list[str]:
    """A part that asks one thing of each of several things it names together (A和B分别…, A、B和C各…, A and B each…)
    → that part once for each of them; else the part itself. The words after the last thing named (对这事, 那边)
    go with each. Things named together but asked of as one ("中国和俄罗斯的关系") stay one part: no mark."""
    if part.isascii():
        found = _EN_EACH.search(part)
        if not found:
            return [part]
        names = [n for n in found.groups() if n]
        rest = re.sub(r"\s*\b(?:each|respectively)\b", "", part[found.end():])
        return [part[:found.start()] + name + rest for name in names]
    mark = _EACH.search(part)
    ands = [m for m in _AND.finditer(part, 0, mark.start())] if mark else []
    if not ands:
        return [part]
    last = ands[-1]
    rest = _EACH.sub("", part[mark.start():])
    second, tail = _item_after(part[last.end():mark.start()])
    names, start = [second], last.start()
    while True:
        begin = _item_before(part[:start])
        if begin is None:
            break
        names.insert(0, part[begin:start].removesuffix("的") if tail.startswith("的") else part[begin:start])
        if begin == 0 or part[begin - 1] != "、":
            break
        start = begin - 1
    if len(names) < 2:
        return [part]
    return [part[:begin] + name + tail + rest for name in names]


def _item_after(text: str) -> tuple[str, str]:
    """The thing named first in `text` and what follows it ("俄罗斯对派兵这事" → 俄罗斯, 对派兵这事); all of it when
    its words cannot tell."""
    tags, item = tagged(text), ""
    for word, flag in tags:
        if flag in _ITEM_ENDS or word in "，,":
            break
        item += word
    return (item, text[len(item):]) if item else (text, "")


def _item_before(text: str) -> int | None:
    """Where the thing named last in `text` begins: a name or noun run ("阿拉木图市政府", "托卡耶夫"), a word ("之前"),
    or a clause of its own ("抢商店的"); None when nothing is named there."""
    tags = tagged(text)
    if not tags or tags[-1][1] == "x" or not text.strip():
        return None
    end = len(text)
    if tags[-1][1] in _ITEM_ENDS - {"t"}:  # "…的": the clause since the last break is the thing
        brk = max(text.rfind(c) for c in "，,？?；;")
        return brk + 1 if len(text) - brk - 1 >= 2 else None
    begin, i = end - len(tags[-1][0]), len(tags) - 1
    while tags[i][1] in _NOMINAL and i > 0 and tags[i - 1][1] in _NOMINAL:
        i -= 1
        begin -= len(tags[i][0])
    return begin


def _asking_clauses(sentence: str) -> list[str]:
    """A sentence's asking clauses, each with the clauses before them that ask nothing (their common frame: "死的那8个
    军警里，警察几个，国民警卫队的几个" asks of both within the 8); a clause after the last asking one joins it."""
    english = sentence.isascii()
    joint = ", " if english else "，"
    clauses, start = [], 0
    for cut in (_EN_CLAUSES if english else _CLAUSES).finditer(sentence):
        clauses.append(sentence[start:cut.start()].strip())
        start = cut.end()
    clauses.append(sentence[start:].strip())
    asking = [bool(_ASKS.search(c)) for c in clauses]
    if sum(asking) < 2:
        return [sentence]
    first = asking.index(True)
    frame = clauses[:first]
    parts = []
    for clause, asks in zip(clauses[first:], asking[first:], strict=True):
        if asks:
            parts.append(joint.join([*frame, clause]))
        else:
            parts[-1] += joint + clause
    return parts
