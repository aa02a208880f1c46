"""What an English text holds of the kinds `kinds` checks for: counts in a unit ("more than 400 workers", "six lanes",
"840 million dollars"), lengths of time and of things ("four years", "1.2 kilometres"), people introduced by their
role ("Mayor Linda Okafor", "Tomas Lindqvist, the city's transport director") and places ("at St. Mary's Hospital",
"the town of Brackley"). `kinds` writes its patterns for Chinese text; an English article's answers are found here."""

from __future__ import annotations

import functools
import re

_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_POWERS = {"hundred": 100, "thousand": 1000, "million": 1e6, "billion": 1e9}
_WORD_VALUES = {w: i for i, w in enumerate(_SMALL)} | _TENS | _POWERS | {"a": 1, "an": 1, "dozen": 12}
_WORD = "|".join(sorted((w for w in _WORD_VALUES if w not in ("a", "an")), key=len, reverse=True))
# A figure in digits ("2,500", "1.2", "$840 million") or words ("six", "a hundred", "twenty-five", "dozens of")
FIGURE = (rf"(?<![\w.,\-$€£])(?:[$€£]\s*)?(?:\d(?:[\d,]*\d)?(?:\.\d+)?"
          rf"|(?:(?:a|an)\s+)?(?:{_WORD})(?:[\s\-]+(?:and\s+)?(?:{_WORD}))*\b"
          rf"|(?:dozens|hundreds|thousands|millions) of)(?:\s*(?:million|billion|m|bn)\b)?")
FULL_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec")  # news style's
_MONTHS = "|".join(FULL_MONTHS + SHORT_MONTHS)
MONTH = rf"\b(?:(?:{'|'.join(FULL_MONTHS)})\b|(?:{'|'.join(SHORT_MONTHS)})\.)"  # by name, or short: "Aug. 24"
# How each measure `kinds` asks in is written after an English figure; a count of people by the people counted
UNITS = {
    "人": r"(?!percent|per cent)(?:[a-z\-]+\s+){0,2}?(?:people|persons?|soldiers|troops|civilians|police(?:men)?|"
         r"officers|protesters|demonstrators|students|teachers|doctors|nurses|journalists|reporters|tourists|"
         r"foreigners|citizens|children|adults|workers|employees|staff|members|volunteers|passengers|residents|"
         r"victims|patients|rescuers|firefighters|drivers|voters|visitors|spectators|fans|rioters|militants|"
         r"detainees|prisoners|men|women|inhabitants|families|crew|crews)\b",
    "元": r"(?:dollars?|euros?|pounds?|yuan|rubles?|roubles?|tenge|francs?|USD|EUR)\b",
    "公里": r"(?:km|kilomet(?:re|er)s?|met(?:re|er)s?|m|miles?|feet|foot|ft)\b(?!\s*(?:an|a|per|/)\s*h)",  # no speed
    "点": r"(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock\b|GMT\b|UTC\b)",
    "%": r"(?:%|percent\b|per cent\b)",
    "岁": r"(?:years?\s+old\b|-year-old\b)",
    "度": r"(?:degrees?\b|°)",
}
_MONEY_SIGN = re.compile(r"[$€£]\s*\d")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_AGE = re.compile(r"\baged\s+(\d{1,3}(?:\s*(?:and|to|-)\s*\d{1,3})?)\b"
                  r"|\b[A-Z][a-z]+, (\d{1,3}),(?= (?:of|from|who|was|is|had|has|died|a|an)\b)")
# (a power is part of its figure: "$7.3 million" at a sentence's end is no 7.3 of a unit "million")
_ANY_UNIT = re.compile(rf"({FIGURE})\s*(?:-\s*)?(?!(?:{_MONTHS}|AD|BC|BCE|CE|of|the|and|or|in|on|at|to|by|for|is|was|"
                       rf"were|are|said|says|who|which|that|million|billion|bn)\b)([A-Za-z%°][\w\-]*)", re.I)
# Words after a figure that say nothing of what it counts ("nine had been admitted", "$4.8 million so far")
_NOT_A_UNIT = frozenset(["had", "has", "have", "been", "be", "so", "also", "more", "less", "than", "as", "from", "with",
                         "per", "out", "up", "after", "before", "over", "under", "about", "around", "still", "all",
                         "died", "injured", "killed", "a", "an"])
