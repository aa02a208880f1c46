"""An index folder → `Index`: reads and checks `manifest.json` and the live `data-<gen>/` (passages.jsonl,
dense.faiss, bm25/, sentences), and says when the corpus folders no longer match it."""


from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qabot.errors import CorpusError, IndexFolderError
from qabot.ingest.articles import corpus_files, file_sha256
from qabot.ingest.passages import Passage, cut_alike
from qabot.language.aliases import shared
from qabot.store.table import PassageTable

logger = logging.getLogger(__name__)
FORMAT = "qabot-index 2"
MANIFEST = "manifest.json"
HNSW_LINKS, HNSW_BUILD, HNSW_SEARCH = 32, 80, 96  # M, efConstruction, efSearch (up to 300k passages; see below)
DELETED = "deleted.npy"  # rows of removed articles, left in place until the next full rewrite
@dataclass(frozen=True)
class Index:
    """A loaded index: passages in row order, the FAISS index over their vectors, and BM25 over their tokens."""

    dir: Path
    manifest: dict
    passages: Sequence[Passage]  # a PassageTable: parsed from disk when a row is asked for
    dense: object = field(repr=False)  # faiss.Index
    bm25: object = field(repr=False)  # bm25s.BM25
    sentence_vectors: np.ndarray = field(repr=False)  # one row a sentence, passages in row order
    sentence_offsets: np.ndarray = field(repr=False)  # passage i's sentences: rows offsets[i]:offsets[i+1]
    deleted: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)  # rows of removed
    # articles that are still on disk (a removal marks its rows instead of rebuilding the dense index)

    @property
    def size(self) -> int:
        """Passages that can be found (rows of removed articles not counted)."""
        return len(self.passages) - len(self.deleted)

    @property
    def vocabulary(self):
        """Every word BM25 knows (a mapping: `word in index.vocabulary`)."""
        return self.bm25.vocab_dict

    def document_frequency(self, word: str) -> int:
        """In how many passages the word occurs (from bm25s's column lengths; 0 for an unknown word)."""
        column = self.bm25.vocab_dict.get(word)
        if column is None:
            return 0
        indptr = self.bm25.scores["indptr"]
        return int(indptr[column + 1] - indptr[column]) if column + 1 < len(indptr) else 0

    def live_rows_of(self, docs) -> np.ndarray:
        """The rows of these articles' passages that can be found (not marked deleted), in order."""
        return np.setdiff1d(self.passages.rows_of(docs), self.deleted)

    def passage_by_id(self, passage_id: str) -> Passage | None:
        """The live passage with this id, found through its article's rows (ids start with the file name)."""
        return next((p for p in self.passages_of(passage_id.rsplit("#", 1)[0]) if p.id == passage_id), None)

    def passages_of(self, doc: str) -> list[Passage]:
        """The live passages of one article, in order."""
        return [self.passages[int(row)] for row in self.live_rows_of([doc])]

    def sentence_rows(self, row: int) -> np.ndarray:
        return self.sentence_vectors[self.sentence_offsets[row]:self.sentence_offsets[row + 1]]

    @property
    def generation(self) -> str:
        return self.manifest["data"]

    def articles(self) -> list[dict]:
        return articles_of(self.manifest["files"])


def articles_of(files: dict) -> list[dict]:
    """One row an article: doc, title, source, date, passages; newest first."""
    rows = [dict(doc=doc, **{k: f[k] for k in ("title", "source", "date", "passages")}) for doc, f in files.items()]
    return sorted(rows, key=lambda r: (r["date"], r["doc"]), reverse=True)


def read_manifest(index_dir: Path) -> dict | None:
    path = Path(index_dir) / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexFolderError(f"the index at {index_dir} is damaged ({exc.__class__.__name__}): "
                               f"rebuild it with: qabot index --index {index_dir} --rebuild") from exc
    if not isinstance(manifest, dict) or "format" not in manifest:
        raise IndexFolderError(f"{path} is not a qabot manifest: rebuild with: qabot index --index {index_dir} "
                               "--rebuild, or choose another --index folder")
    shared(manifest.get("files", {}))
    return manifest


def check_compatible(index_dir: Path, manifest: dict, embedder_id: str) -> None:
    """Raise with the rebuild command when the index was made by another format or embedder."""
    if manifest.get("format") != FORMAT:
        raise IndexFolderError(
            f"the index at {index_dir} has format {manifest.get('format')!r}, this qabot reads {FORMAT!r}: "
            f"rebuild it with: qabot index --index {index_dir} --rebuild")
    built_with = manifest.get("embedder", {}).get("id")
    if built_with != embedder_id:
        raise IndexFolderError(
            f"the index at {index_dir} was built with embedder {built_with!r}, not {embedder_id!r}: "
            f"rebuild it with: qabot index --index {index_dir} --embedder <spec> --rebuild "
            f"(or ask with the embedder it was built with)")


