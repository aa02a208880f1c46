"""Ranked `Hit`s → a short cited `Answer`: the sentences that answer, each with its [n], or an honest "not found"."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qabot.aliases import Aliases
from qabot.answer_kind import (
    CHECKED,
    FIGURES,
    MEASURE,
    asks_yes_or_no,
    defined,
    fits,
    introduces,
    new_name,
    nouns,
    question_kind,
)
from qabot.coreference import has_pronoun, named_pronoun, people, with_person
from qabot.keywords import STOPWORDS, language, query_tokens, token_set
from qabot.passages import Passage, sentences
from qabot.relative_dates import days_between, first_day, with_days
from qabot.search import Hit
from qabot.short_forms import long_forms
from qabot.written_forms import written_forms

MAX_CHARS = 200  # answers are a sentence or two, not pasted paragraphs ...
LIST_CHARS = 360  # ... unless the question asks for several things, or the sources disagree
# "按时间顺序…": a chronology of dated events, one a day, in order, from more of the best passages and with a lower
# bar (a broad "what happened" shares few words with any one event). The number of entries was chosen on the dev set:
# with 4 its one timeline question leaves out the gold event (cite_ok 0.79 against 0.81).
TIMELINE_READ, TIMELINE_BAR, TIMELINE_ENTRIES, TIMELINE_CHARS = 10, 0.2, 5, 420
CLIP = 110  # a longer sentence is cut to the clauses around the evidence
READ = 5  # how many of the best passages the answer may quote from
SEMANTIC, LEXICAL, RANK = 1.0, 0.6, 0.3  # how a sentence's evidence adds up
SUPPORT = 0.5  # a sentence with the figure, date or name asked for leads unless far less relevant
NAMED_SUPPORT = 0.6  # "who"/"where": without a new name or place in a sentence this relevant, the articles do not say
NAMED_SUBJECT = 0.75  # ... nor when the passages with names hold less than this share of the question's words that the
# best-matching passage holds
SAME_SUBJECT = 0.75  # a date or duration from another source counts if its sentence holds this share of the question's
# words that the first sentence holds (the same event, not another one of those days)
SAME_EVENT_BAR = 0.5  # ... and then needs only this share of the first sentence's score (0.6 otherwise; measured on
# the dev set: answer_acc 0.70 -> 0.72, no answer lost)

_LIST = re.compile(r"哪些|哪几|些啥|些什么|都有|分别|各自|列举|顺序|经过|还有|以及|[，,].*?(?:多少|几|哪|谁|吗)|, and\b|\band (?:how|what|which|who|when)\b", re.I)
_CLAUSE = re.compile(r"[^，,；;：:]+[，,；;：:]?")


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


@dataclass(frozen=True)
class _Sentence:
    text: str
    hit: Hit
    index: int  # position of the sentence in its passage
    score: float
    evidence: float  # the score without the passage's rank: what the sentence itself says to the question
    held: dict[str, float]  # the question's words that the sentence holds (itself or a stand-in), with their weight
    fits: bool  # holds the kind of thing asked for (a figure, a date, a name)


class Composer:
    """Builds answers from hits; `idf` tells how much a question word counts as evidence."""

    def __init__(self, idf, stand_ins=None, aliases: Aliases | None = None, known=None, article=None):
        self.idf = idf  # callable: token -> inverse document frequency (high for unseen words)
        self.stand_ins = stand_ins or (lambda words: {})  # callable: words -> {lone character: words it stands for}
        self.aliases = aliases or Aliases()  # names the articles give in two forms
        self.known = known or (lambda word: True)  # callable: word -> do the articles use it anywhere?
        # callable: passage -> (the sentences of its article before it, the names the article gives as people's)
        self.article = article or (lambda passage: ([], frozenset()))

    def _weights(self, question: str, hits: list[Hit]) -> tuple[dict[str, float], dict[str, tuple[str, ...]]]:
        """How much each question word counts as evidence, and what else counts as holding it: the corpus words that
        stand in for its lone characters (which count as much as the commonest of them), the other forms of a name it
        is part of (集安组织's words are held by a sentence that says 集体安全条约组织), and the long form the passages
        spell for a short word the articles never use (国安 → 国家安全), and the written form of a spoken "former X"
        (以前的首都 → 前首都)."""
        words = query_tokens(question, known=self.known)
        stand_ins = self.stand_ins(words)
        weights = {w: min(self.idf(s) for s in stand_ins[w]) if w in stand_ins else self.idf(w) for w in words}
        for span, others in self.aliases.mentions(question):
            for word in set(query_tokens(span)) & weights.keys():
                if not all(word in other for other in others):  # "组织" is in both 集安组织 and 集体安全条约组织
                    stand_ins[word] = stand_ins.get(word, ()) + others
        for short, long in long_forms(question, [h.passage.text for h in hits], self.known).items():
            for word in set(query_tokens(short)) & weights.keys():
                stand_ins[word] = stand_ins.get(word, ()) + (long,)
        for word, forms in written_forms(question).items():
            if word in weights:
                stand_ins[word] = stand_ins.get(word, ()) + forms
        return weights, stand_ins

    def compose(self, question: str, hits: list[Hit]) -> Answer:
        lang = language(question)
        kind = question_kind(question)
        weights, stand_ins = self._weights(question, hits)
        candidates = self._sentences(question, hits[:TIMELINE_READ if kind == "timeline" else READ], kind, weights,
                                     stand_ins)
        if kind in CHECKED:  # lead with a sentence holding the figure, date, duration, name or place asked
            fitting = [c for c in candidates if c.fits]
            best = max(c.evidence for c in candidates)
            support = max(c.evidence for c in fitting) / best if fitting and best > 0 else 0.0
            if kind in ("who", "where") and support < NAMED_SUPPORT:
                return unanswered(question, hits)  # the passages that speak of it name no one, nowhere
            if kind in ("who", "where") and _named_off_subject(hits[:READ], fitting, best, weights, stand_ins):
                return unanswered(question, hits)
            if kind in ("number", "when") and support < SUPPORT:  # "how many (years)", "which day" and no such
                return unanswered(question, hits)  # figure where it is spoken of
            if support >= SUPPORT or kind == "timeline":  # a chronology is made of dated events, however close
                candidates = fitting + [c for c in candidates if not c.fits]
        if kind == "timeline":
            candidates = _within(candidates, days_between(question))
        if not candidates:
            return unanswered(question, hits)
        wants_list = bool(_LIST.search(question)) or kind == "timeline"
        chosen = _choose(candidates, kind, wants_list)
        if asks_yes_or_no(question) and self._unnamed(question, chosen, stand_ins):
            # "…有中国公民伤亡吗？": the answer must speak of what is asked, else the articles do not say
            candidates = [c for c in candidates if not self._unnamed(question, [c], stand_ins)]
            if not candidates:
                return unanswered(question, hits)
            chosen = _choose(candidates, kind, wants_list)
        chosen = [replace(c, text=self._with_person(c)) for c in chosen]
        return _render(question, hits, chosen, kind, lang, compare=kind in FIGURES and not wants_list)

    def _with_person(self, sentence: _Sentence) -> str:
        """The sentence as quoted, with the person its first 他/她 speaks of after it: "他（纳扎尔巴耶夫）…"."""
        if not has_pronoun(sentence.text):
            return sentence.text
        return with_person(sentence.text, *self._before(sentence.hit.passage, sentence.index, sentence.text))

    def _before(self, passage: Passage, index: int, text: str) -> tuple[list[str], frozenset[str] | set[str]]:
        """The article's sentences before this one (`text`, as quoted: a clipped sentence's cut-off start counts),
        and the names the article gives as people's."""
        earlier, names = self.article(passage)
        own = sentences(passage.text)
        before = own[:index]
        cut = own[index].find(text.strip("…")) if index < len(own) else -1
        if cut > 0:
            before.append(own[index][:cut])
        return earlier + before, names or people(own)  # the article's names hold the passage's own

    def _unnamed(self, question: str, chosen: list[_Sentence], stand_ins: dict[str, tuple[str, ...]]) -> list[str]:
        """The question's nouns that the articles use somewhere but the chosen sentences never name (nor another
        form of them): what a yes/no question asks about and the answer does not speak of. Nouns the articles never
        use are left out: a colloquial word (军警) meets its answer (安全部队) only through the model."""
        text = "".join(c.text for c in chosen)
        return [noun for noun in nouns(question) if self.known(noun) and noun not in STOPWORDS and noun not in text
                and not any(s in text for s in stand_ins.get(noun, ()))]

    def _sentences(self, question: str, hits: list[Hit], kind: str, weights: dict[str, float],
                   stand_ins: dict[str, tuple[str, ...]]) -> list[_Sentence]:
        """Every sentence of the best passages, scored by meaning, shared words and passage rank, best first."""
        total = sum(weights.values()) or 1.0
        names = self._names(question) if kind == "define" else ()
        found = [(rank, hit, i, text, cos) for rank, hit in enumerate(hits)
                 for i, (text, cos) in enumerate(zip(sentences(hit.passage.text), hit.sentences or _same(hit),
                                                     strict=False))]
        if not found:
            return []
        low, high = min(f[4] for f in found), max(f[4] for f in found)
        out = []
        for rank, hit, i, text, cos in found:
            meaning = (cos - low) / (high - low) if high > low else 1.0
            held = _held(text, weights, stand_ins)
            evidence = SEMANTIC * meaning + LEXICAL * sum(held.values()) / total
            fit = introduces(text, names) if names else fits(kind, text, question, self.idf)
            if kind == "who" and not fit:  # "他在周三被解除…": the person the pronoun speaks of may be the answer
                person = named_pronoun(text, *self._before(hit.passage, i, text))[1] if has_pronoun(text) else ""
                fit = bool(person) and new_name(person, question, self.idf)
            out.append(_Sentence(text=_clip(text, weights, kind), hit=hit, index=i,
                                 score=evidence + RANK / (1 + rank), evidence=evidence, held=held, fits=fit))
        out.sort(key=lambda s: -s.score)
        return out

    def _names(self, question: str) -> tuple[str, ...]:
        """The name a "who is X" question asks about, in each form the articles give it ("Nazarbayev" is
        "纳扎尔巴耶夫" in the Chinese text)."""
        name = defined(question)
        others = [other for span, forms in self.aliases.mentions(name) for other in forms]
        return (name, *others)


