"""A question and its candidate passages → the numbers the fitted models read: one row per passage, per sentence, and
one per answer. Only general properties of the text go in (scores, their margins, ranks, the kind of thing asked and
whether a sentence holds it, coverage of the question's words, language), never a question's own words."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

import numpy as np

from qabot.answer_kind import CHECKED, asked_unit, fits, question_kind, tagged
from qabot.keywords import language, query_tokens, token_set, tokens
from qabot.passages import Passage

PASSAGE_FEATURES = (
    "cos", "cos_gap", "sentence_cos", "sentence_cos_gap", "dense_rank", "keyword", "keyword_log", "keyword_rank",
    "coverage", "title_coverage", "latent", "newest", "en_cos_gap", "en_keyword", "caption",
)
SENTENCE_FEATURES = (
    "passage_score", "passage_rank", "cos", "cos_gap", "coverage", "coverage_gap", "kind_checked", "holds_kind",
    "holds_unit", "first", "length", "caption", "en_cos_gap", "clause_coverage",
)
ANSWER_FEATURES = (
    "sentence_p", "sentence_margin", "passage_p", "cos", "sentence_cos", "coverage", "passage_coverage",
    "reach", "unknown", "kind_checked", "holds_kind", "none_holds_kind", "asked_unit", "holds_unit", "en",
    "keyword_log", "latent", "parts", "missing_sentence", "missing_passage", "missing_share", "missing_names",
    "unknown_nouns", "pull", "has_focus", "focus_sentence", "focus_passage", "clause_coverage",
)


@dataclass(frozen=True)
class Query:
    """A question analysed once: everything later stages read about it."""

    text: str
    lang: str
    kind: str  # what is asked: number, when, duration, who, where, why, define, timeline or ""
    unit: str  # the measure word of "多少人", "几架" ("" when none is named)
    weights: dict  # the question's content words -> idf (how much each counts as evidence)
    unknown: float  # the idf-weighted share of its content words that no passage uses
    known: tuple[str, ...]  # its content words that the articles use (two characters or more, or Latin)
    names: tuple[str, ...]  # the people, places and organisations it names
    unknown_nouns: tuple[str, ...]  # its nouns (and abbreviations, places) that no passage uses: 夫人, 股市
    newest: bool  # asks about now, the latest state or the final outcome
    vector: np.ndarray
    focus: str = ""  # the noun the question word asks about: 学生 of 有多少学生, 指挥官 of 指挥官是谁
    pull: float = 0.0  # how much closer the question comes to the best passages without its unknown nouns
    forms: dict = field(default_factory=dict)  # its word -> the other names the articles give the same thing
    # ("csto" -> 集安组织, 集体安全条约组织): a text that uses another name still holds the word


@dataclass(frozen=True)
class Candidate:
    passage: Passage
    row: int
    cos: float  # question · passage vector
    keyword: float  # BM25 score
    sentences: tuple[str, ...]
    sentence_cos: tuple[float, ...]  # question · each sentence vector


def analyse(text: str, vector: np.ndarray, idf, known, newest: bool, aliases=None) -> Query:
    """The question's language, kind and weighted content words (`idf`: word -> weight; `known`: word -> do the
    articles use it; `aliases`: the articles' other names of things, `Aliases`)."""
    kind = question_kind(text)
    unit = asked_unit(text)
    words = query_tokens(text, known=known)
    weights = {w: idf(w) for w in words}
    total = sum(weights.values())
    unknown = sum(v for w, v in weights.items() if not known(w)) / total if total else 0.0
    known_words = [w for w in weights if known(w) and (len(w) >= 2 or w.isascii())]
    known_words = tuple(w for w in known_words if not any(w != o and w in o for o in known_words))  # whole words
    tags = tagged(text)
    names = tuple(dict.fromkeys(w.lower() for w, flag in tags if len(w) >= 2 and (
        flag in _NAMED and _CJK.search(w) or w.isascii() and w[:1].isupper() and known(w.lower()))))
    nouns = tuple(dict.fromkeys(w for w, flag in tags if flag in _NOUNS and len(w) >= 2 and _CJK.search(w)
                                and not known(w) and not any(known(p) for p in query_tokens(w) if p != w
                                                              and len(p) >= 2 and w.endswith(p))))
    return Query(text=text, lang=language(text), kind=kind, unit=unit, weights=weights,
                 unknown=unknown, known=known_words, names=names, unknown_nouns=nouns, newest=newest, vector=vector,
                 focus=focus(tags), forms=_forms(text, weights, aliases))


def _forms(text: str, weights: dict, aliases) -> dict[str, tuple[str, ...]]:
    """Each of the question's words that is (part of) a name the articles also give in another form -> those forms:
    an English question's "CSTO" is held by a sentence that says 集安组织."""
    if aliases is None:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for span, others in aliases.mentions(text):
        for word in query_tokens(span):
            if word in weights:
                out[word] = tuple(dict.fromkeys(out.get(word, ()) + tuple(o.lower() for o in others)))
    return out


