"""`Passage`s → an index folder (manifest.json + data-<gen>/: passages.jsonl, dense.faiss, bm25/) and back."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from qabot import __version__
from qabot.errors import CorpusError, IndexFolderError
from qabot.ingest.articles import corpus_files, file_sha256, read_article
from qabot.ingest.passages import Passage, passages, sentences
from qabot.language.aliases import defined_names, shared
from qabot.language.coreference import for_embedding
from qabot.language.words import tokens
from qabot.store.embed import Embedder
from qabot.store.table import PassageTable, write_columns

logger = logging.getLogger(__name__)

FORMAT = "qabot-index 2"
MANIFEST = "manifest.json"
BATCH = 16
DENSE_KINDS = ("auto", "flat", "hnsw")
EXACT_UP_TO = 50_000  # passages: beyond this, "auto" builds an HNSW graph (exact search grows linearly)
HNSW_LINKS, HNSW_BUILD, HNSW_SEARCH = 32, 80, 96  # M, efConstruction, efSearch (up to 300k passages; see below)
SPARSE_TERMS = 128  # latent terms kept per passage
DELETED = "deleted.npy"  # rows of removed articles, left in place until the next full rewrite
COMPACT_SHARE = 0.25  # when more rows than this are marked deleted, a removal rewrites the data folder instead
ADD_CHUNK = 65_536  # vectors handed to FAISS at a time


@dataclass(frozen=True)
class EncoderWork:
    """What one update sent through the encoder: each distinct text once, latent terms for passages only."""

    texts: int = 0  # distinct texts embedded (passages, and the sentences of passages with more than one)
    latent: int = 0  # distinct passages given latent terms
    chars: int = 0  # characters through the encoder, every pass counted
    passage_chars: int = 0  # characters of the passages embedded
    seconds: float = 0.0

    @property
    def passes(self) -> float:
        """Encoder passes a passage, weighted by length: 1.0 is one pass over each passage's text."""
        return self.chars / self.passage_chars if self.passage_chars else 0.0


@dataclass(frozen=True)
class BuildReport:
    index_dir: str
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    passages: int = 0
    embedded: int = 0
    seconds: float = 0.0
    work: EncoderWork = field(default_factory=EncoderWork)
    device: str = "cpu"  # where the model ran ("ray" when spread over a Ray cluster)

    @property
    def passes(self) -> float:
        """Encoder passes a passage embedded (weighted by length)."""
        return self.work.passes

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.removed)


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
    sparse: object | None = field(default=None, repr=False)  # scipy CSR of latent terms, when the model has them
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
        sparse = _load_sparse(data / "sparse.npz")
        deleted = np.load(data / DELETED, allow_pickle=False) if (data / DELETED).exists() else np.zeros(0, np.int64)
    except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
        raise IndexFolderError(f"the index at {index_dir} is damaged ({exc.__class__.__name__}): {hint}") from exc
    sizes_agree = (len(rows) == dense.ntotal == manifest.get("passages") == len(sentence_offsets) - 1
                   and dense.d == manifest["embedder"]["dim"] == sentence_vectors.shape[1]
                   and sentence_offsets[-1] == len(sentence_vectors)
                   and (sparse is None or sparse.shape[0] == len(rows))
                   and (not len(deleted) or int(deleted.max()) < len(rows)))
    if not sizes_agree:
        raise IndexFolderError(f"the index at {index_dir} is incomplete (its parts disagree on size): {hint}")
    return Index(dir=index_dir, manifest=manifest, passages=rows, dense=dense, bm25=bm25,
                 sentence_vectors=sentence_vectors, sentence_offsets=sentence_offsets, sparse=sparse,
                 deleted=deleted)


def stale_reason(manifest: dict) -> str | None:
    """Why the corpus folders no longer match the index ("3 files changed"), or None when they do."""
    try:
        found = dict(corpus_files(manifest["corpus"]))
    except CorpusError as exc:
        return str(exc)
    known = {**manifest.get("skipped", {}), **manifest["files"]}
    new = [doc for doc in found if doc not in known]
    gone = [doc for doc in known if doc not in found]
    changed = [doc for doc, path in found.items() if doc in known and not _unchanged(path, known[doc])]
    # indexed before the names each article defines were read: read them (nothing is embedded again)
    unread = [doc for doc, entry in manifest["files"].items() if "aliases" not in entry]
    counts = ", ".join(f"{len(docs)} {what}" for docs, what in ((new, "new"), (changed, "changed"), (gone, "removed"))
                       if docs)
    reasons = [f"{counts} file(s)"] if counts else []
    if unread:
        reasons.append(f"names not yet read from {len(unread)} file(s)")
    return "; ".join(reasons) or None


