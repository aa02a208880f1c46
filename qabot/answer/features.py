"""A question and its candidate passages → the numbers the fitted models read: one row per passage, per sentence, and
one per answer. Only general properties of the text go in (scores, their margins, ranks, the kind of thing asked and
whether a sentence holds it, coverage of the question's words, language), never a question's own words."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import numpy as np

from qabot.ingest.passages import BYLINE, CAPTION, Passage
from qabot.language.dates import years
from qabot.language.kinds import CHECKED, FIGURES, figure_values, fits, holds_figure, units
from qabot.language.words import token_set, tokens
from qabot.question.analyse import Question

PASSAGE_FEATURES = (
    "cos", "cos_gap", "sentence_cos", "sentence_cos_gap", "dense_rank", "keyword", "keyword_log", "keyword_rank",
    "coverage", "title_coverage", "newest", "en_cos_gap", "en_keyword", "caption", "section_asked", "figure_given",
    "gloss_gap",
)
SENTENCE_FEATURES = (
    "passage_score", "passage_rank", "cos", "cos_gap", "coverage", "coverage_gap", "kind_checked", "holds_kind",
    "holds_unit", "first", "length", "caption", "en_cos_gap", "clause_coverage", "keyword", "section_asked",
    "figure_given",
)
EXTEND_FEATURES = (
    "sentence_p", "gap", "holds_kind", "best_holds_kind", "coverage", "coverage_gap", "words_held", "same_passage",
    "next", "before", "same_doc", "figure_kind", "listing", "new_figure", "same_figure", "same_unit", "kind_checked",
    "en", "passage_score", "caption", "length", "differs", "words_share", "clause_coverage",
)
ANSWER_FEATURES = (
    "sentence_p", "sentence_margin", "passage_p", "cos", "sentence_cos", "coverage", "passage_coverage",
    "reach", "unknown", "kind_checked", "holds_kind", "none_holds_kind", "asked_unit", "holds_unit", "en",
    "missing_share", "missing_names",
    "unknown_nouns", "pull", "has_focus", "focus_sentence", "focus_passage", "clause_coverage", "names_sentence",
    "figure_given", "other_year", "plan_only",
)
# What a sentence says is to happen, is recommended, or has not happened yet (a plan, a promise, a pending inquiry),
# and what a question asks when it asks about such things itself. "Did the owner finish the repairs by June?"
# answered by "the owner promised to finish the repairs by June" answers a plan, not what happened.
_INTENT = (r"will|shall|would|going to|gonna|plan(?:s|ned|ning)? to|plans? for|intends?|intended|expects?|expected|"
           r"aims? to|hopes? to|promised?|promises|pledged?|vowed?|set to|propos\w+|recommend\w*|urged?|"
           r"call(?:ed|s)? for|supposed to|next")
_PLANNED = re.compile(rf"\b(?:{_INTENT}|is to|are to|was to|were to|due to be|yet|pending|await\w*|"
                      r"under (?:investigation|review)|still being)\b|将(?![近军领士])|拟|计划|准备|承诺|打算|"
                      r"预计|有望|争取|力争|尚未|还未|仍在|正在|有待|待定|建议|呼吁|要求", re.I)
_ASKS_INTENT = re.compile(rf"\b(?:{_INTENT}|have to|has to|must|by when|deadline)\b|将|会不会|打算|计划|准备|承诺|预计|"
                          r"下一步|期限|建议|呼吁|要求|要不要|还要|啥时候能|什么时候能", re.I)


@dataclass(frozen=True)
class Candidate:
    passage: Passage
    row: int
    cos: float  # question · passage vector
    keyword: float  # BM25 score
    sentences: tuple[str, ...]
    sentence_cos: tuple[float, ...]  # question · each sentence vector


def held_words(text: str, words, forms: dict | None = None) -> set[str]:
    """Which of these words the text holds (as a word of its own, or inside a longer one, or in another of its
    `forms`)."""
    held = token_set(text)
    lowered = text.lower()
    return {w for w in words
            if w in held or inside(w, lowered) or any(inside(f, lowered) for f in (forms or {}).get(w, ()))}


def missing(words, weights: dict, text: str, forms: dict | None = None) -> float:
    """The weighted share of these words that the text lacks."""
    held = held_words(text, words, forms)
    total = sum(weights.get(w, 0.0) for w in words)
    return sum(weights.get(w, 0.0) for w in words if w not in held) / total if total else 0.0


def coverage(text: str, weights: dict, forms: dict | None = None) -> float:
    """The idf-weighted share of the question's words that the text holds (itself or, with `forms`, by another
    name)."""
    total = sum(weights.values())
    if not total:
        return 0.0
    words = token_set(text)
    lowered = text.lower()
    return sum(v for w, v in weights.items() if w in words or (len(w) > 1 and inside(w, lowered))
               or any(inside(f, lowered) for f in (forms or {}).get(w, ()))) / total


# A Latin word or number is held inside a text only as a word of its own, or that word with an ending ("crash" in
# "crashed", "tram" in "trams"), never inside another word ("de" of "depot", "won" of "wonder", "rail" of "derailed",
# "24" of "2024"); a Chinese word, which no spaces delimit, anywhere.
_ENDING = r"(?:s|es|e?d|ing|e?rs?|['’]s?)?"


@functools.lru_cache(maxsize=65536)
def _latin(word: str) -> re.Pattern:
    if re.fullmatch(r"\d+(?:[.,]\d+)*", word):
        return re.compile(rf"(?<![\d.,]){re.escape(word)}(?![\d]|[.,]\d)")
    return re.compile(rf"(?<![a-z0-9]){re.escape(word)}{_ENDING}(?![a-z])")


def inside(word: str, lowered: str) -> bool:
    """Does the lower-cased text hold the word (see `_latin`)?"""
    if word not in lowered:
        return False
    return not word.isascii() or bool(_latin(word).search(lowered))


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


def section_asked(question: Question, passage: Passage) -> bool:
    """The question asks about a picture or who wrote the piece, and this passage is that caption or byline."""
    return bool(question.section) and passage.section == question.section


def passage_rows(question: Question, candidates: list[Candidate], recency: np.ndarray | None,
                 gloss: np.ndarray | None = None) -> np.ndarray:
    """One row of PASSAGE_FEATURES per candidate (`gloss`: each one's cosine with the question's gloss, if any)."""
    n = len(candidates)
    if not n:
        return np.zeros((0, len(PASSAGE_FEATURES)))
    cos = np.asarray([c.cos for c in candidates])
    best = np.asarray([max(c.sentence_cos) if c.sentence_cos else c.cos for c in candidates])
    keyword = np.asarray([c.keyword for c in candidates])
    top_keyword = keyword.max() if n else 0.0
    keyword_rel = keyword / top_keyword if top_keyword > 0 else np.zeros(n)
    keyword_rank = np.where(keyword > 0, _rank_score(keyword), 0.0)
    en = 1.0 if question.lang == "en" else 0.0
    out = np.zeros((n, len(PASSAGE_FEATURES)))
    out[:, 0] = cos
    out[:, 1] = cos - cos.max()
    out[:, 2] = best
    out[:, 3] = best - best.max()
    out[:, 4] = _rank_score(cos + best)
    out[:, 5] = keyword_rel
    out[:, 6] = np.log1p(keyword)
    out[:, 7] = keyword_rank
    out[:, 8] = [coverage(c.passage.text, question.weights, question.forms) for c in candidates]
    out[:, 9] = [coverage(c.passage.title, question.weights, question.forms) for c in candidates]
    out[:, 10] = recency if (recency is not None and question.newest) else 0.0
    out[:, 11] = en * out[:, 1]
    out[:, 12] = en * keyword_rel
    out[:, 13] = [c.passage.section == CAPTION for c in candidates]
    out[:, 14] = [section_asked(question, c.passage) for c in candidates]
    # the passage gives a count the question gives ("那个“16”是啥数"): it speaks of what the question asks about
    out[:, 15] = [holds_figure(question.figures, c.passage.text) for c in candidates] if question.figures else 0.0
    out[:, 16] = gloss - gloss.max() if gloss is not None else 0.0  # asked in the other language: its gloss's margin
    return out


def sentence_rows(question: Question, read: list[Candidate], scores: np.ndarray, idf,
                  cache: dict | None = None) -> tuple[np.ndarray, list]:
    """One row of SENTENCE_FEATURES per sentence of the passages read (`scores`: their passage logits, best first),
    and (candidate index, sentence index) for each row. `cache` keeps each candidate's own rows (fitting reads the
    same passages under many parameters)."""
    rows, where = [], []
    top = float(scores.max()) if len(scores) else 0.0
    en = 1.0 if question.lang == "en" else 0.0
    for i, cand in enumerate(read):
        key = (id(question), id(cand))
        entry = cache.get(key) if cache is not None else None
        if entry is not None and entry[0] is question and entry[1] is cand:  # ids are reused once objects go
            own = entry[2]
        else:
            own = _own_rows(question, cand, idf)
            if cache is not None:
                cache[key] = (question, cand, own)
        for j, row in enumerate(own):
            rows.append([scores[i] - top, 1.0 / (1 + i), *row])
            where.append((i, j))
    out = np.asarray(rows, dtype=float).reshape(-1, len(SENTENCE_FEATURES))
    if len(out):
        out[:, 3] = out[:, 2] - out[:, 2].max()
        out[:, 5] = out[:, 4] - out[:, 4].max()
        out[:, 12] = en * out[:, 3]
    return out, where


def _own_rows(question: Question, cand: Candidate, idf) -> list[list[float]]:
    """What each sentence of a passage is, whatever the passage's rank: SENTENCE_FEATURES after the first two."""
    checked = question.kind in CHECKED
    terms = list(question.wordings[0].terms)
    rows = []
    for j, text in enumerate(cand.sentences):
        cos = cand.sentence_cos[j] if j < len(cand.sentence_cos) else cand.cos
        holds = fits(question.kind, text, question.text, idf, question.said) if checked else False
        unit = bool(question.unit) and fits("number", text, question.text)
        rows.append([cos, 0.0, coverage(text, question.weights, question.forms), 0.0, float(checked), float(holds),
                     float(unit), float(j == 0), math.log1p(len(text)), float(cand.passage.section == CAPTION), 0.0,
                     clause_coverage(question, text, idf),
                     # BM25 of the question's search terms (stand-ins, an English word's Chinese) over the sentence
                     # alone: how often and how rare, where coverage says only which
                     math.log1p(float(bm25(terms, [text], idf)[0])),
                     float(section_asked(question, cand.passage)), float(holds_figure(question.figures, text))])
    return rows


