"""What a question asks for (a figure, a date, a name, a place, a reason) and whether a text holds it."""

from __future__ import annotations

import functools
import re

from qabot.language import english, lexicon
from qabot.language.names import (
    ASKS_A_SIDE,
    GLOSS,
    SIDE,
    TITLE,
    dotted_names,
    places,
    proper_nouns,
    tagged,
    titled_names,
)
from qabot.language.numbers import CHINESE_AMOUNT, amount

COMMON = 1.6  # idf of a word in about a fifth of the passages: such a name is no answer to "who" or "where"
MEASURE = "名人架辆件个年次回家位岁栋座起处枚艘吨天周波拨轮批场条趟任届具支项孔层张本份所间头只台篇棵株块口列根套首幅户"
_COUNTED = "".join(c for c in MEASURE if c not in "岁吨天周")  # what "几…" counts (an age, a weight, a span: other kinds)
# A figure; an ordinal ("第一架", "第45特种旅"), a designation after a hyphen ("伊尔-76", "Khabar-24") and a date's
# numbers ("1月10日", "2022年") count nothing.
QUANTITY = re.compile(rf"(?<![第\d.,\-])(?![12]\d{{3}}\s*年)\d[\d,.]*\s*(?:多|余)?\s*(?:万|亿)?\s*"
                      rf"(?:[{MEASURE}]|%|美元|欧元|元)"
                      rf"|(?<![第一二两三四五六七八九十百千万几数])[一二两三四五六七八九十百千万几数]+(?:[{MEASURE}度十百千万])"
                      rf"|(?<![第\d.,\-月])\d{{2,}}(?!\d|\s*[年月日号时点])")
# "一个", "一名": the article "a" ("一个武器库", an arsenal), a count only where the question asks in that unit; "一度"
# is "at one point" ("一度控制了机场")
_INDEFINITE = re.compile(rf"一\s*[{MEASURE}度]$")
# "1月5日", "2002 年": feeds often put spaces around figures
DATE = re.compile(r"(?<!\d)(?:\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*日|\d{4}\s*年)|周[一二三四五六日]|星期[一二三四五六日天]|上周|本周|昨天|今天"
                  rf"|{english.MONTH}|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|\b(?i:in|since|by|until|from) (?:1[89]|20)\d{{2}}\b")
# A day: a date with its day, or a day of the week ("1月5日", "5日", "周三", "January 5")
DAY = re.compile(r"(?<!\d)(?:\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*[日号])|周[一二三四五六日]|星期[一二三四五六日天]|昨天|今天"
                 rf"|{english.MONTH}\s+\d{{1,2}}\b|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")
_ASKS_A_DAY = re.compile(r"哪一?天|几号|几月几[号日]|(?:星期|礼拜|周)几|\b(?:what|which) (?:day|date)\b|\bon what date\b", re.I)
# How long something lasts: "一周", "30天", "两个月", "一段时间", "短期内", "在有限的时间内"
DURATION = re.compile(r"(?:(?<!\d)\d{1,3}|[一二两三四五六七八九十几数半]+)\s*(?:个)?(?:天|周|星期|个月|年|小时|分钟)(?:之内|以内|内|之久)?"
                      r"|一段时间|短期|短时间|长期|很长时间|有限的时间|暂时|永久")
