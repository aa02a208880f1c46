"""Search: a question's `Wording` → `Candidates`, the union of the dense (FAISS) and keyword (BM25) best
passages with every score of each: passage and sentence cosines, BM25. `Searcher.search` fuses them by reciprocal
rank for the store's own checks; answers rank them with the fitted reader (`qabot.answer`)."""

from qabot.lazy import exports

__getattr__, __all__ = exports(__name__, {
    "searcher": ["Candidates", "Hit", "MODES", "Searcher"],
    "milvus": ["MilvusSearcher"],
})
