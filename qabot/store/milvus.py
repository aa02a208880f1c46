"""Passages ↔ a Milvus collection (a milvus-lite file, or a Milvus server or cluster): index semantics of store.py.

Three collections per index name: `<name>_passages` (text, metadata, the dense vector, BM25 sparse vectors made by
Milvus itself from the text with a jieba analyzer), `<name>_sentences` (one vector a
sentence, keyed row * 4096 + position) and `<name>_meta` (JSON chunks: format, embedder, corpus folders, the
article files with their hashes, and document frequencies for the answer composer). Retrieval is one
`hybrid_search` (dense + BM25, reciprocal rank fusion, filters pushed down); ranking and answers are search.py's
and answer.py's, the same code as with FAISS.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qabot import __version__
from qabot.errors import IndexFolderError, QabotError
from qabot.ingest.passages import CUTTING, Passage, cut_alike
from qabot.language.aliases import shared
from qabot.language.words import STOPWORDS, tokens
from qabot.store.build import BuildReport, read_names, scan_corpus
from qabot.store.embed import Embedder
from qabot.store.folder import articles_of
from qabot.store.vectors import derive_vectors

logger = logging.getLogger(__name__)

FORMAT = "qabot-milvus 2"  # 2: no latent-term field
PER_ROW = 4096  # sentence key = passage row * PER_ROW + the sentence's position
CHUNK_BYTES = 60_000  # a meta value is split into VARCHAR chunks of at most this many bytes
INSERT_BATCH = 256
# jieba's search mode, lower case, no punctuation or stopwords: as close to keywords.tokens as Milvus allows
ANALYZER = {"tokenizer": "jieba", "filter": ["lowercase", "removepunct",
                                             {"type": "stop", "stop_words": sorted(STOPWORDS)}]}
LIMITS = {"pid": 512, "doc": 512, "text": 65_535, "title": 2048, "source": 512, "date": 64, "day": 16,
          "section": 2048}  # VARCHAR maximum lengths, in bytes
FIELDS = ["row", "pid", "doc", "paragraph", "text", "title", "source", "date", "section", "sentences"]


class MilvusError(QabotError):
    """Milvus cannot be reached, or refused a request."""


def collection_names(name: str) -> tuple[str, str, str]:
    return f"{name}_passages", f"{name}_sentences", f"{name}_meta"


def connect(uri: str, token: str = ""):
    """A MilvusClient for the URI: a local path is a milvus-lite file (a folder gets qabot.db inside), an
    http(s):// address a server or cluster. An unreachable one is one clear error naming the URI."""
    from pymilvus import MilvusClient

    from qabot.language.words import quiet_jieba

    quiet_jieba()  # milvus-lite cuts text with the same (Python) jieba: its chatter and cache kept as ours
    target = _lite_path(uri) or uri
    if target != uri or "://" not in uri:
        try:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MilvusError(f"cannot use Milvus at {uri}: {exc.strerror}") from None
    try:
        return MilvusClient(uri=target, token=token, timeout=10)
    except Exception as exc:  # pymilvus raises MilvusException, grpc and OS errors alike
        raise MilvusError(f"cannot reach Milvus at {uri}: {reason(exc)}") from None


def reason(exc: Exception) -> str:
    message = getattr(exc, "message", "") or str(exc)
    return " ".join(message.split())[:200] or exc.__class__.__name__


@dataclass
class MilvusIndex:
    """A Milvus-held index, as the searcher, composer and front ends see it (the same surface as store.Index)."""

    client: object = field(repr=False)
    name: str
    uri: str
    meta: dict
    files: dict
    df: dict = field(repr=False)
    token: str = field(default="", repr=False)
    dir: None = None  # no index folder: Milvus holds it
    _checked: float = 0.0

    @property
    def generation(self) -> str:
        return self.meta["generation"]

    @property
    def manifest(self) -> dict:
        return {**self.meta, "files": self.files, "dense": {"type": "milvus"}, "data": self.generation}

    @property
    def size(self) -> int:
        return int(self.meta["passages"])

    @property
    def vocabulary(self) -> dict:
        return self.df

    def document_frequency(self, word: str) -> int:
        return int(self.df.get(word, 0))

    def articles(self) -> list[dict]:
        return articles_of(self.files)

    def passages_of(self, doc: str) -> list[Passage]:
        """The passages of one article, in order."""
        rows = self.client.query(collection_names(self.name)[0], filter=f"doc == {json.dumps(doc, ensure_ascii=False)}",
                                 output_fields=FIELDS)
        return [passage_of(row) for row in sorted(rows, key=lambda row: row["row"])]

    def passage_by_id(self, passage_id: str) -> Passage | None:
        rows = self.client.query(collection_names(self.name)[0], filter=f"pid == {json.dumps(passage_id)}",
                                 output_fields=FIELDS)
        return passage_of(rows[0]) if rows else None

    def stamp(self, every: float = 5.0) -> str:
        """The live generation, asked of Milvus at most every `every` seconds (a reader's reload check)."""
        now = time.monotonic()
        if now - self._checked < every:
            return self.generation
        self._checked = now
        try:
            meta = read_json(self.client, self.name, "meta")
        except Exception:  # noqa: BLE001 - a failed check is retried on the next question
            return self.generation
        return meta.get("generation", self.generation) if meta else self.generation