FIGURES = {"number": QUANTITY, "when": DATE, "duration": DURATION}  # kinds whose answers sources may give differently
CHECKED = (*FIGURES, "who", "where", "which", "timeline", "define")  # kinds whose answer a sentence can be seen to hold (or not)
# Latin names in running text; one in brackets glosses the Chinese name before it, which is checked instead.
_LATIN_NAME = re.compile(r"(?<![（(A-Za-z])[A-Z][a-z]+(?: [A-Z][a-z]+)+(?![A-Za-z]*[)）])")
ASKED_UNIT = re.compile(rf"(?:多少|(?<![这那哪好])几)\s*([{MEASURE.replace('周', '')}倍])")
_ASKS_AN_ORDINAL = re.compile(rf"第几\s*(?:个)?([{_COUNTED.replace('个', '')}天周]?)")  # "第几位", "第几条"
# "多少学生", "几个兵", "how many Russian soldiers": a count of people, which a figure in 人 or 名 gives ("五个国家",
# "12架运输机" count other things)
_ASKED_PEOPLE = re.compile(r"(?:多少|(?<![这那哪好])几)(?:个|名|位)?[\u4e00-\u9fff]{0,3}?(?:人|兵|员|者|民|警|生|师|童|孩|客|官)"
                           r"|how many (?:[a-z\-]+ ){0,2}?(?:people|persons|soldiers|troops|civilians|police|officers|"
                           r"protesters|demonstrators|students|teachers|doctors|journalists|reporters|tourists|"
                           r"foreigners|citizens|children|workers|employees|staff|members|peacekeepers|personnel|"
                           r"servicemen|victims|residents|rioters|militants|terrorists|detainees)\b", re.I)
# A how-much question that asks for a measure rather than a count: its answer is a figure in that measure's units
# ("81岁", "1.75亿欧元", "11点"), whatever the figure counts. One unit stands for each measure.
# what money is paid as; "[^\\W\\d]{0,3}费" is any fee or cost (医药费, 承包费, 费用)
_PAID_AS = "罚款?|赔偿?|补偿|抚慰金|抚恤|捐款?|垫付?|损失|花了|花费|[^\\W\\d]{0,3}费|保险|营业额|租金|资金|[赔罚捐善欠货贷]款|款项|拨款|奖金|工资"
_NOT_SUMS = f"[{MEASURE}]|小时|分钟|公里|千米"  # "赔了多少户", "花了多少天": a count or a span, not a sum
_MEASURES = (
    ("岁", re.compile(r"多大(?:年纪|岁数|了)|(?:今年|现在|当时|那时)有?多大|几岁|多少岁|年龄|\bhow old\b|\bage[ds]?\b", re.I)),
    # money asked by what it is paid as (a fine, compensation, a fund, a loss): "罚了多少", "多少赔偿款", "how much
    # was it fined", "how much has the appeal raised"
    ("元", re.compile(r"多少钱|多少(?:美元|欧元|人民币|卢布|坚戈|英镑)|汇率|兑(?:换)?(?:人民币|美元|欧元|卢布|坚戈)|值多少|价格是多少|"
                     rf"(?:{_PAID_AS})[^，。？！?!,]{{0,8}}?(?:多少|几)(?!{_NOT_SUMS})|多少[\u4e00-\u9fff]{{0,4}}?(?:{_PAID_AS})|"
                     r"\bexchange rate\b|\bhow much\b.*\b(?:money|cost|worth|paid|pay|spent|spend|spending|fined?|fines|"
                     r"compensation|damages|funds?|fundraiser|appeal|raised?|donat\w*|insurance|insurers?|subsidy|grants?|"
                     r"budget|loss|losses|losing|lost|profit|ransom|refund\w*|charged?|award\w*|suing|sue|salary|wages?|"
                     r"payouts?|paying|owe[ds]?|saved?|cash|bill)\b|\bwhat (?:did|does|do|was|is) "
                     r".{0,40}\bcost(?:s|ing)?\b|\bprice of\b|\bin (?:dollars|euros|yuan|rmb|rubles|tenge)\b", re.I)),
    ("公里", re.compile(r"多远|多高|多深|多宽|多少(?:公里|千米|英里|米)|\bhow (?:far|tall|high|deep|wide)\b"
                      r"|\bhow many (?:km|kilomet|met(?:re|er)s|miles|feet)", re.I)),
    ("点", re.compile(r"几点|\bwhat time\b", re.I)),
    ("度", re.compile(r"多少度|多冷|多热|气温|温度|\bhow (?:cold|hot|warm)\b|\btemperatures?\b", re.I)),
    ("人", re.compile(r"多少人口|人口(?:有|是)?多少|\bpopulation\b", re.I)),
    ("%", re.compile(r"百分之几|百分之多少|百分比|多大比例|占比|\bwhat (?:percent|percentage|share|proportion)\b", re.I)),
)
# How each measure is written after its figure
_MEASURE_UNITS = {"岁": "岁|周岁", "元": "元|美元|欧元|人民币|卢布|坚戈|英镑|美金", "公里": "公里|千米|英里|米",
                  "点": "点|时", "%": "%|％", "度": "度|℃|°C"}
