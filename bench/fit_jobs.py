"""Wall time of `qabot fit` with its three pipelines worked out in turn (`--jobs 1`) and side by side (`--jobs 3`).

    .venv/bin/python bench/fit_jobs.py [--rounds 3] [--folds 5] [SET ...]

Each round runs both, in alternating order, as separate `qabot fit` processes over the same sets and index, and
checks that they write the same parameters. Reports the median wall and CPU time (the process and its children) of
each and their ratio, measured in the same run on this machine. Writes bench/results/fit_jobs.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = ["tests/data/holdout.jsonl", "tests/data/holdout2.jsonl", "tests/data/english_rail/questions.jsonl",
        "tests/data/chinese_mine/questions.jsonl"]  # the seeds' index and two folders: leave-one-corpus-out too


def run(jobs: int, sets: list[str], folds: int, index: str, out: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the fit and the processes it forked) of one `qabot fit`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "qabot", "-q", "fit", "--index", index, "--folds", str(folds),
                    "--jobs", str(jobs), "--out", str(out), *sets], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def farthest(a, b) -> float:
    """The largest relative difference between two parameter files' numbers (their structure and words the same:
    numpy's sums may add in another order where an array lies elsewhere in memory, so the last bits may differ)."""
    if isinstance(a, dict):
        if set(a) != set(b):
            return math.inf
        return max((farthest(a[k], b[k]) for k in a), default=0.0)
    if isinstance(a, list):
        return max((farthest(x, y) for x, y in zip(a, b, strict=True)), default=0.0) if len(a) == len(b) else math.inf
    if isinstance(a, float) and isinstance(b, (int, float)):
        if math.isnan(a) or math.isnan(b):
            return 0.0 if math.isnan(a) and math.isnan(b) else math.inf
        return abs(a - b) / max(abs(a), abs(b), 1e-12)
    return 0.0 if a == b else math.inf


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=SETS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "fit_jobs.md"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qabot-bench-fit-") as tmp:
        index = str(Path(tmp) / "index")
        subprocess.run([sys.executable, "-m", "qabot", "-q", "index", "--index", index], cwd=ROOT, check=True)
        times: dict[int, list[tuple[float, float]]] = {1: [], 3: []}
        apart: list[float] = []
        for r in range(args.rounds):
            for jobs in ((1, 3) if r % 2 == 0 else (3, 1)):
                out = Path(tmp) / f"params-{jobs}.json"
                times[jobs].append(run(jobs, args.sets, args.folds, index, out))
                print(f"round {r + 1}, --jobs {jobs}: {times[jobs][-1][0]:.0f} s wall", flush=True)
            written = [json.loads((Path(tmp) / f"params-{j}.json").read_text(encoding="utf-8")) for j in (1, 3)]
            apart.append(farthest(*written))
            if apart[-1] > 1e-9:
                raise SystemExit(f"--jobs 1 and --jobs 3 wrote different parameters (relative {apart[-1]:.1e})")
    wall = {j: statistics.median(w for w, _ in ts) for j, ts in times.items()}
    cpu = {j: statistics.median(c for _, c in ts) for j, ts in times.items()}
    lines = [
        "# `qabot fit`: pipelines in turn and side by side",
        "",
        f"Sets: {', '.join(args.sets)}; {args.folds} folds; {args.rounds} rounds, order alternating; "
        f"{os.cpu_count()} CPUs; OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '1')}. Both wrote the same "
        f"parameters in every round, to a relative {max(apart):.0e} (the last bits of a float: numpy's sums add in "
        "another order where an array lies elsewhere in memory).",
        "",
        "| | median wall | median CPU (all processes) |",
        "|---|---|---|",
        f"| `--jobs 1` (in turn, one process) | {wall[1]:.0f} s | {cpu[1]:.0f} s |",
        f"| `--jobs 3` (three forked processes) | {wall[3]:.0f} s | {cpu[3]:.0f} s |",
        f"| ratio | {wall[3] / wall[1]:.2f} | {cpu[3] / cpu[1]:.2f} |",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