_WH_BEFORE = frozenset(["多少", "几", "哪个", "哪些", "哪", "什么", "啥", "哪位", "哪家", "哪国"])
_WH_AFTER = frozenset(["谁", "什么", "啥", "哪", "哪里", "哪儿"])
_FRAME = frozenset(["名字", "时候", "地方", "原因", "东西", "时间", "问题", "事情", "情况", "样子", "内容", "意思"])
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
            if len(run) >= 2 and run not in _FRAME:
                return run
    for i, word in enumerate(words):
        if word in _WH_AFTER:
            for w, f in reversed(tags[max(0, i - 4):i]):
                if f in _HEAD and w not in _FRAME and len(w) >= 2:
                    return w
                if w in ("的", "，", ","):
                    break
    return ""


_NAMED = frozenset(["nr", "ns", "nt", "nz", "nrt"])
_NOUNS = frozenset(["n", "nz", "nt", "ns", "j", "nr", "vn"])
_CJK = re.compile(r"[\u4e00-\u9fff]")


def held_words(text: str, words, forms: dict | None = None) -> set[str]:
    """Which of these words the text holds (as a word of its own, or inside a longer one, or in another of its
    `forms`)."""
    held = token_set(text)
    lowered = text.lower()
    return {w for w in words if w in held or w in lowered or any(f in lowered for f in (forms or {}).get(w, ()))}


def missing(words, weights: dict, text: str, forms: dict | None = None) -> tuple[float, float]:
    """The highest weight among these words that the text lacks, and the weighted share it lacks."""
    held = held_words(text, words, forms)
    lacking = [weights.get(w, 0.0) for w in words if w not in held]
    total = sum(weights.get(w, 0.0) for w in words)
    return (max(lacking, default=0.0), sum(lacking) / total if total else 0.0)


def coverage(text: str, weights: dict, forms: dict | None = None) -> float:
    """The idf-weighted share of the question's words that the text holds (itself or, with `forms`, by another
    name)."""
    total = sum(weights.values())
    if not total:
        return 0.0
    words = token_set(text)
    lowered = text.lower() if forms else text
    return sum(v for w, v in weights.items() if w in words or (len(w) > 1 and w in text)
               or any(f in lowered for f in (forms or {}).get(w, ()))) / total


K1, B = 1.2, 0.75  # BM25's textbook constants, not tuned on questions


@functools.lru_cache(maxsize=16384)
def _counts(text: str) -> tuple[dict[str, int], int]:
    counts: dict[str, int] = {}
    for token in tokens(text):
        counts[token] = counts.get(token, 0) + 1
    return counts, sum(counts.values())


def bm25(terms: list[str], texts: list[str], idf) -> np.ndarray:
    """BM25 of the terms over each text, lengths normalised by the texts' mean length."""
    counted = [_counts(text) for text in texts]
    mean = (sum(n for _, n in counted) / len(counted)) if counted else 1.0
    weights = {t: idf(t) for t in dict.fromkeys(terms)}
    out = np.zeros(len(texts))
    for i, (counts, n) in enumerate(counted):
        norm = K1 * (1 - B + B * n / max(mean, 1.0))
        out[i] = sum(w * counts[t] * (K1 + 1) / (counts[t] + norm) for t, w in weights.items() if t in counts)
    return out


