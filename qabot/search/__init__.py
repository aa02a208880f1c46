"""Search: a question's `Wording` → `Candidates`, the union of the dense (FAISS) and keyword (BM25) best
passages with every score of each: passage and sentence cosines, BM25. `Searcher.search` fuses them by reciprocal
rank for the store's own checks; answers rank them with the fitted reader (`qabot.answer`)."""

import importlib

# public name -> its module: imported on first use, so that `qabot --help` loads nothing heavy
_EXPORTS = {
    "Candidates": "qabot.search.searcher",
    "Hit": "qabot.search.searcher",
    "MODES": "qabot.search.searcher",
    "Searcher": "qabot.search.searcher",
    "MilvusSearcher": "qabot.search.milvus",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