_CALENDAR = re.compile(rf"(?:{_MONTHS}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)(?:\s+\d{{1,2}})?")
_OPENING = re.compile(r'(?:^|[.!?]|(?:^|\s)["“])\s*$')  # where a sentence (or a quotation) begins
_YEAR = re.compile(r"^(?:1[89]|20)\d{2}$")
DURATION = re.compile(rf"(?:{FIGURE}|\b(?:a|an|several|a few|few|many|some)\b)\s+(?:more\s+|full\s+)?"
                      r"(?:years?|months?|weeks?|days?|hours?|minutes?|nights?|decades?)\b"
                      r"|\b(?:until|till|through)\s+(?:the\s+end\s+of\s+)?(?:\d|[A-Z])|\bovernight\b|\bfor a while\b",
                      re.I)
LENGTH = re.compile(rf"{FIGURE}\s*(?:-\s*)?{UNITS['公里']}", re.I)
# A role's word before a name ("Mayor", "spokesperson", "Auditor-General", "the director,"); not a word that only
# ends like one ("after", "her", "whether")
_ROLE = (r"(?!(?:after|over|under|other|another|never|ever|whether|either|neither|later|rather|her|per|for|or|nor|"
         r"than|when|then|against|present|recent|different|sent|went|meant|spent|want|grant|many|any)\b)"
         r"(?:[A-Za-z\-]*(?:or|er|ist|ian|person|man|woman|ent|ary|ant|chief|head|general|General|official|expert|"
         r"leader|officer|chair|minister|secretary|executive)|CEO|MP)")
_CAPITAL_RUN = re.compile(r"(?<![A-Za-z'])[A-Z][\w'\-]*(?:\.(?= [A-Z]))?"
                          r"(?:\s+(?:&\s+|of\s+|de\s+|van\s+)?[A-Z][\w'\-]*)*")
_PLACE_CUE = re.compile(r"\b(?:in|at|on|to|from|near|into|outside|across|towards?|inside|of)\s+(?:the\s+)?$")
# "about four miles southwest of town", "200 metres east of the depot": a place given by its distance and bearing
_BEARING = re.compile(r"\b(?:\d[\d.,]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|half a|a few|several)\s+"
                      r"(?:miles?|km|kilomet(?:re|er)s?|met(?:re|er)s?|yards?|feet|foot)\s+(?:to the\s+)?"
                      r"(?:north|south|east|west)(?:-?(?:east|west))?(?:wards?)?\s+of\b", re.I)