def open_milvus(uri: str, embedder_id: str, *, token: str = "", name: str = "qabot") -> MilvusIndex:
    """The index held in Milvus under this name, checked against the embedder that will embed the questions."""
    client = connect(uri, token)
    meta = _checked_meta(client, uri, name, embedder_id)
    if meta is None:
        raise IndexFolderError(f"no qabot index named {name!r} in Milvus at {uri}: build it with: "
                               f"qabot index --store milvus --milvus-uri {uri}")
    try:
        client.load_collection(collection_names(name)[0])
        client.load_collection(collection_names(name)[1])
        files, df = read_json(client, name, "files") or {}, read_json(client, name, "df") or {}
    except ValueError:  # its chunks read half way through an indexer's write
        raise MilvusError(f"the qabot index {name!r} in Milvus at {uri} is being updated: try again in a moment") \
            from None
    except Exception as exc:  # noqa: BLE001
        raise MilvusError(f"cannot read from Milvus at {uri}: {reason(exc)}") from None
    return MilvusIndex(client=client, name=name, uri=uri, meta=meta, files=shared(files), df=df, token=token)


def _checked_meta(client, uri: str, name: str, embedder_id: str) -> dict | None:
    passages_name, _, meta_name = collection_names(name)
    try:
        if not client.has_collection(meta_name):
            return None
        client.load_collection(meta_name)
        meta = read_json(client, name, "meta")
    except Exception as exc:  # noqa: BLE001
        raise MilvusError(f"cannot read from Milvus at {uri}: {reason(exc)}") from None
    hint = f"rebuild it with: qabot index --store milvus --milvus-uri {uri} --rebuild"
    if not meta or not client.has_collection(passages_name):
        raise IndexFolderError(f"the qabot index {name!r} in Milvus at {uri} is incomplete: {hint}")
    if meta.get("format") != FORMAT:
        raise IndexFolderError(f"the qabot index {name!r} in Milvus at {uri} has format {meta.get('format')!r}, "
                               f"not {FORMAT!r}: {hint}")
    if meta["embedder"]["id"] != embedder_id:
        raise IndexFolderError(f"the qabot index {name!r} in Milvus at {uri} was built with embedder "
                               f"{meta['embedder']['id']!r}, not {embedder_id!r}: {hint} --embedder <spec> "
                               "(or ask with the embedder it was built with)")
    return meta


def passage_of(entity: dict) -> Passage:
    return Passage(id=entity["pid"], doc=entity["doc"], paragraph=int(entity["paragraph"]), text=entity["text"],
                   title=entity["title"], source=entity["source"], date=entity["date"], section=entity["section"])


def build_milvus(uri: str, corpus, embedder: Embedder, *, token: str = "", name: str = "qabot",
                 rebuild: bool = False, progress: bool | None = None, encoder=None) -> BuildReport:
    """Bring the Milvus-held index up to date with the corpus folders: new and changed articles are embedded and
    upserted, removed ones deleted (by article hash, as for FAISS). `encoder` runs the model when it is not the
    embedder itself (a Ray actor pool: qabot.store.ray_embed)."""
    started = time.perf_counter()
    folders = [str(Path(c).resolve()) for c in corpus]
    lite = _lite_path(uri)
    running = _lite_servers()
    ours = lite is not None and lite not in running  # this build starts the in-process milvus-lite server
    client = connect(uri, token)
    try:
        return _update(client, uri, folders, embedder, name, rebuild, progress, started, encoder)
    finally:
        client.close()
        if ours:  # a milvus-lite file is open to one process at a time: let the readers in
            from milvus_lite.server_manager import server_manager_instance

            server_manager_instance.release_server(lite)


def _lite_path(uri: str) -> str | None:
    """The milvus-lite data path a URI opens (None for a server address)."""
    if "://" in uri:
        return None
    path = Path(uri).expanduser()
    return str((path if path.suffix == ".db" else path / "qabot.db").resolve())


def _lite_servers() -> set[str]:
    try:
        from milvus_lite.server_manager import server_manager_instance
    except ImportError:
        return set()
    return set(getattr(server_manager_instance, "_servers", {}))


