"""Ranked `Hit`s → a short cited `Answer`: the sentences that answer, each with its [n], or an honest "not found"."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from qabot.keywords import language, query_tokens, token_set
from qabot.passages import Passage, sentences
from qabot.search import Hit

MAX_CHARS = 200  # answers are a sentence or two, not pasted paragraphs ...
LIST_CHARS = 360  # ... unless the question asks for several things, or the sources disagree
CLIP = 110  # a longer sentence is cut to the clauses around the evidence
READ = 5  # how many of the best passages the answer may quote from
SEMANTIC, LEXICAL, RANK = 1.0, 0.6, 0.3  # how a sentence's evidence adds up
COMMON = 1.6  # idf of a word in about a fifth of the passages: such a name is no answer to "who" or "where"
SUPPORT = 0.5  # a sentence with the figure, date or name asked for leads unless far less relevant
NAMED_SUPPORT = 0.6  # "who"/"where": without a new name or place in a sentence this relevant, the articles do not say

_MEASURE = "名人架辆件个年次家位岁栋座起处枚艘吨天周"
_QUANTITY = re.compile(rf"\d[\d,.]*\s*(?:多|余)?\s*(?:万|亿)?\s*(?:[{_MEASURE}]|%|美元|欧元|元)"
                       rf"|[一二两三四五六七八九十百千万几数]+(?:[{_MEASURE}度十百千万])|\d{{2,}}")
_DATE = re.compile(r"\d{1,2}月\d{1,2}日|\d{1,2}日|\d{4}年|周[一二三四五六日]|星期[一二三四五六日天]|上周|本周|昨天|今天"
                   r"|January|February|March|April|May|June|July|August|September|October|November|December")
# Latin names in running text; one in brackets glosses the Chinese name before it, which is checked instead.
_LATIN_NAME = re.compile(r"(?<![（(A-Za-z])[A-Z][a-z]+(?: [A-Z][a-z]+)+(?![A-Za-z]*[)）])")
_ASKED_UNIT = re.compile(r"(?:多少|几)\s*([名人架辆件个年次家位岁栋座枚艘吨天倍])")
_SAME_UNIT = {"次": "次度回", "名": "名人", "人": "人名", "个": "个名"}
_KINDS = (
    ("when", re.compile(r"哪天|哪一天|何时|什么时候|哪年|哪一年|几号|几月|日期|when\b|what date|which year|what year", re.I)),
    ("number", re.compile(r"多少|几[个名人架辆次年位]|how many|how much|number of", re.I)),
    ("who", re.compile(r"谁|叫什么|哪位|名字|who\b|whose|whom", re.I)),
    ("where", re.compile(r"哪里|哪儿|在哪|哪个城市|哪座城市|哪个地方|什么地方|哪个地区|哪个国家|where\b|which (?:city|region|country|town|province)", re.I)),
    ("why", re.compile(r"为什么|为啥|为何|原因|why\b", re.I)),
)
_LIST = re.compile(r"哪些|哪几|都有|分别|各自|列举|顺序|经过|还有|以及|[，,].*?(?:多少|几|哪|谁|吗)|, and\b|\band (?:how|what|which|who|when)\b", re.I)
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
    fits: bool  # holds the kind of thing asked for (a figure, a date, a name)


class Composer:
    """Builds answers from hits; `idf` tells how much a question word counts as evidence."""

    def __init__(self, idf):
        self.idf = idf  # callable: token -> inverse document frequency (high for unseen words)

    def compose(self, question: str, hits: list[Hit]) -> Answer:
        lang = language(question)
        kind = question_kind(question)
        candidates = self._sentences(question, hits[:READ], kind)
        if kind in ("number", "when", "who", "where"):  # lead with a sentence holding the figure, date or name asked
            fitting = [c for c in candidates if c.fits]
            support = fitting[0].score / candidates[0].score if fitting and candidates[0].score > 0 else 0.0
            if kind in ("who", "where") and support < NAMED_SUPPORT:
                return unanswered(question, hits)  # the passages that speak of it name no one, nowhere
            if kind == "number" and _ASKED_UNIT.search(question) and support < SUPPORT:
                return unanswered(question, hits)  # "how many years" and no number of years where it is spoken of
            if support >= SUPPORT:
                candidates = fitting + [c for c in candidates if not c.fits]
        if not candidates:
            return unanswered(question, hits)
        wants_list = bool(_LIST.search(question))
        chosen = _choose(candidates, kind, wants_list)
        return _render(question, hits, chosen, kind, lang, compare=kind in ("number", "when") and not wants_list)

    def _sentences(self, question: str, hits: list[Hit], kind: str) -> list[_Sentence]:
        """Every sentence of the best passages, scored by meaning, shared words and passage rank, best first."""
        weights = {w: self.idf(w) for w in query_tokens(question)}
        total = sum(weights.values()) or 1.0
        found = [(rank, hit, i, text, cos) for rank, hit in enumerate(hits)
                 for i, (text, cos) in enumerate(zip(sentences(hit.passage.text), hit.sentences or _same(hit),
                                                     strict=False))]
        if not found:
            return []
        low, high = min(f[4] for f in found), max(f[4] for f in found)
        out = []
        for rank, hit, i, text, cos in found:
            meaning = (cos - low) / (high - low) if high > low else 1.0
            shared = coverage(text, weights) / total
            score = SEMANTIC * meaning + LEXICAL * shared + RANK / (1 + rank)
            out.append(_Sentence(text=_clip(text, weights, kind), hit=hit, index=i, score=score,
                                 fits=fits(kind, text, question, self.idf)))
        out.sort(key=lambda s: -s.score)
        return out


def unanswered(question: str, hits: list[Hit]) -> Answer:
    """The honest reply when the articles do not hold the answer; the nearest passages stay in `hits`."""
    lang = language(question)
    return Answer(question=question, answered=False, text=not_found(lang, hits), citations=(), hits=tuple(hits),
                  lang=lang)


def question_kind(question: str) -> str:
    """'number', 'when', 'who', 'why' or '' from the question's wording."""
    for kind, pattern in _KINDS:
        if pattern.search(question):
            return kind
    return ""