def load_index(index_dir: Path, embedder_id: str) -> Index:
    """The index in the folder, checked against the embedder that will embed the questions."""
    import bm25s
    import faiss

    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    if manifest is None:
        raise IndexFolderError(f"no index at {index_dir}: build it with: qabot index --index {index_dir}")
    check_compatible(index_dir, manifest, embedder_id)
    data = index_dir / manifest["data"]
    hint = f"rebuild it with: qabot index --index {index_dir} --rebuild"
    try:
        rows = PassageTable(data)
        # Memory-mapped where the format allows: a large index costs page cache, not process memory, and a
        # cold start reads only what the first questions touch.
        dense = faiss.read_index(str(data / "dense.faiss"), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)
        if isinstance(dense, faiss.IndexHNSW):
            dense.hnsw.efSearch = hnsw_search_breadth(dense.ntotal)
        bm25 = bm25s.BM25.load(str(data / "bm25"), mmap=True, show_progress=False)
        sentence_vectors = _random_access(np.load(data / "sentences.npy", mmap_mode="r", allow_pickle=False))
        sentence_offsets = np.load(data / "sentence_offsets.npy", allow_pickle=False)
        deleted = np.load(data / DELETED, allow_pickle=False) if (data / DELETED).exists() else np.zeros(0, np.int64)
    except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
        raise IndexFolderError(f"the index at {index_dir} is damaged ({exc.__class__.__name__}): {hint}") from exc
    sizes_agree = (len(rows) == dense.ntotal == manifest.get("passages") == len(sentence_offsets) - 1
                   and dense.d == manifest["embedder"]["dim"] == sentence_vectors.shape[1]
                   and sentence_offsets[-1] == len(sentence_vectors)
                   and (not len(deleted) or int(deleted.max()) < len(rows)))
    if not sizes_agree:
        raise IndexFolderError(f"the index at {index_dir} is incomplete (its parts disagree on size): {hint}")
    return Index(dir=index_dir, manifest=manifest, passages=rows, dense=dense, bm25=bm25,
                 sentence_vectors=sentence_vectors, sentence_offsets=sentence_offsets, deleted=deleted)


def stale_reason(manifest: dict) -> str | None:
    """Why the corpus folders no longer match the index ("3 files changed"), or None when they do."""
    try:
        found = dict(corpus_files(manifest["corpus"], tell=False))  # said when the index was built
    except CorpusError as exc:
        return str(exc)
    known = {**manifest.get("skipped", {}), **manifest["files"]}
    new = [doc for doc in found if doc not in known]
    gone = [doc for doc in known if doc not in found]
    changed = [doc for doc, path in found.items() if doc in known and not unchanged(path, known[doc])]
    # indexed before the names each article defines were read: read them (nothing is embedded again)
    unread = [doc for doc, entry in manifest["files"].items() if "aliases" not in entry]
    counts = ", ".join(f"{len(docs)} {what}" for docs, what in ((new, "new"), (changed, "changed"), (gone, "removed"))
                       if docs)
    reasons = [f"{counts} file(s)"] if counts else []
    if not cut_alike(manifest):
        reasons.append("its articles were cut into passages by another qabot version: every one is read again")
    if unread:
        reasons.append(f"names not yet read from {len(unread)} file(s)")
    return "; ".join(reasons) or None


def hnsw_search_breadth(passages: int) -> int:
    """efSearch for an HNSW graph of this size: 96 keeps recall@10 at 0.99 at 10^5 passages (bench/scale.py),
    a million needs 256 to stay above 0.95."""
    return HNSW_SEARCH if passages <= 300_000 else 256


def _random_access(array: np.ndarray) -> np.ndarray:
    """Tell the kernel that a memory-mapped array is read at random rows: no read-ahead around each row."""
    import mmap

    handle = getattr(array, "_mmap", None)
    if handle is not None and hasattr(handle, "madvise"):
        handle.madvise(mmap.MADV_RANDOM)
    return array


def unchanged(path: Path, entry: dict) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    if stat.st_size != entry.get("size"):
        return False
    return stat.st_mtime_ns == entry.get("mtime_ns") or file_sha256(path) == entry.get("sha256")


