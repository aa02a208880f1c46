"""Ranked `Hit`s → a short cited `Answer`: the sentences that answer, each with its [n], or an honest "not found"."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from qabot.keywords import latin_share, query_tokens, tokens
from qabot.passages import Passage, sentences
from qabot.search import Hit

MAX_CHARS = 200  # answers are a few sentences, not pasted paragraphs
CLIP = 110  # a longer sentence is cut to the clauses around the evidence
READ = 5  # how many of the best passages the answer may quote from
MIN_COVERAGE = 0.15  # a Chinese question none of whose evidence occurs in the passages is not answered

_MEASURE = "名人架辆件个年次家位岁栋座起处枚艘吨天周"
_QUANTITY = re.compile(rf"\d[\d,.]*\s*(?:多|余)?\s*(?:万|亿)?\s*(?:[{_MEASURE}]|%|美元|欧元|元)"
                       rf"|[一二两三四五六七八九十百千万几数]+(?:[{_MEASURE}度十百千万])|\d{{2,}}")
_DATE = re.compile(r"\d{1,2}月\d{1,2}日|\d{1,2}日|\d{4}年|周[一二三四五六日]|星期[一二三四五六日天]|上周|本周|昨天|今天"
                   r"|January|February|March|April|May|June|July|August|September|October|November|December")
_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}|[A-Z][a-z]+(?: [A-Z][a-z]+)+|[（(][A-Z][A-Za-z .\-]+[)）]"
                   r"|(?:主任|发言人|总统|总理|部长|局长|主席|专家|顾问|局长|司令|大使|记者)[\u4e00-\u9fff]{2,4}")
_KINDS = (
    ("when", re.compile(r"哪天|哪一天|何时|什么时候|哪年|哪一年|几号|几月|日期|when\b|what date|which year|what year", re.I)),
    ("number", re.compile(r"多少|几[个名人架辆次年天位支]|几次|how many|how much|number of", re.I)),
    ("who", re.compile(r"谁|叫什么|哪位|名字|who\b|whose|whom", re.I)),
    ("why", re.compile(r"为什么|为啥|为何|原因|why\b", re.I)),
)
_FITS = {"number": _QUANTITY, "when": _DATE, "who": _NAME}
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
    rank: int
    coverage: float
    score: float


class Composer:
    """Builds answers from hits; `idf` tells how much a question word counts as evidence."""

    def __init__(self, idf):
        self.idf = idf  # callable: token -> inverse document frequency (high for unseen words)

    def compose(self, question: str, hits: list[Hit]) -> Answer:
        lang = "en" if latin_share(question) > 0.5 else "zh"
        weights = {w: self.idf(w) for w in query_tokens(question)}
        kind = question_kind(question)
        candidates = self._sentences(hits[:READ], weights, kind)
        if kind in _FITS:  # a "how many / when / who" question needs a figure, date or name to answer
            candidates = [c for c in candidates if _FITS[kind].search(c.text)]
        weak = lang == "zh" and (not candidates or candidates[0].coverage < MIN_COVERAGE)
        if not candidates or weak:
            return Answer(question=question, answered=False, text=not_found(lang, hits), citations=(),
                          hits=tuple(hits), lang=lang)
        numbers: dict[str, int] = {}
        parts = []
        for sentence in _choose(candidates):
            n = numbers.setdefault(sentence.hit.passage.id, len(numbers) + 1)
            parts.append(f"{_clip(sentence.text, weights, kind)}[{n}]")
        by_id = {h.passage.id: h.passage for h in hits}
        citations = tuple(Citation(n, by_id[pid]) for pid, n in numbers.items())
        body = " ".join(parts) if lang == "en" else "".join(parts)
        text = f"The articles say: {body}" if lang == "en" else body
        return Answer(question=question, answered=True, text=text, citations=citations, hits=tuple(hits), lang=lang)

    def _sentences(self, hits: list[Hit], weights: dict[str, float], kind: str) -> list[_Sentence]:
        total = sum(weights.values()) or 1.0
        out = []
        for rank, hit in enumerate(hits):
            for text in sentences(hit.passage.text):
                coverage = _coverage(text, weights) / total
                bonus = 0.2 if kind in _FITS and _FITS[kind].search(text) else 0.0
                out.append(_Sentence(text=text, hit=hit, rank=rank, coverage=coverage,
                                     score=coverage + 0.35 / (1 + rank) + bonus))
        out.sort(key=lambda s: -s.score)
        return out


def question_kind(question: str) -> str:
    """'number', 'when', 'who', 'why' or '' from the question's wording."""
    for kind, pattern in _KINDS:
        if pattern.search(question):
            return kind
    return ""


def not_found(lang: str, hits: list[Hit]) -> str:
    nearby = list(dict.fromkeys(h.passage.title for h in hits[:3]))[:2]
    if lang == "en":
        near = f" The closest articles: {'; '.join(nearby)}." if nearby else ""
        return f"The articles do not say.{near}"
    near = f"最接近的文章：{'；'.join(f'《{t}》' for t in nearby)}。" if nearby else ""
    return f"文章中没有找到答案。{near}"


def _coverage(text: str, weights: dict[str, float]) -> float:
    words = set(tokens(text))
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
        fits = kind in _FITS and bool(_FITS[kind].search(window))
        score = _coverage(window, weights) + (100.0 if fits else 0.0) - 0.01 * i
        if score > best_score:
            best, best_score = window, score
    prefix = "" if text.startswith(best) else "…"
    suffix = "" if text.endswith(best) else "…"
    return f"{prefix}{best.rstrip('，,；;：: ')}{suffix}"


def _choose(candidates: list[_Sentence]) -> list[_Sentence]:
    """The best sentence, then others nearly as good from other passages while the answer stays short."""
    best = candidates[0]
    chosen = [best]
    length = min(len(best.text), CLIP)
    for sentence in candidates[1:]:
        if sentence.score < 0.8 * best.score or length + min(len(sentence.text), CLIP) > MAX_CHARS:
            continue
        if any(sentence.text == c.text or sentence.hit.row == c.hit.row for c in chosen):
            continue
        chosen.append(sentence)
        length += min(len(sentence.text), CLIP)
        if len(chosen) == 3:
            break
    return chosen


def idf_from_bm25(bm25, passages: int):
    """token -> idf, from the document frequencies held in a bm25s index; unseen words weigh the most."""
    import numpy as np

    indptr = np.asarray(bm25.scores["indptr"])
    df = np.diff(indptr)
    vocab = bm25.vocab_dict
    unseen = math.log(1 + passages / 0.5)

    def idf(token: str) -> float:
        column = vocab.get(token)
        if column is None or column >= len(df) or df[column] == 0:
            return unseen
        return math.log(1 + (passages - df[column] + 0.5) / (df[column] + 0.5))

    return idf