def fits(kind: str, text: str, question: str = "", idf=None) -> bool:
    """Does the sentence hold what a question of this kind asks for: a figure, a date, or a name or place that the
    question lacks and that is not in most of the articles (the country every passage names answers nothing)?"""
    if kind == "number":
        unit = _ASKED_UNIT.search(question)
        return _counts(unit.group(1), text) if unit else bool(_QUANTITY.search(text))
    if kind == "when":
        return bool(_DATE.search(text))
    if kind == "who":
        found = [m.group(0) for m in _LATIN_NAME.finditer(text)] + _dotted_names(text) + _proper_nouns(text, ("nr",))
    elif kind == "where":
        found = _proper_nouns(text, ("ns", "nrt"))
    else:
        return False
    return any(_new(name, question) and (idf is None or idf(name.lower()) >= COMMON) for name in found)


def _new(name: str, question: str) -> bool:
    """A name the question does not already hold, in whole or in part ("马明" is in "阿斯卡尔·马明")."""
    parts = [name] + [part for part in re.split(r"[·\s]", name) if len(part) >= 2]
    return not any(part.lower() in question.lower() for part in parts)


def not_found(lang: str, hits: list[Hit]) -> str:
    nearby = list(dict.fromkeys(h.passage.title for h in hits[:3]))[:2]
    if lang == "en":
        near = f" The closest articles: {'; '.join(nearby)}." if nearby else ""
        return f"The articles do not say.{near}"
    near = f"最接近的文章：{'；'.join(f'《{t}》' for t in nearby)}。" if nearby else ""
    return f"文章中没有找到答案。{near}"


def _choose(candidates: list[_Sentence], kind: str, wants_list: bool) -> list[_Sentence]:
    """The best sentence, then what completes it: more items for a list, other sources' figures, a reason."""
    first = candidates[0]
    chosen = [first]
    figures = kind in ("number", "when")
    budget = LIST_CHARS if wants_list or figures else MAX_CHARS
    bar, most = (0.6, 4) if wants_list or figures else (0.75, 2)
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
        if figures and not wants_list and (not sentence.fits or sentence.hit.passage.doc == first.hit.passage.doc
                                           or (kind == "number" and not _units(sentence.text) & _units(first.text))):
            continue  # beyond the first, a figure question wants other sources' figures of the same thing
        chosen.append(sentence)
        length += len(sentence.text)
    return chosen


