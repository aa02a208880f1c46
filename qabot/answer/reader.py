"""`Question` → `Trace` (its candidate passages and their features) → cited `Answer` with a confidence, by the fitted
models of `params.json`. Tracing pays for the embeddings and the search; deciding is numpy
over the trace, so cross-validation traces each question once and decides it under every fold's parameters."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, replace

import numpy as np

from qabot.answer.choose import chosen
from qabot.answer.compose import Answer, combined, render, unanswered
from qabot.answer.features import (
    PASSAGE_FEATURES,
    Candidate,
    answer_row,
    bm25,
    passage_rows,
    sentence_rows,
)
from qabot.answer.model import Params
from qabot.ingest.passages import BYLINE, sentences
from qabot.question.analyse import ANALYSIS_RULES, Analyser, Question, Wording
from qabot.question.filters import Filters
from qabot.search.searcher import MODES, Hit, Searcher, recency

logger = logging.getLogger(__name__)

# The rule modules that can be switched off, for the ablation of `qabot eval --ablate`.
RULES = ("aliases", "coreference", "relative_dates", "answer_kind", "unspoken", "multi_part", "conflicts", "stand_ins",
         "lexicon", "beyond")
READ = 6  # passages whose sentences are read and reranked: a limit on work, not a tuned weight
SKIPPED = -30.0  # the logit of a sentence not to be taken (the floor every logit is clipped to)
TIMELINE_READ = 10  # a chronology reads more passages (a broad "what happened" is close to no one event)
# Which passage features each retriever alone can see (the baselines keep only their own columns).
_DENSE = {"cos", "cos_gap", "sentence_cos", "sentence_cos_gap", "dense_rank", "en_cos_gap"}  # not the gloss's
_KEYWORD = {"keyword", "keyword_log", "keyword_rank", "en_keyword", "coverage", "title_coverage"}
_BOTH = {"newest", "caption", "section_asked"}


@dataclass(frozen=True)
class Trace:
    """What deciding needs of one question: its analysis, candidates and their passage features."""

    question: Question
    mode: str
    candidates: tuple[Candidate, ...]
    passage_x: np.ndarray
    pull: float = 0.0  # how much closer the question comes to its best passages without its unknown nouns
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
        self.rules = frozenset(rules)
        self.analyser = Analyser(self.index, embedder, rules=tuple(r for r in ANALYSIS_RULES if r in self.rules))
        self.idf = self.analyser.idf
        self.article = article or (lambda passage: ([], frozenset()))
        self.cache: dict | None = None  # fitting sets a dict: each passage's sentence rows worked out once

    # -- tracing ---------------------------------------------------------------------------------------------------
    def trace(self, question: Question | str, mode: str = "hybrid", filters: Filters | None = None) -> Trace:
        """The question's candidates and their features (a text is analysed first, with `filters`)."""
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}: choose from {', '.join(MODES)}")
        if isinstance(question, str):
            question = self.analyser(question, filters)
        whole = self._trace(question, mode)
        if question.parts:
            return replace(whole, parts=tuple(self._trace(part, mode) for part in question.parts))
        return whole

    def _trace(self, question: Question, mode: str) -> Trace:
        found = self._found(question.wordings[0], mode, question.filters)
        if mode == "hybrid":
            # A name the articles also give in another form (集安组织 / 集体安全条约组织 / CSTO) is searched in it
            # too: a passage keeps the better of its scores.
            for wording in question.wordings[1:]:
                for row, cand in self._found(wording, mode, question.filters).items():
                    found[row] = _better(found.get(row), cand)
        # A byline (who wrote the piece, and when) says nothing of the story: a candidate only when the question asks
        # who wrote it, else its date or name answers "when" questions and off-topic ones alike.
        candidates = tuple(c for c in found.values() if c.passage.section != BYLINE or question.section == BYLINE)
        pull = self._pull(question, candidates) if question.without_unknown is not None and candidates else 0.0
        gloss = None  # how close each candidate comes to the question's words in the articles' language
        if question.gloss_vector is not None and candidates:
            gloss = self.searcher.passage_vectors(np.asarray([c.row for c in candidates])) @ question.gloss_vector
        x = passage_rows(question, list(candidates), recency([c.passage for c in candidates]), gloss)
        return Trace(question=question, mode=mode, candidates=candidates, passage_x=_masked(x, mode), pull=pull)

    def _found(self, wording: Wording, mode: str, filters: Filters | None) -> dict[int, Candidate]:
        found = self.searcher.candidates(wording, mode, filters)
        if found is None:
            return {}
        # The keyword score the models read is computed here, the same way whatever the store (Milvus's BM25 cuts and
        # scores text its own way): BM25 of the question's words over each candidate's own words.
        keyword = bm25(list(wording.terms if mode == "hybrid" else wording.plain), [p.text for p in found.passages],
                       self.idf)
        out = {}
        for row, passage, cos, score, per_sentence in zip(found.rows, found.passages, found.cosines, keyword,
                                                          found.sentences, strict=True):
            out[int(row)] = Candidate(passage=passage, row=int(row), cos=float(cos), keyword=float(score),
                                      sentences=_sentences_of(passage.text),
                                      sentence_cos=tuple(float(s) for s in per_sentence))
        return out

    def _pull(self, question: Question, candidates: tuple[Candidate, ...]) -> float:
        """How much closer the question comes to its best passages (by cosine) without the nouns no passage uses."""
        best = sorted(candidates, key=lambda c: -c.cos)[:5]
        vectors = self.searcher.passage_vectors(np.asarray([c.row for c in best], dtype=np.int64))
        return float((vectors @ question.without_unknown.vector - vectors @ question.vector).mean())

    # -- deciding --------------------------------------------------------------------------------------------------
    def decide(self, trace: Trace, params: Params, k: int = 10) -> Answer:
        """The answer the fitted models give for a traced question (`params`: the models of the trace's mode)."""
        if not trace.parts:
            return self.decide_alone(trace, params, k)[0]
        hits = self.read(trace, params, k).hits
        answers, quoted = [], set()
        for part in trace.parts:
            answer, said = self.decide_alone(part, params, k)
            if said and said <= quoted:
                # Every sentence it would quote, an earlier part quotes already ("哪栋楼？装备比警察差吗？" both
                # answered by the sentence of the first): its best sentence not yet quoted, if that is confident
                # enough too; else the earlier part's answer stands for it, as before.
                again, other = self.decide_alone(part, params, k, skip=frozenset(quoted))
                if again.answered:
                    answer, said = again, other
            answers.append(answer)
            quoted |= said
        return combined(trace.question.asked, trace.question.lang, answers, hits)

    def decide_alone(self, trace: Trace, params: Params, k: int, skip: frozenset = frozenset()) -> tuple[Answer, set]:
        """A question asked alone, or one part: the answer, and the (passage id, sentence number) of each sentence
        it quotes; a sentence in `skip` is read but never taken as the best."""
        reading = self.read(trace, params, k, skip)
        declined = trace.question.beyond if "beyond" in self.rules else ""  # a forecast, advice, a poem
        if not len(reading.s2) or declined:
            return replace(unanswered(trace.question.asked, trace.question.lang, reading.hits, beyond=declined),
                           confidence=0.0), set()
        confidence = float(1 / (1 + np.exp(-params.answer.logits(reading.answer_x)[0])))
        if confidence < params.threshold_for(trace.question.lang):  # naming the nouns no passage uses, if any
            return replace(unanswered(trace.question.asked, trace.question.lang, reading.hits,
                                      trace.question.unknown_nouns),
                           confidence=confidence), set()
        rows = chosen(trace, reading, self.rules, self.article, params.extend)
        quotes = [(trace.candidates[reading.read[reading.where[r][0]]].passage, text) for r, text in rows]
        answer = render(trace.question.asked, reading.hits, quotes, trace.question.kind, trace.question.lang,
                        disagree_ok="conflicts" in self.rules, dates="relative_dates" in self.rules)
        said = {(passage.id, reading.where[r][1]) for (r, _), (passage, _) in zip(rows, quotes, strict=True)}
        return replace(answer, confidence=confidence), said

    def read(self, trace: Trace, params: Params, k: int = 10, skip: frozenset = frozenset()) -> Reading:
        """Rank the candidates, read the best passages' sentences, rerank those passages by their best sentence;
        a sentence in `skip` ((passage id, sentence number)) is read but never taken as the best."""
        cands = trace.candidates
        if not cands:
            return Reading(hits=[], s1=np.zeros(0), read=[], sentence_x=np.zeros((0, 0)), where=[], s2=np.zeros(0),
                           rerank_x=np.zeros((0, 0)), answer_x=np.zeros(0))
        s1 = params.passage.logits(trace.passage_x)
        order = np.argsort(-s1, kind="stable")
        read = [int(i) for i in order[:TIMELINE_READ if trace.question.kind == "timeline" else READ]]
        sx, where = sentence_rows(trace.question, [cands[i] for i in read], s1[read], self.idf, self.cache)
        s2 = params.sentence.logits(sx) if len(sx) else np.zeros(0)
        rx = rerank_rows(s1[read], s2, where, len(read)) if len(s2) else np.zeros((0, 3))
        top = read
        if trace.mode == "hybrid" and len(s2):
            top = [read[i] for i in np.argsort(-params.rerank.logits(rx), kind="stable")]
        ordered = top + [int(i) for i in order[len(read):]]
        hits = [Hit(passage=cands[i].passage, score=float(s1[i]), dense=cands[i].cos, keyword=cands[i].keyword,
                    row=cands[i].row, sentences=cands[i].sentence_cos) for i in ordered[:max(k, 5)]]
        if skip:
            s2 = s2.copy()
            for r, (pos, j) in enumerate(where):
                if (cands[read[pos]].passage.id, j) in skip:
                    s2[r] = SKIPPED
        ax = np.zeros(0)
        if len(s2):
            best = int(np.argmax(s2))
            at = read[where[best][0]]
            pos, j = where[best]
            cand = cands[read[pos]]
            ax = answer_row(trace.question, s2, best, sx, float(s1[at]), trace.passage_x[at], trace.passage_x,
                            cand.sentences[j], cand.passage, trace.pull)
        return Reading(hits=hits, s1=s1, read=read, sentence_x=sx, where=where, s2=s2, rerank_x=rx, answer_x=ax)


@functools.lru_cache(maxsize=16384)
def _sentences_of(text: str) -> tuple[str, ...]:
    """A passage's sentences, cut once per process: the same passages come back question after question (cutting
    them was a fifth of a warm answer's work beside the query's embedding)."""
    return tuple(sentences(text))


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