# A count of people the question itself gives ("那2030个兵里", "of the 2,030 CSTO soldiers"): asked how many of them,
# it wants people counted too
_GIVEN_PEOPLE = re.compile(r"\d[\d,]*\s*(?:个|名|位)?[\u4e00-\u9fff]{0,4}?(?:人|兵|员|者|民|警|生|师|童|孩|客|官)"
                           r"|\b\d[\d,]*\s+(?:[a-z\-]+\s+){0,2}?(?:people|persons|soldiers|troops|civilians|police|"
                           r"officers|protesters|demonstrators|peacekeepers|personnel|servicemen|victims|residents|"
                           r"rioters|militants|terrorists|detainees|citizens|foreigners)\b", re.I)
_ASKS_HOW_MANY = re.compile(r"多少|几|how many", re.I)
_ASKS_A_NAME = re.compile(r"叫什么|名字|名称|什么名|what is .* called|\bname\b", re.I)
_ASKS_A_PERSON = re.compile(r"谁|哪位|\bwho\b|\bwhose\b|人叫|人的名字", re.I)
_ASKS_A_DOER = re.compile(r"谁|\bwho(?:se)?\b", re.I)  # "whose boat": a club's may be
# A capitalised word or run of them ("Telegram", "Chatham House"), which may name the thing a "which" question asks;
# `_LATIN_NAME` wants two words at least, as a person's name has
_CAPITALISED = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z0-9\-]+(?: [A-Z][A-Za-z0-9\-]+)*")
_LISTED = re.compile(r"[\u4e00-\u9fff]{2,8}(?:、[\u4e00-\u9fff]{2,8})+")  # "恐怖主义、分裂主义、极端主义"
_QUOTED_NAME = re.compile(r"[“「《]([^“”「」《》，,。；;：:！？!?\s]{2,12})[”」》]")
_SAME_UNIT = {"次": "次度回", "回": "回次度", "名": "名人", "人": "人名", "个": "个名"} | dict.fromkeys("波拨轮批", "波拨轮批")
_KINDS = (
    ("timeline", re.compile(r"时间顺序|按顺序|时间线|来龙去脉|前因后果|经过|timeline|chronolog|in (?:chronological )?order"
                            r"|what happened (?:from|between|since)", re.I)),
    ("when", re.compile(r"哪[一两几]?天|何时|什么时候|哪年|哪一年|几号|几月|日期|(?:星期|礼拜|周)几|when\b|"
                        r"(?:what|which) (?:date|day|night|morning|evening|year|month)\b", re.I)),
    ("duration", re.compile(r"多久|多长时间|多长的时间|how long", re.I)),
    # "the death toll", "the arrest tallies", "the final count": a figure asked for by its noun
    ("number", re.compile(rf"多少|第几|(?<![这那哪好])几\s*[{_COUNTED}]|how many|how much|number of|\btoll\b|"
                          r"\btall(?:y|ies)\b|\b(?:final|official|latest|running|total) (?:count|figure|number)s?\b|"
                          r"\bhow (?:big|large|strong|fast|heavy)\b|" + "|".join(
        pattern.pattern for _, pattern in _MEASURES), re.I)),
    ("who", re.compile(r"谁|叫什么|哪位|名字|什么名|who\b|whose|whom|\bname\b", re.I)),
    ("where", re.compile(r"哪里|哪儿|在哪|哪[一两几些俩]?(?:个|座)?(?:城市|地方|地区|国家|机场|州|省)|什么地方|哪一?(?:块|边|片)"
                         r"|\bwhere\b|(?:which|what) (?:\w+ )?(?:cit(?:y|ies)|regions?|countr(?:y|ies)|towns?|provinces?|"
                         r"airports?|places?)\b", re.I)),
    ("why", re.compile(r"为什么|为啥|为何|原因|why\b", re.I)),
    # "哪个社交平台", "哪三股", "which think tank": one or several of a kind of thing, by name (a kind above wins)
    ("which", re.compile(r"哪(?!怕)|\bwhich\b", re.I)),
)