def _update(client, uri: str, folders: list[str], embedder: Embedder, name: str, rebuild: bool,
            progress: bool | None, started: float, encoder=None) -> BuildReport:
    if rebuild:
        _drop(client, name)
    meta = _checked_meta(client, uri, name, embedder.id)
    if meta is not None and not cut_alike(meta):  # cut by another version: every article is read again
        logger.warning("rebuilding the Milvus index %s: its articles were cut into passages by another qabot version",
                       name)
        _drop(client, name)
        meta = None
    if meta is None:
        meta = {"format": FORMAT, "embedder": {"id": embedder.id, "dim": int(embedder.dim)}, "next_row": 0,
                "cutting": CUTTING}
        _create(client, name, embedder.dim)
    old_files = read_json(client, name, "files") or {}
    df = Counter(read_json(client, name, "df") or {})
    scan = scan_corpus(folders, old_files)
    files, skipped, fresh, added, changed, removed = (scan.files, scan.skipped, scan.fresh, scan.added, scan.changed,
                                                      scan.removed)
    _delete_docs(client, name, removed + changed, df)
    derived, work = derive_vectors(fresh, embedder, progress, encoder, meanwhile=lambda: read_names(scan))
    stored = _insert(client, name, fresh, derived, meta, df, files)
    meta.update({"qabot": __version__, "corpus": folders, "passages": sum(f["passages"] for f in files.values()),
                 "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                 "generation": f"{time.time_ns()}", "skipped": skipped})
    write_json(client, name, "files", files)
    write_json(client, name, "df", {w: c for w, c in df.items() if c > 0})
    write_json(client, name, "meta", meta)  # last: readers see the new generation once everything is in place
    for collection in collection_names(name)[:2]:
        client.flush(collection)
    return BuildReport(index_dir=f"{uri} ({name})", added=tuple(added), changed=tuple(changed),
                       removed=tuple(removed), skipped=tuple(skipped), passages=meta["passages"], embedded=stored,
                       seconds=time.perf_counter() - started, work=work,
                       device=getattr(encoder, "device", embedder.device))


def _drop(client, name: str) -> None:
    for collection in collection_names(name):
        client.drop_collection(collection)


def _create(client, name: str, dim: int) -> None:
    from pymilvus import DataType, Function, FunctionType

    passages_name, sentences_name, meta_name = collection_names(name)
    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("row", DataType.INT64, is_primary=True)
    schema.add_field("paragraph", DataType.INT64)
    schema.add_field("sentences", DataType.INT64)
    for text_field, limit in LIMITS.items():
        extra = {"enable_analyzer": True, "analyzer_params": ANALYZER} if text_field == "text" else {}
        schema.add_field(text_field, DataType.VARCHAR, max_length=limit, **extra)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_field("bm25", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_function(Function(name="text_bm25", function_type=FunctionType.BM25, input_field_names=["text"],
                                 output_field_names=["bm25"]))
    index = client.prepare_index_params()
    index.add_index("dense", index_type="AUTOINDEX", metric_type="IP")
    index.add_index("bm25", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
    client.create_collection(passages_name, schema=schema, index_params=index)

    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("key", DataType.INT64, is_primary=True)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    index = client.prepare_index_params()
    index.add_index("vector", index_type="AUTOINDEX", metric_type="IP")
    client.create_collection(sentences_name, schema=schema, index_params=index)

    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=128)
    schema.add_field("value", DataType.VARCHAR, max_length=65_535)
    schema.add_field("unused", DataType.FLOAT_VECTOR, dim=2)  # Milvus wants a vector field in every collection
    index = client.prepare_index_params()
    index.add_index("unused", index_type="AUTOINDEX", metric_type="L2")
    client.create_collection(meta_name, schema=schema, index_params=index)


def _delete_docs(client, name: str, docs: list[str], df: Counter) -> None:
    """Delete these articles' passages and sentences, taking their words out of the document frequencies."""
    passages_name, sentences_name, _ = collection_names(name)
    for start in range(0, len(docs), 64):
        batch = docs[start:start + 64]
        rows = client.query(passages_name, filter=f"doc in {json.dumps(batch, ensure_ascii=False)}",
                            output_fields=["row", "text", "sentences"])
        for row in rows:
            df.subtract(set(tokens(row["text"])))
        keys = [r["row"] * PER_ROW + i for r in rows for i in range(r["sentences"])]
        for at in range(0, len(keys), 4096):
            client.delete(sentences_name, ids=keys[at:at + 4096])
        if rows:
            client.delete(passages_name, ids=[r["row"] for r in rows])


def _insert(client, name: str, rows: list[Passage], vectors: list[tuple], meta: dict, df: Counter,
            files: dict) -> int:
    """Insert passages (and their sentences) in batches; a batch Milvus refuses is retried a row at a time, so one
    bad passage is skipped with a warning and the rest are kept. Returns how many passages were stored."""
    passages_name, sentences_name, _ = collection_names(name)
    stored = 0
    records, sentence_records = [], []
    for passage, (vector, sentence_vectors, words) in zip(rows, vectors, strict=True):
        row = meta["next_row"]
        meta["next_row"] += 1
        record = {"row": row, "paragraph": passage.paragraph, "sentences": len(sentence_vectors),
                  "dense": np.asarray(vector, dtype=np.float32).tolist(),
                  **{key: _fit(value, LIMITS[key], key, passage.id) for key, value in (
                      ("pid", passage.id), ("doc", passage.doc), ("text", passage.text), ("title", passage.title),
                      ("source", passage.source), ("date", passage.date), ("day", passage.date[:10]),
                      ("section", passage.section))}}
        records.append((record, set(words or tokens(passage.text))))
        sentence_records.append([{"key": row * PER_ROW + i, "vector": np.asarray(v, dtype=np.float32).tolist()}
                                 for i, v in enumerate(sentence_vectors)])
    for start in range(0, len(records), INSERT_BATCH):
        batch = records[start:start + INSERT_BATCH]
        sentences = [s for group in sentence_records[start:start + INSERT_BATCH] for s in group]
        try:
            client.insert(passages_name, [r for r, _ in batch])
            client.insert(sentences_name, sentences)
            kept = batch
        except Exception as exc:  # noqa: BLE001 - retried one by one below
            logger.warning("Milvus refused a batch of %d passages (%s): inserting them one at a time",
                           len(batch), reason(exc))
            kept = [item for item, group in zip(batch, sentence_records[start:start + INSERT_BATCH], strict=True)
                    if _insert_one(client, passages_name, sentences_name, item[0], group)]
        for _, words in kept:
            df.update(words)
        stored += len(kept)
        lost = Counter(r["doc"] for r, _ in batch)
        lost.subtract(r["doc"] for r, _ in kept)
        for doc, missing in lost.items():
            if missing and doc in files:
                files[doc]["passages"] -= missing  # /sources and the passage count tell what is really there
    return stored


def _insert_one(client, passages_name: str, sentences_name: str, record: dict, sentences: list[dict]) -> bool:
    """Upsert, not insert: part of the refused batch may have been stored, and Milvus keeps duplicate keys."""
    try:
        client.upsert(passages_name, [record])
        client.upsert(sentences_name, sentences)
        return True
    except Exception as exc:  # noqa: BLE001
        logger.warning("skipped passage %s: Milvus refused it (%s)", record["pid"], reason(exc))
        with contextlib.suppress(Exception):  # no passage without its sentences (if it was stored at all)
            client.delete(passages_name, ids=[record["row"]])
        return False


def _fit(value: str, limit: int, what: str, passage_id: str) -> str:
    """The value cut to the VARCHAR limit (in UTF-8 bytes) at a character boundary, with a warning when cut."""
    data = value.encode("utf-8")
    if len(data) <= limit:
        return value
    logger.warning("passage %s: its %s is %d bytes, more than Milvus's limit of %d: cut", passage_id, what,
                   len(data), limit)
    return data[:limit].decode("utf-8", errors="ignore")


def read_json(client, name: str, key: str):
    """A JSON value stored in the meta collection as numbered chunks (None when absent)."""
    meta_name = collection_names(name)[2]
    rows = client.query(meta_name, filter=f'key like "{key}.%"', output_fields=["key", "value"])
    if not rows:
        return None
    rows.sort(key=lambda r: int(r["key"].rsplit(".", 1)[1]))
    return json.loads("".join(r["value"] for r in rows))


def write_json(client, name: str, key: str, value) -> None:
    """Stores a JSON value in the meta collection as numbered chunks, replacing the one there."""
    meta_name = collection_names(name)[2]
    text = json.dumps(value, ensure_ascii=False)
    chunks, current, size = [], [], 0
    for char in text:  # chunks of at most CHUNK_BYTES UTF-8 bytes, cut between characters
        width = len(char.encode("utf-8"))
        if size + width > CHUNK_BYTES:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    chunks.append("".join(current))
    client.upsert(meta_name, [{"key": f"{key}.{i:06d}", "value": chunk, "unused": [0.0, 0.0]}
                              for i, chunk in enumerate(chunks)])
    old = client.query(meta_name, filter=f'key like "{key}.%"', output_fields=["key"])
    stale = [r["key"] for r in old if int(r["key"].rsplit(".", 1)[1]) >= len(chunks)]
    if stale:
        client.delete(meta_name, ids=stale)
