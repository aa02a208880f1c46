"""A question set (JSONL) → the metrics of shared/eval/README.md, for qabot and two simple baselines."""

from __future__ import annotations

import json
import logging
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qabot.answer.compose import Answer, says_differ
from qabot.errors import QabotError

logger = logging.getLogger(__name__)

PIPELINES = (("qabot", "hybrid"), ("keyword only", "keyword"), ("dense only", "dense"))
METRICS = ("hit@1", "hit@5", "mrr@10", "cite_ok", "answer_acc", "false_abstain", "abstain", "false_differ",
           "stray_quotes", "answer_chars_p50", "answer_chars_max")


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    type: str
    lang: str
    answers: tuple[str, ...]
    gold: tuple[tuple[str, str], ...]  # (doc, quote)

    @property
    def answerable(self) -> bool:
        """Typed otherwise than unanswerable, with answers or gold quotes to score it by."""
        return self.type != "unanswerable" and bool(self.answers or self.gold)


def load_questions(path: str | Path) -> list[Question]:
    rows = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QabotError(f"cannot read the question file {path}: {exc.strerror}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            r = json.loads(line)
        except ValueError as exc:
            raise QabotError(f"{where}: not JSON ({exc})") from exc
        if not isinstance(r, dict):
            raise QabotError(f'{where}: not a question object ({{"question": …, "answers": […], "gold": […]}})')
        if not isinstance(r.get("question"), str) or not r["question"].strip():
            raise QabotError(f'{where}: no "question" (the question as a user would type it)')
        answers, gold = r.get("answers") or [], r.get("gold") or []
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            raise QabotError(f'{where}: "answers" must be a list of strings')
        if not isinstance(gold, list) or not all(isinstance(g, dict) and isinstance(g.get("quote"), str) for g in gold):
            raise QabotError(f'{where}: each "gold" item needs its "quote" (and the "doc" it is in)')
        rows.append(Question(id=str(r.get("id", f"line{number}")), question=r["question"], type=str(r.get("type", "")),
                             lang=str(r.get("lang", "")), answers=tuple(answers),
                             gold=tuple((str(g.get("doc", "")), g["quote"]) for g in gold)))
    if not rows:
        raise QabotError(f"{path} holds no questions")
    untyped = [q.id for q in rows if not q.answerable and q.type != "unanswerable"]
    if untyped:
        named = ", ".join(untyped[:5]) + (" …" if len(untyped) > 5 else "")
        logger.warning("%s: %d question(s) with neither answers nor gold and not typed unanswerable, scored as "
                       "unanswerable: %s", path, len(untyped), named)
    return rows


def unfound_gold(questions: list[Question], passages) -> list[tuple[str, str, str]]:
    """(question id, doc, quote) of each gold quote no passage of its article holds (white space and commas
    ignored): a quote not verbatim, or an article not in the index, scores every answer to it as a miss."""
    texts: dict[str, list[str]] = defaultdict(list)
    for passage in passages:
        texts[passage.doc].append(norm(passage.text))
    every = [t for ts in texts.values() for t in ts]
    return [(q.id, doc, quote) for q in questions for doc, quote in q.gold
            if not any(norm(quote) in t for t in (texts.get(doc, ()) if doc else every))]


def norm(text: str) -> str:
    """White space and the commas , ， are ignored in every comparison."""
    return re.sub(r"[\s,，]", "", text)


def quotes(text: str) -> list[str]:
    """An answer's quotes: the pieces of its text each `[n]` marker ends (a framing lead stays with the first)."""
    return [part for part in re.split(r"\[\d+\]", text)[:-1] if part.strip(" ；;")]


def has_gold(doc: str, text: str, q: Question) -> bool:
    return any((not gdoc or gdoc == doc) and norm(quote) in norm(text) for gdoc, quote in q.gold)


def score(questions: list[Question], answers: list[Answer]) -> dict[str, float]:
    """The README's metrics over paired questions and answers."""
    answerable = [(q, a) for q, a in zip(questions, answers, strict=True) if q.answerable]
    unanswerable = [(q, a) for q, a in zip(questions, answers, strict=True) if not q.answerable]
    out: dict[str, float] = {}

    def share(pairs, test) -> float:
        return sum(1 for q, a in pairs if test(q, a)) / len(pairs) if pairs else float("nan")

    def first_gold(q: Question, a: Answer) -> int:
        for rank, hit in enumerate(a.hits[:10], start=1):
            if has_gold(hit.passage.doc, hit.passage.text, q):
                return rank
        return 0

    for k in (1, 5):
        out[f"hit@{k}"] = share(answerable, lambda q, a, k=k: 0 < first_gold(q, a) <= k)
    out["mrr@10"] = (sum(1 / r for q, a in answerable if (r := first_gold(q, a))) / len(answerable)
                     if answerable else float("nan"))
    out["cite_ok"] = share(answerable, lambda q, a: a.answered and any(
        has_gold(c.passage.doc, c.passage.text, q) for c in a.citations))
    out["answer_acc"] = share(answerable, lambda q, a: a.answered and all(
        norm(s) in norm(a.text) for s in q.answers))
    out["false_abstain"] = share(answerable, lambda q, a: not a.answered)
    out["abstain"] = share(unanswerable, lambda q, a: not a.answered)
    # Not one of the README's: of the answered questions whose writer gave one answer (any answerable type but
    # "conflict"), the share whose answer says the reports differ. answer_acc only asks that the answer strings be
    # there, so it cannot see figures of other things listed as other reports' versions (a fine beside a
    # compensation sum, an arrest count beside a death toll); this can.
    told = [(q, a) for q, a in answerable if a.answered and q.type != "conflict"]
    out["false_differ"] = share(told, lambda q, a: says_differ(a.text))
    # Not one of the README's either: of the quotes in the answers that hold at least one of their question's answer
    # strings, the share that hold none. answer_acc rewards an answer for holding every answer string, whatever else
    # it quotes; this counts what else it quotes (another quantity's figure listed as a report's version, a sentence
    # joined that answers nothing), so that an answer made complete by quoting more can be weighed against its cost.
    found = [holds for q, a in answerable if a.answered
             if any(holds := [any(norm(s) in norm(part) for s in q.answers) for part in quotes(a.text)])]
    total = sum(len(holds) for holds in found)
    out["stray_quotes"] = sum(not h for holds in found for h in holds) / total if total else float("nan")
    lengths = [len(a.text) for a in answers if a.answered]
    out["answer_chars_p50"] = statistics.median(lengths) if lengths else 0.0
    out["answer_chars_max"] = max(lengths) if lengths else 0.0
    return out


REFUSED = 0.05  # the share of answerable questions `separation` reads its abstain at


def separation(questions: list[Question], answers: list[Answer], refused: float = REFUSED) -> dict[str, float]:
    """How well the confidences alone tell answerable from unanswerable questions, whatever the threshold: the
    chance that an answerable question is more confident than an unanswerable one (AUC), and the share of
    unanswerable questions below the confidence that refuses `refused` of the answerable ones. The threshold is read
    off these very answers, so the second is for comparing two ideas along the threshold's curve, not a result."""
    sure = sorted(a.confidence for q, a in zip(questions, answers, strict=True) if q.answerable)
    unsure = sorted(a.confidence for q, a in zip(questions, answers, strict=True) if not q.answerable)
    if not sure or not unsure:
        return {"auc": float("nan"), f"abstain_at_{refused:g}": float("nan")}
    below = np.searchsorted(unsure, sure, side="left")  # unanswerable less confident than each answerable one
    ties = np.searchsorted(unsure, sure, side="right") - below
    auc = float((below + ties / 2).sum() / (len(sure) * len(unsure)))
    cut = float(np.quantile(sure, refused))
    return {"auc": auc, f"abstain_at_{refused:g}": float(np.mean(np.asarray(unsure) < cut))}


def evaluate(qa, questions: list[Question], k: int = 10, answerers: list | None = None) -> dict:
    """{pipeline: {"all": metrics, "types": {type: metrics}, "langs": {...}, "took_ms": [...]}}; `answerers`: the
    `QA` that answers each question, when they are not all asked of `qa`."""
    report = {}
    answerers = answerers or [qa] * len(questions)
    for name, mode in PIPELINES:
        answers = [by.answer(q.question, k=k, mode=mode) for by, q in zip(answerers, questions, strict=True)]
        groups = defaultdict(list)
        for q, a in zip(questions, answers, strict=True):
            groups[("type", q.type)].append((q, a))
            groups[("lang", q.lang)].append((q, a))
        report[name] = {
            "all": score(questions, answers),
            "types": {key: _score_pairs(pairs) for (kind, key), pairs in sorted(groups.items()) if kind == "type"},
            "langs": {key: _score_pairs(pairs) for (kind, key), pairs in sorted(groups.items()) if kind == "lang"},
            "took_ms": [a.took_ms for a in answers],
        }
    return report


def _score_pairs(pairs: list) -> dict[str, float]:
    return score([q for q, _ in pairs], [a for _, a in pairs])


def format_report(report: dict, questions: list[Question], fitted_on: frozenset[str] = frozenset()) -> str:
    """The report; `fitted_on`: hashes of the questions the shipped parameters were fitted on."""
    from qabot.answer.model import question_hash

    seen = sum(question_hash(q.question) in fitted_on for q in questions)
    lines = [f"{len(questions)} questions ({sum(q.answerable for q in questions)} answerable)"]
    if seen:
        lines.append(f"NOTE: the shipped parameters were fitted on {seen} of these questions, so these numbers are "
                     "in-sample; `qabot eval --folds 5 FILE...` gives held-out ones")
    lines.append("")
    lines += table("pipeline", {name: r["all"] for name, r in report.items()})
    main = report["qabot"]
    lines += ["", "qabot by question type:"]
    lines += table("type", main["types"])
    lines += ["", "qabot by language:"]
    lines += table("lang", main["langs"])
    took = sorted(main["took_ms"])
    lines += ["", f"qabot answer time: p50 {statistics.median(took):.1f} ms, max {took[-1]:.1f} ms"]
    lines += ["", "overall:"] + [f"  {m}: {fmt(main['all'][m])}" for m in METRICS]
    return "\n".join(lines)


def table(label: str, rows: dict[str, dict]) -> list[str]:
    header = f"| {label} | " + " | ".join(METRICS) + " |"
    out = [header, "|" + "---|" * (len(METRICS) + 1)]
    for name, metrics in rows.items():
        out.append(f"| {name} | " + " | ".join(fmt(metrics[m]) for m in METRICS) + " |")
    return out


def fmt(value: float) -> str:
    if value != value:  # nan: no question of that kind
        return "-"
    return f"{value:.0f}" if value >= 2 else f"{value:.2f}"
