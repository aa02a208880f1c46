"""Relative days in a quoted sentence ("本周三", "上周四", "周日", "昨天") → the calendar day they name, from the
article's date, written after them ("本周三（1月5日）") so that a reader need not count days."""

from __future__ import annotations

import datetime as dt
import re

_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6} | {
    f"{d}day": n for n, d in enumerate(("mon", "tues", "wednes", "thurs", "fri", "satur", "sun"))}
# "上周一", "昨天"; in English "last Monday", "on Thursday", "yesterday" (not "every Monday", "Mondays", "Saturday
# mornings": days that recur)
_RELATIVE = re.compile(r"(?<![每隔])(本|这|上|下)?(?:周|星期|礼拜)([一二三四五六日天])|(今天|今日|昨天|昨日|前天|明天)"
                       r"|(?<!every )\b(?:(this|last|next) )?((?:mon|tues|wednes|thurs|fri|satur|sun)day)\b(?!s)"
                       r"(?!\s+(?:mornings|afternoons|evenings|nights)\b)"
                       r"|\b(today|yesterday|tomorrow)\b", re.I)
_DAY_OFFSET = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "明天": 1, "today": 0, "yesterday": -1,
               "tomorrow": 1}
_WHICH = {"本": 0, "这": 0, "上": -1, "下": 1, "this": 0, "last": -1, "next": 1}
# a day already given after it: "周一（1月10日）", "Friday, March 14", "Monday 3 March"
_ALREADY_DATED = re.compile(r"\s*[（(〔]\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*日|\s*[（(〔]\s*\d{4}-\d{2}-\d{2}"
                            r"|,?\s+(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
                            r"(?:\s+\d)?", re.I)


def day_named(match: re.Match, published: dt.date) -> dt.date:
    """The day a relative expression names. Weeks run Monday to Sunday; a bare weekday ("周日") is the latest such
    day on or before the article's date, as news reports speak of what has happened."""
    offset = match.group(3) or match.group(6)
    if offset:
        return published + dt.timedelta(days=_DAY_OFFSET[offset.lower()])
    weekday = _WEEKDAY[(match.group(2) or match.group(5)).lower()]
    which = match.group(1) or match.group(4)
    if which is None:
        return published - dt.timedelta(days=(published.weekday() - weekday) % 7)
    monday = published - dt.timedelta(days=published.weekday())
    return monday + dt.timedelta(days=weekday + 7 * _WHICH[which.lower()])


def with_days(text: str, published: str, lang: str = "zh") -> str:
    """The text with the calendar day after each relative day it names, unless the text already gives it there; in
    the brackets that mark words put into a quotation (〔〕), not the article's own （）: "下周一〔1月10日〕"."""
    day = _day_of(published)
    if day is None:
        return text  # an article without a date: nothing to count from
    out, position = [], 0
    for match in _RELATIVE.finditer(text):
        if _ALREADY_DATED.match(text, match.end()):
            continue
        named = day_named(match, day)
        label = f"〔{named.isoformat()}〕" if lang == "en" else f"〔{named.month}月{named.day}日〕"
        out.append(text[position:match.end()] + label)
        position = match.end()
    return "".join(out) + text[position:]


_EXPLICIT = re.compile(r"(?<!\d)(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*[日号]")
# "实行宵禁，直至1月19日", "持续到1月19日": the day something lasts until, not the day it happened
_UNTIL = re.compile(r"(?:直至|直到|持续到|持续至|延续到|延长至|延长到|截止到|until)\s*(?:本月|下月)?\s*$", re.I)


def first_day(text: str, published: str) -> str:
    """The first day the text speaks of, as an ISO date: "1月7日", "7日" (in the article's month, or the one before
    when that day is still to come), "上周日"; else the article's own date ("" when it has none). A day that
    something lasts until ("直至1月19日") is not the day it happened."""
    day = _day_of(published)
    if day is None:
        return ""
    found = []
    for match in _EXPLICIT.finditer(text):
        if _UNTIL.search(text, 0, match.start()):
            continue
        year, month, number = match.groups()
        try:
            named = dt.date(int(year or day.year), int(month or day.month), int(number))
        except ValueError:
            continue
        if not month and named > day:  # "28日" in an article of the 3rd: last month's 28th
            previous = day.replace(day=1) - dt.timedelta(days=1)
            named = named.replace(year=previous.year, month=previous.month) if int(number) <= previous.day else named
        found.append((match.start(), named))
    found += [(match.start(), day_named(match, day)) for match in _RELATIVE.finditer(text)
              if not _UNTIL.search(text, 0, match.start())]
    return min(found)[1].isoformat() if found else day.isoformat()


_ASKED_MONTH_DAY = re.compile(r"(?<!\d)(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*[日号]")
_ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                   "november", "december")
_ASKED_ENGLISH = re.compile(rf"\b({'|'.join(_ENGLISH_MONTHS)})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b|(?<=\bto )(\d{{1,2}})"
                            rf"(?:st|nd|rd|th)?\b", re.I)


def days_between(question: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The first and last (month, day) of a stretch the question names: "从1月2号到10号", "from January 2 to 10"
    (a bare day takes the month named before it); None unless it names two days in order."""
    days: list[tuple[int, int]] = []
    for match in _ASKED_MONTH_DAY.finditer(question):
        month = int(match.group(1)) if match.group(1) else (days[-1][0] if days else 0)
        days.append((month, int(match.group(2))))
    for match in _ASKED_ENGLISH.finditer(question):
        if match.group(1):
            days.append((_ENGLISH_MONTHS.index(match.group(1).lower()) + 1, int(match.group(2))))
        elif days:
            days.append((days[-1][0], int(match.group(3))))
    if len(days) != 2 or not all(1 <= m <= 12 and 1 <= d <= 31 for m, d in days) or days[0] > days[1]:
        return None
    return days[0], days[1]


def _day_of(published: str) -> dt.date | None:
    """The article's day from its ISO date, or None when it has none."""
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


# A year as a text names one: "2023年", "in 2023", "the 2023 fire" (not "2030名", "2,030", "the 1990s", a date's
# "2023-06-01")
_YEAR = re.compile(r"(?<![\d,.$£€¥-])((?:19|20)\d{2})(?:\s*年(?!代)|(?![\d%]|[.,\-]\d|s\b|\s*[\u4e00-\u9fff]))")


def years(text: str) -> set[str]:
    """The years a text names."""
    return set(_YEAR.findall(text))