# "in the north of the county", "the town's eastern edge": a side, the answer to "in which part"
SIDE = re.compile(r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\b", re.I)
_PLACE_WORD = re.compile(r"\b(?:town|city|village|province|district|region|county|state|country|capital|port|"
                         r"island|suburb)\s+of\s+$", re.I)


@functools.lru_cache(maxsize=8192)  # asked of the same sentences by every check of every question
def latin(text: str) -> bool:
    """Is the text written mostly in Latin letters (an English article's sentence, not a Chinese one with a gloss)?"""
    letters = sum(c.isascii() and c.isalpha() for c in text)
    return letters > 2 * sum("\u4e00" <= c <= "\u9fff" for c in text)


def scaled(chars: int, text: str) -> int:
    """A length in characters as it holds for this text: an English text says in 2.5 times the characters what a
    Chinese one says (a sentence clipped for an answer, a paragraph cut into passages)."""
    return chars * 5 // 2 if latin(text) else chars


def counts(unit: str, text: str) -> list[str]:
    """The figures of an English text that count in this unit ("人" "400 workers", "元" "$840 million", "公里"
    "1.2 kilometres", "点" "9 a.m."), as written; with no unit (or one English writes as a noun: 辆, 家, 条), every
    figure followed by what it counts ("six lanes", "3,000 people"), years and days left out."""
    found = [m.group(0) for m in re.finditer(rf"{FIGURE}\s*(?:-\s*)?{UNITS[unit]}", text, re.I)] \
        if unit in UNITS else []
    if unit in ("元", ""):  # "$7.3 million": a sum of money, whatever follows it
        found += [m.group(0) for m in re.finditer(rf"{FIGURE}", text) if _MONEY_SIGN.match(m.group(0))]
    if unit == "点":
        found += _CLOCK.findall(text)
    elif unit == "岁":  # "two men, aged 22 and 31"; "Dorothy Ainsworth, 90, of Marrowgate"
        found += [m.group(1) or m.group(2) for m in _AGE.finditer(text)]
    elif unit not in UNITS:
        found += [m.group(1) for m in _ANY_UNIT.finditer(text)
                  if m.group(1).strip() and not _YEAR.match(m.group(1).strip())
                  and m.group(1).lower() not in ("a", "an")]
    return [f.strip() for f in found if f.strip() and f.strip().lower() not in ("a", "an")]


def units(text: str) -> set[str]:
    """What an English text's figures count, by the word after each ("48,000 homes" home, "$840 million" dollar)."""
    if not latin(text):
        return set()
    found = {m.group(2).lower().rstrip("s") for m in _ANY_UNIT.finditer(text)
             if not _YEAR.match(m.group(1).strip()) and m.group(2).lower() not in _NOT_A_UNIT}
    return found | ({"dollar"} if _MONEY_SIGN.search(text) else set())


def figures(kind: str, text: str) -> tuple[str, ...]:
    """An English text's figures of the kind asked, as written: counts ("48,000", "six") or spans of time ("four
    years"); () for any other text or kind (a date's patterns serve both languages)."""
    if kind not in ("number", "duration") or not latin(text):
        return ()
    found = counts("", text) if kind == "number" else [m.group(0) for m in DURATION.finditer(text)]
    return tuple(sorted(set(found)))


def value(figure: str) -> tuple[float, float] | None:
    """The value of a figure written in words ("six", "a hundred", "twenty-five" and what follows); None for one in
    digits or a vague one ("dozens of")."""
    words = []
    for word in re.findall(r"[a-z]+", figure.lower()):
        if word not in _WORD_VALUES and word != "and":
            break
        words.append(word)
    while words and words[-1] == "and":
        words.pop()
    if not words or words in (["a"], ["an"]):
        return None
    total, part = 0.0, 0.0
    for word in (w for w in words if w != "and"):
        number = _WORD_VALUES[word]
        if word in _POWERS:
            part = (part or 1) * number
            if number >= 1000:
                total, part = total + part, 0.0
        else:
            part += number
    return total + part, total + part


def introduces(text: str, name: str) -> bool:
    """Does the English text say who this person is: a role right before the name ("Mayor Linda Okafor", "NorthGrid
    spokesperson Helen Cho", "the director, Tomas Lindqvist"), or after it ("Helen Cho, the company's spokesperson",
    "Moreno, who led …", "Quillan, chief of the fire district", "Okafor is the mayor")?"""
    if not name or not latin(name):
        return False
    name = re.escape(name.strip())
    return bool(re.search(rf"\b{_ROLE},?\s+(?:[A-Z][\w\-]*\s+)*?{name}\b", text)
                or re.search(rf"\b{name}(?:\s+[A-Z][\w\-]*)*\s*"
                             rf"(?:,\s*(?:the|a|an|who|its|their|his|her|\d+|[A-Z][\w\-]*'s|{_ROLE}\s+(?:of|for|at))\b"
                             rf"|\s+(?:is|was|has been|had been)\s+(?:the|a|an|its|their)\b)", text))


def names(text: str) -> list[str]:
    """Capitalised words and runs of them ("Vale & Ostrom", "NorthGrid", "Linda Okafor"), but for a sentence's first
    word alone ("Power has been …") and the calendar's ("September", "Monday")."""
    return [m.group(0) for m in _CAPITAL_RUN.finditer(text) if not _CALENDAR.fullmatch(m.group(0))
            and (" " in m.group(0) or not _OPENING.search(text[:m.start()]))]


# The last word of a name that is no person's: a body's, a firm's, a paper's, a place's ("Wexmoor Police", "Corrant
# Fire Systems", "Cobbold Street")
_BODY = re.compile(r"(?:Police|Council|Services?|Systems?|Ltd|Limited|Group|Company|Corporation|Inc|Plc|PLC|LLC|"
                   r"Authority|Agency|Department|Ministry|Office|University|College|School|Hospital|Centre|Center|"
                   r"Bank|Fund|Court|Party|Association|Union|Trust|Board|Commission|Committee|Inspectorate|Station|"
                   r"Street|Road|Lane|Row|Avenue|Square|Bridge|River|Hill|Park|Quay|Estate|Weekly|News|Times|Post|"
                   r"Herald|Gazette|Wire|Review|Dispatch|Network|Power|Water|Energy|Health|Partners|Holdings|Works|"
                   r"Team|Brigade|Rescue|Forces?|Army|Navy|Guard|Hall|Church|House|Market|Cross|Airport|Port|"
                   r"Club|Institute|Foundation|Society|Federation|Organi[sz]ation|Government|Parliament)$")


def people(text: str) -> list[str]:
    """The names of `names` that may be a person's: two words or more ("Linda Okafor"), or one after Mr, Mrs, Ms
    or Dr; not a body's, a firm's or a place's ("Wexmoor Police", "Corrant Fire Systems", "in Pellbury")."""
    at = set(places(text))
    return [n for n in names(text) if n not in at and not _BODY.search(n)
            and (" " in n.strip() or re.search(rf"\b(?:Mr|Mrs|Ms|Dr)\.? {re.escape(n)}", text))]


def places(text: str) -> list[str]:
    """Capitalised names after a preposition of place or "the town of" ("at St. Mary's Hospital", "in Ottawa", "on
    Mill Lane"), or before "-based" ("the Dusseldorf-based group"); a distance and bearing ("two miles north of")."""
    return [m.group(0) for m in _CAPITAL_RUN.finditer(text) if not _CALENDAR.fullmatch(m.group(0))
            and (_PLACE_CUE.search(text[max(0, m.start() - 40):m.start()])
                 or _PLACE_WORD.search(text[max(0, m.start() - 40):m.start()]))] \
        + re.findall(r"\b([A-Z][\w']+)-based\b", text) + _BEARING.findall(text)


# What an English question asks about: the noun after "how many" / "which" / "what" (its last, before the verb or a
# preposition: "how many utility poles did" → poles), of "the name of the couple's grandson", or of "who is the
# general secretary of" (a frame word such as time or people is none)
_AUX = (r"(?:did|do|does|were|was|are|is|have|has|had|will|would|could|can|should|may|might|got|get|in|on|at|of|for|"
        r"from|to|by|with|about|after|before|during|that|the|a|an|this|these|those|there|it|its|they|their|he|his|"
        r"she|her|we|our|you|your)")
_PAST = re.compile(r"\w+ed|kept|took|won|sent|went|made|got|gave|said|told|led|left|held|paid|ran|saw|set|put|hit|"
                   r"cut|came|lost|built|began|brought|bought|caught|chose|drove|fell|felt|found|flew|grew|heard|knew|"
                   r"meant|met|rose|sold|shut|spent|stood|struck|wrote")
_ASKING = re.compile(rf"\b(?:how (?:many|much)|which|what)\s+((?:(?!{_AUX}\b)[a-z][a-z\-]*\s+){{0,2}}"
                     rf"(?!{_AUX}\b)[a-z][a-z\-]*)\s+{_AUX}\b", re.I)
_NAMED = re.compile(r"\bnames? of (?:(?:the|his|her|their|its|[A-Z][\w\-]*(?:'s|s'|'))\s+)*([a-z][a-z\-]*)"
                    r"|\bwho(?:'s| is| was| are| were) (?:the|their|its) (?:[a-z\-]+\s+){0,2}?([a-z\-]+)"
                    r"\s+(?:of|at|for|in)\b", re.I)
_FRAME = re.compile(r"time|day|date|year|month|kind|sort|type|way|reason|percentage|share|number|amount|proportion|"
                    r"part|ones?|money|people|persons?|things?")


def focus(question: str) -> str:
    """The noun an English question asks about, lower-cased ("" when it names none)."""
    for found in (_NAMED.search(question), _ASKING.search(question)):
        if found:
            run = next(g for g in found.groups() if g).lower().split()
            while len(run) > 1 and _PAST.fullmatch(run[-1]):  # "which law firm filed the suit": a verb ends it
                run.pop()
            word = run[-1]
            if not _FRAME.fullmatch(word) and len(word) > 2:
                return word
    return ""