def _named_off_subject(hits: list[Hit], fitting: list[_Sentence], best: float, weights: dict[str, float],
                       stand_ins: dict[str, tuple[str, ...]]) -> bool:
    """Is every name offered found only in passages that miss the question's own words that another passage holds
    (the person asked about is in one passage; the names are in others)?"""
    cover = {h.row: coverage(h.passage.text, weights, stand_ins) for h in hits}
    top = max(cover.values(), default=0.0)
    if top <= 0:  # no shared words to judge by (an English question about Chinese text)
        return False
    named = max(cover[c.hit.row] for c in fitting if c.evidence >= NAMED_SUPPORT * best)
    return named < NAMED_SUBJECT * top


def unanswered(question: str, hits: list[Hit], missing: tuple[str, ...] = ()) -> Answer:
    """The honest reply when the articles do not hold the answer (naming the question's words they never use, when
    that is why); the nearest passages stay in `hits`."""
    lang = language(question)
    return Answer(question=question, answered=False, text=not_found(lang, hits, missing), citations=(),
                  hits=tuple(hits), lang=lang)


def not_found(lang: str, hits: list[Hit], missing: tuple[str, ...] = ()) -> str:
    nearby = list(dict.fromkeys(h.passage.title for h in hits[:3]))[:2]
    if lang == "en":
        never = f" They never mention {', '.join(f'“{w}”' for w in missing)}." if missing else ""
        near = f" The closest articles: {'; '.join(nearby)}." if nearby else ""
        return f"The articles do not say.{never}{near}"
    never = f"文章没有提到{'、'.join(f'“{w}”' for w in missing)}。" if missing else ""
    near = f"最接近的文章：{'；'.join(f'《{t}》' for t in nearby)}。" if nearby else ""
    return f"文章中没有找到答案。{never}{near}"


