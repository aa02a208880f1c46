"""Question → `Trace` (the question analysed once, its candidate passages and their features) → cited `Answer` with a
confidence, by the fitted models of `params.json`. Tracing pays for the embeddings and the search; deciding is numpy
over the trace, so cross-validation traces each question once and decides it under every fold's parameters."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

import numpy as np

from qabot.answer import (
    Answer,
    clip,
    combined,
    question_parts,
    render,
    unanswered,
    wants_list,
)
from qabot.answer_kind import FIGURES, MEASURE
from qabot.features import (
    PASSAGE_FEATURES,
    SENTENCE_FEATURES,
    Candidate,
    Query,
    analyse,
    answer_row,
    bm25,
    held_words,
    passage_rows,
    sentence_rows,
)
from qabot.fitted import Params
from qabot.keywords import query_tokens
from qabot.passages import sentences
from qabot.relative_dates import days_between
from qabot.search import MODES, Filters, Hit, Searcher, asks_newest, recency

logger = logging.getLogger(__name__)

# The rule modules that can be switched off, for the ablation of `qabot eval --ablate`.
RULES = ("aliases", "coreference", "relative_dates", "answer_kind", "unspoken", "multi_part", "conflicts")
READ = 6  # passages whose sentences are read and reranked: a limit on work, not a tuned weight
EXTRA = 0.5  # another sentence joins the answer when the sentence model holds it more likely the answer than not
MOST, BUDGET, LIST_BUDGET = 4, 200, 360  # sentences and characters of an answer (a list may run longer)
TIMELINE_ENTRIES, TIMELINE_BUDGET, TIMELINE_READ = 5, 420, 10  # a chronology: dated events, one a day, from more
# passages (a broad "what happened" is close to no one event)
# Which passage features each retriever alone can see (the baselines keep only their own columns).
_DENSE = {"cos", "cos_gap", "sentence_cos", "sentence_cos_gap", "dense_rank", "latent", "en_cos_gap"}
_KEYWORD = {"keyword", "keyword_log", "keyword_rank", "en_keyword", "coverage", "title_coverage"}
_BOTH = {"newest", "caption"}


@dataclass(frozen=True)
class Trace:
    """What deciding needs of one question: its analysis, candidates and their passage features."""

    query: Query
    mode: str
    candidates: tuple[Candidate, ...]
    passage_x: np.ndarray
    asked: str  # the question as typed
    parts: tuple[Trace, ...] = ()


@dataclass(frozen=True)
class Reading:
    """One trace read under one set of parameters: what deciding, and fitting, look at."""

    hits: list[Hit]
    s1: np.ndarray  # passage logits, one per candidate
    read: list[int]  # the candidates whose sentences were read, best first
    sentence_x: np.ndarray
    where: list[tuple[int, int]]  # (position in `read`, sentence index) of each sentence row
    s2: np.ndarray  # sentence logits
    rerank_x: np.ndarray
    answer_x: np.ndarray  # the best sentence's ANSWER_FEATURES row (empty when nothing was read)


class Reader:
    """Traces and decides questions over one index's `Searcher`."""

    def __init__(self, searcher: Searcher, embedder, article=None, rules: tuple[str, ...] = RULES):
        self.searcher = searcher
        self.embedder = embedder
        self.index = searcher.index
        self.idf = searcher.idf
        self.rules = frozenset(rules)
        self.article = article or (lambda passage: ([], frozenset()))
        self._known = lambda word: self.index.document_frequency(word) > 0
        self.cache: dict | None = None  # fitting sets a dict: each passage's sentence rows worked out once

    # -- tracing ---------------------------------------------------------------------------------------------------
    def trace(self, question: str, mode: str = "hybrid", filters: Filters | None = None, asked: str = "") -> Trace:
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}: choose from {', '.join(MODES)}")
        asked = asked or question
        parts = question_parts(question) if "multi_part" in self.rules else [question]
        if len(parts) > 1:
            whole = self.trace_one(question, mode, filters, asked)
            return replace(whole, parts=tuple(self.trace_one(p, mode, filters, p) for p in parts))
        return self.trace_one(question, mode, filters, asked)

    def trace_one(self, question: str, mode: str, filters: Filters | None, asked: str) -> Trace:
        vector = self.embedder.embed([question], "query")[0]
        query = analyse(question, vector, self.idf, self._known, asks_newest(question),
                        self.searcher.aliases if "aliases" in self.rules else None)
        if "answer_kind" not in self.rules:
            query = replace(query, kind="", unit="")
        if "unspoken" not in self.rules:
            query = replace(query, unknown=0.0, unknown_nouns=())
        found = self._found(question, vector, mode, filters)
        if mode == "hybrid":
            # A name the articles also give in another form (集安组织 / 集体安全条约组织 / CSTO) is searched in it
            # too: one more query embedding at most; a passage keeps the better of its scores.
            texts = self.searcher.aliases.variants(question)[:1] if "aliases" in self.rules else []
            for text in texts:
                extra = self.embedder.embed([text], "query")[0]
                for row, cand in self._found(text, extra, mode, filters).items():
                    found[row] = _better(found.get(row), cand)
        candidates = tuple(found.values())
        if "unspoken" in self.rules and query.unknown_nouns and candidates:
            query = replace(query, pull=self._pull(question, query, candidates))
        latent = self._latent(question, candidates) if query.lang == "en" and candidates else None
        x = passage_rows(query, list(candidates), latent, recency([c.passage for c in candidates]))
        return Trace(query=query, mode=mode, candidates=candidates, passage_x=_masked(x, mode), asked=asked)

    def _found(self, question: str, vector: np.ndarray, mode: str, filters: Filters | None) -> dict[int, Candidate]:
        found = self.searcher.candidates(question, vector, mode, filters)
        if found is None:
            return {}
        # The keyword score the models read is computed here, the same way whatever the store (Milvus's BM25 cuts and
        # scores text its own way): BM25 of the question's words over each candidate's own words.
        terms = self.searcher.keyword_terms(question) if mode == "hybrid" else query_tokens(question)
        keyword = bm25(terms, [p.text for p in found.passages], self.idf)
        out = {}
        for row, passage, cos, score, per_sentence in zip(found.rows, found.passages, found.cosines, keyword,
                                                          found.sentences, strict=True):
            out[int(row)] = Candidate(passage=passage, row=int(row), cos=float(cos), keyword=float(score),
                                      sentences=tuple(sentences(passage.text)),
                                      sentence_cos=tuple(float(s) for s in per_sentence))
        return out

    def _pull(self, question: str, query: Query, candidates: tuple[Candidate, ...]) -> float:
        """How much closer the question comes to its best passages (by cosine) without the nouns no passage uses:
        one more query embedding, paid only by a question that has such nouns."""
        without = question
        for word in query.unknown_nouns:
            without = without.replace(word, "")
        if not without.strip():
            return 0.0
        best = sorted(candidates, key=lambda c: -c.cos)[:5]
        vectors = self.searcher.passage_vectors(np.asarray([c.row for c in best], dtype=np.int64))
        other = self.embedder.embed([without], "query")[0]
        return float((vectors @ other - vectors @ query.vector).mean())

    def _latent(self, question: str, candidates: tuple[Candidate, ...]) -> np.ndarray | None:
        return self.searcher.latent_scores(question, np.asarray([c.row for c in candidates], dtype=np.int64))

    # -- deciding --------------------------------------------------------------------------------------------------
    def decide(self, trace: Trace, params: Params, k: int = 10) -> Answer:
        """The answer the fitted models give for a traced question (`params`: the models of the trace's mode)."""
        if trace.parts:
            hits = self.read(trace, params, k).hits
            answers = [self.decide(part, params, k) for part in trace.parts]
            return combined(trace.asked, answers, hits)
        reading = self.read(trace, params, k)
        if not len(reading.s2):
            return replace(unanswered(trace.asked, reading.hits), confidence=0.0)
        confidence = float(1 / (1 + np.exp(-params.answer.logits(reading.answer_x)[0])))
        if confidence < params.threshold:  # naming the question's nouns no passage uses, when it has such
            return replace(unanswered(trace.asked, reading.hits, trace.query.unknown_nouns), confidence=confidence)
        chosen = self._choose(trace, reading)
        answer = render(trace.asked, reading.hits, chosen, trace.query.kind, trace.query.lang,
                        disagree_ok="conflicts" in self.rules, dates="relative_dates" in self.rules)
        return replace(answer, confidence=confidence)

    def read(self, trace: Trace, params: Params, k: int = 10) -> Reading:
        """Rank the candidates, read the best passages' sentences, rerank those passages by their best sentence."""
        cands = trace.candidates
        if not cands:
            return Reading(hits=[], s1=np.zeros(0), read=[], sentence_x=np.zeros((0, 0)), where=[], s2=np.zeros(0),
                           rerank_x=np.zeros((0, 0)), answer_x=np.zeros(0))
        s1 = params.passage.logits(trace.passage_x)
        order = np.argsort(-s1, kind="stable")
        read = [int(i) for i in order[:TIMELINE_READ if trace.query.kind == "timeline" else READ]]
        sx, where = sentence_rows(trace.query, [cands[i] for i in read], s1[read], self.idf, self.cache)
        s2 = params.sentence.logits(sx) if len(sx) else np.zeros(0)
        rx = rerank_rows(s1[read], s2, where, len(read)) if len(s2) else np.zeros((0, 3))
        top = read
        if trace.mode == "hybrid" and len(s2):
            top = [read[i] for i in np.argsort(-params.rerank.logits(rx), kind="stable")]
        ordered = top + [int(i) for i in order[len(read):]]
        hits = [Hit(passage=cands[i].passage, score=float(s1[i]), dense=cands[i].cos, keyword=cands[i].keyword,
                    row=cands[i].row, sentences=cands[i].sentence_cos) for i in ordered[:max(k, 5)]]
        ax = np.zeros(0)
        if len(s2):
            best = int(np.argmax(s2))
            at = read[where[best][0]]
            pos, j = where[best]
            cand = cands[read[pos]]
            ax = answer_row(trace.query, s2, best, sx, float(s1[at]), trace.passage_x[at], trace.passage_x, 1,
                            cand.sentences[j], cand.passage, self.idf)
        return Reading(hits=hits, s1=s1, read=read, sentence_x=sx, where=where, s2=s2, rerank_x=rx, answer_x=ax)

    def _choose(self, trace: Trace, reading: Reading) -> list:
        """The best sentence, then those the sentence model also holds to be the answer: more items for a list,
        other sources' other figures of the same thing (same unit) for a figure question, and for a chronology the
        dated sentences, one a day, within the days the question names."""
        query = trace.query
        cands = trace.candidates
        s2, where, read, sx = reading.s2, reading.where, reading.read, reading.sentence_x
        order = [int(i) for i in np.argsort(-s2, kind="stable")]
        holds = sx[:, SENTENCE_FEATURES.index("holds_kind")] > 0
        timeline = query.kind == "timeline"
        listing = wants_list(query.text, query.kind)
        figures = query.kind in FIGURES and not listing

        def source(i: int) -> Candidate:
            return cands[read[where[i][0]]]

        def sentence(i: int) -> str:
            return source(i).sentences[where[i][1]]

        if timeline:
            stretch = days_between(query.text) if "relative_dates" in self.rules else None
            dated = [i for i in order if holds[i] and _within(_day(source(i), sentence(i)), stretch)]
            order = dated or order
        first = order[0]
        chosen = [first]
        most, budget = (TIMELINE_ENTRIES, TIMELINE_BUDGET) if timeline else \
            (MOST, LIST_BUDGET if listing or figures else BUDGET)
        texts = {first: self._quoted(trace, source(first), where[first][1])}
        length = len(texts[first])
        days = {_day(source(first), sentence(first))}
        shown = {_figures(query.kind, sentence(first))}
        for i in order[1:]:
            if len(chosen) >= most:
                break
            if not timeline and 1 / (1 + np.exp(-s2[i])) < EXTRA:
                break
            if any(where[c] == where[i] for c in chosen):
                continue
            if timeline:
                day = _day(source(i), sentence(i))
                if day in days:
                    continue  # a chronology: one dated event a day
                days.add(day)
            if figures:
                if "conflicts" not in self.rules or not holds[i] or source(i).passage.doc == source(first).passage.doc:
                    continue
                if query.kind == "number" and not _units(sentence(i)) & _units(sentence(first)):
                    continue
                if _figures(query.kind, sentence(i)) in shown:
                    continue  # the same figure from another report: no disagreement
                if not held_words(sentence(first), query.known, query.forms) <= \
                        held_words(sentence(i), query.known, query.forms):
                    continue  # of something else: the same quantity needs every word of the question the first holds
                shown.add(_figures(query.kind, sentence(i)))
            text = self._quoted(trace, source(i), where[i][1])
            if length + len(text) > budget:
                continue
            chosen.append(i)
            texts[i] = text
            length += len(text)
        return [(source(i).passage, texts[i]) for i in chosen]

    def _quoted(self, trace: Trace, cand: Candidate, j: int) -> str:
        """A sentence as quoted: clipped around the evidence, with the person its 他/她 speaks of."""
        text = clip(cand.sentences[j], trace.query.weights, trace.query.kind)
        if "coreference" not in self.rules:
            return text
        from qabot.coreference import has_pronoun, people, with_person

        if not has_pronoun(text):
            return text
        earlier, names = self.article(cand.passage)
        own = list(cand.sentences)
        before = own[:j]
        cut = own[j].find(text.strip("…"))
        if cut > 0:
            before.append(own[j][:cut])
        return with_person(text, earlier + before, names or people(own))


