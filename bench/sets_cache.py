"""Wall time of `qabot eval` over sets beside their own articles, each folder's index built for the run (the cache
off) and kept in the cache from an earlier run (warm), and that both give the same figures.

    .venv/bin/python bench/sets_cache.py [--rounds 3] [SET ...]

Each round runs, in alternating order, `qabot eval --json` with QABOT_SETS_CACHE=off and with a cache folder filled
by one run before the round (not timed), as separate processes over the same sets and the seeds' index. Reports the
median wall time of each and their ratio, measured in the same run on this machine. Writes
bench/results/sets_cache.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = [f"tests/data/{name}/questions.jsonl" for name in
        ("english_rail", "chinese_mine", "english_spill", "chinese_flood", "english_wildfire", "chinese_food")]


def run(sets: list[str], index: str, cache: str) -> tuple[float, dict]:
    """(wall seconds, the metrics printed) of one `qabot eval`."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "qabot", "-q", "eval", "--json", "--index", index, *sets], cwd=ROOT,
                            check=True, capture_output=True, text=True,
                            env={**os.environ, "QABOT_SETS_CACHE": cache,
                                 "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")})
    wall = time.perf_counter() - started
    report = json.loads(result.stdout)
    return wall, {name: {k: v for k, v in r["all"].items() if "chars" not in k} for name, r in report.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=SETS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "sets_cache.md"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qabot-bench-sets-") as tmp:
        index, cache = str(Path(tmp) / "index"), str(Path(tmp) / "cache")
        subprocess.run([sys.executable, "-m", "qabot", "-q", "index", "--index", index], cwd=ROOT, check=True)
        run(args.sets, index, cache)  # fills the cache
        times: dict[str, list[float]] = {"off": [], "warm": []}
        figures = []
        for r in range(args.rounds):
            for kind in (("off", "warm") if r % 2 == 0 else ("warm", "off")):
                wall, metrics = run(args.sets, index, "off" if kind == "off" else cache)
                times[kind].append(wall)
                figures.append(metrics)
                print(f"round {r + 1}, cache {kind}: {wall:.1f} s wall", flush=True)
        if any(f != figures[0] for f in figures):
            raise SystemExit("the runs with and without the cache gave different figures")
    wall = {k: statistics.median(v) for k, v in times.items()}
    lines = [
        "# `qabot eval` of sets beside their own articles: each index built for the run, or kept in the cache",
        "",
        f"Sets: {', '.join(args.sets)} ({len(args.sets)} folders); {args.rounds} rounds, order alternating; "
        f"{os.cpu_count()} CPUs; OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '1')}. Every run printed the "
        "same figures. The wall time includes starting Python, loading the model and the seeds' index, and asking "
        "every question with the three pipelines.",
        "",
        "| | median wall |",
        "|---|---|",
        f"| `QABOT_SETS_CACHE=off` (each folder indexed for the run) | {wall['off']:.1f} s |",
        f"| the cache warm (each folder's index read, nothing embedded) | {wall['warm']:.1f} s |",
        f"| ratio | {wall['warm'] / wall['off']:.2f} |",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