def _choose(candidates: list[_Sentence], kind: str, wants_list: bool) -> list[_Sentence]:
    """The best sentence, then what completes it: more items for a list, other sources' figures, a reason."""
    first = candidates[0]
    chosen = [first]
    figures = kind in FIGURES
    bar, most, budget = _limits(kind, wants_list)
    days = {_day(first)} if kind == "timeline" else set()
    length = len(first.text)
    if kind == "why":  # the reason often follows the claim
        following = [c for c in candidates if c.hit.row == first.hit.row and c.index == first.index + 1]
        if following and length + len(following[0].text) <= MAX_CHARS:
            chosen.append(following[0])
            length += len(following[0].text)
    for sentence in candidates[1:]:
        if len(chosen) >= most or sentence.score < bar * first.score:
            break
        if any(sentence.hit.row == c.hit.row for c in chosen) or length + len(sentence.text) > budget:
            continue
        if kind == "timeline" and (not sentence.fits or _day(sentence) in days):
            continue  # a timeline: dated events, one a day
        if figures and not wants_list and (not sentence.fits or sentence.hit.passage.doc == first.hit.passage.doc
                                           or (kind == "number" and not _units(sentence.text) & _units(first.text))
                                           or (kind != "number" and not _same_subject(sentence, first))):
            continue  # beyond the first, a figure question wants other sources' figures of the same thing
        chosen.append(sentence)
        length += len(sentence.text)
        if kind == "timeline":
            days.add(_day(sentence))
    return chosen