def _render(question: str, hits: list[Hit], chosen: list[_Sentence], kind: str, lang: str, compare: bool) -> Answer:
    pattern = _QUANTITY if kind == "number" else _DATE
    disagree = compare and len({c.hit.passage.doc for c in chosen}) > 1 and \
        len({tuple(pattern.findall(c.text)) for c in chosen}) > 1
    if disagree:  # newest report first, each with its source and date
        chosen = sorted(chosen, key=lambda c: c.hit.passage.date, reverse=True)
    numbers: dict[str, int] = {}
    parts = []
    for sentence in chosen:
        passage = sentence.hit.passage
        n = numbers.setdefault(passage.id, len(numbers) + 1)
        where = f"{passage.source}, {passage.date[:10]}: " if disagree and lang == "en" else \
            f"{passage.source}（{passage.date[:10]}）：" if disagree else ""
        parts.append(f"{where}{sentence.text}[{n}]")
    by_id = {h.passage.id: h.passage for h in hits}
    citations = tuple(Citation(n, by_id[pid]) for pid, n in numbers.items())
    if lang == "en":
        text = ("The reports differ. " if disagree else "The articles say: ") + " ".join(parts)
    else:
        text = ("各报道说法不一：" if disagree else "") + ("；".join(parts) if disagree else "".join(parts))
    return Answer(question=question, answered=True, text=text, citations=citations, hits=tuple(hits), lang=lang)


def _counts(unit: str, text: str) -> bool:
    """Does the text count in this unit ("30年", "两度" for "次")? A four-digit year is a date, not a count of years."""
    units = _SAME_UNIT.get(unit, unit)
    for match in re.finditer(rf"(\d[\d,.]*|[一二两三四五六七八九十百千万几数]+)\s*(?:多|余)?\s*[{units}]", text):
        if unit == "年" and match.group(1).isdigit() and len(match.group(1)) >= 4:
            continue
        return True
    return False


def _units(text: str) -> set[str]:
    """The measure words that follow its figures ("8辆", "164人", "16名" -> {"辆", "人"}): what is being counted."""
    found = re.findall(rf"(?:\d[\d,.]*|[一二两三四五六七八九十百千万几数]+)\s*(?:多|余)?\s*(?:万|亿)?\s*([{_MEASURE}])", text)
    return {"人" if unit == "名" else unit for unit in found}


def _dotted_names(text: str) -> list[str]:
    """Transliterated names joined by a middle dot ("阿斯卡尔·马明"), whole words on either side, as jieba cuts them."""
    if "·" not in text:
        return []
    words = [word for word, _ in _tagged(text)]
    names, i = [], 1
    while i < len(words) - 1:
        if words[i] == "·" and words[i - 1].strip() and words[i + 1].strip():
            name = words[i - 1]
            while i < len(words) - 1 and words[i] == "·":
                name += "·" + words[i + 1]
                i += 2
            names.append(name)
        else:
            i += 1
    return names


def _proper_nouns(text: str, flags: tuple[str, ...]) -> list[str]:
    """Names (nr) or places (ns, nrt) as jieba's part-of-speech tagger sees them, for names without a middle dot."""
    return [word for word, flag in _tagged(text) if flag in flags and len(word) >= 2]


@functools.lru_cache(maxsize=4096)
def _tagged(text: str) -> tuple[tuple[str, str], ...]:
    from jieba import posseg

    return tuple((word, flag) for word, flag in posseg.cut(text))


def _same(hit: Hit) -> list[float]:
    """Without sentence scores, every sentence counts as much as its passage."""
    return [hit.dense] * len(sentences(hit.passage.text))


def coverage(text: str, weights: dict[str, float]) -> float:
    """The weight of the question's words that the text holds."""
    words = token_set(text)
    return sum(w for t, w in weights.items() if t in words)


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