def _rank_score(values: np.ndarray) -> np.ndarray:
    """1 / (1 + rank) by descending value."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    return 1.0 / (1.0 + ranks)


def passage_rows(query: Query, candidates: list[Candidate], latent: np.ndarray | None,
                 recency: np.ndarray | None) -> np.ndarray:
    """One row of PASSAGE_FEATURES per candidate."""
    n = len(candidates)
    if not n:
        return np.zeros((0, len(PASSAGE_FEATURES)))
    cos = np.asarray([c.cos for c in candidates])
    best = np.asarray([max(c.sentence_cos) if c.sentence_cos else c.cos for c in candidates])
    keyword = np.asarray([c.keyword for c in candidates])
    top_keyword = keyword.max() if n else 0.0
    keyword_rel = keyword / top_keyword if top_keyword > 0 else np.zeros(n)
    keyword_rank = np.where(keyword > 0, _rank_score(keyword), 0.0)
    en = 1.0 if query.lang == "en" else 0.0
    out = np.zeros((n, len(PASSAGE_FEATURES)))
    out[:, 0] = cos
    out[:, 1] = cos - cos.max()
    out[:, 2] = best
    out[:, 3] = best - best.max()
    out[:, 4] = _rank_score(cos + best)
    out[:, 5] = keyword_rel
    out[:, 6] = np.log1p(keyword)
    out[:, 7] = keyword_rank
    out[:, 8] = [coverage(c.passage.text, query.weights, query.forms) for c in candidates]
    out[:, 9] = [coverage(c.passage.title, query.weights, query.forms) for c in candidates]
    out[:, 10] = latent if latent is not None else 0.0
    out[:, 11] = recency if (recency is not None and query.newest) else 0.0
    out[:, 12] = en * out[:, 1]
    out[:, 13] = en * keyword_rel
    out[:, 14] = [c.passage.section == "caption" for c in candidates]
    return out


def sentence_rows(query: Query, read: list[Candidate], scores: np.ndarray, idf,
                  cache: dict | None = None) -> tuple[np.ndarray, list]:
    """One row of SENTENCE_FEATURES per sentence of the passages read (`scores`: their passage logits, best first),
    and (candidate index, sentence index) for each row. `cache` keeps each passage's own rows (fitting reads the
    same passages under many parameters)."""
    rows, where = [], []
    top = float(scores.max()) if len(scores) else 0.0
    en = 1.0 if query.lang == "en" else 0.0
    for i, cand in enumerate(read):
        key = (id(query), cand.row)
        entry = cache.get(key) if cache is not None else None
        if entry is not None and entry[0] is query:  # the same question (an id may be reused once it is gone)
            own = entry[1]
        else:
            own = _own_rows(query, cand, idf)
            if cache is not None:
                cache[key] = (query, own)
        for j, row in enumerate(own):
            rows.append([scores[i] - top, 1.0 / (1 + i), *row])
            where.append((i, j))
    out = np.asarray(rows, dtype=float).reshape(-1, len(SENTENCE_FEATURES))
    if len(out):
        out[:, 3] = out[:, 2] - out[:, 2].max()
        out[:, 5] = out[:, 4] - out[:, 4].max()
        out[:, 12] = en * out[:, 3]
    return out, where


def _own_rows(query: Query, cand: Candidate, idf) -> list[list[float]]:
    """What each sentence of a passage is, whatever the passage's rank: SENTENCE_FEATURES after the first two."""
    checked = query.kind in CHECKED
    rows = []
    for j, text in enumerate(cand.sentences):
        cos = cand.sentence_cos[j] if j < len(cand.sentence_cos) else cand.cos
        holds = fits(query.kind, text, query.text, idf) if checked else False
        unit = bool(query.unit) and fits("number", text, query.text)
        rows.append([cos, 0.0, coverage(text, query.weights, query.forms), 0.0, float(checked), float(holds),
                     float(unit), float(j == 0), math.log1p(len(text)), float(cand.passage.section == "caption"), 0.0,
                     clause_coverage(query, text, idf)])
    return rows


def answer_row(query: Query, sentence_logits: np.ndarray, best: int, sentence_x: np.ndarray, passage_logit: float,
               passage_x: np.ndarray, candidates_x: np.ndarray, parts: int, sentence: str = "",
               passage: Passage | None = None, idf=None) -> np.ndarray:
    """The one row of ANSWER_FEATURES that decides whether the best sentence answers the question."""
    ordered = np.sort(sentence_logits)[::-1]
    margin = ordered[0] - ordered[1] if len(ordered) > 1 else 4.0
    names = SENTENCE_FEATURES
    holds = sentence_x[:, names.index("holds_kind")]
    p = PASSAGE_FEATURES
    return np.asarray([
        _sigmoid(ordered[0]), margin, _sigmoid(passage_logit), passage_x[p.index("cos")],
        passage_x[p.index("sentence_cos")], sentence_x[best, names.index("coverage")],
        passage_x[p.index("coverage")], float(candidates_x[:, p.index("coverage")].max()), query.unknown,
        float(query.kind in CHECKED), holds[best], float(query.kind in CHECKED and not holds.any()),
        float(bool(query.unit)), sentence_x[best, names.index("holds_unit")], float(query.lang == "en"),
        passage_x[p.index("keyword_log")], passage_x[p.index("latent")], float(parts),
        *_missing(query, sentence, passage), float(len(query.unknown_nouns)), query.pull,
        float(bool(query.focus)), float(bool(query.focus) and query.focus in sentence),
        float(bool(query.focus) and passage is not None and query.focus in passage.text),
        clause_coverage(query, sentence, idf),
    ])


_CLAUSE = re.compile(r"[^，,。；;：:！？!?]+[，,。；;：:！？!?]?")


def clause_coverage(query: Query, sentence: str, idf=None) -> float:
    """The coverage of the question's words by the one clause of the sentence that holds what is asked (a figure, a
    date, a name not in the question), or by its best clause when the kind asked cannot be seen. How many died in
    a city is stated by a clause with a count and the city, not by a sentence that names the city in one clause and
    gives another place's count in the next."""
    clauses = _CLAUSE.findall(sentence) or [sentence]
    if query.kind in CHECKED:
        clauses = [c for c in clauses if fits(query.kind, c, query.text, idf)]
    return max((coverage(c, query.weights, query.forms) for c in clauses), default=0.0)


def _missing(query: Query, sentence: str, passage: Passage | None) -> tuple[float, float, float, float]:
    """What the answer lacks of the question: its most specific word the articles use that the sentence lacks, and
    that the passage (with its title) lacks; the share the sentence lacks; and how many of its names the passage
    lacks. A near miss ("how many did Tajikistan send", answered with Kyrgyzstan's figure) shows here."""
    where = f"{passage.title}\n{passage.text}" if passage is not None else sentence
    top_sentence, share = missing(query.known, query.weights, sentence, query.forms)
    top_passage, _ = missing(query.known, query.weights, where, query.forms)
    names = len(set(query.names) - held_words(where, query.names, query.forms))
    return top_sentence, top_passage, share, float(names)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))