def extend_rows(question: Question, read: list[Candidate], where: list, sentence_x: np.ndarray, logits: np.ndarray,
                best: int) -> np.ndarray:
    """One row of EXTEND_FEATURES per sentence read: what it is beside the best sentence (next to it, from another
    report, with another figure of the kind asked, holding as many of the question's words), for the model that
    says whether it too belongs in the answer (a list's other items, another report's figure, the sentence a
    statement goes on in). The best sentence's own row is there too, never used."""
    n = len(where)
    out = np.zeros((n, len(EXTEND_FEATURES)))
    if not n:
        return out

    def column(name: str) -> np.ndarray:
        return sentence_x[:, SENTENCE_FEATURES.index(name)]

    bi, bj = where[best]
    best_cand = read[bi]
    best_text = best_cand.sentences[bj]
    best_figures = figure_values(question.kind, best_text)
    best_units = units(best_text)
    best_words = held_words(best_text, question.known, question.forms)
    figure_kind = question.kind in FIGURES and not question.listing
    p = 1 / (1 + np.exp(-np.clip(logits, -30, 30)))
    for r, (i, j) in enumerate(where):
        cand = read[i]
        text = cand.sentences[j]
        shown = figure_values(question.kind, text) if figure_kind else frozenset()
        row = {
            "sentence_p": p[r], "gap": logits[best] - logits[r], "holds_kind": column("holds_kind")[r],
            "best_holds_kind": column("holds_kind")[best], "coverage": column("coverage")[r],
            "coverage_gap": column("coverage")[best] - column("coverage")[r],
            "words_held": float(best_words <= held_words(text, question.known, question.forms)),
            "same_passage": float(i == bi), "next": float(_follows(cand, j, best_cand, bj)),
            "before": float(_follows(best_cand, bj, cand, j)),
            "same_doc": float(i != bi and cand.passage.doc == best_cand.passage.doc),
            "figure_kind": float(figure_kind), "listing": float(question.listing),
            "new_figure": float(bool(shown - best_figures)),
            "same_figure": float(bool(shown) and shown <= best_figures),
            "same_unit": float(bool(units(text) & best_units)), "kind_checked": column("kind_checked")[r],
            "en": float(question.lang == "en"), "passage_score": column("passage_score")[r],
            "caption": column("caption")[r], "length": column("length")[r], "differs": float(question.differs),
            # how much of what the best sentence holds of the question this one (or its title) holds too: another
            # report of the same quantity says most of it in its own words ("burned" for "burning")
            "words_share": 1.0 - missing(best_words, question.weights, f"{cand.passage.title}\n{text}",
                                         question.forms),
            "clause_coverage": column("clause_coverage")[r],
        }
        out[r] = [row[name] for name in EXTEND_FEATURES]
    return out


