"""An analysed question's wording → candidate passages with their dense, sentence and BM25 scores (FAISS + bm25s
files; source/date filters); `search` fuses them into ranked `Hit`s for the store's own checks."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from qabot.ingest.passages import Passage
from qabot.question.analyse import Analyser, Wording
from qabot.question.filters import Filters
from qabot.store.embed import Embedder
from qabot.store.folder import Index

logger = logging.getLogger(__name__)

MODES = ("hybrid", "dense", "keyword")
POOL = 50  # candidates taken from each retriever
RRF_K = 60  # reciprocal-rank fusion's usual constant, for `search` alone; answers rank with the fitted reader


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # the fused score that ranks hits
    dense: float  # cosine similarity of question and passage
    keyword: float  # BM25 score (0 when no question word occurs in the passage)
    row: int  # the passage's row in the index
    sentences: tuple[float, ...] = ()  # cosine similarity of the question and each sentence of the passage


@dataclass(frozen=True)
class Candidates:
    """What a store hands over for ranking: candidate passages with the scores the fusion needs."""

    rows: np.ndarray  # the store's row ids
    passages: list[Passage]
    cosines: np.ndarray  # question · passage vector
    keyword: np.ndarray  # BM25 score, 0 where no question word occurs
    sentences: list[np.ndarray]  # question · each sentence vector


class Searcher:
    """Finds an index's candidate passages for an analysed question; holds no state between questions.
    `_candidates` is the one part that speaks to the store (FAISS + bm25s files here; Milvus in `search.milvus`)."""

    def __init__(self, index: Index, embedder: Embedder):
        self.index = index
        self.embedder = embedder
        self._analyser: Analyser | None = None

    def search(self, question: str, k: int = 10, mode: str = "hybrid", filters: Filters | None = None) -> list[Hit]:
        """The k best passages for a question's text by one plain fusion of the two retrievers (reciprocal ranks):
        what the store's own checks use. Answers rank passages with the fitted reader instead (`qabot.answer`)."""
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}: choose from {', '.join(MODES)}")
        if self._analyser is None:
            self._analyser = Analyser(self.index, self.embedder)
        found = self.candidates(self._analyser.wording(question), mode, filters, pool=max(POOL, k))
        if found is None:
            return []
        best_sentence = np.asarray([scores.max() if len(scores) else c for scores, c in
                                    zip(found.sentences, found.cosines, strict=True)])
        dense = found.cosines + best_sentence
        fused = np.zeros(len(found.rows))
        if mode in ("hybrid", "dense"):
            fused += 1.0 / (RRF_K + _ranks(dense))
        if mode in ("hybrid", "keyword"):
            fused += np.where(found.keyword > 0, 1.0 / (RRF_K + _ranks(found.keyword)), 0.0)
        order = np.argsort(-fused, kind="stable")[:k]
        return [Hit(passage=found.passages[i], score=float(fused[i]), dense=float(found.cosines[i]),
                    keyword=float(found.keyword[i]), row=int(found.rows[i]),
                    sentences=tuple(float(x) for x in found.sentences[i])) for i in order]

    def candidates(self, wording: Wording, mode: str = "hybrid", filters: Filters | None = None,
                   pool: int = POOL) -> Candidates | None:
        """The union of the dense and the BM25 best `pool` passages (as the mode asks), with every score of each."""
        return self._candidates(wording, pool, mode, filters)

    def _candidates(self, wording: Wording, pool: int, mode: str, filters: Filters | None) -> Candidates | None:
        allowed = self._allowed(filters) if filters else None
        deleted = self.index.deleted
        if allowed is not None and len(deleted):
            allowed = np.setdiff1d(allowed, deleted, assume_unique=True)
        if allowed is not None and not len(allowed):
            return None
        query = wording.vector
        keyword = self._keyword_scores(wording, mode)
        keyword[deleted] = 0.0  # the rows of removed articles, still on disk until the next full rewrite
        candidates: list[int] = []
        if mode in ("hybrid", "dense"):
            candidates += self._dense_top(query, pool, allowed)
        if mode in ("hybrid", "keyword"):
            candidates += [row for row in _top(keyword, pool, allowed) if keyword[row] > 0]
        rows = np.asarray(list(dict.fromkeys(candidates)), dtype=np.int64)
        if not len(rows):
            return None
        return Candidates(rows=rows, passages=[self.index.passages[row] for row in rows],
                          cosines=self.index.dense.reconstruct_batch(rows) @ query, keyword=keyword[rows],
                          sentences=self._sentence_scores(rows, query))

    def passage_vectors(self, rows: np.ndarray) -> np.ndarray:
        """The dense vectors of these passages, one row each."""
        return self.index.dense.reconstruct_batch(np.asarray(rows, dtype=np.int64))

    def _sentence_scores(self, rows: np.ndarray, query: np.ndarray) -> list[np.ndarray]:
        """Cosine of the question with every sentence of each candidate passage, in one matrix product."""
        offsets = self.index.sentence_offsets
        starts, ends = offsets[rows], offsets[rows + 1]
        picked = np.concatenate([np.arange(a, b) for a, b in zip(starts, ends, strict=True)])
        scores = self.index.sentence_vectors[picked].astype(np.float32) @ query
        return np.split(scores, np.cumsum(ends - starts)[:-1])

    def _keyword_scores(self, wording: Wording, mode: str = "hybrid") -> np.ndarray:
        """BM25 over the question's words; the keyword-only baseline stays plain BM25 (no stand-ins)."""
        bm25 = self.index.bm25
        ids = bm25.get_tokens_ids(list(wording.terms if mode == "hybrid" else wording.plain))
        if not ids:
            return np.zeros(len(self.index.passages), dtype=np.float32)
        return np.asarray(bm25.get_scores_from_ids(ids), dtype=np.float32)

    def _dense_top(self, query: np.ndarray, pool: int, allowed: np.ndarray | None) -> list[int]:
        import faiss

        total = self.index.dense.ntotal
        params = None
        deleted = self.index.deleted
        if allowed is not None or len(deleted):
            if allowed is not None:
                selector = faiss.IDSelectorBatch(allowed.astype(np.int64))
            else:
                inner = faiss.IDSelectorBatch(deleted)  # held here: the Not selector does not keep it alive
                selector = faiss.IDSelectorNot(inner)
            graph = isinstance(self.index.dense, faiss.IndexHNSW)
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(pool, self.index.dense.hnsw.efSearch)) \
                if graph else faiss.SearchParameters(sel=selector)
        _, ids = self.index.dense.search(query.reshape(1, -1), min(pool, total), params=params)
        return [int(i) for i in ids[0] if i >= 0]

    def _allowed(self, filters: Filters) -> np.ndarray:
        """The rows of the passages whose article passes the filters, decided once an article, not once a row."""
        files = self.index.manifest["files"]
        return self.index.passages.rows_of(doc for doc, entry in files.items()
                                           if filters.allows_article(entry["source"], entry["date"]))


def _ranks(values: np.ndarray) -> np.ndarray:
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    return ranks


def recency(passages: list[Passage]) -> np.ndarray:
    """Each candidate's date on a 0 (oldest candidate) to 1 (newest) scale; undated candidates get 0."""
    days = [p.date[:10] for p in passages]
    known = sorted({d for d in days if d})
    if len(known) < 2:
        return np.zeros(len(passages))
    place = {d: i / (len(known) - 1) for i, d in enumerate(known)}
    return np.asarray([place.get(d, 0.0) for d in days])


def _top(scores: np.ndarray, pool: int, allowed: np.ndarray | None) -> list[int]:
    if allowed is not None:
        masked = np.full_like(scores, -np.inf)
        masked[allowed] = scores[allowed]
        scores = masked
    pool = min(pool, len(scores))
    if pool <= 0:
        return []
    top = np.argpartition(-scores, pool - 1)[:pool]
    return [int(i) for i in top[np.argsort(-scores[top], kind="stable")] if np.isfinite(scores[i])]