def _limits(kind: str, wants_list: bool) -> tuple[float, int, int]:
    """How close to the first sentence's score another must come, how many sentences, how many characters."""
    if kind == "timeline":
        return TIMELINE_BAR, TIMELINE_ENTRIES, TIMELINE_CHARS
    if wants_list or kind == "number":
        return 0.6, 4, LIST_CHARS
    if kind in FIGURES:  # another source's date or duration: the same-subject check keeps out other events
        return SAME_EVENT_BAR, 4, LIST_CHARS
    return 0.75, 2, MAX_CHARS


def _day(sentence: _Sentence) -> str:
    return first_day(sentence.text, sentence.hit.passage.date)


def _within(candidates: list[_Sentence], stretch: tuple[tuple[int, int], tuple[int, int]] | None) -> list[_Sentence]:
    """A chronology of the days a question names ("从1月2号到10号") keeps to the events of those days (all of the
    candidates when none is dated within them, or the question names no stretch)."""
    if stretch is None:
        return candidates
    first, last = stretch
    kept = [c for c in candidates if (day := _day(c)) and first <= (int(day[5:7]), int(day[8:10])) <= last]
    return kept or candidates


def _render(question: str, hits: list[Hit], chosen: list[_Sentence], kind: str, lang: str, compare: bool) -> Answer:
    pattern = FIGURES.get(kind)
    disagree = compare and len({c.hit.passage.doc for c in chosen}) > 1 and \
        len({tuple(pattern.findall(c.text)) for c in chosen}) > 1
    if disagree:  # newest report first, each with its source and date
        chosen = sorted(chosen, key=lambda c: c.hit.passage.date, reverse=True)
    elif kind == "timeline":  # in the order the events happened
        chosen = sorted(chosen, key=_day)
    numbers: dict[str, int] = {}
    parts = []
    for sentence in chosen:
        passage = sentence.hit.passage
        n = numbers.setdefault(passage.id, len(numbers) + 1)
        where = f"{passage.source}, {passage.date[:10]}: " if disagree and lang == "en" else \
            f"{passage.source}（{passage.date[:10]}）：" if disagree else ""
        parts.append(f"{where}{with_days(sentence.text, passage.date, lang)}[{n}]")
    by_id = {h.passage.id: h.passage for h in hits}
    citations = tuple(Citation(n, by_id[pid]) for pid, n in numbers.items())
    if lang == "en":
        text = ("The reports differ. " if disagree else "The articles say: ") + " ".join(parts)
    else:
        text = ("各报道说法不一：" if disagree else "") + ("；".join(parts) if disagree else "".join(parts))
    return Answer(question=question, answered=True, text=text, citations=citations, hits=tuple(hits), lang=lang)


