"""The noun a Chinese question asks about (its focus): 学生 of "有多少学生", 律师 of "的律师说了什么"."""

from __future__ import annotations

_WH_BEFORE = frozenset(["多少", "几", "哪个", "哪些", "哪", "什么", "啥", "哪位", "哪家", "哪国"])
_WH_AFTER = frozenset(["谁", "什么", "啥", "哪", "哪里", "哪儿"])
# frame words: what a question asks of (its time, place, name), no thing of its own
FRAME = frozenset(["名字", "时候", "地方", "原因", "东西", "时间", "问题", "事情", "情况", "样子", "内容", "意思"])
_HEAD = frozenset(["n", "nz", "nt", "ns", "vn", "nr"])


def focus(tags) -> str:
    """The noun a Chinese question word asks about: the noun run right after 多少 / 几 / 哪个 / 什么 ("多少学生",
    "哪个社交平台": its last noun), else the noun before 是谁 / 叫什么 / 说了什么 ("的律师说了什么"). Frame words
    (名字, 时候, 原因) are no focus."""
    words = [w for w, _ in tags]
    for i, (word, flag) in enumerate(tags):
        if word in _WH_BEFORE or (flag == "m" and word.startswith("几")):
            run = ""
            for w, f in tags[i + 1:i + 4]:
                if f in _HEAD:
                    run = w
                elif run or f not in ("q", "m"):
                    break
            if len(run) >= 2 and run not in FRAME:
                return run
    for i, word in enumerate(words):
        if word in _WH_AFTER:
            for w, f in reversed(tags[max(0, i - 4):i]):
                if f in _HEAD and w not in FRAME and len(w) >= 2:
                    return w
                if w in ("的", "，", ","):
                    break
    return ""
