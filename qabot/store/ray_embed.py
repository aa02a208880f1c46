"""Texts → vectors on a Ray cluster: Ray Data `map_batches` over a pool of actors, one model each.

`RayEncoder` has the embedder's `encode_batches`, so `build_index` and `build_milvus` take it as their `encoder` and
write the same index as without Ray. Needs the extra: pip install 'qabot[ray]'.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterator, Sequence

import numpy as np

from qabot.errors import ConfigError
from qabot.store.embed import Embedder, make_embedder

logger = logging.getLogger(__name__)

LOOPBACK_ONLY = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"  # "0": Ray's node address is 127.0.0.1 (see connected)
ROWS_PER_BLOCK = 256  # texts a Ray Data block holds at most: every actor gets work early, results stream back


class _Encode:
    """One actor: loads the model once, then embeds every batch Ray Data hands it."""

    def __init__(self, spec: str, device: str):
        self.embedder = make_embedder(spec, device)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {"i": batch["i"], "vector": self.embedder.embed([str(t) for t in batch["text"]], "passage")}


class RayEncoder:
    """The embedder's model run by `actors` Ray actors (default: one a CPU of the cluster)."""

    device = "ray"

    def __init__(self, embedder: Embedder, actors: int | None = None, device: str = "cpu"):
        self.spec = embedder.id  # make_embedder reads an embedder's id back as its spec
        self.dim = embedder.dim
        self.actors = actors
        self.model_device = device

    def encode_batches(self, texts: Sequence[str], batch: int) -> Iterator[tuple[int, np.ndarray]]:
        """(start, vectors) for each run of `batch` texts, in order, as the embedder's own `encode_batches` gives
        them; the work is spread over the actors."""
        import pyarrow as pa
        import ray

        if not texts:
            return
        actors = self.actors or max(1, int(ray.cluster_resources().get("CPU", 1)))
        table = pa.table({"i": np.arange(len(texts), dtype=np.int64), "text": list(texts)})
        # Blocks cut here and put from the driver: no read or repartition task has to wait for a CPU that the
        # actors already hold.
        size = min(ROWS_PER_BLOCK, max(batch, -(-len(texts) // (2 * actors))))  # a small job still reaches every actor
        blocks = [table.slice(start, size) for start in range(0, len(texts), size)]
        actors = min(actors, len(blocks))  # an actor without a block would only load a model
        dataset = ray.data.from_arrow(blocks).map_batches(
            _Encode, fn_constructor_kwargs={"spec": self.spec, "device": self.model_device},
            batch_size=batch, batch_format="numpy", compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1,
            num_gpus=1 if self.model_device == "cuda" else 0)
        vectors = np.empty((len(texts), self.dim), dtype=np.float32)
        done = np.zeros(len(texts), dtype=bool)
        emitted = 0
        # Batches come back in whatever order the actors finish; they are handed on in text order.
        for part in dataset.iter_batches(batch_size=None, batch_format="numpy"):
            rows = part["i"]
            vectors[rows] = part["vector"]
            done[rows] = True
            while emitted < len(texts) and done[emitted:min(emitted + batch, len(texts))].all():
                end = min(emitted + batch, len(texts))
                yield emitted, vectors[emitted:end]
                emitted = end
        if emitted < len(texts):
            raise RuntimeError(f"Ray returned {int(done.sum())} of {len(texts)} embedded texts")


@contextlib.contextmanager
def connected(address: str, verbose: bool = False):
    """Ray joined for the duration: 'local' starts an instance on this machine (stopped afterwards), 'auto' joins the
    cluster this machine belongs to, 'ray://host:10001' a remote one (host:6379 a head node directly). A Ray
    already started in this process is used as it is and left running. The 'local' instance listens on loopback
    only: it has no other node to talk to."""
    address = (address or "").strip()
    if not (address in ("local", "auto") or re.fullmatch(r"ray://[\w.-]+(:\d+)?|[\w.-]+:\d+", address)):
        raise ConfigError(f"unknown Ray address {address!r} (--ray, QABOT_RAY_ADDRESS): choose local, auto, "
                          "ray://host:10001 (Ray client) or host:6379 (a head node's GCS)")
    if address == "local":
        # Ray's own switch for a machine that is no cluster (its default on macOS and Windows): the node's address is
        # 127.0.0.1 and its servers bind there, not to every interface. Read when ray is first imported.
        os.environ.setdefault(LOOPBACK_ONLY, "0")
    try:
        import ray
    except ImportError as exc:
        raise ConfigError("--ray needs the extra: pip install 'qabot[ray]'") from exc
    ours = not ray.is_initialized()
    quiet(verbose)
    if ours:
        if not verbose:  # Ray's C++ core logs notes (such as actor restart caveats) straight to stderr
            os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
        try:
            ray.init(address=address, include_dashboard=False, log_to_driver=verbose,
                     logging_level=logging.INFO if verbose else logging.ERROR)
        except Exception as exc:  # a node that never comes up is a bare Exception ("timed out during startup")
            ray.shutdown()  # what did start (GCS, monitor) stops with it
            what = "start a local Ray" if address == "local" else f"join the Ray cluster at {address!r}"
            raise ConfigError(f"cannot {what}: {str(exc).splitlines()[0]}") from exc
        quiet(verbose)  # ray.init sets its logger's level again
    try:
        yield ray
    finally:
        if ours:
            ray.shutdown()


def quiet(verbose: bool) -> None:
    """Ray's notes, Ray Data's progress bars and per-run log lines only with -v (qabot draws its own bar)."""
    import ray.data  # first: importing it sets Ray Data's own log levels

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = verbose
    with contextlib.suppress(AttributeError):  # newer Ray only
        context.print_on_execution_start = verbose
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.ERROR)
