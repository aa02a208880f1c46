"""Chosen sentences → a short cited `Answer`: each sentence with its [n], an honest "not found", and one reply for
a question asked in several parts. Which sentences, and whether to answer at all, the fitted reader decides."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qabot.ingest.passages import Passage
from qabot.language.dates import first_day, with_days
from qabot.language.english import scaled
from qabot.language.kinds import FIGURES, figure_values, fits
from qabot.language.words import token_set
from qabot.search.searcher import Hit

CLIP = 110  # a sentence that is cut is cut to this many characters of clauses around the evidence,
# and only a sentence longer than WHOLE is cut: cutting one a few characters over CLIP dropped a clause, often the one
# that answers ("…发生“颜色革命”，俄罗斯将…称为西方…"), to save those few (fifteenth session, twenty-four sets, five
# splits: answer_acc 0.738 -> 0.743, higher on every split, none lower, the median answer as long; dev20, unseen:
# 0.82 -> 0.84. Of the seeds' 190 sentences six are between CLIP and WHOLE and none is longer.)
WHOLE = CLIP * 5 // 4
ITEM = CLIP // 2  # another report's figure, joined to the first: the clauses that give it and what it counts
_CLAUSE = re.compile(r"(?:[^，,；;：:]|(?<=\d)[,:](?=\d))+[，,；;：:]?")  # "48,000", "9:30" are one figure
DIFFER = {"en": "The reports differ. ", "zh": "各报道说法不一："}  # how an answer says the reports give other figures
SAY = "The articles say: "  # how an English answer opens its quotes in the articles' language


@dataclass(frozen=True)
class Citation:
    n: int
    passage: Passage


@dataclass(frozen=True)
class Answer:
    question: str
    answered: bool
    text: str  # the answer with its [n] markers, without the list of citations
    citations: tuple[Citation, ...]
    hits: tuple[Hit, ...]
    lang: str  # "zh" or "en": the language of the framing text
    took_ms: float = 0.0
    confidence: float = 0.0  # the fitted model's probability that the answer is right


def render(question: str, hits: list[Hit], chosen: list[tuple[Passage, str]], kind: str, lang: str, *,
           disagree_ok: bool = True, dates: bool = True) -> Answer:
    """The chosen (passage, sentence) pairs as one answer: in turn, or, when other reports give other figures of
    the same thing, as "reports differ" with each source and date, newest first."""
    disagree = disagree_ok and kind in FIGURES and len({p.doc for p, _ in chosen}) > 1
    if disagree:
        chosen = sorted(chosen, key=lambda c: c[0].date, reverse=True)
    elif kind == "timeline":
        chosen = sorted(chosen, key=lambda c: first_day(c[1], c[0].date))
    numbers: dict[str, int] = {}
    by_id: dict[str, Passage] = {}
    parts = []
    for passage, text in chosen:
        n = numbers.setdefault(passage.id, len(numbers) + 1)
        by_id[passage.id] = passage
        where = f"{passage.source}, {passage.date[:10]}: " if disagree and lang == "en" else \
            f"{passage.source}（{passage.date[:10]}）：" if disagree else ""
        shown = balanced(with_days(text, passage.date, lang) if dates else text)
        parts.append(f"{where}{shown}[{n}]")
    citations = tuple(Citation(n, by_id[pid]) for pid, n in numbers.items())
    if lang == "en":
        text = (DIFFER["en"] if disagree else SAY) + " ".join(parts)
    else:
        text = (DIFFER["zh"] if disagree else "") + ("；".join(parts) if disagree else "".join(parts))
    return Answer(question=question, answered=True, text=text, citations=citations, hits=tuple(hits), lang=lang)


def says_differ(text: str) -> bool:
    """Does the answer (or one part of it) say that the reports give different figures?"""
    return any(lead.strip() in text for lead in DIFFER.values())


def balanced(text: str) -> str:
    """A quoted sentence with its quotation marks paired: one a quote opened before (or goes on after) gets the
    mark its cut left out ("这是一场未遂的政变，”托卡耶夫说。" → "“这是一场未遂的政变，”托卡耶夫说。"; "… for it,"
    said Brandt." → "\"… for it," said Brandt.")."""
    depth = unopened = 0
    for c in text:
        if c in "“”":
            depth, unopened = (depth + 1, unopened) if c == "“" else (max(depth - 1, 0), unopened + (depth == 0))
    text = "“" * unopened + text + "”" * depth
    if text.count('"') % 2:  # a straight mark: a closing one follows a word or a comma, and a space or the end follows it
        at = text.index('"')
        closing = at > 0 and not text[at - 1].isspace() and (at + 1 == len(text) or not text[at + 1].isalnum())
        text = f'"{text}' if closing else f'{text}"'
    return text


def unanswered(question: str, lang: str, hits: list[Hit], missing: tuple[str, ...] = (), beyond: str = "") -> Answer:
    """The honest reply when the articles do not hold the answer (naming the question's words they never use, or
    the request no report answers, when that is why); the nearest passages stay in `hits`."""
    return Answer(question=question, answered=False, text=not_found(lang, hits, missing, beyond), citations=(),
                  hits=tuple(hits), lang=lang)


# Why a request `beyond` reports gets no answer (`qabot.question.beyond`).
_BEYOND = {"en": {"forecast": " They report what has happened and forecast nothing.",
                  "advice": " They report events and recommend nothing.",
                  "writing": " They report events and write nothing to order.",
                  "howto": " They report events and give no instructions."},
           "zh": {"forecast": "文章只报道已经发生的事，不做预报。", "advice": "文章只报道事件，不做推荐。",
                  "writing": "文章只报道事件，不代写诗文。", "howto": "文章只报道事件，不教做法。"}}


def not_found(lang: str, hits: list[Hit], missing: tuple[str, ...] = (), beyond: str = "") -> str:
    nearby = list(dict.fromkeys(h.passage.title for h in hits[:3]))[:2]
    why = _BEYOND["en" if lang == "en" else "zh"].get(beyond, "")
    if lang == "en":
        never = f" They never mention {', '.join(f'“{w}”' for w in missing)}." if missing else ""
        near = f" The closest articles: {'; '.join(nearby)}." if nearby else ""
        return f"The articles do not say.{why or never}{near}"
    never = f"文章没有提到{'、'.join(f'“{w}”' for w in missing)}。" if missing else ""
    near = f"最接近的文章：{'；'.join(f'《{t}》' for t in nearby)}。" if nearby else ""
    return f"文章中没有找到答案。{why or never}{near}"


def coverage(text: str, weights: dict[str, float], forms: dict | None = None) -> float:
    """The weight of the question's words that the text holds (itself or, with `forms`, by another name: an English
    word in its Chinese forms)."""
    words = token_set(text)
    return sum(w for t, w in weights.items() if t in words or any(f in text for f in (forms or {}).get(t, ())))


def clip(text: str, weights: dict[str, float], kind: str, most: int = CLIP, asked: str = "",
         new: frozenset | None = None, forms: dict | None = None) -> str:
    """A sentence longer than `most` and a quarter cut to the run of clauses, within `most` (`CLIP`), that holds the
    most evidence (the question's words, or their `forms`) and the figure asked for (in the unit the question `asked`
    names; one of the `new` figures, for another report's figure joined to the first); an English sentence is
    measured in its own characters (`english.scaled`)."""
    most = scaled(most, text)
    if len(text) <= most * 5 // 4:
        return text
    clauses = _CLAUSE.findall(text)
    best, best_score = text[:most], -1.0
    for i in range(len(clauses)):
        window = ""
        for clause in clauses[i:]:
            if len(window) + len(clause) > most and window:
                break
            window += clause
        holds = fits(kind, window, asked if kind in FIGURES else "") and (
            new is None or bool(figure_values(kind, window) & new))
        score = coverage(window, weights, forms) + (100.0 if holds else 0.0) - 0.01 * i
        if score > best_score:
            best, best_score = window, score
    prefix = "" if text.startswith(best) else "…"
    suffix = "" if text.endswith(best) else "…"
    return f"{prefix}{best.rstrip('，,；;：: ')}{suffix}"


_LEAD = re.compile(r"^\s*(?:" + "|".join(map(re.escape, (SAY, *DIFFER.values()))) + r"|；)")


def combined(question: str, lang: str, answers: list[Answer], hits: list[Hit]) -> Answer:
    """One answer from the answers to a question's parts: their texts in turn, citations numbered afresh (a
    paragraph cited by two parts keeps one number); `hits` are the whole question's."""
    numbers: dict[str, int] = {}
    passages: dict[str, Passage] = {}
    texts, said = [], set()
    for answer in answers:
        if not answer.answered:  # each part answered, or said plainly to be not in the articles
            texts.append(f"“{answer.question}”: the articles do not say." if lang == "en"
                         else f"“{answer.question}”文章没有提到。")
            continue
        renumber = {}
        for citation in answer.citations:
            renumber[citation.n] = numbers.setdefault(citation.passage.id, len(numbers) + 1)
            passages[citation.passage.id] = citation.passage
        text = re.sub(r"\[(\d+)\]", lambda m, r=renumber: f"[{r.get(int(m.group(1)), m.group(1))}]", answer.text)
        # a sentence an earlier part already quoted is not quoted again ("叫啥？原来干啥的？" answered by one sentence)
        pieces = [piece for piece in re.findall(r".*?\[\d+\]", text, flags=re.S)
                  if _LEAD.sub("", piece).strip() not in said]
        said.update(_LEAD.sub("", piece).strip() for piece in pieces)
        if pieces and lang == "en":
            texts.append(" ".join(p.strip() for p in pieces) if not texts else
                         " ".join(p.strip() for p in pieces).removeprefix(SAY))
        elif pieces:
            texts.append("".join(pieces).strip().lstrip("；"))
    answered = any(a.answered for a in answers)
    if not answered:  # its confidence is its best part's, refused or not
        return replace(unanswered(question, lang, hits), confidence=max((a.confidence for a in answers), default=0.0))
    return Answer(question=question, answered=True, text=(" " if lang == "en" else "").join(texts),
                  citations=tuple(Citation(n, passages[pid]) for pid, n in numbers.items()), hits=tuple(hits),
                  lang=lang, confidence=max(a.confidence for a in answers))