def _follows(cand: Candidate, j: int, other: Candidate, k: int) -> bool:
    """Is sentence j of `cand` the one that comes right after sentence k of `other` in the article (in the same
    paragraph, or opening the next)? A caption or a byline follows nothing."""
    if cand.passage.doc != other.passage.doc or {cand.passage.section, other.passage.section} & {CAPTION, BYLINE}:
        return False
    if cand.passage.id == other.passage.id:
        return j == k + 1
    return j == 0 and k == len(other.sentences) - 1 and cand.passage.paragraph == other.passage.paragraph + 1


def answer_row(question: Question, sentence_logits: np.ndarray, best: int, sentence_x: np.ndarray, passage_logit: float,
               passage_x: np.ndarray, candidates_x: np.ndarray, sentence: str = "",
               passage: Passage | None = None, pull: float = 0.0) -> np.ndarray:
    """The one row of ANSWER_FEATURES that decides whether the best sentence answers the question."""
    ordered = np.sort(sentence_logits)[::-1]
    margin = ordered[0] - ordered[1] if len(ordered) > 1 else 4.0
    names = SENTENCE_FEATURES
    holds = sentence_x[:, names.index("holds_kind")]
    p = PASSAGE_FEATURES
    return np.asarray([
        _sigmoid(ordered[0]), margin, _sigmoid(passage_logit), passage_x[p.index("cos")],
        passage_x[p.index("sentence_cos")], sentence_x[best, names.index("coverage")],
        passage_x[p.index("coverage")], float(candidates_x[:, p.index("coverage")].max()), question.unknown,
        float(question.kind in CHECKED), holds[best], float(question.kind in CHECKED and not holds.any()),
        float(bool(question.unit)), sentence_x[best, names.index("holds_unit")], float(question.lang == "en"),
        *_missing(question, sentence, passage), float(len(question.unknown_nouns)), pull,
        float(bool(question.focus)), float(_holds_focus(question, sentence)),
        float(passage is not None and _holds_focus(question, passage.text)),
        sentence_x[best, names.index("clause_coverage")],  # the sentence row's, not worked out again
        # how many of the names it asks about the sentence itself lacks: "how many did Tajikistan send" answered by
        # a sentence of Kyrgyzstan's, in a paragraph that names Tajikistan elsewhere
        float(len(set(question.names) - held_words(sentence, question.names, question.forms))),
        sentence_x[best, names.index("figure_given")],
        float(other_year(question.text, sentence)), float(plan_only(question.text, sentence)),
    ])


