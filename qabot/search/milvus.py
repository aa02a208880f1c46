"""An analysed question's wording → candidate passages from a Milvus-held index: one hybrid_search (dense + Milvus's
own BM25, RRF, filters pushed down), then the same ranking as `searcher`."""

from __future__ import annotations

import numpy as np

from qabot.question.analyse import Wording
from qabot.question.filters import Filters
from qabot.search.searcher import RRF_K, Candidates, Searcher
from qabot.store.milvus import FIELDS, PER_ROW, MilvusError, MilvusIndex, collection_names, passage_of, reason


class MilvusSearcher(Searcher):
    """Search.py's ranking over candidates from one Milvus hybrid_search (dense + BM25, RRF, filters pushed down)."""

    index: MilvusIndex

    def _candidates(self, wording: Wording, pool: int, mode: str, filters: Filters | None) -> Candidates | None:
        from pymilvus import AnnSearchRequest, RRFRanker

        passages_name, sentences_name, _ = collection_names(self.index.name)
        where = _expression(filters)
        query = wording.vector
        dense = AnnSearchRequest(data=[query.tolist()], anns_field="dense", param={"metric_type": "IP"},
                                 limit=pool, expr=where)
        # Milvus's analyzer cuts the question as the text was cut, question words (多少, 是谁) stopped; the words that
        # stand in for its lone characters, and the articles' words that its cut split apart, go after it (the
        # keyword-only baseline stays plain BM25)
        plain = set(wording.plain)
        extra = [w for w in wording.terms if w not in plain] if mode == "hybrid" else []
        asked = " ".join([wording.text, *extra])
        words = AnnSearchRequest(data=[asked], anns_field="bm25", param={}, limit=pool, expr=where)
        output = FIELDS + ["dense"]
        client = self.index.client
        try:
            if mode == "hybrid":
                found = client.hybrid_search(passages_name, [dense, words], RRFRanker(RRF_K), limit=2 * pool,
                                             output_fields=output)[0]
            else:
                request = dense if mode == "dense" else words
                found = client.search(passages_name, data=request.data, anns_field=request.anns_field,
                                      limit=pool, filter=where, output_fields=output)[0]
            if not found:
                return None
            rows = np.asarray([hit["entity"]["row"] for hit in found], dtype=np.int64)
            keyword = self._keyword_of(asked, rows) if mode != "keyword" else \
                np.asarray([abs(hit["distance"]) for hit in found])
            vectors = np.asarray([hit["entity"]["dense"] for hit in found], dtype=np.float32)
            counts = [int(hit["entity"]["sentences"]) for hit in found]
            keys = [int(row) * PER_ROW + i for row, n in zip(rows, counts, strict=True) for i in range(n)]
            got = {r["key"]: r["vector"] for r in client.get(sentences_name, ids=keys, output_fields=["key", "vector"])}
        except Exception as exc:  # noqa: BLE001
            raise MilvusError(f"Milvus at {self.index.uri} failed a search: {reason(exc)}") from None
        sentences = []
        for at, (row, n) in enumerate(zip(rows, counts, strict=True)):
            matrix = np.asarray([got[int(row) * PER_ROW + i] for i in range(n) if int(row) * PER_ROW + i in got],
                                dtype=np.float32)
            sentences.append(matrix @ query if len(matrix) else np.asarray([float(vectors[at] @ query)]))
        return Candidates(rows=rows, passages=[passage_of(hit["entity"]) for hit in found], cosines=vectors @ query,
                          keyword=keyword, sentences=sentences)

    def passage_vectors(self, rows: np.ndarray) -> np.ndarray:
        ids = [int(row) for row in rows]
        try:
            found = self.index.client.get(collection_names(self.index.name)[0], ids=ids, output_fields=["row", "dense"])
        except Exception as exc:  # noqa: BLE001
            raise MilvusError(f"Milvus at {self.index.uri} failed to read vectors: {reason(exc)}") from None
        vector = {int(entity["row"]): entity["dense"] for entity in found}
        return np.asarray([vector[row] for row in ids], dtype=np.float32)

    def _keyword_of(self, question: str, rows: np.ndarray) -> np.ndarray:
        """BM25 scores of exactly these rows (hybrid_search returns only the fused rank score)."""
        found = self.index.client.search(
            collection_names(self.index.name)[0], data=[question], anns_field="bm25", limit=max(len(rows), 1),
            filter=f"row in {[int(r) for r in rows]}", output_fields=["row"])[0]
        # milvus-lite gives BM25 scores as negative distances (best first), a server as positive scores
        score = {hit["entity"]["row"]: abs(hit["distance"]) for hit in found}
        return np.asarray([score.get(int(row), 0.0) for row in rows], dtype=np.float64)


def _expression(filters: Filters | None) -> str:
    """The filters as a Milvus boolean expression (source: substring, case as written; dates: inclusive days)."""
    if not filters:
        return ""
    parts = []
    if filters.source:
        parts.append(f'source like "%{_quoted(filters.source)}%"')
    if filters.since:
        parts.append(f'day >= "{_quoted(filters.since[:10])}" and day != ""')
    if filters.until:
        parts.append(f'day <= "{_quoted(filters.until[:10])}" and day != ""')
    return " and ".join(parts)


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("%", "\\%").replace("_", "\\_")