# The word an English question opens with (after "so", "ok", "do you know"), which decides what it asks: "how much
# waste was there when it caught fire" asks a figure, "where did the people who were evacuated sleep" a place
_LEAD_KINDS = {"number": r"how (?:many|much|old|far|tall|high|deep|wide|big|large|heavy|fast|strong)",
               "duration": r"how long", "when": r"whens?", "who": r"who(?:m|se|s)?", "where": r"wheres?",
               "why": r"why|how come"}
_LEADING = re.compile(r"^\W*(?:(?:so|and|but|ok|okay|hey|hi|also|then|well|wait|btw|um|just|quick q\w*|"
                      r"do you know|any idea|can you tell me|tell me|i wonder|i'm wondering|wondering)\W+)*(?:"
                      + "|".join(rf"(?P<{kind}>{words})" for kind, words in _LEAD_KINDS.items()) + r")(?:'s)?\b", re.I)

# "托卡耶夫是谁？", "Who is Nazarbayev?": the question names someone and asks who they are, not for a name
_DEFINE = (re.compile(r"^\s*(?P<name>[^\s，,。？?！!、]{2,16}?)\s*(?:到底|究竟)?\s*(?:是谁|是什么人|是何人|是干什么的|是做什么的)"
                      r"\s*[？?]?\s*$"),
           re.compile(r"^\s*who(?:'s\s+|\s+(?:is|was)\s+)(?!the\b|a\b|an\b|that\b|this\b)(?P<name>[^?]{2,40}?)\s*\??\s*$",
                      re.I))
_NOT_A_NAME = re.compile(r"什么|哪|谁|的|这|那|^(?:in|on|of|for|to|at|by|with|behind|responsible)\b|^\w+ing\s", re.I)
# Titles and roles that introduce a person in news text ("哈萨克斯坦总统托卡耶夫", "研究中心主任潘光")
INTRODUCING = (r"(?:总统|总理|首相|主席|部长|局长|市长|发言人|主任|专家|大使|顾问|书记|议员|国务卿|司令|教授|记者|总裁|"
               r"创始人|领导人|负责人|官员|外长)")

_PERSONAL_ROLE = re.compile(INTRODUCING + r"|\b(?:president|minister|premier|chairman|spokes(?:man|woman|person)|leader|head|"
                            r"director|expert|ambassador|advis[eo]r|official|chief|mayor|commander)s?\b", re.I)


def defined(question: str) -> str:
    """The name a "who is X" question asks about ("托卡耶夫是谁？" -> "托卡耶夫"); "" for any other question, and
    for one about a role ("代理部长是谁": that asks for a name, as "who" does)."""
    for pattern in _DEFINE:
        match = pattern.match(question)
        if match:
            name = match.group("name").strip()
            if not _NOT_A_NAME.search(name) and not TITLE.search(name):
                return name
    return ""


def introduces(text: str, names) -> bool:
    """Does the text say who one of these names is, as its first person: a title or role right before it ("总统托卡耶夫",
    "主任潘光", given names between), an age ("81岁的纳扎尔巴耶夫"), a Latin gloss after it, or "是" after it?"""
    for name in names:
        at = text.find(name) if name else -1
        if at < 0 or _someone_before(text, name, at):
            continue
        given = r"(?:[\u4e00-\u9fff]{1,5}·)*"
        if re.search(rf"(?:{INTRODUCING}|\d+岁的){given}{re.escape(name)}|{re.escape(name)}[（(][A-Z][^）)]*[）)]"
                     rf"|{re.escape(name)}(?:[（(][^）)]*[）)])?是", text):
            return True
    return False