@dataclass(frozen=True)
class CorpusScan:
    """The corpus folders against the file list of an index: what to keep, embed, drop."""

    files: dict  # doc -> its manifest entry (path, size, mtime_ns, sha256, title, source, date, passages)
    skipped: dict  # doc -> entry of a file that holds no article
    kept: list  # docs whose content did not change
    fresh: list  # the passages of new and changed articles
    added: list
    changed: list
    removed: list


def scan_corpus(folders: list[str], old_files: dict) -> CorpusScan:
    """Read every new or changed article under the folders (an unchanged size and mtime, or hash, is trusted)."""
    files: dict[str, dict] = {}
    skipped: dict[str, dict] = {}
    kept: list[str] = []
    fresh: list[Passage] = []
    added, changed = [], []
    for doc, path in corpus_files(folders):
        stat = path.stat()
        entry = {"path": str(path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        previous = old_files.get(doc)
        if previous and _unchanged(path, previous) and "aliases" in previous:
            files[doc] = {**previous, **entry}
            kept.append(doc)
            continue
        article = read_article(path, doc)
        if article is None:
            skipped[doc] = {**entry, "sha256": file_sha256(path)}
            continue
        rows = passages(article)
        if previous and previous["sha256"] == article.sha256:  # the same text: its vectors are kept
            files[doc] = {"aliases": defined_names(p.text for p in rows), **previous, **entry}
            kept.append(doc)
            continue
        if not rows:
            logger.warning("skipped %s: no paragraphs of text in its body", path)
            skipped[doc] = {**entry, "sha256": article.sha256}
            continue
        (changed if previous else added).append(doc)
        files[doc] = {**entry, "sha256": article.sha256, "title": article.title, "source": article.source,
                      "date": article.date, "passages": len(rows),
                      "aliases": defined_names(p.text for p in rows)}
        fresh.extend(rows)
    if not files:
        raise CorpusError(f"no readable articles in {', '.join(folders)} "
                          "(qabot reads .md, .markdown, .txt and .html files with text in their body)")
    return CorpusScan(files=files, skipped=skipped, kept=kept, fresh=fresh, added=added, changed=changed,
                      removed=sorted(set(old_files) - set(files)))


def build_index(index_dir: Path, corpus: Sequence[str | Path], embedder: Embedder, *, rebuild: bool = False,
                progress: bool | None = None, dense: str = "auto", encoder=None) -> BuildReport:
    """Bring the index up to date with the corpus folders, embedding only new and changed articles. `encoder` runs
    the model when it is not the embedder itself (a Ray actor pool: qabot.store.ray_embed)."""
    started = time.perf_counter()
    index_dir = Path(index_dir)
    folders = [str(Path(c).resolve()) for c in corpus]
    _claim_folder(index_dir)
    with _locked(index_dir):
        old = _previous(index_dir, embedder, rebuild)
        old_files = old[0]["files"] if old else {}
        scan = scan_corpus(folders, old_files)
        files, skipped, kept_docs, fresh = scan.files, scan.skipped, scan.kept, scan.fresh
        added, changed, removed = scan.added, scan.changed, scan.removed
        kept_count = sum(files[doc]["passages"] for doc in kept_docs)
        work = EncoderWork()
        live = kept_count + len(fresh)
        manifest = {
            "format": FORMAT, "qabot": __version__,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "embedder": {"id": embedder.id, "dim": int(embedder.dim)},
            "corpus": folders, "files": files, "skipped": skipped, "passages": live,
            "dense": {"type": dense_kind(dense, live), "file": "dense.faiss"},
            "bm25": {"dir": "bm25", "tokenizer": "jieba-search"},
        }
        same_kind = bool(old) and old[0]["dense"]["type"] == manifest["dense"]["type"]
        appending = same_kind and not (changed or removed) and kept_count == old[0]["passages"]
        marking = same_kind and removed and not (changed or added)
        if appending and not added:
            manifest["data"] = old[0]["data"]  # nothing to rewrite: refresh the file list only
        elif marking and len(gone := np.union1d(old[1].deleted, old[1].passages.rows_of(removed))) \
                <= COMPACT_SHARE * old[0]["passages"]:
            # Only removals: the old files stay as they are (hard-linked into the new generation) and the removed
            # articles' rows are marked, so no dense index is built again.
            manifest["passages"] = old[0]["passages"]
            manifest["deleted"] = len(gone)
            manifest["data"] = _mark_deleted(index_dir, index_dir / old[0]["data"], gone)
        else:
            # Only new articles: the old vectors keep their rows, so the old dense index grows instead of being
            # built again (an HNSW graph of 10^5 passages takes a minute to build, an append seconds).
            base = index_dir / old[0]["data"] / "dense.faiss" if appending else None
            kept = _reusable(index_dir, old, set(kept_docs)) if kept_docs else []
            rows = [p for p, _ in kept] + fresh
            derived, work = derive_vectors(fresh, embedder, progress, encoder)
            parts = [v for _, v in kept] + derived
            manifest["data"] = _write_data(index_dir, rows, parts, embedder.dim, manifest["dense"]["type"], base)
        _write_json_atomic(index_dir / MANIFEST, manifest)
        _remove_old_data(index_dir, keep=manifest["data"])
    return BuildReport(index_dir=str(index_dir), added=tuple(added), changed=tuple(changed), removed=tuple(removed),
                       skipped=tuple(skipped), passages=live, embedded=len(fresh),
                       seconds=time.perf_counter() - started, work=work,
                       device=getattr(encoder, "device", embedder.device))


def _previous(index_dir: Path, embedder: Embedder, rebuild: bool):
    """(manifest, loaded index) of a reusable index, else None. Loading maps the files; nothing is read yet."""
    if rebuild:
        return None
    try:
        manifest = read_manifest(index_dir)
        if manifest is None:
            return None
        check_compatible(index_dir, manifest, embedder.id)
        return manifest, load_index(index_dir, embedder.id)
    except IndexFolderError as exc:
        logger.warning("not reusing the previous index: %s", str(exc).split(":")[0])
        return None


def _reusable(index_dir: Path, old, docs: set[str]) -> list[tuple[Passage, tuple]]:
    """[(passage, (vector, sentence vectors, sparse row, BM25 tokens))] of these articles, in the old index's row
    order (so that an append keeps every old row where the old dense index has it)."""
    manifest, index = old
    words = _read_tokens(index_dir / manifest["data"] / "tokens.jsonl", len(index.passages))
    rows = [int(r) for r in index.live_rows_of(docs)]
    kept = []
    for start in range(0, len(rows), ADD_CHUNK):
        chunk = rows[start:start + ADD_CHUNK]
        vectors = index.dense.reconstruct_batch(np.asarray(chunk, dtype=np.int64))
        for row, vector in zip(chunk, vectors, strict=True):
            sparse = index.sparse[row] if index.sparse is not None else None
            derived = (vector, np.array(index.sentence_rows(row)), sparse, words[row] if words else None)
            kept.append((index.passages[row], derived))
    return kept


def _mark_deleted(index_dir: Path, old_data: Path, rows: np.ndarray) -> str:
    """A new generation that shares the old one's files (hard links, else copies) and marks `rows` deleted."""
    with _new_generation(index_dir, copy_of=old_data) as (tmp, generation):
        (tmp / DELETED).unlink(missing_ok=True)
        np.save(tmp / DELETED, rows)
    return generation


@contextlib.contextmanager
def _new_generation(index_dir: Path, copy_of: Path | None = None):
    """(temporary folder, generation name) to fill; on success its new files are synced and it is renamed into
    place, on any failure removed. With `copy_of`, it starts as hard links to that folder's files."""
    generation = _generation_name()
    tmp = index_dir / f".tmp-{generation}"
    try:
        if copy_of is not None:
            shutil.copytree(copy_of, tmp, copy_function=_link_or_copy)
        else:
            tmp.mkdir(parents=True)
        yield tmp, generation
        for path in tmp.rglob("*"):
            if path.is_file() and path.stat().st_nlink == 1:  # hard links share the old, already synced, data
                with open(path, "rb") as handle:
                    os.fsync(handle.fileno())
        os.rename(tmp, index_dir / generation)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _generation_name() -> str:
    return f"data-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{os.getpid()}-{time.monotonic_ns() % 10**6}"


def _read_tokens(path: Path, count: int) -> list[tuple[str, ...]] | None:
    """The BM25 tokens saved with an index, so that unchanged passages are not cut by jieba again."""
    try:
        with open(path, encoding="utf-8") as handle:
            words = [tuple(map(sys.intern, json.loads(line))) for line in handle]
    except (OSError, ValueError):
        return None
    return words if len(words) == count else None


def derive_vectors(rows: list[Passage], embedder: Embedder, progress: bool | None,
                   encoder=None) -> tuple[list[tuple], EncoderWork]:
    """(vector, sentence vectors, sparse row or None, BM25 tokens) for each passage, and what it cost. Each distinct
    text is embedded once: a one-sentence passage's sentence vector is its passage vector, a text that two passages
    (or a passage and a sentence) share is embedded once, and latent terms are computed for passages only (search
    reads them per candidate passage). `encoder` (default: the embedder) is what runs the model: anything with
    the embedder's `encode_batches`, such as a Ray actor pool (qabot.store.ray_embed)."""
    if not rows:
        return [], EncoderWork()
    split = [sentences(p.text) for p in rows]
    # a sentence opening with 他/她 is embedded with the person it speaks of in their place (coreference)
    own = [for_embedding(parts) if len(parts) > 1 else None for parts in split]
    slot = {text: i for i, text in enumerate(dict.fromkeys(
        [p.text for p in rows] + [s for parts in own if parts for s in parts]))}
    texts = list(slot)
    # the distinct passage texts come first in `texts`: each is flagged for latent terms
    passage_texts = len(set(p.text for p in rows)) if embedder.has_sparse else 0
    latent = [i < passage_texts for i in range(len(texts))]
    work = EncoderWork(texts=len(texts), latent=sum(latent),
                       chars=sum(map(len, texts)) + sum(len(t) for t, f in zip(texts, latent, strict=True) if f),
                       passage_chars=sum(len(p.text) for p in rows))
    vectors, sparse, seconds = _encode(texts, latent, embedder, encoder or embedder, progress)
    work = EncoderWork(**{**asdict(work), "seconds": seconds})
    latent_row = {}
    if sparse is not None:
        latent_row = {text: r for r, text in enumerate(t for t, f in zip(texts, latent, strict=True) if f)}
    out = []
    for passage, parts in zip(rows, own, strict=True):
        at = slot[passage.text]
        # Passage vectors stay float32 for FAISS; sentence vectors are kept (and saved) as float16.
        sentence_vectors = (vectors[[slot[s] for s in parts]] if parts else vectors[at:at + 1]).astype(np.float16)
        row = sparse[latent_row[passage.text]] if sparse is not None else None
        words = tuple(map(sys.intern, tokens(passage.text)))  # one copy of each word, however many passages hold it
        out.append((vectors[at], sentence_vectors, row, words))
    return out, work


def _encode(texts: list[str], latent: list[bool], embedder: Embedder, encoder, progress: bool | None):
    """(vectors of every text, latent terms of the flagged texts or None, seconds): a bar on a terminal, else a line
    when embedding starts and ends."""
    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    lines = progress is None and not show
    started = time.perf_counter()
    if lines:
        print(f"qabot: embedding {len(texts)} texts ({sum(latent)} with latent terms) on "
              f"{getattr(encoder, 'device', embedder.device)}",
              file=sys.stderr, flush=True)
    vectors = np.empty((len(texts), embedder.dim), dtype=np.float32)
    parts = []
    with tqdm(total=len(texts), desc="embedding", unit="text", disable=not show, file=sys.stderr) as bar:
        for start, batch, terms in encoder.encode_batches(texts, latent, BATCH, SPARSE_TERMS):
            vectors[start:start + len(batch)] = batch
            if terms is not None:
                parts.append(terms)
            bar.update(len(batch))
    seconds = time.perf_counter() - started
    if lines:
        print(f"qabot: embedded in {seconds:.1f} s", file=sys.stderr, flush=True)
    sparse = _vstack_sparse(parts) if parts and any(latent) else None
    return vectors, sparse, seconds


def _vstack_sparse(parts):
    from scipy.sparse import vstack

    return vstack(parts, format="csr")


def _load_sparse(path: Path):
    if not path.exists():
        return None
    from scipy.sparse import load_npz

    return load_npz(path).tocsr()


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


def dense_kind(asked: str, passages: int) -> str:
    """'flat' (exact) or 'hnsw' (an approximate graph): as asked, or by size for 'auto'."""
    if asked not in DENSE_KINDS:
        raise IndexFolderError(f"unknown dense index {asked!r}: choose from {', '.join(DENSE_KINDS)}")
    if asked != "auto":
        return asked
    return "flat" if passages <= EXACT_UP_TO else "hnsw"


def _dense_index(kind: str, dim: int):
    import faiss

    if kind == "flat":
        return faiss.IndexFlatIP(dim)
    index = faiss.IndexHNSWFlat(dim, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = HNSW_BUILD
    index.hnsw.efSearch = HNSW_SEARCH
    return index


def _write_data(index_dir: Path, rows: list[Passage], vectors: list[tuple], dim: int, kind: str,
                base: Path | None = None) -> str:
    """Write the data folder under a temporary name, then rename it into place; returns its name. With `base`, the
    dense index there holds the first rows already and only the rest are added."""
    import bm25s
    import faiss

    with _new_generation(index_dir) as (tmp, generation):
        offsets = [0]
        with open(tmp / "passages.jsonl", "wb") as handle:
            for passage in rows:
                line = (json.dumps(asdict(passage), ensure_ascii=False) + "\n").encode("utf-8")
                handle.write(line)
                offsets.append(offsets[-1] + len(line))
        write_columns(tmp, rows, offsets)
        dense = faiss.read_index(str(base)) if base else _dense_index(kind, dim)
        for start in range(dense.ntotal, len(vectors), ADD_CHUNK):
            dense.add(np.ascontiguousarray(np.vstack([v[0] for v in vectors[start:start + ADD_CHUNK]]),
                                           dtype=np.float32))
        faiss.write_index(dense, str(tmp / "dense.faiss"))
        counts = [len(v[1]) for v in vectors]
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        np.save(tmp / "sentence_offsets.npy", offsets)
        # float16 (half the disk), written row by row into the file rather than stacked in memory first
        sentence_file = np.lib.format.open_memmap(tmp / "sentences.npy", mode="w+", dtype=np.float16,
                                                  shape=(int(offsets[-1]), dim))
        for start, v in zip(offsets[:-1], vectors, strict=True):
            sentence_file[start:start + len(v[1])] = v[1]
        sentence_file.flush()
        del sentence_file
        if all(v[2] is not None for v in vectors):
            from scipy.sparse import save_npz

            save_npz(tmp / "sparse.npz", _vstack_sparse([v[2] for v in vectors]), compressed=False)
        words = [v[3] if v[3] is not None else tuple(tokens(p.text)) for p, v in zip(rows, vectors, strict=True)]
        with open(tmp / "tokens.jsonl", "w", encoding="utf-8") as handle:
            for row in words:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        bm25 = bm25s.BM25()
        bm25.index([list(row) for row in words], show_progress=False)
        bm25.save(str(tmp / "bm25"), show_progress=False)
    return generation


def _write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _remove_old_data(index_dir: Path, keep: str) -> None:
    for path in index_dir.iterdir():
        if path.name != keep and path.is_dir() and (path.name.startswith("data-") or path.name.startswith(".tmp-")):
            shutil.rmtree(path, ignore_errors=True)


def _claim_folder(index_dir: Path) -> None:
    """Refuse to write into a folder that holds something other than a qabot index."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IndexFolderError(f"cannot create the index folder {index_dir}: {exc.strerror}") from exc
    ours = {MANIFEST, "README.md", ".lock", ".gitignore"}
    foreign = [p.name for p in index_dir.iterdir() if p.name not in ours
               and not p.name.startswith(("data-", ".tmp-", f".{MANIFEST}"))]
    if foreign and not (index_dir / MANIFEST).exists():
        raise IndexFolderError(f"{index_dir} holds other files ({', '.join(sorted(foreign)[:3])}) and is not a "
                               "qabot index: choose an empty or new folder with --index")
    if not os.access(index_dir, os.W_OK):
        raise IndexFolderError(f"the index folder {index_dir} is read-only: mount it writable, "
                               "or give a writable --index folder")


@contextlib.contextmanager
def _locked(index_dir: Path):
    """One indexer at a time per folder; readers never wait (they read the manifest's generation)."""
    with open(index_dir / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _unchanged(path: Path, entry: dict) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    if stat.st_size != entry.get("size"):
        return False
    return stat.st_mtime_ns == entry.get("mtime_ns") or file_sha256(path) == entry.get("sha256")

