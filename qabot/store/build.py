"""`Passage`s → an index folder: scans the corpus folders, embeds each new or changed distinct text once, writes a new
data generation beside the live one and commits it by rewriting `manifest.json` (`index/README.md`)."""


from __future__ import annotations

import contextlib
import fcntl
import hashlib
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
from qabot.ingest.articles import SUFFIXES, corpus_files, file_sha256, read_article
from qabot.ingest.passages import CUTTING, Passage, cut_alike, passages
from qabot.language.aliases import defined_names
from qabot.language.words import tokens
from qabot.store.embed import Embedder
from qabot.store.folder import (
    DELETED,
    FORMAT,
    HNSW_BUILD,
    HNSW_LINKS,
    HNSW_SEARCH,
    MANIFEST,
    check_compatible,
    load_index,
    read_manifest,
    unchanged,
)
from qabot.store.table import write_columns
from qabot.store.vectors import EncoderWork, derive_vectors

DENSE_KINDS = ("auto", "flat", "hnsw")
EXACT_UP_TO = 50_000  # passages: beyond this, "auto" builds an HNSW graph (exact search grows linearly)
COMPACT_SHARE = 0.25  # when more rows than this are marked deleted, a removal rewrites the data folder instead
ADD_CHUNK = 65_536  # vectors handed to FAISS at a time

logger = logging.getLogger(__name__)




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
class CorpusScan:
    """The corpus folders against the file list of an index: what to keep, embed, drop."""

    files: dict  # doc -> its manifest entry (path, size, mtime_ns, sha256, title, source, date, passages)
    skipped: dict  # doc -> entry of a file that holds no article
    kept: list  # docs whose content did not change
    fresh: list  # the passages of new and changed articles
    added: list
    changed: list
    removed: list
    unnamed: dict  # doc -> its passages' texts, for the articles whose defined names are still to be read


def read_names(scan: CorpusScan) -> None:
    """The name pairs each new or changed article defines (集体安全条约组织（集安组织）), into its file entry. jieba's
    tagger does it (loading its dictionaries the first time), so indexing runs it beside the encoder."""
    for doc, texts in scan.unnamed.items():
        scan.files[doc]["aliases"] = defined_names(texts)


def text_sha256(rows: list[Passage]) -> str:
    """The hash of an article's title and passages: the same article in another file, or another format, has it."""
    return hashlib.sha256("\n".join([rows[0].title, *(p.text for p in rows)]).encode("utf-8")).hexdigest()