def _someone_before(text: str, name: str, at: int) -> bool:
    """Is another person named before `at` ("马西莫夫…在前总统纳扎尔巴耶夫辞职后": the sentence is about 马西莫夫)?"""
    head = re.sub(r"(?:[\u4e00-\u9fff]{1,5}·)+$", "", text[:at])  # "萨马德·" before "阿比什": the same person
    others = dotted_names(head) + titled_names(head) + proper_nouns(head, ("nr",))
    return any(other not in name and name not in other for other in others)


def colloquial(question: str) -> str:
    """The question with its colloquial question word in the written form: 啥 is 什么 ("叫啥", "啥时候", "啥地方")."""
    return question.replace("啥", "什么")


# "When the ministry gave the toll, how many were injured?": a clause that sets the scene before the comma asks
# nothing; the question is what follows it ("When did …, and …?" asks when, and stays whole).
_SCENE = re.compile(r"^\s*(?:when|after|before|once|if|since|while|as soon as|now that|with)\s+"
                    r"(?!(?:did|does|do|is|was|were|are|will|would|has|have|had|can|could|should)\b)[^,?，？]*[,，]\s*(?=\S)",
                    re.I)


def question_kind(question: str) -> str:
    """'timeline', 'define', 'when', 'duration', 'number', 'who', 'where', 'why', 'which' or '' from the question's
    wording (after an English clause that only sets the scene)."""
    question = _SCENE.sub("", colloquial(question), count=1)
    if defined(question):
        return "define"
    lead = _LEADING.match(question)  # an English question says what it asks first: "who", "when" later are clauses
    if lead:
        return next(kind for kind in _LEAD_KINDS if lead.group(kind))
    for kind, pattern in _KINDS:
        if pattern.search(question):
            return kind
    return ""


# A time of day a question gives ("at about 3:40", "at 2.40pm", "3时40分"), which it may ask about again
_CLOCK = re.compile(r"\d{1,2}\s*时\s*\d{1,2}\s*分|\d{1,2}\s*点\s*\d{1,2}\s*分?|\bat (?:about |around )?\d{1,2}[:.]\d{2}\b|"
                    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)", re.I)


def differing_kind(kind: str, question: str) -> str:
    """What a question that remarks the reports differ asks for: its kind, or, when that is no figure, a name or a
    place, the kind of figure it gives itself ("…but another piece had a different time, which is it?" asks "when";
    "I read 27 were hurt, but later reports…" a count)."""
    if kind not in ("", "which", "where"):
        return kind
    return "when" if _CLOCK.search(question) else "number" if given_figures(question) else kind


def nouns(text: str) -> list[str]:
    """The nouns of a text, as jieba's tagger sees them (two characters or more)."""
    return [word for word, flag in tagged(text) if flag.startswith("n") and len(word) >= 2]


