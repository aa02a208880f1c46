"""Held-out by article, with the article absent from the index the models are fitted on: the closest estimate here of
questions about articles nobody tuned for.

    .venv/bin/python scripts/unseen_articles.py FILE...      (question sets; their gold quotes name the articles)

For each seed article: an index of the other articles is built in a temporary folder; the answer models are fitted
on that index, on the answerable questions none of whose gold quotes is in the left-out article and on four fifths of
the unanswerable ones; they then answer, on the full index, the questions whose first gold quote is in the left-out
article and the remaining fifth of the unanswerable ones. So the models meet an article, its passages and its
corpus statistics (idf, BM25) that they were not fitted with. The same split fitted on the full index is printed
beside it (an article's questions held out, its passages seen), and the question-level folds for reference.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qabot.evaluation import training  # noqa: E402
from qabot.evaluation.metrics import load_questions, score, table  # noqa: E402
from qabot.qa import QA  # noqa: E402
from qabot.settings import Settings, default_corpus  # noqa: E402
from qabot.store.build import build_index  # noqa: E402


def main(files: list[str]) -> int:
    questions = [q for f in files for q in load_questions(f)]
    settings = Settings.from_env()
    seeds = Path(settings.corpus[0] if settings.corpus else default_corpus())  # one folder of articles
    full = QA.open(settings, refresh=True).reader
    full.cache = {}
    traced = training.trace_all(full, [full.analyser(q.question) for q in questions], "hybrid")
    docs = sorted({doc for q in questions for doc, _ in q.gold})
    folds = training.fold_groups(len(questions), len(docs))
    unseen, seen, order = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for k, doc in enumerate(docs):
            corpus = Path(tmp, f"corpus-{k}")
            corpus.mkdir()
            for path in seeds.iterdir():
                if path.name != doc and path.is_file():
                    shutil.copy(path, corpus / path.name)
            index = Path(tmp, f"index-{k}")
            build_index(index, [corpus], full.embedder, progress=False)
            partial = QA.open(replace(settings, index_dir=index, corpus=(str(corpus),)), refresh=False).reader
            partial.cache = {}
            train = [i for i, q in enumerate(questions)
                     if (q.answerable and doc not in {d for d, _ in q.gold}) or (not q.answerable and folds[i] != k)]
            test = [i for i, q in enumerate(questions)
                    if (q.answerable and q.gold[0][0] == doc) or (not q.answerable and folds[i] == k)]
            fitted_without = training.fit(partial, training.trace_all(
                partial, [partial.analyser(questions[i].question) for i in train], "hybrid"),
                [questions[i] for i in train])
            fitted_with = training.fit(full, [traced[i] for i in train], [questions[i] for i in train])
            for i in test:
                unseen.append(full.decide(traced[i], fitted_without))
                seen.append(full.decide(traced[i], fitted_with))
                order.append(i)
            print(f"{doc}: fitted on {len(train)}, scored {len(test)}", file=sys.stderr, flush=True)
    scored = [questions[i] for i in order]
    by_question = training.held_out(full, traced, questions, training.fold_groups(len(questions), 5))
    rows = {"article held out, absent from the index": score(scored, unseen),
            "article held out, its passages indexed": score(scored, seen),
            "5-fold by question (reference)": score(questions, by_question)}
    print(f"{len(questions)} questions, {len(docs)} articles")
    print("\n".join(table("qabot held-out", rows)))
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