def other_year(question: str, sentence: str) -> bool:
    """Does the question name a year and the sentence only others ("fined over the 2023 fire" answered by "in 2022
    the company was fined")?"""
    asked, told = years(question), years(sentence)
    return bool(asked) and bool(told) and not asked & told


def plan_only(question: str, sentence: str) -> bool:
    """Does the sentence tell of a plan, a promise or a pending matter, and the question not ask about one ("Did they
    clear the waste?" answered by "they have promised to clear the waste by October")?"""
    return bool(_PLANNED.search(sentence)) and not _ASKS_INTENT.search(question)


def _holds_focus(question: Question, text: str) -> bool:
    """Does the text name what the question asks about (as written, in another form the articles give it, or as the
    dictionary translates an English one)?"""
    return bool(question.focus) and bool(held_words(text, [question.focus], question.forms))


_CLAUSE = re.compile(r"[^，,。；;：:！？!?]+[，,。；;：:！？!?]?")


def clause_coverage(question: Question, sentence: str, idf=None) -> float:
    """The coverage of the question's words by the one clause of the sentence that holds what is asked (a figure, a
    date, a name not in the question), or by its best clause when the kind asked cannot be seen. How many died in
    a city is stated by a clause with a count and the city, not by a sentence that names the city in one clause and
    gives another place's count in the next."""
    clauses = _CLAUSE.findall(sentence) or [sentence]
    if question.kind in CHECKED:
        clauses = [c for c in clauses if fits(question.kind, c, question.text, idf, question.said)]
    return max((coverage(c, question.weights, question.forms) for c in clauses), default=0.0)


def _missing(question: Question, sentence: str, passage: Passage | None) -> tuple[float, float]:
    """What the answer lacks of the question: the idf-weighted share of its words the sentence lacks, and how many of
    its names the passage (with its title) lacks. A near miss ("how many did Tajikistan send", answered with
    Kyrgyzstan's figure) shows here. (The highest idf a lacking word has, and the BM25 score, were features too until
    the thirty-first session: both are measured on the corpus's own scale, which another folder of articles does not
    share, and without them the folders' held-out AUC was as good: docs/evaluation.md.)"""
    where = f"{passage.title}\n{passage.text}" if passage is not None else sentence
    share = missing(question.known, question.weights, sentence, question.forms)
    names = len(set(question.names) - held_words(where, question.names, question.forms))
    return share, float(names)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))