def fits(kind: str, text: str, question: str = "", idf=None, said: str = "") -> bool:
    """Does the sentence hold what a question of this kind asks for: a figure, a date, a length of time, or a name, a
    place, or the name or list's items of the thing asked "which" of, that the question lacks and that is not in most
    of the articles (the country every passage names answers nothing)? `said`: the question's words in other forms
    (an English question's words in Chinese), which it holds too."""
    question = colloquial(question)
    if kind == "number":
        unit = asked_unit(question)
        given = _numerals(question)  # a figure the question itself gives ("of those 103 dead, how many") is no answer
        ordinal = _ASKS_AN_ORDINAL.search(question)
        if ordinal:  # "第几位领导人": an ordinal in the unit asked ("第二位"), which counts nothing
            return bool(re.search(rf"第\s*(?:\d+|[一二两三四五六七八九十百]+)\s*{ordinal.group(1)}", text))
        if english.latin(text):  # "more than 400 workers", "six lanes"
            return any(not _given(f, given) for f in english.counts(unit, text))
        if unit:
            return _counts(unit, text, given)
        # "一个武器库", "一名发言人": 一 with a measure word is the article "a", not a count, unless a unit is asked
        return any(not _given(m.group(0), given) and not _INDEFINITE.match(m.group(0))
                   for m in QUANTITY.finditer(text))
    if kind == "define":  # "Who is Tokayev?" is answered by the sentence that introduces 托卡耶夫
        return introduces(text, [defined(question), *said.split()]) or english.introduces(text, defined(question))
    if kind == "when" and _ASKS_A_DAY.search(question):  # "哪天": a day, which a year alone does not give
        return bool(DAY.search(text))
    if kind == "duration" and english.latin(text):  # "How long is the bridge?" asks a length as well
        return bool(english.DURATION.search(text) or english.LENGTH.search(text))
    if kind in ("when", "duration", "timeline"):  # a timeline's entries are dated events
        return bool(FIGURES["when" if kind == "timeline" else kind].search(text))
    if kind == "who":
        doer = _asks_a_doer(question)  # "谁控制了机场？": an organisation (集安组织, 美国国务院) did it
        latin = [m.group(0) for m in _LATIN_NAME.finditer(text)] + (english.names(text) if english.latin(text) else [])
        if not doer and english.latin(text):  # a person asked for: "Wexmoor Police" or "Pellbury" names none
            latin = list(set(latin) & set(english.people(text)))
        found = latin + dotted_names(text) + proper_nouns(text, ("nr", "nt") if doer else ("nr",)) + titled_names(text)
        if _ASKS_A_NAME.search(question) and not _ASKS_A_PERSON.search(question):  # "执政党叫什么": a thing's name
            found += [m.group(1) for m in _QUOTED_NAME.finditer(text)]
    elif kind == "where":
        found = places(text) + (english.places(text) if english.latin(text) else [])
        if ASKS_A_SIDE.search(question):  # "克兹拉尔达在哈萨克斯坦哪边": 南部
            found += SIDE.findall(text) + english.SIDE.findall(text)
    elif kind == "which":  # a name of the thing asked, whatever it is, or the items of a list
        found = (english.names(text) if english.latin(text) else  # a sentence's first word and a month name none
                 [m.group(0) for m in _CAPITALISED.finditer(GLOSS.sub("", text))]) + dotted_names(text) + titled_names(text) \
            + proper_nouns(text, ("nr", "ns", "nt", "nz", "nrt")) + places(text) \
            + [m.group(1) for m in _QUOTED_NAME.finditer(text)] \
            + [item for m in _LISTED.finditer(text) for item in m.group(0).split("、")]
    else:
        return False
    asked = f"{question} {said}" if said else question
    return any(new_name(name, asked, idf) for name in found)


def new_name(name: str, question: str, idf=None) -> bool:
    """Does the name answer "who" or "where": one the question lacks, and not in most of the articles?"""
    return _new(name, question) and (idf is None or idf(name.lower()) >= COMMON)


def _asks_a_doer(question: str) -> bool:
    """Does a "who" question ask who did something, which an organisation may answer, rather than for a person in a
    role ("新总理是谁", "Who is the spokesman") or a person's name ("…叫什么名字")?"""
    return bool(_ASKS_A_DOER.search(question)) and not _ASKS_A_NAME.search(question) \
        and not _PERSONAL_ROLE.search(question)


def _new(name: str, question: str) -> bool:
    """A name the question does not already hold, in whole, in part ("马明" is in "阿斯卡尔·马明") or cut short: its
    first and last characters and some between, in order ("俄外交部" is "俄罗斯外交部")."""
    parts = [part for part in re.split(r"[·\s]", name) if len(part) >= 2]
    short = (question[i:j] for i, c in enumerate(question) if c == name[0]
             for j in range(i + 3, min(len(question), i + len(name) - 1) + 1) if question[j - 1] == name[-1])
    return name.lower() not in question.lower() and not any(_holds_part(part, question) for part in parts) \
        and not any(in_order(s, name) for s in short)


def _holds_part(part: str, question: str) -> bool:
    """Does the question name this part of a name? A Latin part as a word of its own, and, written in lower case
    only, not an everyday word: "where's the rest centre" does not name "Harlowen Leisure Centre", nor "who is the
    mayor" "Mayor Walter Gransden"."""
    if not part.isascii():
        return part in question
    if re.search(rf"\b{re.escape(part)}\b", question):
        return True
    return bool(re.search(rf"\b{re.escape(part.lower())}\b", question.lower())) and not lexicon.forms(part)


