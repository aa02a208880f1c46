"""Traced questions with their gold passages → fitted `Params` (`fit`), and held-out answers by cross-validation
(`held_out`): every fold's answers come from parameters fitted on the other folds only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from qabot.answer.features import ANSWER_FEATURES, EXTEND_FEATURES, PASSAGE_FEATURES, SENTENCE_FEATURES, extend_rows
from qabot.answer.model import SENTENCE_TREES, Params, choose_threshold, fit_logistic, fit_trees, question_hash
from qabot.answer.reader import RERANK_FEATURES, Reader, Trace
from qabot.evaluation.metrics import Question, has_gold, norm
from qabot.evaluation.processes import in_processes

# false_abstain the threshold may cost on the training questions: under the product's promise of 5%, as a threshold
# chosen on some questions refuses a little more of others (held-out over thirteen sets, 0.05 gave 0.056 and 0.045
# gave 0.052; over fourteen, 0.045 gave 0.058 in three splits and 0.04 gave 0.050 in five: docs/evaluation.md)
MOST_REFUSED = 0.04
THRESHOLD_SPLITS = 5  # splits of the answer rows whose held-out confidences, averaged, the threshold is chosen on
PER_LANGUAGE = 40  # answerable training questions a language needs for a threshold of its own (else the pooled one)
# The answer model's label for an answerable question whose best sentence is not from a gold passage: such an answer
# is wrong, but refusing it counts against false_abstain as refusing a right one does; half-way, a prior.
MISSED = 0.5
INNER_FOLDS = 3


def sentence_gold(doc: str, text: str, passage_gold: bool, q: Question) -> bool:
    """Is this sentence (part of) the answer: it holds a gold quote, lies within one, or holds an answer string in a
    passage that holds a gold quote?"""
    t = norm(text)
    for gdoc, quote in q.gold:
        if gdoc and gdoc != doc:
            continue
        g = norm(quote)
        if g in t or (len(t) >= 6 and t in g):
            return True
    return passage_gold and any(norm(a) in t for a in q.answers)


def _pieces(trace: Trace) -> list[Trace]:
    return list(trace.parts) or [trace]


def _fit_ranking(readers: list[Reader], traces: list[Trace], questions: list[Question]) -> tuple:
    """The passage, sentence and rerank models, fitted on the answerable questions."""
    px, py = [], []
    for t, q in zip(traces, questions, strict=True):
        if not q.answerable:
            continue
        for piece in _pieces(t):
            px.append(piece.passage_x)
            py += [has_gold(c.passage.doc, c.passage.text, q) for c in piece.candidates]
    passage = fit_logistic(np.vstack(px), np.asarray(py, dtype=float), PASSAGE_FEATURES)
    placeholder = Params(passage=passage, sentence=_flat(SENTENCE_FEATURES), rerank=_flat(RERANK_FEATURES),
                         answer=_flat(ANSWER_FEATURES), threshold=0.0, rules=tuple(sorted(readers[0].rules)))
    sx, sy, rx, ry = [], [], [], []
    for reader, t, q in zip(readers, traces, questions, strict=True):
        if not q.answerable:
            continue
        for piece in _pieces(t):
            reading = reader.read(piece, placeholder)
            if not len(reading.s2):
                continue
            gold = [has_gold(piece.candidates[i].passage.doc, piece.candidates[i].passage.text, q)
                    for i in reading.read]
            sx.append(reading.sentence_x)
            for pos, j in reading.where:
                cand = piece.candidates[reading.read[pos]]
                sy.append(sentence_gold(cand.passage.doc, cand.sentences[j], gold[pos], q))
            ry += gold
    sentence = fit_trees(np.vstack(sx), np.asarray(sy, dtype=float), SENTENCE_FEATURES, SENTENCE_TREES)
    staged = Params(passage=passage, sentence=sentence, rerank=_flat(RERANK_FEATURES), answer=_flat(ANSWER_FEATURES),
                    threshold=0.0, rules=placeholder.rules)
    for reader, t, q in zip(readers, traces, questions, strict=True):
        if not q.answerable:
            continue
        for piece in _pieces(t):
            reading = reader.read(piece, staged)
            if len(reading.s2):
                rx.append(reading.rerank_x)
    rerank = fit_logistic(np.vstack(rx), np.asarray(ry, dtype=float), RERANK_FEATURES)
    return passage, sentence, rerank


def _answer_and_extend_rows(readers: list[Reader], params: Params, traces: list[Trace], questions: list[Question]):
    """Each traced piece read once, for both models that learn from the readings of held-out questions.

    The answer model: one ANSWER_FEATURES row per piece (a part of a multi-part question counts as one), labelled 1
    when the best sentence's passage is a gold one, MISSED when the question is answerable but it is not, 0 for an
    unanswerable question; the question each row belongs to; and whether it is a part (a part's label is its whole
    question's, so the model learns from questions asked alone, and a part's row counts only where the threshold
    is chosen).

    The extension model: EXTEND_FEATURES rows of the sentences read beside each answerable question's best sentence,
    labelled 1 when the sentence gives, in a gold passage, an answer string the best sentence lacks (another
    report's figure, a list's other items, the reason a statement goes on to give). A question asked in parts counts
    as one question here (a part's answer strings are not all its own); a chronology is left out, as it takes its
    sentences by date."""
    rows, labels, owners, parts, extend, joins = [], [], [], [], [], []
    for n, (reader, t, q) in enumerate(zip(readers, traces, questions, strict=True)):
        for piece in _pieces(t):
            reading = reader.read(piece, params)
            if not len(reading.s2):
                continue
            best = int(np.argmax(reading.s2))
            cand = piece.candidates[reading.read[reading.where[best][0]]]
            rows.append(reading.answer_x)
            labels.append(1.0 if q.answerable and has_gold(cand.passage.doc, cand.passage.text, q)
                          else MISSED if q.answerable else 0.0)
            owners.append(n)
            parts.append(bool(t.parts))
            if q.answerable and not t.parts and t.question.kind != "timeline" and len(reading.s2) >= 2:
                _extend_rows(t, q, reading, best, extend, joins)
        if q.answerable and t.parts and t.question.kind != "timeline":  # its sentences read as one question's: which
            whole = replace(t, parts=())  # join the best one is learnt from the question's own answer strings
            reading = reader.read(whole, params)
            if len(reading.s2) >= 2:
                _extend_rows(whole, q, reading, int(np.argmax(reading.s2)), extend, joins)
    return (np.asarray(rows).reshape(-1, len(ANSWER_FEATURES)), np.asarray(labels, dtype=float),
            np.asarray(owners), np.asarray(parts, dtype=bool), np.asarray(extend).reshape(-1, len(EXTEND_FEATURES)),
            np.asarray(joins, dtype=float))


def _extend_rows(t: Trace, q: Question, reading, best: int, rows: list, labels: list) -> None:
    """Adds the extension rows and labels of one answerable question's reading (its best sentence at `best`)."""
    read = [t.candidates[i] for i in reading.read]
    x = extend_rows(t.question, read, reading.where, reading.sentence_x, reading.s2, best)
    bi, bj = reading.where[best]
    have = norm(read[bi].sentences[bj])
    lacking = [norm(a) for a in q.answers if norm(a) not in have]
    gold = [has_gold(c.passage.doc, c.passage.text, q) for c in read]
    for r, (i, j) in enumerate(reading.where):
        if r == best:
            continue
        rows.append(x[r])
        labels.append(float(gold[i] and any(a in norm(read[i].sentences[j]) for a in lacking)))


def fit(reader: Reader | Sequence[Reader], traces: list[Trace], questions: list[Question],
        folds: int = INNER_FOLDS) -> Params:
    """All the models, fitted on these traced questions: `reader` is the one reader all were traced by, or each
    trace's own (questions about other folders of articles are traced over their own indexes)."""
    readers = _each(reader, len(traces))
    made = [r for r in {id(r): r for r in readers}.values() if r.cache is None]
    for r in made:
        r.cache = {}
    try:
        return _fit(readers, traces, questions, folds)
    finally:
        for r in made:
            r.cache = None


def _each(reader: Reader | Sequence[Reader], n: int) -> list[Reader]:
    """One reader a trace."""
    if isinstance(reader, Reader):
        return [reader] * n
    if len(reader) != n:
        raise ValueError(f"{len(reader)} readers for {n} traces")
    return list(reader)


@dataclass(frozen=True)
class AnswerRows:
    """The rows the answer and extension models learn from, each read by ranking models fitted without its question:
    the answer rows (ANSWER_FEATURES), their labels, the question each belongs to and whether it is a part of one;
    the extension rows (EXTEND_FEATURES) and their labels."""

    x: np.ndarray
    y: np.ndarray
    owner: np.ndarray
    part: np.ndarray
    extend_x: np.ndarray
    extend_y: np.ndarray


def answer_rows(readers: list[Reader], traces: list[Trace], questions: list[Question],
                folds: int = INNER_FOLDS) -> AnswerRows:
    """The answer and extension models' rows, made fold by fold (inner folds): each fold's questions read by the
    passage, sentence and rerank models fitted on the other folds', so that neither model learns the optimism of
    ranking models that saw its question. `scripts/answer_screen.py` compares answer models on them."""
    rules = tuple(sorted(readers[0].rules))
    split = _folds(len(questions), folds)
    ax, ay, owner, part, ex, ey = [], [], [], [], [], []
    for f in range(folds):
        train = [i for i in range(len(questions)) if split[i] != f]
        test = [i for i in range(len(questions)) if split[i] == f]
        if not test:
            continue
        p, s, r = _fit_ranking([readers[i] for i in train], [traces[i] for i in train],
                               [questions[i] for i in train])
        inner = Params(passage=p, sentence=s, rerank=r, answer=_flat(ANSWER_FEATURES), threshold=0.0, rules=rules)
        x, y, o, pt, xe, ye = _answer_and_extend_rows([readers[i] for i in test], inner, [traces[i] for i in test],
                                                      [questions[i] for i in test])
        ax.append(x)
        ay.append(y)
        owner.append(np.asarray(test)[o] if len(o) else o)
        part.append(pt)
        ex.append(xe)
        ey.append(ye)
    return AnswerRows(x=np.vstack(ax), y=np.concatenate(ay), owner=np.concatenate(owner), part=np.concatenate(part),
                      extend_x=np.vstack(ex), extend_y=np.concatenate(ey))


def _fit(readers: list[Reader], traces: list[Trace], questions: list[Question], folds: int) -> Params:
    """All five models and the threshold. The answer and extension models learn from rows made by ranking models
    fitted without their question (inner folds), and the threshold is chosen on confidences the answer model did not
    see, so none is fitted on the optimism of the ranking models."""
    rules = tuple(sorted(readers[0].rules))
    passage, sentence, rerank = _fit_ranking(readers, traces, questions)
    rows = answer_rows(readers, traces, questions, folds)
    ax, ay, owner, part = rows.x, rows.y, rows.owner, rows.part
    # learnt from questions asked alone: a part's label is its whole question's (a passage that answers the other part
    # counts as gold), which would teach it noise; a part's confidence still counts where the threshold is chosen
    answer = fit_trees(ax[~part], ay[~part], ANSWER_FEATURES)
    # the extension model, like the answer model, on rows read by ranking models fitted without their question
    extend = fit_trees(rows.extend_x, rows.extend_y, EXTEND_FEATURES)
    # the threshold, on confidences the answer model did not see (other splits of the rows, by question; their mean
    # over several splits, so that the threshold does not hang on how one split fell)
    per_question = np.zeros(len(questions))
    for repeat in range(THRESHOLD_SPLITS):
        again = _folds(len(questions), folds, seed=100 + repeat)
        confidence = np.zeros(len(ay))
        for f in range(folds):
            mask = again[owner] == f
            if mask.any() and (~mask).any():
                model = fit_trees(ax[~mask & ~part], ay[~mask & ~part], ANSWER_FEATURES)
                confidence[mask] = 1 / (1 + np.exp(-model.logits(ax[mask])))
        best = np.zeros(len(questions))
        np.maximum.at(best, owner, confidence)
        per_question += best / THRESHOLD_SPLITS
    answerable = np.asarray([q.answerable for q in questions])
    threshold = choose_threshold(per_question, answerable, MOST_REFUSED)
    # Each language keeps the promise on its own: English questions, read through a dictionary, are answered less
    # surely than Chinese ones, and one pooled threshold would refuse more of them.
    langs = np.asarray([q.lang for q in questions])
    thresholds = {lang: choose_threshold(per_question[langs == lang], answerable[langs == lang], MOST_REFUSED)
                  for lang in sorted(set(langs)) if (answerable & (langs == lang)).sum() >= PER_LANGUAGE}
    return Params(passage=passage, sentence=sentence, rerank=rerank, answer=answer, threshold=threshold, rules=rules,
                  fitted_on={"questions": len(questions),
                             "hashes": sorted(question_hash(q.question) for q in questions)},
                  thresholds=thresholds, extend=extend)


def held_out(reader: Reader | Sequence[Reader], traces: list[Trace], questions: list[Question], groups: list) -> list:
    """Each question's answer under parameters fitted on the questions of the other groups only."""
    readers = _each(reader, len(traces))
    answers = [None] * len(questions)
    for g in sorted(set(groups), key=str):
        train = [i for i, x in enumerate(groups) if x != g]
        test = [i for i, x in enumerate(groups) if x == g]
        params = fit([readers[i] for i in train], [traces[i] for i in train], [questions[i] for i in train])
        for i in test:
            answers[i] = readers[i].decide(traces[i], params)
    return answers


def fold_groups(n: int, folds: int, seed: int = 0) -> list[int]:
    """A fold for each of n questions, shuffled with a fixed seed."""
    return [int(x) for x in _folds(n, folds, seed)]


def _folds(n: int, folds: int, seed: int = 1) -> np.ndarray:
    order = np.random.default_rng(seed).permutation(n)
    out = np.empty(n, dtype=int)
    out[order] = np.arange(n) % folds
    return out


def _flat(names: tuple[str, ...]):
    from qabot.answer.model import Linear

    return Linear(names=names, mean=(0.0,) * len(names), scale=(1.0,) * len(names), weights=(0.0,) * len(names),
                  bias=0.0)


PIPELINES = (("qabot", "hybrid"), ("keyword only", "keyword"), ("dense only", "dense"))


def trace_all(reader: Reader | Sequence[Reader], questions: list, mode: str, k: int = 10) -> list[Trace]:
    """Each question traced in one mode (by its own reader, with one a question): eval questions (analysed here) or
    questions analysed already."""
    return [r.trace(getattr(q, "question", q), mode) for r, q in zip(_each(reader, len(questions)), questions,
                                                                      strict=True)]


def cross_validation(qa, sets: dict[str, list[Question]], folds: int = 5, ablate: bool = False,
                     pipelines: tuple = PIPELINES, traced: dict | None = None, splits: int = 1,
                     readers: dict[str, Reader] | None = None, fitted: dict | None = None, jobs: int = 1) -> dict:
    """{pipeline: {"held-out": metrics, "by set": {...}, "by lang": {...}, "separation": {...},
    "leave-one-corpus-out": metrics, "left out, by corpus": {...}, "fitted on all": metrics}}, and with `ablate`
    {"without <rule>": held-out metrics} for each rule module. With `splits` above one the held-out figures are means
    over that many fold splits (seeds 0, 1, …); the ablation uses the first. A set named in `readers` is asked of that
    reader (its own folder's index), every other set of `qa`'s; with `traced`, each mode's traces and their readers
    are left there; with `fitted`, each mode's parameters fitted on all the questions (the fit "fitted on all" is
    scored by).

    `jobs` above one works out the pipelines in that many processes at once (forked, so each starts with the
    indexes and the questions analysed; its traces stay in it, so not with `traced`): each pipeline is traced and
    fitted on its own, in the same CPU time and less wall time (on two cores at best half: `bench/fit_jobs.py`).

    Leaving out: every set asked of one corpus (a folder's articles, or the index's) is left out together and scored
    under parameters fitted on the other corpora's questions, since sets over the same articles ask of the same
    sentences (a fold of them is not unseen). Over one corpus, each set is left out instead ("leave-one-set-out")."""

    questions = [q for qs in sets.values() for q in qs]
    each = [(readers or {}).get(name, qa.reader) for name, qs in sets.items() for _ in qs]
    corpus = [str(Path(name).parent) if name in (readers or {}) else "index" for name, qs in sets.items() for _ in qs]
    distinct = list({id(r): r for r in each}.values())
    for r in distinct:
        r.cache = {}
    try:
        return _cross_validation(each, sets, questions, folds, ablate, pipelines, traced, max(1, splits), corpus,
                                 fitted, jobs)
    finally:
        for r in distinct:
            r.cache = None  # a serving reader keeps no cache


def _mean(reports: list[dict]) -> dict:
    """Metric dicts (nested alike) averaged key by key."""
    first = reports[0]
    return {k: _mean([r[k] for r in reports]) if isinstance(first[k], dict) else float(np.mean([r[k] for r in reports]))
            for k in first}


def _cross_validation(each, sets, questions, folds, ablate, pipelines, traced, splits, corpus, fitted=None,
                      jobs=1) -> dict:
    from qabot.answer.reader import RULES
    from qabot.evaluation.metrics import score

    groups = fold_groups(len(questions), folds)
    report: dict = {}
    analysed = [r.analyser(q.question) for r, q in zip(each, questions, strict=True)]  # once, for every pipeline

    def pipeline(mode: str) -> tuple[dict, Params]:
        """One pipeline's report entry and its parameters fitted on all the questions."""
        traces = trace_all(each, analysed, mode)
        if traced is not None:  # the caller fits on the same traces afterwards
            traced[mode] = traces
            traced["readers"] = each
        return _pipeline_entry(each, sets, questions, traces, folds, splits, corpus)

    modes = [mode for _, mode in pipelines]
    done = in_processes(pipeline, modes, jobs) if jobs > 1 and len(modes) > 1 and traced is None else \
        [pipeline(mode) for mode in modes]
    for (name, mode), (entry, params) in zip(pipelines, done, strict=True):
        report[name] = entry
        if fitted is not None:
            fitted[mode] = params
    if ablate:
        for rule in RULES:
            without = {}
            for base in each:
                if id(base) not in without:
                    without[id(base)] = Reader(base.searcher, base.embedder, article=base.article,
                                               rules=tuple(r for r in base.rules if r != rule))
                    without[id(base)].cache = {}
            readers = [without[id(base)] for base in each]
            traces = trace_all(readers, questions, "hybrid")
            report[f"without {rule}"] = {"held-out": score(questions, held_out(readers, traces, questions, groups))}
    return report


def _pipeline_entry(each, sets, questions, traces, folds, splits, corpus) -> tuple[dict, Params]:
    """A pipeline's held-out figures from its traces, and its parameters fitted on all the questions."""
    from qabot.evaluation.metrics import score, separation

    set_of = [name for name, qs in sets.items() for _ in qs]

    def by(answers, key):
        out = {}
        for value in sorted(set(key)):
            pairs = [(q, a) for q, a, v in zip(questions, answers, key, strict=True) if v == value]
            out[value] = score([q for q, _ in pairs], [a for _, a in pairs])
        return out

    runs = [held_out(each, traces, questions, fold_groups(len(questions), folds, seed)) for seed in range(splits)]
    entry = _mean([{"held-out": score(questions, answers), "by set": by(answers, set_of),
                    "by lang": by(answers, [q.lang for q in questions]),
                    "separation": separation(questions, answers)} for answers in runs])
    if len(set(corpus)) > 1:
        left = held_out(each, traces, questions, corpus)
        entry["leave-one-corpus-out"] = score(questions, left)
        entry["left out, by corpus"] = by(left, corpus)
    elif len(sets) > 1:
        entry["leave-one-set-out"] = score(questions, held_out(each, traces, questions, set_of))
    params = fit(each, traces, questions)
    entry["fitted on all"] = score(questions, [r.decide(t, params) for r, t in zip(each, traces, strict=True)])
    return entry, params


def format_cv(report: dict, sets: dict[str, list[Question]], folds: int, splits: int = 1) -> str:
    from qabot.evaluation.metrics import METRICS, REFUSED, fmt, table

    n = sum(len(qs) for qs in sets.values())
    mean = f", the mean over {splits} fold splits (seeds 0-{splits - 1})" if splits > 1 else ""
    lines = [f"{n} questions from {len(sets)} sets ({', '.join(f'{k} {len(v)}' for k, v in sets.items())}); "
             f"held-out: {folds}-fold cross-validation by question{mean}", ""]
    lines += table("pipeline (held-out)", {name: r["held-out"] for name, r in report.items()
                                            if "by set" in r or name.startswith("without")})
    main = report["qabot"]
    for left, says in (("leave-one-corpus-out", "each corpus's sets fitted on the other corpora's questions"),
                       ("leave-one-set-out", "fitted on the other sets")):
        if left in main:
            lines += ["", f"{left} ({says}):"]
            lines += table("pipeline", {name: r[left] for name, r in report.items() if left in r})
    if "left out, by corpus" in main:
        lines += ["", "qabot, leave-one-corpus-out, by corpus:"] + table("corpus", main["left out, by corpus"])
    lines += ["", "fitted on all these questions and scored on them (in-sample, NOT a result):"]
    lines += table("pipeline", {name: r["fitted on all"] for name, r in report.items() if "fitted on all" in r})
    lines += ["", "qabot held-out, by set:"] + table("set", main["by set"])
    lines += ["", "qabot held-out, by language:"] + table("lang", main["by lang"])
    lines += ["", "overall (qabot, held-out):"] + [f"  {m}: {fmt(main['held-out'][m])}" for m in METRICS]
    lines += ["", "held-out confidences, whatever the threshold (to compare ideas, not a result):"]
    lines += [f"  {name}: AUC answerable over unanswerable {fmt(r['separation']['auc'])}, abstain at {REFUSED:.0%} "
              f"false_abstain {fmt(r['separation'][f'abstain_at_{REFUSED:g}'])}" for name, r in report.items()
              if "separation" in r]
    return "\n".join(lines)