def _day(cand: Candidate, sentence: str) -> str:
    from qabot.relative_dates import first_day

    return first_day(sentence, cand.passage.date)


def _within(day: str, stretch) -> bool:
    if stretch is None:
        return True
    first, last = stretch
    return bool(day) and first <= (int(day[5:7]), int(day[8:10])) <= last


def rerank_rows(s1: np.ndarray, s2: np.ndarray, where: list, n: int) -> np.ndarray:
    """For each passage read: its first-stage logit (gap to the best), its best sentence's logit, and that logit's
    gap to the best sentence anywhere."""
    best = np.full(n, -30.0)
    for logit, (i, _) in zip(s2, where, strict=True):
        best[i] = max(best[i], logit)
    return np.column_stack([s1 - s1.max(), best, best - best.max()])


RERANK_FEATURES = ("passage_gap", "best_sentence", "best_sentence_gap")


def _better(old: Candidate | None, new: Candidate) -> Candidate:
    if old is None:
        return new
    return replace(old, cos=max(old.cos, new.cos), keyword=max(old.keyword, new.keyword),
                   sentence_cos=tuple(max(a, b) for a, b in zip(old.sentence_cos, new.sentence_cos, strict=False)))


def _masked(x: np.ndarray, mode: str) -> np.ndarray:
    """A baseline sees only its own retriever's features (the others at 0)."""
    if mode == "hybrid":
        return x
    keep = (_DENSE if mode == "dense" else _KEYWORD) | _BOTH
    x = x.copy()
    for j, name in enumerate(PASSAGE_FEATURES):
        if name not in keep:
            x[:, j] = 0.0
    return x


_UNIT = re.compile(rf"(?:\d[\d,.]*|[一二两三四五六七八九十百千万几数]+)\s*(?:多|余)?\s*(?:万|亿)?\s*([{MEASURE}])")


def _units(text: str) -> set[str]:
    return {"人" if u == "名" else u for u in _UNIT.findall(text)}


def _figures(kind: str, text: str) -> tuple[str, ...]:
    pattern = FIGURES.get(kind)
    return tuple(sorted(set(re.sub(r"\s", "", f) for f in pattern.findall(text)))) if pattern else ()