def in_order(short: str, full: str) -> bool:
    """Does the longer `full` hold the characters of `short` in order ("集安组织" in "集体安全条约组织")?"""
    rest = iter(full)
    return len(full) > len(short) and all(ch in rest for ch in short)


# A figure the question gives and asks a share of: "一亿七千多万欧元的损失里头，…占了多少", "那2万来个恐怖分子，里头…";
# "of the 250 pieces of equipment, how many"
_SHARE_OF = re.compile(r"(?:\d[\d,.]*|[一二两三四五六七八九十百千万亿]+)\s*(?:多|余|来)?\s*(?:万|亿)?\s*(?:多|余|来)?\s*"
                       rf"(?P<unit>[{MEASURE}]|欧元|美元|元)[\u4e00-\u9fff，,]{{0,8}}?(?:里头|里面|里|当中|之中|中|其中)")
_EN_SHARE_OF = re.compile(r"\b(?:of|among|out of)\s+(?:the|those|these)\s+\d[\d,.]*\s*(?:million|billion)?\s+"
                          r"(?:[a-z\-]+\s+){0,2}?(?P<unit>pieces?|items?|vehicles?|cars?|trucks?|planes?|aircraft|jets?|"
                          r"shops?|stores?|banks?|businesses|euros?|dollars?)\b", re.I)
_EN_UNITS = {"piece": "件", "item": "件", "vehicle": "辆", "car": "辆", "truck": "辆", "plane": "架", "aircraft": "架",
             "jet": "架", "shop": "家", "store": "家", "bank": "家", "businesse": "家", "euro": "元", "dollar": "元"}
_SHARE_UNITS = {"名": "人", "欧元": "元", "美元": "元", "个": ""}  # "164个，其中…": 个 counts anything


def asked_unit(question: str) -> str:
    """The measure word a how-many question counts in: as written ("多少人", "几架"), else 人 for a count of people
    named by their noun ("多少学生", "how many soldiers"), or the one unit of the measure it asks for ("多大年纪" 岁,
    "多少钱" 元, "多远" 公里, "几点" 点, "百分之几" %, "多冷" 度, "人口" 人); "" when the question names none."""
    question = colloquial(question)
    for unit, pattern in _MEASURES:
        if pattern.search(question):
            return unit
    unit, people = ASKED_UNIT.search(question), _ASKED_PEOPLE.search(question)
    if unit and not (unit.group(1) == "个" and people and people.start() == unit.start()
                     and people.end() - unit.end() <= 2):  # "几个人", "几个士兵" count people; "几个城市的人" cities
        return unit.group(1)
    if people or _ASKS_HOW_MANY.search(question) and _GIVEN_PEOPLE.search(question):
        return "人"
    share = _ASKS_HOW_MANY.search(question) and (_SHARE_OF.search(question) or _EN_SHARE_OF.search(question))
    if share:  # "一百多家商店和银行里，…", "of the 250 pieces of equipment, how many": counted as the figure it gives
        unit = share.group("unit").lower()
        return _EN_UNITS.get(unit.rstrip("s"), _SHARE_UNITS.get(unit, unit))
    return ""


def _counts(unit: str, text: str, given: tuple[tuple[float, float], ...] = ()) -> bool:
    """Does the text count in this unit ("30年", "两度" for "次"), with a figure other than those `given`? A
    four-digit year is a date, not a count of years; an ordinal ("第一架") counts nothing."""
    units = _MEASURE_UNITS.get(unit) or "[" + _SAME_UNIT.get(unit, unit) + "]"
    for match in re.finditer(rf"(?<![第\d.,])(\d[\d,.]*|[一二两三四五六七八九十百千万几数]+)\s*(?:多|余)?\s*(?:万|亿)?\s*(?:{units})",
                             text):
        if unit == "年" and match.group(1).isdigit() and len(match.group(1)) >= 4:
            continue
        if _given(match.group(0), given) or unit in ("点", "%", "度") and not match.group(1)[0].isdigit():
            continue  # "一时", "一点": a moment, a little, not a time of day
        return True
    if unit in _COUNTED:  # "已有3811被逮捕", "死亡人数升至164": a count whose unit the text leaves out
        return any(not _given(m.group(0), given) for m in _BARE_COUNT.finditer(text))
    return False


