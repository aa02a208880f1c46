"""Question + the indexed articles → `Filters` the question states in its own words ("半岛网怎么说…", "1月8日的报道…").

Only a source the corpus has, or a publication day it has, narrows the search; a day needs a word that makes it the
report's day ("1月8日的报道"), not the event's ("1月8日发生了什么"). A question may also name a part of the page
(`asked_section`): a picture, whose caption answers it, or who wrote the piece, which its byline says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qabot.ingest.passages import BYLINE, CAPTION, Passage

_REPORTED = r"(?:怎么说|如何说|怎么报道|报道|称|说|写|提到|认为|怎么看|的文章|的消息|的说法)"
_EN_REPORTED = r"(?:says?|said|reports?|reported|writes|wrote|story|article|piece|coverage)\b"
# A report's day: "1月8日的报道", "2022年1月10号那篇稿子", "8日的稿子". Without its month a day names a report only
# as a piece ("10号那篇", "8日的稿子"), not as a report or news: "据路透社10日报道" is the agency's day, "内政部8号那份
# 声明" a statement's
_ZH_DAY = re.compile(r"(?<![\d月])(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*[日号]\s*"
                     r"(?:的|发的|发布的|发表的|那|这)?\s*(一?\s*篇|稿子|稿件|文章|帖子|报道|新闻|消息|通报)")
_PIECE = re.compile(r"一?\s*篇|稿子|稿件|文章|帖子")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), start=1)}
_EN_DAY = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?"
                     r"(?:,?\s+(\d{4}))?\s+(?:report|article|story|news|piece)s?\b", re.I)
_EN_DAY_AFTER = re.compile(r"\b(?:report|article|story|news|piece)s?\s+(?:of|from|on|published on)\s+"
                           r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?"
                           r"(?:,?\s+(\d{4}))?", re.I)


@dataclass(frozen=True)
class Filters:
    """Which articles a question may be answered from: by outlet and publication day."""

    source: str = ""  # substring of the outlet's name, case-insensitive
    since: str = ""  # ISO date, inclusive
    until: str = ""  # ISO date, inclusive

    def __bool__(self) -> bool:
        return bool(self.source or self.since or self.until)

    def allows(self, passage: Passage) -> bool:
        return self.allows_article(passage.source, passage.date)

    def allows_article(self, source: str, date: str) -> bool:
        if self.source and self.source.casefold() not in source.casefold():
            return False
        day = date[:10]
        if self.since and (not day or day < self.since[:10]):
            return False
        return not (self.until and (not day or day > self.until[:10]))



def stated_filters(question: str, editions: set[tuple[str, str]]) -> tuple[Filters | None, str]:
    """(the source and publication day the question names, when the corpus has them, else None; the question
    without the source's name, which no passage holds). `editions`: every (source, date) of the indexed articles."""
    source = _source(question, {s for s, _ in editions if s})
    days = _days(question, {d[:10] for _, d in editions if d})
    if not source and not days:
        return None, question
    since, until = (min(days), max(days)) if days else ("", "")
    chosen = Filters(source=source, since=since, until=until)
    if not any(chosen.allows_article(s, d) for s, d in editions):
        return None, question  # the source never wrote on that day: narrow by neither rather than answer from nothing
    if source:
        rest = re.sub(re.escape(source) + r"\s*(?:的报道|的文章|的说法|怎么说|如何说|报道|称|说)?", " ", question,
                      flags=re.I)
        question = " ".join(rest.split()) or question
    return chosen, question


def _source(question: str, sources: set[str]) -> str:
    """The longest name of a corpus source (or a word of it: "半岛网" of "Aljazeera 半岛网") in the question. A
    two-character name must be followed by a reporting word ("知乎怎么说"), lest a common word pass for a source; so
    must a word of an English outlet's name ("the Dunhaven Courier"), which is often a place's ("from Dunhaven")."""
    lowered = question.casefold()
    best = ""
    for source in sources:
        for part in {source, *source.split()}:
            name = part.strip().casefold()
            latin = name.isascii()
            if len(name) < (4 if latin else 2) or name not in lowered:
                continue
            if latin and not re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", lowered):
                continue
            if len(name) == 2 and not re.search(re.escape(name) + r"\s*" + _REPORTED, lowered):
                continue
            if name != source.casefold() and source.isascii() and not re.search(
                    rf"according to (?:the )?{re.escape(name)}|{re.escape(name)}(?:'s|’s|\s+{_EN_REPORTED})", lowered):
                continue  # "Dunhaven" of the "Dunhaven Courier" is the town, unless the question cites it
            if len(name) > len(best):
                best = part.strip()
    return best


def _days(question: str, dates: set[str]) -> list[str]:
    """The corpus's publication days (YYYY-MM-DD) that the question names as a report's day."""
    wanted: list[tuple[str, int, int]] = []
    for year, month, day, word in _ZH_DAY.findall(question):
        if month or _PIECE.fullmatch(word):
            wanted.append((year, int(month or 0), int(day)))  # without its month, the day of any month
    for pattern in (_EN_DAY, _EN_DAY_AFTER):
        for month, day, year in pattern.findall(question):
            wanted.append((year, _MONTHS[month[:3].lower()], int(day)))
    found = set()
    for year, month, day in wanted:
        suffix = f"-{month:02d}-{day:02d}" if month else f"-{day:02d}"
        found |= {d for d in dates if d.endswith(suffix) and (not year or d.startswith(year))}
    return sorted(found)


# What a question asks of a part of the page rather than of the story: a picture ("那张配图", "the Guancha photo"),
# whose caption holds the answer, or who wrote or took it ("记者叫啥", "which agency is the photo credited to"),
# which a byline or a caption's credit says.
_ASKS_A_PICTURE = re.compile(r"配图|图片|照片|相片|[张幅]图|图[里上中源注说]|画面"
                             r"|\b(?:photo(?:graph)?s?|pictures?|images?|captions?|pics?)\b", re.I)
_ASKS_A_BYLINE = re.compile(r"作者|撰稿|署名|谁写|编译|答主|谁(?:回)?答的"
                            r"|\b(?:wrote|written|writers?|authors?|bylines?)\b"
                            r"|\bwho (?:posted|gave) (?:the|that)\b.{0,30}\banswer"  # a Q&A site's answer
                            # a reporter asked about by name ("记者叫啥"), not one in the story ("有记者受伤吗")
                            r"|(?:谁|哪位|哪个|叫|名字|姓|who|which|name).{0,12}?(?:记者|reporters?|correspondents?)"
                            r"|(?:记者|reporters?|correspondents?).{0,12}?(?:谁|哪位|叫|名字|姓|who|name)", re.I)


def asked_section(question: str) -> str:
    """The part of an article a question asks about: "caption" (a picture), "byline" (who wrote it) or ""."""
    if _ASKS_A_PICTURE.search(question):
        return CAPTION
    return BYLINE if _ASKS_A_BYLINE.search(question) else ""
