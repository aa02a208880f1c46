import os

import pytest

from qabot.evaluation.processes import in_processes


def test_work_done_in_forked_processes_comes_back_in_order_and_from_other_processes():
    here = os.getpid()
    table = {"a": 1, "b": 2, "c": 3}  # what the parent holds, inherited by the forked processes, never pickled there

    def work(key):
        return key, table[key] * 10, os.getpid(), os.environ["OMP_NUM_THREADS"]

    done = in_processes(work, ["c", "a", "b"], jobs=3)
    assert [(k, v) for k, v, _, _ in done] == [("c", 30), ("a", 10), ("b", 20)]
    assert all(pid != here for _, _, pid, _ in done)
    assert {threads for _, _, _, threads in done} == {"1"}  # each computes on one thread


def test_a_failure_in_a_forked_process_is_raised_here():
    def work(n):
        if n == 2:
            raise ValueError("two")
        return n

    with pytest.raises(ValueError, match="two"):
        in_processes(work, [1, 2, 3], jobs=2)