# A figure of two digits or more with no unit after it, not a year ("2022开年") nor part of a date or a designation
_BARE_COUNT = re.compile(rf"(?<![第\d.,\-月A-Za-z])(?![12]\d{{3}}(?!\d))\d{{2,}}(?![\d.,%])"
                         rf"(?!\s*(?:多|余|来)?\s*(?:万|亿)?\s*(?:[{MEASURE}年月日号时点分秒元米遍倍]|美元|欧元|公里|[A-Za-z]))")


@functools.lru_cache(maxsize=1024)
def _numerals(question: str) -> tuple[tuple[float, float], ...]:
    """The figures a question gives ("那103个人", "the 250 pieces", "那八个人", "四千多人", "一亿七千多万欧元"), as the
    ranges of values they stand for."""
    found = [m.group(0) for m in re.finditer(r"\d[\d,]*(?:\.\d+)?(?:\s*(?:多|余|来))?(?:\s*(?:万|亿|million|billion))?",
                                             question)]
    found += [m.group(0) for m in QUANTITY.finditer(question) if question[max(0, m.start() - 1):m.start()] not in ("周", "期")]
    found += [m.group(0) for m in CHINESE_AMOUNT.finditer(question)]
    return tuple(dict.fromkeys(r for f in found if (r := amount(f)) is not None))


def _given(figure: str, given: tuple[tuple[float, float], ...]) -> bool:
    """Is this figure of a text one the question already gives: a value within one of its ranges ("4266人" in
    "四千多人", "1.75 亿欧元" in "一亿七千多万欧元")?"""
    value = amount(figure) or english.value(figure)
    return value is not None and any(low <= value[1] and value[0] <= high for low, high in given)



_UNIT = re.compile(rf"(?:\d[\d,.]*|[一二两三四五六七八九十百千万几数]+)\s*(?:多|余)?\s*(?:万|亿)?\s*([{MEASURE}])")


def units(text: str) -> set[str]:
    """The measure words the text's figures are counted in (名 and 人 alike)."""
    return {"人" if u == "名" else u for u in _UNIT.findall(text)} | english.units(text)


def figures(kind: str, text: str) -> tuple[str, ...]:
    """The figures of the kind asked (counts, dates, spans of time) that the text gives, as written."""
    pattern = FIGURES.get(kind)
    return english.figures(kind, text) or (
        tuple(sorted(set(re.sub(r"\s", "", f) for f in pattern.findall(text)))) if pattern else ())


def given_figures(question: str) -> tuple[tuple[float, float], ...]:
    """The counts a question itself gives, as ranges of values ("那个“16”是啥数", "More than 400 what?", "the 2,030
    soldiers"): a sentence that gives the same count speaks of what it asks about. Dates and years are none."""
    plain = _EN_DAY.sub("", re.sub(r"(?<=\d),(?=\d{3})", "", question))
    return tuple(dict.fromkeys(r for m in QUANTITY.finditer(plain) if (r := amount(m.group(0))) is not None))


def holds_figure(figures: tuple[tuple[float, float], ...], text: str) -> bool:
    """Does the text give one of these counts, more or less ("400 多辆" holds "more than 400", not 403)?"""
    return bool(figures) and any(isinstance(v, tuple) and v[0] == lo for v in figure_values("number", text)
                                 for lo, _ in figures)


_EN_DAY = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)\b")


def figure_values(kind: str, text: str, unit: str | None = None) -> frozenset:
    """The text's figures of the kind asked by what they stand for: a count by its value ("八名" and "8名" are one
    figure), a vague count or another kind as written. Given the `unit` a question asks in ("" for none), the
    article "a" ("一场", "一个") counts only in that unit."""
    found = [f for f in figures(kind, text) if unit is None or not _INDEFINITE.search(f) or unit in units(f)]
    return frozenset((amount(f) or english.value(f) or f) if kind == "number" else f for f in found)