def _units(text: str) -> set[str]:
    """The measure words that follow its figures ("8辆", "164人", "16名" -> {"辆", "人"}): what is being counted."""
    found = re.findall(rf"(?:\d[\d,.]*|[一二两三四五六七八九十百千万几数]+)\s*(?:多|余)?\s*(?:万|亿)?\s*([{MEASURE}])", text)
    return {"人" if unit == "名" else unit for unit in found}


def _same(hit: Hit) -> list[float]:
    """Without sentence scores, every sentence counts as much as its passage."""
    return [hit.dense] * len(sentences(hit.passage.text))


def coverage(text: str, weights: dict[str, float], stand_ins: dict[str, tuple[str, ...]] | None = None) -> float:
    """The weight of the question's words that the text holds (itself or a word that stands in for it)."""
    return sum(_held(text, weights, stand_ins).values())


def _held(text: str, weights: dict[str, float], stand_ins: dict[str, tuple[str, ...]] | None) -> dict[str, float]:
    words = token_set(text)
    stand_ins = stand_ins or {}
    return {t: w for t, w in weights.items() if t in words or any(s in words or s in text for s in stand_ins.get(t, ()))}


def _same_subject(sentence: _Sentence, first: _Sentence) -> bool:
    """Does the sentence hold most (SAME_SUBJECT, by weight) of the question's words that the first sentence holds?"""
    total = sum(first.held.values())
    return total <= 0 or sum(w for t, w in first.held.items() if t in sentence.held) >= SAME_SUBJECT * total


def _clip(text: str, weights: dict[str, float], kind: str) -> str:
    """A long sentence cut to the run of clauses that holds the most evidence (and the figure asked for)."""
    if len(text) <= CLIP:
        return text
    clauses = _CLAUSE.findall(text)
    best, best_score = text[:CLIP], -1.0
    for i in range(len(clauses)):
        window = ""
        for clause in clauses[i:]:
            if len(window) + len(clause) > CLIP and window:
                break
            window += clause
        score = coverage(window, weights) + (100.0 if fits(kind, window) else 0.0) - 0.01 * i
        if score > best_score:
            best, best_score = window, score
    prefix = "" if text.startswith(best) else "…"
    suffix = "" if text.endswith(best) else "…"
    return f"{prefix}{best.rstrip('，,；;：: ')}{suffix}"


_PARTS = re.compile(r"[^？?]+[？?]")


def question_parts(question: str) -> list[str]:
    """A question that asks several things in turn ("…有多大？…恢复了吗？") → one question each; else itself."""
    parts = [p.strip() for p in _PARTS.findall(question) if len(p.strip()) >= 4]
    rest = _PARTS.sub("", question).strip()
    return parts if len(parts) > 1 and len(rest) < 4 else [question]


def combined(question: str, answers: list[Answer], hits: list[Hit]) -> Answer:
    """One answer from the answers to a question's parts: their texts in turn, citations numbered afresh (a
    paragraph cited by two parts keeps one number); `hits` are the whole question's."""
    numbers: dict[str, int] = {}
    passages: dict[str, Passage] = {}
    texts = []
    lang = language(question)
    for answer in answers:
        if not answer.answered:
            texts.append(f"({answer.question} {answer.text})" if lang == "en" else f"（{answer.question}{answer.text}）")
            continue
        renumber = {}
        for citation in answer.citations:
            renumber[citation.n] = numbers.setdefault(citation.passage.id, len(numbers) + 1)
            passages[citation.passage.id] = citation.passage
        texts.append(re.sub(r"\[(\d+)\]", lambda m, r=renumber: f"[{r.get(int(m.group(1)), m.group(1))}]",
                            answer.text))
    answered = any(a.answered for a in answers)
    return Answer(question=question, answered=answered, text=(" " if lang == "en" else "").join(texts),
                  citations=tuple(Citation(n, passages[pid]) for pid, n in numbers.items()), hits=tuple(hits),
                  lang=lang)