def scan_corpus(folders: list[str], old_files: dict) -> CorpusScan:
    """Read every new or changed article under the folders (an unchanged size and mtime, or hash, is trusted). The
    names the articles define are left to `read_names`."""
    files: dict[str, dict] = {}
    unnamed: dict[str, list[str]] = {}
    skipped: dict[str, dict] = {}
    kept: list[str] = []
    fresh: list[Passage] = []
    added, changed = [], []
    listed = corpus_files(folders)
    # the text of each article still indexed -> its doc: a second copy of an article (the same post saved twice,
    # or as .md and .html) is skipped, not indexed as a second report that agrees with the first
    texts = {old_files[doc]["text_sha256"]: doc for doc, _ in listed if "text_sha256" in old_files.get(doc, {})}
    for doc, path in listed:
        stat = path.stat()
        entry = {"path": str(path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        previous = old_files.get(doc)
        if previous and unchanged(path, previous) and "aliases" in previous:
            files[doc] = {**previous, **entry}
            kept.append(doc)
            continue
        article = read_article(path, doc)
        if article is None:
            skipped[doc] = {**entry, "sha256": file_sha256(path)}
            continue
        rows = passages(article)
        if previous and previous["sha256"] == article.sha256:  # the same text: its vectors are kept
            files[doc] = {**previous, **entry}
            if "aliases" not in previous:
                unnamed[doc] = [p.text for p in rows]
            kept.append(doc)
            continue
        if not rows:
            logger.warning("skipped %s: no paragraphs of text in its body", path)
            skipped[doc] = {**entry, "sha256": article.sha256}
            continue
        text = text_sha256(rows)
        first = texts.setdefault(text, doc)
        if first != doc:
            earlier = files.get(first)
            # of two copies read now, the one with a date, then the shorter name ("a.md" over "copy of a.md")
            if earlier is None or first in kept or \
                    (bool(earlier["date"]), -len(Path(earlier["path"]).name)) >= (bool(article.date), -len(path.name)):
                logger.warning("skipped %s: the same article as %s", path, first)
                skipped[doc] = {**entry, "sha256": article.sha256, "same_as": first}
                continue
            logger.warning("skipped %s: the same article as %s", earlier["path"], doc)
            skipped[first] = {**{k: earlier[k] for k in ("path", "size", "mtime_ns", "sha256")}, "same_as": doc}
            del files[first]
            unnamed.pop(first, None)
            (changed if first in changed else added).remove(first)
            fresh[:] = [p for p in fresh if p.doc != first]
            texts[text] = doc
        (changed if previous else added).append(doc)
        files[doc] = {**entry, "sha256": article.sha256, "text_sha256": text, "title": article.title,
                      "source": article.source, "date": article.date, "passages": len(rows)}
        unnamed[doc] = [p.text for p in rows]
        fresh.extend(rows)
    if not files:
        raise CorpusError(f"no readable articles in {', '.join(folders)} "
                          f"(qabot reads {', '.join(SUFFIXES)} files with text in their body)")
    return CorpusScan(files=files, skipped=skipped, kept=kept, fresh=fresh, added=added, changed=changed,
                      removed=sorted(set(old_files) - set(files)), unnamed=unnamed)


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
            "format": FORMAT, "qabot": __version__, "cutting": CUTTING,
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
            read_names(scan)
            manifest["data"] = old[0]["data"]  # nothing to rewrite: refresh the file list only
        elif marking and len(gone := np.union1d(old[1].deleted, old[1].passages.rows_of(removed))) \
                <= COMPACT_SHARE * old[0]["passages"]:
            # Only removals: the old files stay as they are (hard-linked into the new generation) and the removed
            # articles' rows are marked, so no dense index is built again.
            read_names(scan)
            manifest["passages"] = old[0]["passages"]
            manifest["deleted"] = len(gone)
            manifest["data"] = _mark_deleted(index_dir, index_dir / old[0]["data"], gone)
        else:
            # Only new articles: the old vectors keep their rows, so the old dense index grows instead of being
            # built again (an HNSW graph of 10^5 passages takes a minute to build, an append seconds).
            base = index_dir / old[0]["data"] / "dense.faiss" if appending else None
            kept = _reusable(index_dir, old, set(kept_docs)) if kept_docs else []
            rows = [p for p, _ in kept] + fresh
            derived, work = derive_vectors(fresh, embedder, progress, encoder, meanwhile=lambda: read_names(scan))
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
        if not cut_alike(manifest):  # not the passages this qabot cuts: every article read again
            logger.warning("not reusing the previous index: another qabot version cut its articles into passages")
            return None
        return manifest, load_index(index_dir, embedder.id)
    except IndexFolderError as exc:
        logger.warning("not reusing the previous index: %s", str(exc).split(":")[0])
        return None


def _reusable(index_dir: Path, old, docs: set[str]) -> list[tuple[Passage, tuple]]:
    """[(passage, (vector, sentence vectors, BM25 tokens))] of these articles, in the old index's row
    order (so that an append keeps every old row where the old dense index has it)."""
    manifest, index = old
    words = _read_tokens(index_dir / manifest["data"] / "tokens.jsonl", len(index.passages))
    rows = [int(r) for r in index.live_rows_of(docs)]
    kept = []
    for start in range(0, len(rows), ADD_CHUNK):
        chunk = rows[start:start + ADD_CHUNK]
        vectors = index.dense.reconstruct_batch(np.asarray(chunk, dtype=np.int64))
        for row, vector in zip(chunk, vectors, strict=True):
            derived = (vector, np.array(index.sentence_rows(row)), words[row] if words else None)
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
        words = [v[2] if v[2] is not None else tuple(tokens(p.text)) for p, v in zip(rows, vectors, strict=True)]
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


