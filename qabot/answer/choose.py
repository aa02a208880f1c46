"""A read `Trace` → the sentences an answer quotes: the best one, then those the extension model holds to be part of
the answer too (a list's items, other reports' other figures of the same quantity, the sentence a statement goes on
in, a chronology's dated events), each clipped around its evidence and with the person its 他/她 speaks of."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from qabot.answer.compose import CLIP, ITEM, clip
from qabot.answer.features import SENTENCE_FEATURES, Candidate, extend_rows, held_words
from qabot.ingest.passages import Passage
from qabot.language.kinds import FIGURES, figure_values, units

if TYPE_CHECKING:
    from qabot.answer.reader import Reading, Trace

# Another sentence joins the answer when the extension model gives it at least one chance in three of holding a part
# of the answer the best sentence lacks: a part missing costs a user more than a sentence too many. (Held-out, seed 0,
# sixteen sets, against the sentence model's even-odds bar before it: answer_acc 0.722 -> 0.736, cite_ok 0.829 ->
# 0.839, mean answer 80 -> 81 characters; at even odds the model joined too few, 0.714. Seventeen sets, five splits:
# 0.719 -> 0.736, the median answer as long: docs/evaluation.md.)
JOIN = float(np.log(1 / 2))  # the logit of p = 1/3
MOST, BUDGET, LIST_BUDGET = 4, 200, 360  # sentences and characters of an answer (a list may run longer)
# A figure the reports disagree on may have been given five ways over the weeks (a death toll as it rose): its answer
# may quote six of them, in the short clauses that give each (a limit on length, not a tuned weight; with four and
# 360 the folders' "how many, the reports differ" questions listed two or three of four reports: seven more questions
# answered in full, none fewer, held-out over forty-eight sets, the median answer as long: docs/evaluation.md).
FIGURES_MOST, FIGURES_BUDGET = 6, 480
TIMELINE_ENTRIES, TIMELINE_BUDGET = 5, 420  # a chronology: dated events, one a day


def choose(trace: Trace, reading: Reading, rules: frozenset[str], article, extend=None) -> list[tuple[Passage, str]]:
    """(passage, quoted text) of the sentences `chosen` picks."""
    return [(trace.candidates[reading.read[reading.where[r][0]]].passage, text)
            for r, text in chosen(trace, reading, rules, article, extend)]


def chosen(trace: Trace, reading: Reading, rules: frozenset[str], article, extend=None) -> list[tuple[int, str]]:
    """(row of the reading, quoted text) of the best sentence, then of those the extension model (`extend`) gives at
    least one chance in three (`JOIN`) of holding a part of the answer it lacks, likeliest first: more items for a
    list, other figures of the same thing (same unit) for a figure question, the sentence a statement goes on in;
    and for a chronology the dated sentences, one a day, within the days the question names."""
    question = trace.question
    cands = trace.candidates
    s2, where, read, sx = reading.s2, reading.where, reading.read, reading.sentence_x
    order = [int(i) for i in np.argsort(-s2, kind="stable")]
    holds = sx[:, SENTENCE_FEATURES.index("holds_kind")] > 0
    timeline = question.kind == "timeline"
    listing = question.listing
    figure_kind = question.kind in FIGURES and not listing

    def source(i: int) -> Candidate:
        return cands[read[where[i][0]]]

    def sentence(i: int) -> str:
        return source(i).sentences[where[i][1]]

    if timeline:
        dated = [i for i in order if holds[i] and _within(_day(source(i), sentence(i)), question.days)]
        order = dated or order
    first = order[0]
    if not timeline:  # a chronology takes its dated sentences in the sentence model's order, one a day
        joins, bar = (extend.logits(extend_rows(question, [cands[i] for i in read], where, sx, s2, first)), JOIN) \
            if extend is not None else (s2, 0.0)  # parameters fitted before the extension model: even odds
        order = [first] + [int(i) for i in np.argsort(-joins, kind="stable") if i != first and joins[i] >= bar]
    picked = [first]
    most, budget = (TIMELINE_ENTRIES, TIMELINE_BUDGET) if timeline else \
        (FIGURES_MOST if figure_kind else MOST, FIGURES_BUDGET if figure_kind else LIST_BUDGET if listing else BUDGET)
    texts = {first: _quoted(trace, source(first), where[first][1], rules, article)}
    length = len(texts[first])
    days = {_day(source(first), sentence(first))}
    shown = {figure_values(question.kind, sentence(first), question.unit)}
    for i in order[1:]:
        if len(picked) >= most:
            break
        if any(where[c] == where[i] for c in picked):
            continue
        if timeline:
            day = _day(source(i), sentence(i))
            if day in days:
                continue  # a chronology: one dated event a day
            days.add(day)
        if figure_kind:
            if "conflicts" not in rules or not holds[i]:  # another figure of the same thing, from another report or
                continue  # another statement of the same one ("数千人被捕" and "4266人" in one article)
            counted, first_counted = units(sentence(i)), units(sentence(first))
            if question.kind == "number" and counted and first_counted and not counted & first_counted:
                continue  # a count of other things; a figure whose unit the text leaves out may be of the same
            told = figure_values(question.kind, sentence(i), question.unit)
            fresh = told - frozenset().union(*shown)
            if not fresh:
                continue  # the same figures from another report ("八名", "8名"), or fewer of them: no disagreement
            if not question.differs and not held_words(sentence(first), question.known, question.forms) <= \
                    held_words(f"{source(i).passage.title}\n{sentence(i)}", question.known, question.forms):
                continue  # of something else: the same quantity needs every word of the question the first holds
                # (or its article's title does: 该国 of a report whose title names the country). A user who says
                # the reports give different figures asks for each report's, in its own words ("hurt", "injured"):
                # there the extension model's odds alone judge the quantity (held-out over eighty-two sets, each
                # corpus left out: answer_acc 0.657 -> 0.659, its "reports differ" questions 0.343 -> 0.365,
                # false_differ as it was; without the gate for every question 0.664, but false_differ 0.030 ->
                # 0.043: docs/evaluation.md)
            shown.add(told)
        if figure_kind:  # another report's figure: the clauses that give it
            text = _quoted(trace, source(i), where[i][1], rules, article, ITEM, fresh)
        else:
            text = _quoted(trace, source(i), where[i][1], rules, article)
        if length + len(text) > budget:
            continue
        picked.append(i)
        texts[i] = text
        length += len(text)
    return [(i, texts[i]) for i in picked]

def _quoted(trace: Trace, cand: Candidate, j: int, rules: frozenset[str], article, most: int = CLIP,
            new: frozenset | None = None) -> str:
    """A sentence as quoted: clipped around the evidence (to `most` characters; around one of the `new` figures),
    with the person its 他/她 speaks of."""
    question = trace.question
    text = clip(cand.sentences[j], question.weights, question.kind, most, question.text, new, question.forms)
    if "coreference" not in rules:
        return text
    from qabot.language.coreference import has_pronoun, people, with_person

    if not has_pronoun(text):
        return text
    earlier, names = article(cand.passage)
    own = list(cand.sentences)
    before = own[:j]
    cut = own[j].find(text.strip("…"))
    if cut > 0:
        before.append(own[j][:cut])
    return with_person(text, earlier + before, names or people(own))


def _day(cand: Candidate, sentence: str) -> str:
    from qabot.language.dates import first_day

    return first_day(sentence, cand.passage.date)


def _within(day: str, stretch) -> bool:
    if stretch is None:
        return True
    first, last = stretch
    return bool(day) and first <= (int(day[5:7]), int(day[8:10])) <= last
