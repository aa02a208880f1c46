"""Question → ranked `Hit`s: FAISS dense search and jieba BM25 fused into one ranking, with source/date filters."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from qabot.embed import Embedder
from qabot.keywords import latin_share, query_tokens
from qabot.passages import Passage
from qabot.store import Index

logger = logging.getLogger(__name__)

MODES = ("hybrid", "dense", "keyword")
RRF_K = 60  # reciprocal rank fusion's damping constant
POOL = 50  # candidates taken from each retriever before fusion


@dataclass(frozen=True)
class Filters:
    source: str = ""  # substring of the outlet's name, case-insensitive
    since: str = ""  # ISO date, inclusive
    until: str = ""  # ISO date, inclusive

    def __bool__(self) -> bool:
        return bool(self.source or self.since or self.until)

    def allows(self, passage: Passage) -> bool:
        if self.source and self.source.casefold() not in passage.source.casefold():
            return False
        day = passage.date[:10]
        if self.since and (not day or day < self.since[:10]):
            return False
        return not (self.until and (not day or day > self.until[:10]))


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # the fused score that ranks hits
    dense: float  # cosine similarity of question and passage
    keyword: float  # BM25 score (0 when no question word occurs in the passage)
    row: int  # the passage's row in the index


class Searcher:
    """Ranks an index's passages for a question; holds no state between questions."""

    def __init__(self, index: Index, embedder: Embedder):
        self.index = index
        self.embedder = embedder

    def search(self, question: str, k: int = 10, mode: str = "hybrid", filters: Filters | None = None) -> list[Hit]:
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}: choose from {', '.join(MODES)}")
        allowed = self._allowed(filters) if filters else None
        if allowed is not None and not len(allowed):
            return []
        pool = max(POOL, k)
        query = self.embedder.embed([question], "query")[0]
        keyword = self._keyword_scores(question, allowed)
        dense_rank: list[int] = []
        keyword_rank: list[int] = []
        if mode in ("hybrid", "dense"):
            dense_rank = self._dense_top(query, pool, allowed)
        if mode in ("hybrid", "keyword"):
            keyword_rank = _top(keyword, pool, allowed)
        if mode == "dense":
            fused = {row: 1.0 / (RRF_K + r) for r, row in enumerate(dense_rank, start=1)}
        elif mode == "keyword":
            fused = {row: 1.0 / (RRF_K + r) for r, row in enumerate(keyword_rank, start=1) if keyword[row] > 0}
        else:
            fused = self._fuse(question, dense_rank, keyword_rank, keyword)
        rows = sorted(fused, key=lambda row: -fused[row])[:k]
        vectors = self.index.dense.reconstruct_batch(np.asarray(rows, dtype=np.int64)) if rows else np.zeros((0, 1))
        cosines = vectors @ query if rows else []
        return [Hit(passage=self.index.passages[row], score=float(fused[row]), dense=float(cos),
                    keyword=float(keyword[row]), row=int(row)) for row, cos in zip(rows, cosines, strict=True)]

    def _fuse(self, question: str, dense_rank: list[int], keyword_rank: list[int], keyword: np.ndarray) -> dict:
        # Keyword search cannot match an English question against Chinese text: trust it less there.
        keyword_weight = 1.0 - 0.7 * latin_share(question)
        fused: dict[int, float] = {}
        for r, row in enumerate(dense_rank, start=1):
            fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + r)
        for r, row in enumerate(keyword_rank, start=1):
            if keyword[row] > 0:
                fused[row] = fused.get(row, 0.0) + keyword_weight / (RRF_K + r)
        return fused

    def _keyword_scores(self, question: str, allowed: np.ndarray | None) -> np.ndarray:
        bm25 = self.index.bm25
        ids = bm25.get_tokens_ids(query_tokens(question))
        if not ids:
            return np.zeros(len(self.index.passages), dtype=np.float32)
        return np.asarray(bm25.get_scores_from_ids(ids), dtype=np.float32)

    def _dense_top(self, query: np.ndarray, pool: int, allowed: np.ndarray | None) -> list[int]:
        import faiss

        total = self.index.dense.ntotal
        params = None
        if allowed is not None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed.astype(np.int64)))
        _, ids = self.index.dense.search(query.reshape(1, -1), min(pool, total), params=params)
        return [int(i) for i in ids[0] if i >= 0]

    def _allowed(self, filters: Filters) -> np.ndarray:
        return np.asarray([i for i, p in enumerate(self.index.passages) if filters.allows(p)], dtype=np.int64)


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
